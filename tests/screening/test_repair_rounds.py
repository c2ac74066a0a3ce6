"""Issue 4: repair rounds, reviewer decisions, extra round, final verdicts, diff and letter."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import yaml
from conftest import load_raw, send_request
from typer.testing import CliRunner

from kit.cli import app
from kit.screening.deadlines import add_working_days
from kit.store import Store
from kit.timezone import today

runner = CliRunner()
JEUGD, WMO = "jeugd-ambulant-begeleiding", "wmo-dagbesteding"


def run(db_url: str, *args: str, role: str = "reviewer"):
    result = runner.invoke(
        app, ["--role", role, *args[:1], *args[1:], "--db", db_url], env={"KIT_USER": "tester"}
    )
    return result


def write_round(tmp_path: Path, raw: dict, round_no: int, submitted: date) -> Path:
    data = copy.deepcopy(raw)
    data["submission"]["round"] = round_no
    data["submission"]["submitted_on"] = submitted
    path = tmp_path / f"ronde-{round_no}-{submitted.isoformat()}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def screen(db_url: str, path: Path):
    return run(db_url, "screen", str(path), "--json")


def test_add_working_days_skips_weekends():
    assert add_working_days(date(2024, 4, 5), 1) == date(2024, 4, 8)  # Friday -> Monday
    assert add_working_days(date(2024, 4, 2), 10) == date(2024, 4, 16)


def status_of(db_url: str, day: str | None) -> dict[str, str]:
    """The verdict per lot as kit repair status gives it on `day` (None: kit's own today)."""
    import json

    as_of = ["--as-of", day] if day else []
    result = run(db_url, "repair", "status", "INS-2024-0042", *as_of, "--json")
    assert result.exit_code == 0, result.output
    return {i["lot"]: i["verdict"] for i in json.loads(result.stdout) if i["soort"] == "perceel"}


def test_full_round_cycle_with_decisions_refusal_extra_round_and_final_verdicts(
    tmp_path, db_url, clock
):
    raw = load_raw()
    sub = raw["submission"]
    # Round 0: the calamities protocol is insufficient, S03's diploma is below the jeugd level.
    r0 = screen(db_url, write_round(tmp_path, raw, 0, date(2024, 4, 2)))
    assert r0.exit_code == 0, r0.output
    # Each round answers a repair request (P1, P2): sent, recorded, with its deadline.
    send_request(db_url, "INS-2024-0042", "2024-04-02")
    # Round 1: a new protocol arrives, not yet judged -> beoordeling; S03 unchanged.
    sub["documents"] = [d for d in sub["documents"] if d["id"] != "D2"]
    sub["documents"].append(
        {"id": "D30", "type": "calamiteitenprotocol", "issued_on": date(2024, 4, 10)}
    )
    r1 = screen(db_url, write_round(tmp_path, raw, 1, date(2024, 4, 12)))
    assert r1.exit_code == 0, r1.output
    # A reviewer judges the new protocol; the verdict follows, the earlier screening stays.
    assessed = run(
        db_url,
        "assess",
        "INS-2024-0042",
        "calamiteitenprotocol",
        "--judgement",
        "voldoende",
        "--note",
        "Meldprocedure IGJ nu beschreven",
        "--by",
        "J. de Vries",
        "--datum",
        "2024-04-15",
    )
    assert assessed.exit_code == 0, assessed.output
    diff = run(db_url, "repair", "diff", "INS-2024-0042")
    assert diff.exit_code == 0 and "Q1-calamiteitenprotocol" in diff.stdout
    assert "opgelost" in diff.stdout
    # Rounds 2 and 3, each on its own request: S03 still not fixed; once round 3 (the last)
    # has come in, the jeugd lot is afgewezen (P3), the Wmo lot is admitted.
    send_request(db_url, "INS-2024-0042", "2024-04-15")
    assert screen(db_url, write_round(tmp_path, raw, 2, date(2024, 4, 24))).exit_code == 0
    send_request(db_url, "INS-2024-0042", "2024-04-24")
    r3 = screen(db_url, write_round(tmp_path, raw, 3, date(2024, 5, 6)))
    assert r3.exit_code == 0, r3.output
    assert status_of(db_url, "2024-05-06") == {JEUGD: "afgewezen", WMO: "toegelaten"}
    # No fourth request and no round 4 without an extra round, naming the rounds used.
    no_round = run(
        db_url,
        "repair",
        "request",
        "INS-2024-0042",
        "--verzonden",
        "2024-05-07",
        "--door",
        "J. de Vries",
    )
    assert no_round.exit_code == 1 and "alle 3 herstelronde(s) zijn gebruikt" in no_round.stderr
    assert "alleen inkoop" in no_round.stderr
    refused = screen(db_url, write_round(tmp_path, raw, 4, date(2024, 5, 10)))
    assert refused.exit_code == 1
    assert "INS-2024-0042" in refused.stderr and "herstelronde 4 geweigerd" in refused.stderr
    assert "3 van 3 herstelronde(s) gebruikt" in refused.stderr
    # Only purchasing may grant the extra round; it is recorded with who and why.
    denied = run(
        db_url, "repair", "grant-extra", "INS-2024-0042", "--reason", "Ziekte", "--by", "X"
    )
    assert denied.exit_code == 1 and "voorbehouden aan de rol inkoop" in denied.stderr
    granted = run(
        db_url,
        "repair",
        "grant-extra",
        "INS-2024-0042",
        "--reason",
        "Diplomawaardering vertraagd door DUO",
        "--by",
        "P. Jansen",
        role="inkoop",
    )
    assert granted.exit_code == 0, granted.output
    second = run(
        db_url,
        "repair",
        "grant-extra",
        "INS-2024-0042",
        "--reason",
        "nog een",
        "--by",
        "P. Jansen",
        role="inkoop",
    )
    assert second.exit_code == 1 and "maximum is 1" in second.stderr
    # The grant opens round 4 (P4): the jeugd lot needs repair again, and a request is to be
    # sent for it (test_process follows such a round to its end).
    day = today().isoformat()
    assert status_of(db_url, day)[JEUGD] == "herstel-nodig"
    # Without a date, kit takes today in the Netherlands: the day the grant was dated by, even
    # in the hour after midnight when the UTC day is still the one before.
    assert status_of(db_url, None)[JEUGD] == "herstel-nodig"
    preview = run(db_url, "repair", "letter", "INS-2024-0042", "--as-of", day)
    assert preview.exit_code == 0 and "herstelronde 4 van de 4" in preview.stdout

    store = Store(db_url)
    row = store.submission("INS-2024-0042")
    screenings = store.screenings_of(row.id)
    assert [(s.round, s.reason) for s in screenings] == [
        (0, "screening"),
        (1, "herstelronde"),
        (1, "beslissing"),
        (2, "herstelronde"),
        (3, "herstelronde"),
    ]
    # Verdicts are derived from the screenings and the requests, never stored as final.
    assert [s.final for s in screenings] == [False] * 5
    assert [(r.round, r.sent_on.isoformat()) for r in store.requests_of(row.id)] == [
        (1, "2024-04-02"),
        (2, "2024-04-15"),
        (3, "2024-04-24"),
    ]
    decision = store.decisions(row.id)[0]
    assert (decision.decided_by, decision.judgement, decision.requirement) == (
        "J. de Vries",
        "voldoende",
        "calamiteitenprotocol",
    )
    assert decision.decided_at is not None and decision.decided_on == date(2024, 4, 15)
    extra = store.extra_rounds(row.id)
    assert [(e.granted_by, e.reason) for e in extra] == [
        ("P. Jansen", "Diplomawaardering vertraagd door DUO")
    ]
    actions = [e.action for e in store.audit_events()]
    assert (
        "beslissing-inhoud" in actions
        and "extra-herstelronde" in actions
        and "screening" in actions
        and "herstelverzoek" in actions
    )


def test_missed_deadline_closes_the_rounds(tmp_path, db_url):
    raw = load_raw()
    assert screen(db_url, write_round(tmp_path, raw, 0, date(2024, 4, 2))).exit_code == 0
    send_request(db_url, "INS-2024-0042", "2024-04-02")  # deadline 2024-04-16
    late = screen(db_url, write_round(tmp_path, raw, 1, date(2024, 4, 17)))
    assert late.exit_code == 1
    assert "te laat ingediend" in late.stderr and "2024-04-16" in late.stderr
    status = run(db_url, "repair", "status", "INS-2024-0042", "--as-of", "2024-04-17")
    assert status.exit_code == 0
    assert "verlopen" in status.stdout and "afgewezen" in status.stdout
    assert "verstreek op 16 april 2024" in " ".join(status.stdout.split())


def test_comply_or_explain_decision(tmp_path, db_url):
    raw = load_raw()
    sub = raw["submission"]
    sub["documents"] = [d for d in sub["documents"] if d["type"] != "rie"]
    sub["explanations"] = [{"requirement": "rie", "text": "Sectorale RI&E in voorbereiding"}]
    path = write_round(tmp_path, raw, 0, date(2024, 4, 2))
    import json

    first = json.loads(screen(db_url, path).stdout)
    rie = next(f for f in first["findings"] if f["rule"] == "Q5-rie")
    assert (rie["status"], rie["outcome"]) == ("onbepaald", "beoordeling")
    rejected = run(
        db_url,
        "assess",
        "INS-2024-0042",
        "rie",
        "--uitleg",
        "--judgement",
        "onvoldoende",
        "--note",
        "Een sectorale RI&E vervangt de eigen RI&E niet",
        "--by",
        "A. Smit",
    )
    assert rejected.exit_code == 0, rejected.output
    store = Store(db_url)
    latest = store.screenings()[-1]
    rie_row = next(f for f in store.findings(latest.id) if f.rule == "Q5-rie")
    assert (rie_row.status, rie_row.outcome) == ("niet-voldaan", "herstel")
    assert "niet aanvaard" in rie_row.message
    bad = run(
        db_url,
        "assess",
        "INS-2024-0042",
        "kvk-uittreksel",
        "--judgement",
        "voldoende",
        "--note",
        "x",
        "--by",
        "A. Smit",
    )
    assert bad.exit_code == 1 and "geen inhoudelijk oordeel" in bad.stderr


def test_letter_reads_as_a_letter_without_sensitive_staff_data(tmp_path, db_url):
    raw = load_raw()
    assert screen(db_url, write_round(tmp_path, raw, 0, date(2024, 4, 2))).exit_code == 0
    result = run(db_url, "repair", "letter", "INS-2024-0042", "--as-of", "2024-04-02")
    assert result.exit_code == 0, result.output
    letter = result.stdout
    for expected in (
        "# Herstelverzoek KIT-screening — Zorgfix B.V.",
        "Geachte heer, mevrouw,",
        "herstelronde 1 van de 3",
        "16 april 2024 (10 werkdagen na het herstelverzoek van 2 april 2024;",
        "Calamiteitenprotocol",
        "Geen meldprocedure richting IGJ beschreven",
        "Grondslag: Jeugdwet art. 4.1.8",
        "medewerker S03",
        "Met vriendelijke groet",
    ):
        assert expected in letter, expected
    # Each item is a list entry with its legal basis on the next line (not a written-out \n).
    assert "\\n" not in letter
    assert "Stuur een aangepaste versie.\n  *Grondslag: Jeugdwet art. 4.1.8" in letter
    staff = raw["submission"]["staff"]
    sensitive = {"mbo-3", "hbo", "wo-master", "100012345", "100067890"}
    sensitive |= {str(s["vog"]["issued_on"]) for s in staff}
    for value in sensitive:
        assert value not in letter, value


def test_a_repair_round_dated_before_its_request_is_refused(tmp_path, db_url):
    raw = load_raw()
    assert screen(db_url, write_round(tmp_path, raw, 0, date(2024, 4, 2))).exit_code == 0
    send_request(db_url, "INS-2024-0042", "2024-04-03")
    before = len(Store(db_url).screenings())
    early = screen(db_url, write_round(tmp_path, raw, 1, date(2024, 4, 2)))
    assert early.exit_code == 1
    assert "herstelronde 1 gedateerd op 2024-04-02, voor het herstelverzoek van 2024-04-03" in (
        early.stderr
    )
    assert len(Store(db_url).screenings()) == before
    # On the day of the request or after it, the round is screened.
    assert screen(db_url, write_round(tmp_path, raw, 1, date(2024, 4, 3))).exit_code == 0


def test_a_round_dated_before_what_it_already_stands_on_is_refused(tmp_path, db_url):
    """A case of round 0 dated before the round's latest screening (here a reviewer's judgement
    of 15 April) would become the latest screening and turn the review back: refused, with one
    Dutch line, and nothing stored. The next round, on its own request, is screened as usual (a
    later round dated before a recorded decision: tests/output/test_letters.py, the Bibob case)."""
    raw = load_raw()
    assert screen(db_url, write_round(tmp_path, raw, 0, date(2024, 4, 2))).exit_code == 0
    judged = run(
        db_url, "assess", "INS-2024-0042", "klachtenregeling", "--judgement", "voldoende",
        "--note", "Orde", "--by", "J. de Vries", "--datum", "2024-04-15",
    )  # fmt: skip
    assert judged.exit_code == 0, judged.output
    stored = len(Store(db_url).screenings())
    again = write_round(tmp_path, raw, 0, date(2024, 4, 3))
    refused = screen(db_url, again)
    assert refused.exit_code == 1
    assert refused.stderr.strip().endswith(
        "inschrijving INS-2024-0042: ronde 0 op 2024-04-03 ligt voor de laatste screening van "
        "die ronde (2024-04-15); een casus van een eerdere datum verandert niet wat nu staat "
        "(controleer submitted_on of --peildatum)"
    ), refused.stderr
    assert len(Store(db_url).screenings()) == stored
    send_request(db_url, "INS-2024-0042", "2024-04-15")
    assert screen(db_url, write_round(tmp_path, raw, 1, date(2024, 4, 22))).exit_code == 0
