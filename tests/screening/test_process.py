"""Issue 22, part P: repair requests as the legal acts they are (P1-P6, M3, M5). A deadline
runs from a request that was sent; a lot is afgewezen only when a request that named one of its
open herstel findings ran out without a round in time, or the last round leaves one open; a
re-screen opens a new review; an extra round opens a new request, also after closing."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import CASES, ROOT, load_raw, send_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import as_round, kit, kit_process, together, write

from kit.kinds.process import ProcessRule
from kit.kinds.rulesets import shipped_rulesets
from kit.screening.deadlines import deadline_of
from kit.screening.review import EXPIRED, Grant, Mark, Request, Review
from kit.screening.rounds import Ladder, judge
from kit.store import Store
from kit.timezone import today

ZORGFIX, VITAAL, OLDENZAAL = "INS-2024-0042", "INS-2024-0519", "INS-2024-0311"
JEUGD, WMO = "jeugd-ambulant-begeleiding", "wmo-dagbesteding"
REVIEWER = "J. de Vries"


def screen(db_url: str, path: Path) -> dict:
    result = kit(db_url, "screen", str(path), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def only_the_protocol(judged: bool = False) -> dict:
    """Zorgfix with nothing to repair but, once judged insufficient, its calamities protocol:
    S03 works in the Wmo lot only (its mbo-3 diploma suffices there)."""
    raw = load_raw()
    sub = raw["submission"]
    protocol = next(d for d in sub["documents"] if d["id"] == "D2")
    if not judged:
        for key in ("assessment", "assessment_note", "assessment_shared"):
            protocol.pop(key)
    next(s for s in sub["staff"] if s["id"] == "S03")["lots"] = [WMO]
    return raw


def status(db_url: str, day: str, submission: str = ZORGFIX) -> dict:
    """kit repair status --json on `day`: the lots' verdicts and reasons, and the requests."""
    result = kit(db_url, "repair", "status", submission, "--peildatum", day, "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    lots = {i["lot"]: i for i in items if i["soort"] == "perceel"}
    return {
        "verdicts": {lot: i["verdict"] for lot, i in lots.items()},
        "reasons": {lot: i["reason"] for lot, i in lots.items() if i["reason"]},
        "to_send": sum(i["to_send"] for i in lots.values()),
        "deadline": next(iter(lots.values()))["deadline"],
        "review": next(iter(lots.values()))["review"],
        "requests": [i for i in items if i["soort"] == "herstelverzoek"],
    }


def request(db_url: str, day: str, submission: str = ZORGFIX, *more: str, role: str = "reviewer"):
    """`kit repair request SUBMISSION --verzonden DAY --door REVIEWER MORE…`"""
    return kit(
        db_url,
        "repair",
        "request",
        submission,
        "--verzonden",
        day,
        "--door",
        REVIEWER,
        *more,
        role=role,
    )


def assess(db_url: str, requirement: str, judgement: str, day: str, submission: str = ZORGFIX):
    done = kit(
        db_url,
        "assess",
        submission,
        requirement,
        "--oordeel",
        judgement,
        "--toelichting",
        "Beoordeeld",
        "--door",
        REVIEWER,
        "--datum",
        day,
    )
    assert done.exit_code == 0, done.output
    return done


def stored_requests(db_url: str, submission: str = ZORGFIX) -> list:
    with Store(db_url, create=False) as store:
        return store.requests_of(store.submission(submission).pk)


# --- the calendar (P2) ----------------------------------------------------------------------------


def process_of(ruleset: str = "kit-2026") -> ProcessRule:
    return shipped_rulesets()[ruleset].process()


def test_5_may_is_no_working_day_in_any_year():
    """A request of 20 April 2026 runs until 6 May: 27 April (Koningsdag) and 5 May do not count
    (Algemene termijnenwet art. 3), though the calendar has 5 May only in lustrum years."""
    assert deadline_of(process_of(), date(2026, 4, 20)) == date(2026, 5, 6)
    without = process_of().model_copy(update={"extra_holidays": []})
    assert deadline_of(without, date(2026, 4, 20)) == date(2026, 5, 5)  # the calendar alone


def test_goede_vrijdag_is_no_working_day_whatever_the_calendar_says(monkeypatch):
    """Goede Vrijdag (3 April 2026) comes from the rule set's data (P2), not from the version of
    the `holidays` package: a calendar without it still skips it."""
    import kit.screening.deadlines as rounds

    original = rounds._public_holidays
    good_friday = date(2026, 4, 3)

    def without_good_friday(country: str, year: int) -> frozenset[date]:
        return original(country, year) - {good_friday}

    for cache in (rounds._days_off, rounds._add_working_days):
        cache.cache_clear()
    monkeypatch.setattr(rounds, "_public_holidays", without_good_friday)
    try:
        # 27 March + 10 working days: not 3 April (Goede Vrijdag) nor 6 April (Easter Monday).
        assert deadline_of(process_of(), date(2026, 3, 27)) == date(2026, 4, 14)
        without = process_of().model_copy(update={"extra_holidays": []})
        assert deadline_of(without, date(2026, 3, 27)) == date(2026, 4, 13)
    finally:
        for cache in (rounds._days_off, rounds._add_working_days):
            cache.cache_clear()
    from typer.testing import CliRunner

    from kit.cli import app

    shown = " ".join(CliRunner().invoke(app, ["rules", "show", "kit-2026"]).stdout.split())
    assert "Goede Vrijdag" in shown and "Bevrijdingsdag" in shown and "P6" in shown


def test_the_days_the_law_adds_are_checked_rule_data(tmp_path):
    from kit.errors import KitError
    from kit.kinds.rulesets import load_ruleset

    rules = tmp_path / "rules"
    import shutil

    shutil.copytree(ROOT / "rules", rules)
    path = rules / "kit-2025" / "80-proces.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("easter_offset: -2", "month: 2, day: 30"),
        encoding="utf-8",
    )
    with pytest.raises(KitError, match="extra_holidays"):
        load_ruleset("kit-2025", rules)


# --- P2, P3: a deadline runs from a request that was sent --------------------------------------


def test_a_judgement_after_the_window_leads_to_a_request_not_a_rejection(tmp_path, db_url):
    """Round 0 on 2 April 2024 with the protocol unjudged; judged insufficient on 25 April, weeks
    after 16 April: the lot needs repair, a request is to be sent, and its deadline runs from
    the day it is sent (26 April: 13 May; 5 May is a Sunday, 9 May Hemelvaart)."""
    screen(db_url, write(tmp_path, "ronde-0.yaml", only_the_protocol()))
    assess(db_url, "calamiteitenprotocol", "onvoldoende", "2024-04-25")
    for day in ("2024-04-25", "2024-09-27"):
        now = status(db_url, day)
        assert now["verdicts"] == {JEUGD: "herstel-nodig", WMO: "herstel-nodig"}
        assert now["to_send"] == 2 and now["requests"] == [] and now["deadline"] is None
    waiting = [
        i
        for i in json.loads(
            kit(db_url, "werkvoorraad", "--peildatum", "2024-04-26", "--json").stdout
        )
        if i["soort"] == "verzoek"
    ]
    assert [(i["submission_id"], i["waiting_since"], i["round"]) for i in waiting] == [
        (ZORGFIX, "2024-04-25", 1)
    ]
    sent = request(db_url, "2024-04-26")
    assert sent.exit_code == 0 and "uiterste datum 2024-05-13" in sent.output, sent.output
    assert "13 mei 2024 (10 werkdagen na het herstelverzoek van 26 april 2024" in sent.stdout
    listed = json.loads(kit(db_url, "report", "--peildatum", "2024-05-01", "--json").stdout)
    assert {r["lot"]: r["repair_deadline"] for r in listed} == {
        JEUGD: "2024-05-13",
        WMO: "2024-05-13",
    }
    # Round 1 in time: a new protocol, judged sufficient: both lots admitted.
    raw = only_the_protocol()
    raw["submission"]["documents"].append(
        {"id": "D30", "type": "calamiteitenprotocol", "issued_on": "2024-05-08"}
    )
    screen(db_url, write(tmp_path, "ronde-1.yaml", as_round(raw, 1, "2024-05-10")))
    assess(db_url, "calamiteitenprotocol", "voldoende", "2024-05-14")
    after = status(db_url, "2024-09-27")
    assert after["verdicts"] == {JEUGD: "toegelaten", WMO: "toegelaten"}
    assert [r["status"] for r in after["requests"]] == ["beantwoord"]


def test_a_late_first_screening_gets_a_deadline_of_its_own(db_url):
    """Screened (for 2 April) and looked at in June: nothing was asked yet, so nothing is
    afgewezen; the request of 3 June runs until 17 June."""
    screen(db_url, CASES / "zorgfix-bv.yaml")
    assert set(status(db_url, "2024-06-03")["verdicts"].values()) == {"herstel-nodig"}
    assert request(db_url, "2024-06-03").exit_code == 0
    during = status(db_url, "2024-06-10")
    assert set(during["verdicts"].values()) == {"herstel-nodig"}
    assert during["deadline"] == "2024-06-17"
    after = status(db_url, "2024-06-18")
    assert set(after["verdicts"].values()) == {"afgewezen"}
    assert set(after["reasons"].values()) == {
        "de hersteltermijn van het herstelverzoek van 3 juni 2024 verstreek op 17 juni 2024"
    }


def test_a_round_needs_a_request_of_its_review_before_it_and_in_time(tmp_path, db_url):
    raw = load_raw()
    screen(db_url, CASES / "zorgfix-bv.yaml")
    before = len(Store(db_url).screenings())

    def round_on(round_no: int, day: str):
        path = write(tmp_path, f"r{round_no}-{day}.yaml", as_round(raw, round_no, day))
        return kit(db_url, "screen", str(path))

    none = round_on(1, "2024-04-04")
    assert none.exit_code == 1 and "voor herstelronde 1 is geen herstelverzoek verstuurd" in (
        none.stderr
    )
    assert request(db_url, "2024-04-05").exit_code == 0  # until 19 April
    early = round_on(1, "2024-04-04")
    assert early.exit_code == 1 and "voor het herstelverzoek van 2024-04-05" in early.stderr
    late = round_on(1, "2024-04-22")
    assert (
        late.exit_code == 1 and "te laat ingediend" in late.stderr and "2024-04-19" in (late.stderr)
    )
    skipped = round_on(2, "2024-04-10")
    assert skipped.exit_code == 1 and "kan niet" in skipped.stderr
    assert len(Store(db_url).screenings()) == before
    assert round_on(1, "2024-04-19").exit_code == 0
    # A corrected version of round 1 after its deadline cannot change a verdict either.
    again = copy.deepcopy(raw)
    again["submission"]["documents"].append(
        {"id": "D31", "type": "privacyreglement", "issued_on": "2024-04-20"}
    )
    corrected = kit(
        db_url, "screen", str(write(tmp_path, "r1b.yaml", as_round(again, 1, "2024-04-23")))
    )
    assert corrected.exit_code == 1 and "te laat ingediend" in corrected.stderr


def test_a_request_that_cannot_be_sent_is_refused_and_nothing_is_stored(tmp_path, db_url):
    screen(db_url, write(tmp_path, "ronde-0.yaml", only_the_protocol()))
    for path in (
        CASES / "zorggroep-vitaal-uitsluiting-fraude.yaml",
        CASES / "thuisbegeleiding-oldenzaal-kleine-bv.yaml",
    ):
        screen(db_url, path)
    refusals = {
        "nothing open": (request(db_url, "2024-04-10"), "er staat niets open om te herstellen"),
        "admitted": (request(db_url, "2024-05-01", OLDENZAAL), "niets open om te herstellen"),
        "excluded": (request(db_url, "2024-07-01", VITAAL), "is uitgesloten"),
    }
    assess(db_url, "calamiteitenprotocol", "onvoldoende", "2024-04-25")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refusals |= {
        "before its judgement": (
            request(db_url, "2024-04-24"),
            "ligt voor de screening of het oordeel waarvan het de bevindingen noemt",
        ),
        "in the future": (request(db_url, tomorrow), "ligt in de toekomst"),
    }
    for role in ("toezicht", "inkoop", "bibob"):
        refusals[role] = (request(db_url, "2024-04-26", role=role), "voorbehouden aan de rol")
    word = request(db_url, "2024-04-26", ZORGFIX, "--formaat", "docx")
    assert word.exit_code == 2 and "--uitvoer" in word.stderr
    for name, (result, expected) in refusals.items():
        assert result.exit_code == 1 and expected in result.stderr, (name, result.output)
        assert result.stderr.count("\n") == 1, name
    assert stored_requests(db_url) == []
    assert request(db_url, "2024-04-26").exit_code == 0
    running = request(db_url, "2024-04-29")
    assert running.exit_code == 1 and "loopt nog, tot en met 13 mei 2024" in running.stderr
    assert len(stored_requests(db_url)) == 1
    [audit] = [e for e in Store(db_url).audit_events() if e.action == "herstelverzoek"]
    assert json.loads(audit.detail)["deadline"] == "2024-05-13"


def test_the_request_names_what_it_asks_and_keeps_the_letter_as_sent(tmp_path, db_url):
    screen(db_url, CASES / "zorgfix-bv.yaml")
    out = tmp_path / "herstelverzoek.docx"
    done = request(db_url, "2024-04-03", ZORGFIX, "--formaat", "docx", "--uitvoer", str(out))
    assert done.exit_code == 0, done.output
    [row] = stored_requests(db_url)
    import hashlib

    assert (
        out.read_bytes()[:2] == b"PK"
        and row.letter_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    )
    assert "17 april 2024" in row.letter_md and "herstelronde 1 van de 3" in row.letter_md
    named = {key[0] for key in json.loads(row.named_json)}
    assert named == {"Q1-calamiteitenprotocol", "S4-diplomaniveau"}
    assert (row.round, row.review, row.sent_by, row.derived) == (1, 0, REVIEWER, False)
    assert not list(tmp_path.glob(".kit-*"))  # the temporary file became the letter
    # A refused request writes no file.
    refused = tmp_path / "tweede.md"
    again = request(db_url, "2024-04-04", ZORGFIX, "--uitvoer", str(refused))
    assert again.exit_code == 1 and not refused.exists() and not list(tmp_path.glob(".kit-*"))


def admitted_in_2024(tmp_path: Path, db_url: str, asked: str | None = None) -> None:
    """Zorgfix admitted in round 0: a new protocol sent in (stukken), then judged sufficient;
    `asked`: after a repair request sent on that day."""
    screen(db_url, write(tmp_path, "ronde-0.yaml", only_the_protocol(judged=True)))
    if asked is not None:
        send_request(db_url, ZORGFIX, asked)
    protocol = write(
        tmp_path,
        "protocol.yaml",
        {"documents": [{"id": "D40", "type": "calamiteitenprotocol", "issued_on": "2024-04-05"}]},
    )
    added = kit(db_url, "documents", "add", ZORGFIX, str(protocol), "--ontvangen", "2024-04-08")
    assert added.exit_code == 0, added.output
    assess(db_url, "calamiteitenprotocol", "voldoende", "2024-04-10")
    assert set(status(db_url, "2024-04-10")["verdicts"].values()) == {"toegelaten"}


# --- P6: measured on the day it arrives; a deadline's rejection sticks ---------------------------


def test_stukken_and_judgements_after_the_deadline_change_nothing(tmp_path, db_url):
    screen(db_url, CASES / "zorgfix-bv.yaml")
    send_request(db_url, ZORGFIX, "2024-04-02")  # until 16 April, unanswered
    protocol = write(
        tmp_path,
        "protocol.yaml",
        {"documents": [{"id": "D77", "type": "calamiteitenprotocol", "issued_on": "2024-04-14"}]},
    )
    late = kit(db_url, "documents", "add", ZORGFIX, str(protocol), "--ontvangen", "2024-04-20")
    assert late.exit_code == 1 and "afgewezen" in late.stderr
    # A judgement recorded after the deadline is recorded, and changes nothing of it.
    assess(db_url, "calamiteitenprotocol", "voldoende", "2024-04-20")
    for day in ("2024-04-20", "2025-01-02"):
        assert status(db_url, day)["verdicts"] == {JEUGD: "afgewezen", WMO: "afgewezen"}
    # The same judgement before the deadline would have admitted the Wmo lot.
    other = f"sqlite:///{tmp_path / 'op-tijd.db'}"
    screen(other, CASES / "zorgfix-bv.yaml")
    send_request(other, ZORGFIX, "2024-04-02")
    assess(other, "calamiteitenprotocol", "voldoende", "2024-04-15")
    assert status(other, "2024-04-20")["verdicts"] == {JEUGD: "afgewezen", WMO: "toegelaten"}


def test_stukken_that_open_a_new_repair_finding_on_an_admitted_lot_ask_for_repair(tmp_path, db_url):
    """After the deadline, a new staff member with a VOG too old for the Wmo lot (S6) is a
    finding no request named: the admitted lot needs repair again, it is not afgewezen."""
    admitted_in_2024(tmp_path, db_url, asked="2024-04-02")  # the request ran until 16 April
    assert set(status(db_url, "2024-04-20")["verdicts"].values()) == {"toegelaten"}
    member = {
        "id": "S09",
        "function": "begeleider",
        "employment": "loondienst",
        "lots": [WMO],
        "start_date": "2024-04-15",
        "diplomas": [{"level": "mbo-3", "field": "overig", "document": "D91"}],
        "vog": {"issued_on": "2023-01-02", "document": "D92"},
        "documents": [
            {"id": "D91", "type": "diploma", "issued_on": "2020-06-30"},
            {"id": "D92", "type": "vog", "issued_on": "2023-01-02"},
        ],
    }
    staff = write(tmp_path, "medewerker.yaml", {"staff": [member]})
    added = kit(db_url, "documents", "add", ZORGFIX, str(staff), "--ontvangen", "2024-04-22")
    assert added.exit_code == 0, added.output
    now = status(db_url, "2024-04-22")
    assert now["verdicts"] == {JEUGD: "toegelaten", WMO: "herstel-nodig"}
    assert now["to_send"] == 1 and not now["reasons"]


# --- P4: an extra round, also after closing ------------------------------------------------------


def test_an_extra_round_granted_after_closing_opens_a_new_request_and_is_used(tmp_path, db_url):
    start = today() - timedelta(days=120)
    raw = as_round(load_raw(), 0, start.isoformat())
    screen(db_url, write(tmp_path, "ronde-0.yaml", raw))
    send_request(db_url, ZORGFIX, start.isoformat())
    now = today().isoformat()
    closed = status(db_url, now)
    assert set(closed["verdicts"].values()) == {"afgewezen"}
    round_1 = write(tmp_path, "ronde-1.yaml", as_round(raw, 1, now))
    assert kit(db_url, "screen", str(round_1)).exit_code == 1  # too late
    granted = kit(
        db_url,
        "repair",
        "grant-extra",
        ZORGFIX,
        "--reden",
        "Gegronde reden",
        "--door",
        "P. Jansen",
        role="inkoop",
    )
    assert granted.exit_code == 0, granted.output
    reopened = status(db_url, now)
    assert set(reopened["verdicts"].values()) == {"herstel-nodig"} and reopened["to_send"] > 0
    preview = kit(db_url, "repair", "letter", ZORGFIX, "--peildatum", now)
    assert "herstelronde 1 van de 1" in preview.stdout, preview.output
    assert request(db_url, now).exit_code == 0
    [first, second] = stored_requests(db_url)
    [grant] = Store(db_url).extra_rounds(Store(db_url).submission(ZORGFIX).pk)
    assert (second.round, second.extra_round_pk, first.extra_round_pk) == (1, grant.id, None)
    assert second.deadline == deadline_of(process_of(), today())
    assert kit(db_url, "screen", str(round_1)).exit_code == 0
    used = status(db_url, now)
    assert [r["status"] for r in used["requests"]] == [EXPIRED, "beantwoord"]
    # P4 grants one extra round, not the rule set's three again: the reopened round was the
    # last, and what it leaves open (here everything, the same case again) is afgewezen.
    assert set(used["verdicts"].values()) == {"afgewezen"}
    assert set(used["reasons"].values()) == {"de laatste herstelronde (1 van 1) laat dit open"}
    again = request(db_url, now)
    assert again.exit_code == 1 and "alle 1 herstelronde(s) zijn gebruikt" in again.stderr


def test_a_grant_after_a_later_request_ran_out_gives_one_round_more(tmp_path, db_url):
    """Round 1 came in time; the request for round 2 ran out and closed the review (P3). The
    grant reopens round 2 as the last one: the letter says so, and offers no rounds after it."""
    raw = as_round(load_raw(), 0, "2024-04-02")
    screen(db_url, write(tmp_path, "ronde-0.yaml", raw))
    assert request(db_url, "2024-04-03").exit_code == 0
    screen(db_url, write(tmp_path, "ronde-1.yaml", as_round(raw, 1, "2024-04-10")))
    assert request(db_url, "2024-04-11").exit_code == 0  # runs until 25 April
    closed = status(db_url, "2024-05-01")
    assert set(closed["verdicts"].values()) == {"afgewezen"}
    granted = kit(
        db_url, "repair", "grant-extra", ZORGFIX, "--reden", "Ziekte", "--door", "P.", role="inkoop"
    )
    assert granted.exit_code == 0, granted.output
    day = today().isoformat()
    letter = kit(db_url, "repair", "letter", ZORGFIX, "--peildatum", day)
    assert letter.exit_code == 0, letter.output
    assert "herstelronde 2 van de 2" in letter.stdout, letter.stdout
    shown = kit(db_url, "repair", "status", ZORGFIX, "--peildatum", day)
    assert "1 van 2 herstelronde(s) benut (waarvan 1 extra toegekend)" in " ".join(
        shown.stdout.split()
    ), shown.stdout


def test_a_grant_with_nothing_to_repair_is_refused(db_url):
    screen(db_url, CASES / "thuisbegeleiding-oldenzaal-kleine-bv.yaml")
    refused = kit(
        db_url, "repair", "grant-extra", OLDENZAAL, "--reden", "x", "--door", "P.", role="inkoop"
    )
    assert refused.exit_code == 1 and "niets open om te herstellen" in refused.stderr
    assert Store(db_url).extra_rounds(Store(db_url).submission(OLDENZAAL).pk) == []
    assert not [e for e in Store(db_url).audit_events() if e.action == "extra-herstelronde"]


# --- M5: a re-screen opens a new review ----------------------------------------------------------


def test_a_2026_rescreen_asks_its_new_findings_in_a_new_request(tmp_path, db_url):
    admitted_in_2024(tmp_path, db_url)
    done = kit(db_url, "rescreen", "12345678", "--peildatum", "2026-03-02", role="inkoop")
    assert done.exit_code == 0, done.output
    latest = Store(db_url).screenings()[-1]
    assert (latest.review, latest.round, latest.known_on) == (1, 0, date(2026, 3, 2))
    found = status(db_url, "2026-03-02")
    assert found["review"] == 1 and found["requests"] == []
    assert set(found["verdicts"].values()) == {"herstel-nodig"} and found["to_send"] > 0
    assert request(db_url, "2026-03-03").exit_code == 0
    asked = status(db_url, "2026-03-10")
    assert asked["deadline"] == "2026-03-17" and set(asked["verdicts"].values()) == {
        "herstel-nodig"
    }
    [new] = stored_requests(db_url)
    assert (new.review, new.round) == (1, 1)


def test_a_rescreen_after_every_2024_round_was_used_starts_with_rounds_of_its_own(tmp_path, db_url):
    raw = load_raw()
    screen(db_url, write(tmp_path, "ronde-0.yaml", as_round(raw, 0, "2024-04-02")))
    for round_no, day in ((1, "2024-04-08"), (2, "2024-04-15"), (3, "2024-04-22")):
        previous = (date.fromisoformat(day) - timedelta(days=3)).isoformat()
        send_request(db_url, ZORGFIX, previous)
        screen(db_url, write(tmp_path, f"ronde-{round_no}.yaml", as_round(raw, round_no, day)))
    assert status(db_url, "2024-05-01")["verdicts"] == {JEUGD: "afgewezen", WMO: "afgewezen"}
    assert status(db_url, "2024-05-01")["reasons"][JEUGD] == (
        "de laatste herstelronde (3 van 3) laat dit open"
    )
    done = kit(db_url, "rescreen", "12345678", "--peildatum", "2026-03-02", role="inkoop")
    assert done.exit_code == 0, done.output
    again = status(db_url, "2026-03-02")
    assert set(again["verdicts"].values()) == {"herstel-nodig"} and again["requests"] == []
    assert request(db_url, "2026-03-02").exit_code == 0
    assert [(r.review, r.round) for r in stored_requests(db_url)][-1] == (1, 1)


def test_a_board_change_without_the_new_boards_declaration_asks_for_it(tmp_path, db_url):
    """M3: the new board answers the self-declaration itself; a board file without one leaves
    every ground unanswered (herstel on E6), in a new review."""
    screen(db_url, CASES / "zorgfix-bv.yaml")
    board = yaml.safe_load((ROOT / "examples" / "nieuw-bestuur.yaml").read_text())
    without = {k: v for k, v in board.items() if k != "declarations"}
    results = {}
    for name, data in (("met", board), ("zonder", without)):
        path = write(tmp_path, f"bestuur-{name}.yaml", data)
        done = kit(
            db_url,
            "rescreen",
            "12345678",
            "--reden",
            "bestuurswisseling",
            "--bestuur",
            str(path),
            "--peildatum",
            "2024-06-10",
            "--json",
        )
        assert done.exit_code == 0, done.output
        [results[name]] = json.loads(done.stdout)

    def unanswered(result: dict) -> list[dict]:
        return [
            f
            for f in result["findings"]
            if f["rule"] == "E6-eigen-verklaring" and f["status"] != "voldaan"
        ]

    assert unanswered(results["met"]) == []
    missing = unanswered(results["zonder"])
    assert len(missing) == 11 and {f["outcome"] for f in missing} == {"herstel"}
    assert set(results["zonder"]["lots"].values()) == {"herstel-nodig"}
    with Store(db_url) as store:
        assert [s.review for s in store.screenings()] == [0, 1, 2]


# --- two reviewers at once ----------------------------------------------------------------------


def test_two_requests_sent_at_once_are_recorded_once(any_db, tmp_path):
    assert kit_process(any_db, "screen", str(CASES / "zorgfix-bv.yaml")).returncode == 0
    letters = [tmp_path / "a.md", tmp_path / "b.md"]
    results = together(
        any_db,
        *(
            [
                "repair",
                "request",
                ZORGFIX,
                "--verzonden",
                "2024-04-03",
                "--door",
                f"R{i}",
                "--uitvoer",
                str(path),
            ]
            for i, path in enumerate(letters)
        ),
    )
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], results
    [refusal] = [err for code, _, err in results if code]
    assert "loopt nog" in refusal and refusal.count("\n") == 1
    assert sum(path.exists() for path in letters) == 1
    assert len(stored_requests(any_db)) == 1


# --- the core, as a property --------------------------------------------------------------------

LOTS = ("a", "b", "c")
KEYS = ("k1", "k2", "k3", "k4")
DAY0 = date(2024, 4, 1)


@st.composite
def reviews(draw: st.DrawFn) -> tuple[Review, dict[int, dict[str, frozenset[str]]], dict, date]:
    process = shipped_rulesets()["kit-2025"].process()
    count = draw(st.integers(1, 7))
    marks, repairs, day, round_no = [], {}, DAY0, 0
    for pk in range(1, count + 1):
        day += timedelta(days=draw(st.integers(0, 12)))
        round_no = min(round_no + draw(st.integers(0, 1)), process.max_rounds + 1)
        marks.append(Mark(pk, round_no, day))
        repairs[pk] = {
            lot: frozenset(draw(st.sets(st.sampled_from(KEYS), max_size=3))) for lot in LOTS
        }
    requests = []
    for pk in range(1, draw(st.integers(0, 4)) + 1):
        sent = DAY0 + timedelta(days=draw(st.integers(0, 80)))
        named = frozenset(draw(st.sets(st.sampled_from(KEYS), min_size=1, max_size=3)))
        requests.append(
            Request(pk, draw(st.integers(1, 4)), sent, deadline_of(process, sent), named)
        )
    grants = [
        Grant(pk, DAY0 + timedelta(days=draw(st.integers(0, 120))))
        for pk in range(1, draw(st.integers(0, 1)) + 1)
    ]
    review = Review("INS-X", 0, tuple(marks), tuple(requests), tuple(grants), process)
    latest = repairs[marks[-1].pk]
    verdicts = {
        lot: draw(st.sampled_from(["uitgesloten", "ingetrokken", "herstel-nodig"]))
        if latest[lot]
        else draw(st.sampled_from(["toegelaten", "in-beoordeling", "ingetrokken"]))
        for lot in LOTS
    }
    as_of = DAY0 + timedelta(days=draw(st.integers(0, 150)))
    return review, repairs, verdicts, as_of


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reviews())
def test_no_lot_is_afgewezen_unless_a_request_named_its_finding_and_ran_out(drawn):
    review, repairs, verdicts, as_of = drawn
    ladder = Ladder.of(shipped_rulesets()["kit-2025"].verdict())
    rounds = judge(review, as_of, ladder, verdicts, repairs.__getitem__)
    latest = repairs[review.marks[-1].pk]
    sent = [r for r in review.requests if r.sent_on <= as_of]
    last_round = review.used >= review.allowed(as_of)
    for lot, verdict in rounds.verdicts.items():
        if verdict != "afgewezen":
            continue
        assert verdicts[lot] not in ladder.higher and verdicts[lot] != ladder.withdrawn
        assert any(
            (
                as_of > r.deadline
                and not review.answered(r)
                and r.named & repairs[review.state_at(r.deadline).pk][lot]
            )
            or (last_round and r.named & latest[lot])
            for r in sent
        ), (lot, rounds)
    if not sent:
        assert "afgewezen" not in rounds.verdicts.values()
    # What is to be sent is open in the latest screening, asked by no running request.
    running = frozenset().union(*(r.named for r in rounds.running()))
    for lot, keys in rounds.to_send.items():
        assert keys <= latest[lot] and not keys & running
        assert rounds.verdicts[lot] == "herstel-nodig"
