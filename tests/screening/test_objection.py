"""Issue 10: decisions that hold up under objection. Each test follows a reviewer, toezicht or a
Bibob official through the command line and checks the decision a provider would object to."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import CASES, load_raw, record_request, send_request
from support import bibob, kit
from typer.testing import CliRunner

from kit.screening.deadlines import add_working_days
from kit.store import Store

VITAAL, MOLEN, ZORGFIX = "INS-2024-0519", "INS-2024-0677", "INS-2024-0042"


def write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def screen(db_url: str, path: Path, role: str = "reviewer") -> dict:
    result = kit(db_url, "screen", str(path), "--json", role=role)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def next_round(raw: dict, round_no: int, submitted: date) -> dict:
    data = copy.deepcopy(raw)
    data["submission"].update(round=round_no, submitted_on=submitted)
    return data


def fraud_declaration(sub: dict) -> dict:
    return next(d for d in sub["declarations"] if d["ground"] == "fraude")


# --- 1. An exclusion is never repaired away (E7) ---------------------------------------------


def test_an_exclusion_sticks_in_later_rounds_and_a_changed_answer_is_judged(tmp_path, db_url):
    raw = load_raw(CASES / "zorggroep-vitaal-uitsluiting-fraude.yaml")
    first = screen(db_url, CASES / "zorggroep-vitaal-uitsluiting-fraude.yaml", role="toezicht")
    assert set(first["lots"].values()) == {"uitgesloten"}
    record_request(db_url, VITAAL, 1, "2024-06-03")  # the rounds answer requests (P1)
    # Round 1: the provider now answers `fraude: false` for board member B2.
    changed = next_round(raw, 1, date(2024, 6, 10))
    fraud_declaration(changed["submission"]).update(answer=False)
    fraud_declaration(changed["submission"]).pop("event_date")
    fraud_declaration(changed["submission"]).pop("sanction")
    again = screen(db_url, write(tmp_path, "ronde-1.yaml", changed), role="toezicht")
    assert set(again["lots"].values()) == {"uitgesloten"}
    # The ground is no longer declared: the carried exclusion is the one finding that keeps it.
    carried = [f for f in again["findings"] if f["outcome"] == "uitsluiting"]
    assert [
        (f["rule"], f["requirement"], f["subject"], f["status"], f["evidence"]) for f in carried
    ] == [("E7-uitsluiting-blijft", "fraude", "board:B2", "niet-voldaan", [first["screening_id"]])]
    assert first["screening_id"] in carried[0]["message"]
    # The change itself is put to a judgement under its ground, naming the earlier screening
    # and both answers.
    [change] = [
        f
        for f in again["findings"]
        if f["rule"] == "E7-uitsluiting-blijft"
        and f["requirement"] == "fraude"
        and f["outcome"] == "beoordeling"
    ]
    assert (change["subject"], change["status"], change["outcome"]) == (
        "board:B2",
        "onbepaald",
        "beoordeling",
    )
    assert first["screening_id"] in change["message"] and "toen ja" in change["message"]
    assert "nu nee" in change["message"] and change["evidence"] == [first["screening_id"]]
    # kit repair diff does not call the exclusion resolved: it moved to the history rule.
    diff = kit(db_url, "repair", "diff", VITAAL, "--json")
    assert diff.exit_code == 0
    marks = [item["wat"] for item in json.loads(diff.stdout)]
    assert "opgelost" not in marks and marks.count("gewijzigd") == 1
    # Round 2, again unchanged from round 1: still excluded, evidence still the first screening.
    record_request(db_url, VITAAL, 2, "2024-06-10")
    third = screen(
        db_url, write(tmp_path, "ronde-2.yaml", next_round(changed, 2, date(2024, 6, 17)))
    )
    assert set(third["lots"].values()) == {"uitgesloten"}
    [still] = [f for f in third["findings"] if f["outcome"] == "uitsluiting"]
    assert (still["rule"], still["evidence"]) == ("E7-uitsluiting-blijft", [first["screening_id"]])


def test_toezicht_judges_a_changed_answer(tmp_path, db_url):
    raw = load_raw(CASES / "zorgpunt-haaksbergen-strafbeschikking.yaml")
    screen(db_url, CASES / "zorgpunt-haaksbergen-strafbeschikking.yaml")
    sub_id = raw["submission"]["id"]
    record_request(db_url, sub_id, 1, raw["submission"]["submitted_on"].isoformat())
    changed = next_round(raw, 1, raw["submission"]["submitted_on"])
    # Round 1 now declares an old bribery case, long outside the lookback: not an exclusion, but
    # the answer changed, which toezicht must see.
    decl = next(d for d in changed["submission"]["declarations"] if d["ground"] == "omkoping")
    assert decl["answer"] is False
    decl.update(answer=True, event_date=date(2010, 3, 1))
    result = screen(db_url, write(tmp_path, "ronde-1.yaml", changed))
    assert set(result["lots"].values()) == {"in-beoordeling"}
    ground = decl["ground"]
    args = (
        "assess",
        sub_id,
        ground,
        "--wijziging",
        "--judgement",
        "voldoende",
        "--note",
        "Toegelicht met vonnis",
        "--by",
        "T. Toezicht",
    )
    refused = kit(db_url, *args)  # a reviewer may not: the declaration is sensitive
    assert refused.exit_code == 1 and "voorbehouden aan de rol toezicht" in refused.stderr
    assert len(Store(db_url).screenings()) == 2
    accepted = kit(db_url, *args, role="toezicht")
    assert accepted.exit_code == 0, accepted.output
    latest = Store(db_url).screenings()[-1]
    findings = Store(db_url).findings(latest.id)
    [change] = [f for f in findings if f.rule == "E7-uitsluiting-blijft" and f.item == ground]
    assert (change.status, change.outcome) == ("voldaan", None)
    # Nothing to judge where nothing changed.
    nothing = kit(
        db_url,
        "assess",
        sub_id,
        "fraude",
        "--wijziging",
        "--judgement",
        "voldoende",
        "--note",
        "x",
        "--by",
        "T",
        role="toezicht",
    )
    assert nothing.exit_code == 1 and "geen gewijzigde eigen verklaring" in nothing.stderr


def test_self_cleaning_is_judged_by_toezicht_and_its_rejection_sticks_until_accepted(db_url):
    screen(db_url, CASES / "dagbesteding-de-molen-zelfreiniging.yaml")
    base = (
        "assess",
        MOLEN,
        "faillissement",
        "--zelfreiniging",
        "--note",
        "Maatregelen beoordeeld",
        "--by",
        "T",
    )
    refused = kit(db_url, *base, "--judgement", "onvoldoende")
    assert refused.exit_code == 1 and "toezicht" in refused.stderr
    rejected = kit(db_url, *base, "--judgement", "onvoldoende", role="toezicht")
    assert rejected.exit_code == 0 and "uitgesloten" in rejected.stdout, rejected.output
    store = Store(db_url)
    rejected_code = store.screenings()[-1].code
    # A later content judgement re-screens: the exclusion stands (carried from that screening).
    judged = kit(
        db_url,
        "assess",
        MOLEN,
        "calamiteitenprotocol",
        "--judgement",
        "voldoende",
        "--note",
        "ok",
        "--by",
        "R",
    )
    assert judged.exit_code == 0 and "wmo-dagbesteding: uitgesloten" in judged.stdout, judged.output
    # One exclusion, one finding: the ground's own, with the screening that found it first as
    # its evidence.
    carried = [f for f in store.findings(store.screenings()[-1].id) if f.outcome == "uitsluiting"]
    assert [(f.rule, f.requirement, f.status, json.loads(f.evidence)) for f in carried] == [
        ("E3-facultatieve-uitsluitingsgronden", "faillissement", "niet-voldaan", [rejected_code])
    ]
    # Toezicht accepts the self-cleaning after all: the decision lifts the exclusion.
    accepted = kit(db_url, *base, "--judgement", "voldoende", role="toezicht")
    assert accepted.exit_code == 0 and "wmo-dagbesteding: toegelaten" in accepted.stdout, (
        accepted.output
    )
    lifted = [
        f for f in store.findings(store.screenings()[-1].id) if f.rule == "E7-uitsluiting-blijft"
    ]
    assert [(f.status, "opgeheven" in f.message) for f in lifted] == [("voldaan", True)]


# --- 2. Repair deadlines count public holidays and closing days (P2) -------------------------


@pytest.mark.parametrize(
    "requested, deadline",
    [
        (date(2024, 5, 6), date(2024, 5, 22)),  # Ascension Day 9 May, Whit Monday 20 May
        (date(2024, 12, 20), date(2025, 1, 8)),  # Christmas, Boxing Day, New Year's Day
        (date(2024, 4, 2), date(2024, 4, 16)),  # no holiday in between
        (date(2024, 4, 5), date(2024, 4, 19)),  # a Friday
    ],
)
def test_ten_working_days_skip_weekends_and_dutch_public_holidays(requested, deadline):
    assert add_working_days(requested, 10) == deadline


def test_closing_days_come_from_the_rule_set(tmp_path, monkeypatch):
    import shutil

    from kit.kinds.rulesets import load_ruleset

    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rules", rules)
    process = rules / "kit-2025" / "80-proces.yaml"
    process.write_text(
        process.read_text(encoding="utf-8").replace(
            "closing_days: []", "closing_days: [2024-12-27, 2024-12-30, 2024-12-31]"
        ),
        encoding="utf-8",
    )
    rule = load_ruleset("kit-2025", rules).process()
    assert add_working_days(date(2024, 12, 20), 10, rule.holidays, rule.closing_days) == date(
        2025, 1, 13
    )


def test_a_round_handed_in_within_the_holiday_deadline_is_accepted(tmp_path, db_url):
    raw = load_raw()
    round0 = next_round(raw, 0, date(2024, 5, 6))
    first = screen(db_url, write(tmp_path, "ronde-0.yaml", round0))
    assert "herstel-nodig" in first["lots"].values()
    letter = kit(db_url, "repair", "letter", ZORGFIX, "--as-of", "2024-05-06")
    assert letter.exit_code == 0 and "22 mei 2024" in letter.stdout, letter.output
    send_request(db_url, ZORGFIX, "2024-05-06")
    status = kit(db_url, "repair", "status", ZORGFIX, "--as-of", "2024-05-10")
    assert "tot en met 2024-05-22" in status.stdout, status.stdout
    # Handed in on 21 May (a weekday-only count would have closed the rounds on 20 May).
    second = screen(db_url, write(tmp_path, "ronde-1.yaml", next_round(raw, 1, date(2024, 5, 21))))
    assert "afgewezen" not in second["lots"].values()
    # The next request, sent the day round 1 came in, runs from that day: 4 June.
    send_request(db_url, ZORGFIX, "2024-05-21")
    late = kit(
        db_url, "screen", str(write(tmp_path, "ronde-2.yaml", next_round(raw, 2, date(2024, 6, 6))))
    )
    assert late.exit_code == 1 and "te laat" in late.stderr and "2024-06-04" in late.stderr, (
        late.output
    )


# --- 3. Bibob officials record the outcome -----------------------------------------------------


def test_bibob_records_the_outcome_and_only_bibob_and_toezicht_read_it(db_url):
    screen(db_url, CASES / "wijkzorg-hof-van-twente-bibob-lopend.yaml")
    store = Store(db_url)
    for role in ("reviewer", "toezicht", "inkoop"):
        refused = bibob(db_url, "ernstig-gevaar", role=role)
        assert refused.exit_code == 1 and "voorbehouden aan de rol bibob" in refused.stderr
    assert len(store.screenings()) == 1 and store.decisions(1) == []
    recorded = bibob(db_url, "ernstig-gevaar")
    assert recorded.exit_code == 0 and "uitgesloten" in recorded.stdout, recorded.output
    [decision] = store.decisions(1)
    assert (decision.kind, decision.judgement, decision.decided_by, decision.role) == (
        "bibob",
        "ernstig-gevaar",
        "B. Bibob",
        "bibob",
    )
    latest = store.screenings()[-1]
    assert latest.reason == "beslissing" and set(store.verdicts(latest.id).values()) == {
        "uitgesloten"
    }
    [e5] = [f for f in store.findings(latest.id) if f.rule == "E5-bibob"]
    assert "BIBOB-2024-117" in e5.message and "1 juli 2024" in e5.message and e5.sensitive
    # The audit names the act, not the outcome.
    [audit] = [e for e in store.audit_events() if e.action == "bibob-uitkomst"]
    assert "ernstig" not in audit.detail and "BIBOB-2024-117" not in audit.detail
    # Who reads what: the reviewer sees a neutral line, bibob and toezicht the outcome.
    first, recorded_screening = store.screenings()[0].code, latest.code
    for role, sees in (("reviewer", False), ("inkoop", False), ("bibob", True), ("toezicht", True)):
        shown = kit(db_url, "diff", first, recorded_screening, role=role)
        assert shown.exit_code == 0, shown.output
        assert ("ernstig gevaar" in shown.stdout) == sees, (role, shown.stdout)
    # A later outcome lifts the Bibob exclusion (after objection, say).
    later = bibob(db_url, "geen-bezwaar")
    assert later.exit_code == 0 and "uitgesloten" not in later.stdout, later.output
    findings = store.findings(store.screenings()[-1].id)
    [lift] = [f for f in findings if f.rule == "E7-uitsluiting-blijft"]
    assert lift.status == "voldaan" and "B. Bibob" in lift.message


def test_bibob_record_checks_its_input(db_url):
    screen(db_url, CASES / "wijkzorg-hof-van-twente-bibob-lopend.yaml")
    cases = [
        (("--outcome", "heel-erg"), "--uitkomst"),  # named by its Dutch name
        (("--status", "lopend", "--outcome", "geen-bezwaar"), "alleen een afgerond onderzoek"),
        (("--status", "klaar"), "--status"),
    ]
    for args, message in cases:
        base = [
            "bibob",
            "record",
            "INS-2024-0287",
            "--status",
            "afgerond",
            "--outcome",
            "geen-bezwaar",
            "--date",
            "2024-07-01",
            "--reference",
            "R",
            "--note",
            "n",
            "--by",
            "B",
        ]
        for i in range(0, len(args), 2):
            base[base.index(args[i]) + 1] = args[i + 1]
        result = kit(db_url, *base, role="bibob")
        assert result.exit_code == 1 and message in result.stderr, (args, result.output)
    assert len(Store(db_url).screenings()) == 1


# --- 11. Documents that arrive later are measured on their arrival ---------------------------

HORST_GW = {"documents": [{"id": "D30", "type": "igj-melding", "issued_on": "2024-11-28"}]}


def test_an_added_document_is_measured_on_its_arrival_and_the_rest_is_not_re_aged(tmp_path, db_url):
    screen(db_url, CASES / "begeleiding-de-horst-evc-traject.yaml")
    store = Store(db_url)
    [before] = store.screenings()
    update = write(tmp_path, "melding.yaml", HORST_GW)
    result = kit(
        db_url, "documents", "add", "INS-2024-0521", str(update), "--ontvangen", "2024-12-02"
    )
    assert result.exit_code == 0, result.output
    latest = store.screenings()[-1]
    assert latest.as_of == before.as_of  # the submission's own documents keep their screening date
    assert store.verdicts(latest.id) == store.verdicts(before.id)
    # A document dated after the screening date but before its arrival is evidence.
    docs = json.loads(latest.case_json)["submission"]["documents"]
    assert {d["id"]: d.get("received_on") for d in docs if d["id"] == "D30"} == {
        "D30": "2024-12-02"
    }
    assert not [
        f
        for f in store.findings(latest.id)
        if "D30" in json.loads(f.evidence) and f.status != "voldaan"
    ]
    # The same file again stores nothing and says so.
    again = kit(
        db_url, "documents", "add", "INS-2024-0521", str(update), "--ontvangen", "2024-12-05"
    )
    assert again.exit_code == 0 and "niets nieuws" in again.stdout, again.output
    assert len(store.screenings()) == 2


# --- 12. Letters fit the verdict ----------------------------------------------------------------


def test_an_excluded_provider_gets_a_decision_letter_not_a_repair_request(db_url):
    screen(db_url, CASES / "zorggroep-vitaal-uitsluiting-fraude.yaml")
    repair = kit(db_url, "repair", "letter", VITAAL, "--as-of", "2024-06-04")
    assert (
        repair.exit_code == 1 and "uitgesloten" in repair.stderr and "kit letter" in repair.stderr
    )
    # It states the provider's own declaration: toezicht writes it (tests/output/test_letters.py).
    letter = kit(db_url, "letter", VITAAL, "--as-of", "2024-06-04", role="toezicht")
    assert letter.exit_code == 0, letter.output
    text = letter.stdout
    assert "# Besluit KIT-screening" in text and "| uitgesloten |" in text
    assert "Aw 2012 art. 2.86 lid 2" in text and "niet te herstellen" in text
    assert "kort geding" in text and "20 kalenderdagen" in text
    # Addressed to the provider about its own declaration: the ground, whose conviction and its
    # date (issue 22); nothing of the screens' neutral text or of the reviewers' marks.
    assert "uw bestuurder B2 op 14 september 2021 onherroepelijk veroordeeld voor fraude" in text
    for internal in ("toezicht", "(aanname)", "aanname", "Niet voldaan;", "vonnis"):
        assert internal not in text, internal


def test_a_refused_lots_reasons_do_not_ask_the_provider_to_send_anything(tmp_path, db_url):
    """A decision that refuses a lot gives the reasons, not the repair request's instructions
    ("Stuur een aangepaste versie."): after the deadline nothing can be sent any more. The
    repair request itself keeps them."""
    screen(db_url, CASES / "zorgfix-bv.yaml")
    repair = kit(db_url, "repair", "letter", ZORGFIX, "--as-of", "2024-04-02")
    assert repair.exit_code == 0 and "Stuur een aangepaste versie." in repair.stdout
    send_request(db_url, ZORGFIX, "2024-04-02")  # its deadline, 16 April, passes unanswered
    decision = kit(db_url, "letter", ZORGFIX, "--as-of", "2024-05-01")
    assert decision.exit_code == 0, decision.output
    text = decision.stdout
    assert "| afgewezen |" in text and "Stuur" not in text
    assert "beoordeeld als onvoldoende: Geen meldprocedure richting IGJ beschreven.\n" in text
    # Sensitive: what is wrong, without the diploma itself.
    assert (
        "Medewerker S03 heeft geen diploma op het niveau dat perceel Jeugd Ambulant – begeleiding "
        "vraagt.\n" in text
    )


def test_without_instructions_leaves_the_reason_and_a_message_that_is_only_an_instruction():
    from kit.output.letter import without_instructions

    assert without_instructions("Het diploma ontbreekt. Stuur een kopie. Meld het.") == (
        "Het diploma ontbreekt."
    )
    assert without_instructions("Stuur een VOG.") == "Stuur een VOG."  # nothing else to say
    quoted = 'Uitleg: "Stuur ik later." is niet aanvaard.'  # not a closing instruction
    assert without_instructions(quoted) == quoted


def test_an_admitted_provider_gets_no_repair_request(db_url):
    screen(db_url, CASES / "thuisbegeleiding-oldenzaal-kleine-bv.yaml")
    sub_id = load_raw(CASES / "thuisbegeleiding-oldenzaal-kleine-bv.yaml")["submission"]["id"]
    repair = kit(db_url, "repair", "letter", sub_id, "--as-of", "2024-05-01")
    assert repair.exit_code == 1 and "niets open om te herstellen" in repair.stderr
    letter = kit(db_url, "letter", sub_id, "--as-of", "2024-05-01")
    assert letter.exit_code == 0 and "U bent toegelaten voor dit perceel." in letter.stdout


def test_reviewer_notes_reach_a_letter_only_when_shared(tmp_path, db_url):
    raw = load_raw()
    doc = next(d for d in raw["submission"]["documents"] if d["type"] == "calamiteitenprotocol")
    doc.pop("assessment"), doc.pop("assessment_note"), doc.pop("assessment_shared")
    screen(db_url, write(tmp_path, "zorgfix.yaml", raw))
    for note, shared in (
        ("Interne opmerking voor het team", False),
        ("Meldprocedure IGJ ontbreekt", True),
    ):
        args = [
            "assess",
            ZORGFIX,
            "calamiteitenprotocol",
            "--judgement",
            "onvoldoende",
            "--note",
            note,
            "--by",
            "R",
        ]
        assert kit(db_url, *args, *(["--voor-aanbieder"] if shared else [])).exit_code == 0
        letter = kit(db_url, "repair", "letter", ZORGFIX, "--as-of", "2024-04-03")
        assert letter.exit_code == 0, letter.output
        assert (note in letter.stdout) == shared
        assert "beoordeeld als onvoldoende" in letter.stdout


def test_rules_show_gives_each_rule_its_real_outcome_and_one_assumption_mark(monkeypatch):
    from kit.cli import app, common
    from kit.kinds.rulesets import shipped_rulesets
    from kit.rules.describe import outcomes_text

    ruleset = shipped_rulesets()["kit-2025"]
    assert "ernstig-gevaar: uitsluiting" in outcomes_text(
        ruleset.rule("E5-bibob")
    )  # E5 is no herstel rule
    assert "met zelfreiniging: beoordeling" in outcomes_text(
        ruleset.rule("E1-verplichte-uitsluitingsgronden")
    )
    monkeypatch.setattr(common.out, "width", 5000)
    result = CliRunner().invoke(app, ["rules", "show", "kit-2025"])
    assert result.exit_code == 0
    assert "ernstig-gevaar: uitsluiting" in result.stdout
    assert result.stdout.count("(aanname)") == sum(rule.assumed for rule in ruleset.rules)
    assert "(aanname) (aanname)" not in result.stdout and "aanname KIT" not in result.stdout
