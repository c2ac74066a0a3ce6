"""Issue 26, item 6: the AVG access export (`kit avg inzage`) and retention (`kit db
opschonen`): periods as data, removal in one transaction with an audit event, and what a later
screening still depends on kept; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import stat

import pytest
import yaml
from conftest import CASES, ROOT, load_raw
from sqlalchemy import create_engine, text
from support import kit as kit_cli
from typer.testing import CliRunner

from kit.store import Store
from kit.store.maintenance import Maintenance
from kit.timezone import today
from kit.views.replay import replay

runner = CliRunner()
ZORGFIX = "12345678"


def run(db_url: str, *args: str, role: str = "toezicht"):
    return kit_cli(db_url, *args, role=role)


def test_an_access_export_holds_everything_on_one_provider_and_is_audited(any_db, tmp_path):
    assert run(any_db, "screen", str(CASES), role="reviewer").exit_code in (0, 1)
    assert run(any_db, "note", "INS-2024-0042", "Gesprek met de directeur gevoerd.").exit_code == 0
    target = tmp_path / "inzage.json"
    result = run(any_db, "avg", "inzage", ZORGFIX, "--uitvoer", str(target))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    export = json.loads(target.read_text(encoding="utf-8"))
    records = export["records"]
    assert {row["provider_kvk"] for row in records["submissions"]} == {ZORGFIX}
    [sub] = records["submissions"]
    assert {row["submission_pk"] for row in records["screenings"]} == {sub["id"]}
    screenings = {row["id"] for row in records["screenings"]}
    assert records["findings"] and {f["screening_pk"] for f in records["findings"]} <= screenings
    assert [n["text"] for n in records["notes"]] == ["Gesprek met de directeur gevoerd."]
    actions = {event["action"] for event in records["audit_events"]}
    assert {"screening", "notitie", "avg-inzage"} <= actions
    others = [s.provider_kvk for s in Store(any_db).submissions() if s.provider_kvk != ZORGFIX]
    assert others and not any(kvk in target.read_text(encoding="utf-8") for kvk in others)
    [event] = [e for e in Store(any_db).audit_events() if e.action == "avg-inzage"]
    assert event.subject == ZORGFIX and "Gesprek" not in event.detail


def test_only_toezicht_may_make_an_access_export(db_url):
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml"), role="reviewer").exit_code == 0
    for role in ("reviewer", "inkoop", "beheer", "bibob"):
        denied = run(db_url, "avg", "inzage", ZORGFIX, role=role)
        assert denied.exit_code == 1 and "toezicht" in denied.stderr and "{" not in denied.stdout
    assert not [e for e in Store(db_url).audit_events() if e.action == "avg-inzage"]


@pytest.fixture
def one_year(tmp_path, monkeypatch):
    """The shipped rules with retention periods of one year (periods are data)."""
    rules = tmp_path / "regels"
    shutil.copytree(ROOT / "rules", rules)
    periods = yaml.safe_load((rules / "bewaartermijnen.yaml").read_text(encoding="utf-8"))
    for period in periods.values():
        period["jaren"] = 1
    (rules / "bewaartermijnen.yaml").write_text(yaml.safe_dump(periods), encoding="utf-8")
    monkeypatch.setenv("KIT_RULES_DIR", str(rules))
    return rules


def counts(db: str) -> dict[str, int]:
    tables = ["submissions", "screenings", "findings", "lot_verdicts", "decisions", "notes"]
    tables += ["repair_requests", "audit_events"]
    with create_engine(db).connect() as connection:
        return {t: int(connection.scalar(text(f"SELECT count(*) FROM {t}")) or 0) for t in tables}


def orphans(db: str) -> int:
    with create_engine(db).connect() as connection:
        return int(
            connection.scalar(
                text(
                    "SELECT count(*) FROM findings f LEFT JOIN screenings s "
                    "ON f.screening_pk = s.id WHERE s.id IS NULL"
                )
            )
            or 0
        )


def test_clean_up_removes_whole_dossiers_past_their_period_and_keeps_the_rest(any_db, one_year):
    assert run(any_db, "screen", str(CASES), role="reviewer").exit_code in (0, 1)
    store = Store(any_db)
    cutoff = today().replace(year=today().year - 1)
    last = store.dossiers_last_active()
    old = {pk for pk, day in last.items() if day < cutoff}
    assert old and len(old) < len(last), "the shipped cases must straddle the cut-off"
    kept_codes = [s.code for s in store.screenings() if s.submission_pk not in old]
    before = counts(any_db)
    result = run(any_db, "db", "opschonen", role="beheer")
    assert result.exit_code == 0, result.output
    after = counts(any_db)
    assert after["submissions"] == before["submissions"] - len(old)
    assert {s.submission_pk for s in Store(any_db).screenings()}.isdisjoint(old)
    assert orphans(any_db) == 0
    for code in kept_codes:
        assert replay(Store(any_db), code).identical, code
    [event] = [e for e in Store(any_db).audit_events() if e.action == "opschonen"]
    removed = json.loads(event.detail)["removed"]
    assert removed["submissions"] == len(old)
    assert removed["screenings"] == before["screenings"] - after["screenings"]
    assert removed["findings"] == before["findings"] - after["findings"]
    assert f"{len(old)} inschrijvingen" in result.stdout


def test_clean_up_is_for_beheer_refuses_a_future_day_and_removes_all_or_nothing(
    any_db, one_year, monkeypatch
):
    assert run(any_db, "screen", str(CASES), role="reviewer").exit_code in (0, 1)
    screened = counts(any_db)
    assert run(any_db, "db", "opschonen", role="reviewer").exit_code == 1
    ahead = run(any_db, "db", "opschonen", "--peildatum", "2099-01-01", role="beheer")
    assert ahead.exit_code == 1 and "toekomst" in ahead.stderr
    before = counts(any_db)
    # Refused, nothing removed (on PostgreSQL the CLI's logins add their audit events).
    assert {k: v for k, v in before.items() if k != "audit_events"} == {
        k: v for k, v in screened.items() if k != "audit_events"
    }
    real = Maintenance._dossier_pks

    def then_fail(self, session, pks):  # type: ignore[no-untyped-def]
        found = real(self, session, pks)
        if pks:  # the removal's own transaction (it has dossiers to remove)
            session.execute(text("DELETE FROM findings"))  # something goes first ...
            raise OSError(28, "No space left on device")  # ... then the disk is full
        return found

    monkeypatch.setattr(Maintenance, "_dossier_pks", then_fail)
    failed = run(any_db, "db", "opschonen", role="beheer")
    assert failed.exit_code != 0
    assert counts(any_db) == before  # nothing half-removed


def test_a_dossier_a_kept_submission_reuses_is_kept(any_db, one_year, tmp_path):
    first = json.loads(
        run(any_db, "screen", str(CASES / "zorgfix-bv.yaml"), "--json", role="reviewer").stdout
    )
    raw = load_raw()
    sub = raw["submission"]
    sub["id"], sub["submitted_on"] = "INS-2026-0099", today().replace(month=1, day=15)
    sub["documents"].append({"id": "D50", "type": "noodplan", "reuse_of": first["screening_id"]})
    path = tmp_path / "hergebruik.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert run(any_db, "screen", str(path), role="reviewer").exit_code == 0
    result = run(any_db, "db", "opschonen", role="beheer")
    assert result.exit_code == 0, result.output
    assert "INS-2024-0042" in result.stdout and "hergebruikt" in result.stdout
    assert {s.submission_id for s in Store(any_db).submissions()} == {
        "INS-2024-0042",
        "INS-2026-0099",
    }


def test_the_retention_periods_are_checked_data(one_year, db_url):
    (one_year / "bewaartermijnen.yaml").write_text(
        "inschrijvingen: {jaren: '7', vanaf: x}\nnotities: {jaren: 5, vanaf: x}\n", encoding="utf-8"
    )
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml"), role="reviewer").exit_code == 0
    result = run(db_url, "db", "opschonen", role="beheer")
    assert result.exit_code == 1 and "bewaartermijnen.yaml" in result.stderr
