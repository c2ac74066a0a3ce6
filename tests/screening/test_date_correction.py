"""Issue 26, item 4 (leftover): a submission's date is corrected through a recorded decision
(`kit corrigeer-datum`, inkoop): the decision, a new screening on the corrected date and the
audit event in one transaction; nothing stored is changed, every screening still replays."""

from __future__ import annotations

import json
from datetime import date

from conftest import CASES
from support import kit as kit_cli
from typer.testing import CliRunner

import kit.case.checks
from kit.store import Store
from kit.views.replay import replay

runner = CliRunner()
SUB = "INS-2024-0042"
ZORGFIX = str(CASES / "zorgfix-bv.yaml")  # submitted on 2024-04-02


def run(db_url: str, *args: str, role: str = "inkoop"):
    return kit_cli(db_url, *args, role=role)


def correct(db_url: str, day: str, role: str = "inkoop"):
    why = "De portal gaf de datum van het concept."
    return run(db_url, "corrigeer-datum", SUB, "--datum", day, "--toelichting", why, role=role)


def submitted_on(case_json: str) -> str:
    return str(json.loads(case_json)["submission"]["submitted_on"])


def test_a_corrected_date_is_a_new_screening_and_a_decision_nothing_overwritten(any_db):
    assert run(any_db, "screen", ZORGFIX, role="reviewer").exit_code == 0
    [first] = Store(any_db).screenings()
    result = correct(any_db, "2024-04-01")
    assert result.exit_code == 0, result.output
    assert "gecorrigeerd naar 2024-04-01" in result.stdout
    store = Store(any_db)
    before, after = store.screenings()
    assert (before.case_json, before.as_of) == (first.case_json, first.as_of)  # untouched
    assert submitted_on(after.case_json) == "2024-04-01" and after.as_of == date(2024, 4, 1)
    assert after.reason == "datumcorrectie"
    for code in (before.code, after.code):
        assert replay(store, code).identical, code
    [event] = [e for e in store.audit_events() if e.action == "datumcorrectie"]
    assert event.subject == SUB and json.loads(event.detail)["screening"] == after.code
    assert json.loads(event.detail)["van"] == "2024-04-02"
    assert run(any_db, "show", SUB, role="reviewer").exit_code == 0


def test_a_date_correction_is_for_inkoop_never_ahead_and_never_the_same(db_url):
    assert run(db_url, "screen", ZORGFIX, role="reviewer").exit_code == 0
    for role in ("reviewer", "toezicht", "beheer"):
        denied = correct(db_url, "2024-04-01", role=role)
        assert denied.exit_code == 1 and "inkoop" in denied.stderr
    ahead = correct(db_url, "2099-01-01")
    assert ahead.exit_code == 1 and "ligt na vandaag" in ahead.stderr
    same = correct(db_url, "2024-04-02")
    assert same.exit_code == 1 and "al ingediend op 2024-04-02" in same.stderr
    assert len(Store(db_url).screenings()) == 1


def test_a_stored_date_in_the_future_is_no_longer_a_dead_end(any_db, monkeypatch, tmp_path):
    """A database from before strict input may hold a submission dated 2099: it can be
    corrected, and the new screening is dated by the corrected day."""
    text = (CASES / "zorgfix-bv.yaml").read_text(encoding="utf-8")
    path = tmp_path / "2099.yaml"
    path.write_text(text.replace("submitted_on: 2024-04-02", "submitted_on: 2099-01-01", 1))
    with monkeypatch.context() as before_strict_input:
        before_strict_input.setattr(kit.case.checks, "today", lambda: date(2100, 1, 1))
        stored = run(any_db, "screen", str(path), role="reviewer")
    assert stored.exit_code == 0, stored.output
    assert Store(any_db).screenings()[0].as_of == date(2099, 1, 1)
    result = correct(any_db, "2024-04-02")
    assert result.exit_code == 0, result.output
    latest = Store(any_db).screenings()[-1]
    assert submitted_on(latest.case_json) == "2024-04-02" and latest.as_of == date(2024, 4, 2)
    assert replay(Store(any_db), latest.code).identical
