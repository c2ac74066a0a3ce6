"""Issue 5: roles. Sensitive values are for toezicht only (the Bibob outcome also for bibob);
restricted notes; every output of every command under the reviewer role is free of them."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import CASES, record_request
from support import (
    DIPLOMA_FIELD,
    NOTE,
    REG_NUMBERS,
    SELF_CLEANING,
    kit,
    runner,
    sensitive_case,
    sensitive_values,
)

from kit.cli import app, common
from kit.screening.policy import may_see, message_for
from kit.store import FindingRow, Store
from kit.timezone import today

HORST = "INS-2024-0521"


def evc_done(case: dict) -> dict:
    [member] = copy.deepcopy([m for m in case["submission"]["staff"] if m["id"] == "S03"])
    member.pop("evc")
    member["diplomas"] = [{"level": "hbo", "field": DIPLOMA_FIELD, "document": "S03-EVC"}]
    member["registrations"] = [
        {
            "register": "skj",
            "kind": "jeugd-en-gezinsprofessional-hbo",
            "number": REG_NUMBERS[3],
            "valid_until": date(2030, 2, 28),
            "document": "S03-REG",
        }
    ]
    member["documents"] += [
        {"id": "S03-EVC", "type": "evc-certificaat", "issued_on": date(2024, 7, 10)},
        {"id": "S03-REG", "type": "registratiebewijs", "issued_on": date(2024, 7, 11)},
    ]
    return {"staff": [member]}


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def row(rule: str, sensitive: bool) -> FindingRow:
    return FindingRow(
        screening_pk=1,
        position=0,
        rule=rule,
        requirement="x",
        subject="provider",
        status="niet-voldaan",
        message="volledig",
        neutral_message="neutraal",
        sensitive=sensitive,
        basis="",
    )


def test_who_may_read_a_sensitive_finding():
    for role in ("reviewer", "toezicht", "bibob", "inkoop"):
        assert message_for(role, row("Q1-calamiteitenprotocol", False)) == "volledig"
    sensitive, bibob = row("S4-diplomaniveau", True), row("E5-bibob", True)
    assert [message_for(r, sensitive) for r in ("reviewer", "toezicht", "bibob", "inkoop")] == [
        "neutraal",
        "volledig",
        "neutraal",
        "neutraal",
    ]
    assert [may_see(r, bibob) for r in ("reviewer", "toezicht", "bibob", "inkoop")] == [
        False,
        True,
        True,
        False,
    ]


def screen_json(db_url: str, path: Path, role: str) -> dict:
    """The screening of `path` as `role` reads it: screened (by toezicht, who may screen), then
    shown (every role may look)."""
    screened = kit(db_url, "screen", str(path), "--json", role="toezicht")
    assert screened.exit_code == 0, screened.output
    result = kit(db_url, "show", json.loads(screened.stdout)["screening_id"], "--json", role=role)
    assert result.exit_code == 0, result.output
    [shown] = json.loads(result.stdout)  # a list, as every read command's --json
    return shown


def test_screen_json_follows_the_role(tmp_path, db_url):
    path = write(tmp_path / "case.yaml", sensitive_case())
    by_role = {
        role: {
            f["rule"] + f["subject"] + (f["lot"] or "") + f["requirement"]: f
            for f in screen_json(db_url, path, role)["findings"]
        }
        for role in ("toezicht", "reviewer", "bibob")
    }
    full, reviewer, bibob = by_role["toezicht"], by_role["reviewer"], by_role["bibob"]
    bibob_key = next(k for k in full if k.startswith("E5-bibob"))
    self_cleaning_key = next(k for k in full if k.startswith("E3-") and k.endswith("faillissement"))
    assert "mindere mate van gevaar" in full[bibob_key]["message"]
    assert SELF_CLEANING in full[self_cleaning_key]["message"]
    for role_view in (reviewer, bibob):
        assert SELF_CLEANING not in role_view[self_cleaning_key]["message"]
        assert role_view[self_cleaning_key]["status"] == "onbepaald"
    assert (
        bibob[bibob_key]["message"] == full[bibob_key]["message"]
    )  # the Bibob outcome is theirs too
    assert reviewer[bibob_key]["message"].startswith("Niet voldaan; de details")
    # Only the message changes: status, outcome, evidence and due date stay for every role.
    for key, finding in full.items():
        assert {k: v for k, v in reviewer[key].items() if k != "message"} == {
            k: v for k, v in finding.items() if k != "message"
        }


def test_notes_are_for_toezicht_only_and_audited_without_their_text(db_url):
    assert (
        kit(db_url, "screen", str(CASES / "begeleiding-de-horst-evc-traject.yaml")).exit_code == 0
    )
    for role in ("reviewer", "bibob", "inkoop"):
        for args in (("note", HORST, NOTE), ("notes", HORST)):
            refused = kit(db_url, *args, role=role)
            assert refused.exit_code == 1 and "voorbehouden aan de rol toezicht" in refused.stderr
            assert NOTE not in refused.output
    written = kit(db_url, "note", HORST, NOTE, "--by", "T. Toezicht", role="toezicht")
    assert written.exit_code == 0, written.output
    listed = kit(db_url, "notes", HORST, role="toezicht")
    words = " ".join(listed.stdout.split())  # the note may wrap in its column
    assert listed.exit_code == 0 and NOTE in words and "T. Toezicht" in listed.stdout
    store = Store(db_url)
    [event] = [e for e in store.audit_events() if e.action == "notitie"]
    assert (event.actor, event.role, event.subject) == ("T. Toezicht", "toezicht", HORST)
    assert NOTE not in event.detail
    empty = kit(db_url, "note", HORST, "  ", role="toezicht")
    assert empty.exit_code == 1 and "leeg" in empty.stderr
    assert kit(db_url, "note", "INS-0000", NOTE, role="toezicht").exit_code == 1


@pytest.fixture
def wide_output(monkeypatch):
    """Tables as wide as their content, so a message is never folded over lines and a leak of
    a whole sentence would be found."""
    monkeypatch.setattr(common.out, "width", 5000)


def test_no_sensitive_value_in_any_output_under_the_reviewer_role(tmp_path, db_url, wide_output):
    case = sensitive_case()
    round0 = write(tmp_path / "ronde-0.yaml", case)
    round1_data = copy.deepcopy(case)
    round1_data["submission"].update(round=1, submitted_on=date(2024, 7, 15))
    round1 = write(tmp_path / "ronde-1.yaml", round1_data)
    update = write(tmp_path / "evc-klaar.yaml", evc_done(case))

    # Toezicht first, on its own store: what the sensitive messages say in full.
    supervisor_db = f"sqlite:///{tmp_path / 'toezicht.db'}"
    screen_json(supervisor_db, round0, "toezicht")
    record_request(supervisor_db, HORST, 1, "2024-07-15")  # the request round 1 answers (P1)
    toezicht_outputs = [
        json.dumps(screen_json(supervisor_db, round1, "toezicht"), ensure_ascii=False)
    ]
    for args in (
        ("documents", "add", HORST, str(update)),
        ("monitor", "--as-of", "2024-12-01"),
        ("note", HORST, NOTE),
        ("notes", HORST),
    ):
        result = kit(supervisor_db, *args, role="toezicht")
        assert result.exit_code == 0, result.output
        toezicht_outputs.append(result.output)
    supervisor = Store(supervisor_db)
    full_messages = {
        f.message
        for s in supervisor.screenings()
        for f in supervisor.findings(s.id)
        if f.sensitive and f.message != f.neutral_message
    }

    # Every command a reviewer can run on the same submission.
    outputs: dict[str, str] = {}

    def run(name: str, *args: str, ok: bool = True, db: bool = True) -> None:
        result = kit(db_url, *args) if db else runner.invoke(app, ["--role", "reviewer", *args])
        assert (result.exit_code == 0) == ok, (name, result.output)
        outputs[name] = result.output + result.stderr

    run("screen table", "screen", str(round0))
    record_request(db_url, HORST, 1, "2024-07-15")
    run("screen json", "screen", str(round1), "--json")
    run("monitor table", "monitor", "--as-of", "2024-12-01")
    run("monitor json", "monitor", "--as-of", "2024-12-01", "--json")
    run("report table", "report", "--as-of", "2024-07-16")
    run("report csv", "report", "--format", "csv", "--as-of", "2024-07-16")
    run("repair status", "repair", "status", HORST, "--as-of", "2024-07-16")
    run("repair diff", "repair", "diff", HORST)
    run(
        "repair letter", "repair", "letter", HORST, "--as-of", "2024-07-16", ok=False
    )  # nothing to repair
    run(
        "repair request",
        *("repair", "request", HORST, "--verzonden", "2024-07-16", "--door", "R. Reviewer"),
        ok=False,
    )
    # It would state the self-cleaning the provider declared (E4): toezicht writes it.
    run("decision letter", "letter", HORST, "--as-of", "2024-07-16", ok=False)
    assert "het besluit schrijft toezicht" in outputs["decision letter"]
    run("documents add", "documents", "add", HORST, str(update))
    run(
        "repair diff after documents",
        "repair",
        "diff",
        HORST,
        "--from-round",
        "0",
        "--to-round",
        "1",
    )
    run(
        "assess",
        "assess",
        HORST,
        "calamiteitenprotocol",
        "--judgement",
        "voldoende",
        "--note",
        "In orde",
        "--by",
        "R. Reviewer",
    )
    run("monitor after", "monitor", "--as-of", "2025-01-02", "--json")
    run("rules show", "rules", "show", "kit-2025", db=False)
    run("note", "note", HORST, NOTE, ok=False)
    run("notes", "notes", HORST, ok=False)

    raw_values = sensitive_values()
    # The test can see a leak: toezicht's own output holds sensitive values and full messages.
    everything_toezicht_saw = "\n".join(toezicht_outputs)
    assert SELF_CLEANING in everything_toezicht_saw and NOTE in everything_toezicht_saw
    assert len(full_messages) >= 10 and any("mindere mate" in m for m in full_messages)
    assert any(m in everything_toezicht_saw for m in full_messages if "EVC-traject" in m)
    # The stored case really holds the raw values (they are what must not come out).
    stored = Store(db_url).screenings()[-1].case_json
    assert all(v in stored for v in [*REG_NUMBERS, SELF_CLEANING, DIPLOMA_FIELD])
    for name, text in outputs.items():
        for value in raw_values:
            assert value not in text, f"{name} toont de gevoelige waarde {value!r}"
        for message in full_messages:
            assert message not in text, f"{name} toont het gevoelige bericht {message!r}"


def test_every_change_through_the_cli_leaves_an_audit_event(tmp_path, db_url):
    case = sensitive_case()
    changes = [
        (("screen", str(write(tmp_path / "case.yaml", case)), "--by", "S. Screener"), "reviewer"),
        (
            (
                "documents",
                "add",
                HORST,
                str(write(tmp_path / "evc.yaml", evc_done(case))),
                "--by",
                "D. Docs",
            ),
            "reviewer",
        ),
        (
            (
                "assess",
                HORST,
                "calamiteitenprotocol",
                "--judgement",
                "onvoldoende",
                "--note",
                "Geen meldprocedure",
                "--by",
                "A. Assess",
            ),
            "reviewer",
        ),
        (("note", HORST, NOTE, "--by", "N. Note"), "toezicht"),
        (
            ("repair", "request", HORST, "--verzonden", today().isoformat(), "--by", "R. Req"),
            "reviewer",
        ),
        (("repair", "grant-extra", HORST, "--reason", "Ziekte", "--by", "G. Grant"), "inkoop"),
    ]
    for args, role in changes:
        result = kit(db_url, *args, role=role)
        assert result.exit_code == 0, result.output
    events = Store(db_url).audit_events()
    assert [(e.actor, e.role, e.action) for e in events] == [
        ("S. Screener", "reviewer", "screening"),
        ("S. Screener", "reviewer", "screeningsrun"),  # what the run stored, and what not
        ("D. Docs", "reviewer", "documenten"),
        ("A. Assess", "reviewer", "beslissing-inhoud"),
        ("N. Note", "toezicht", "notitie"),
        ("R. Req", "reviewer", "herstelverzoek"),
        ("G. Grant", "inkoop", "extra-herstelronde"),
    ]
    assert all(e.at and e.subject for e in events)
    assert Store(db_url).screenings()[0].actor == "S. Screener"
