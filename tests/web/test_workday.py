"""Issue 14: the command line for a working day. Looking without storing, the work queue, the
audit trail, filters, tables that fit 80 columns, Dutch throughout, one JSON shape, the xlsx."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from conftest import BASE_CASE, load_raw, send_request
from support import kit
from typer.testing import CliRunner

from kit.cli import app
from kit.store import Store

ZORGFIX, HORST, MOLEN, LOSSER = "INS-2024-0042", "INS-2024-0521", "INS-2024-0677", "INS-2024-0633"

runner = CliRunner()


def as_json(db_url: str, *args: str, role: str = "reviewer") -> list[dict]:
    result = kit(db_url, *args, "--json", role=role)
    assert result.exit_code in (0, 3), result.output
    items = json.loads(result.stdout)
    assert isinstance(items, list), f"kit {args[0]} --json is not a list"
    return items


# --- looking without storing -------------------------------------------------------------------


def test_show_reads_a_screening_without_storing_anything(shipped_db):
    before = len(Store(shipped_db).screenings())
    by_submission = kit(shipped_db, "show", ZORGFIX)
    [result] = as_json(shipped_db, "show", ZORGFIX)
    by_code = as_json(shipped_db, "show", result["screening_id"])
    assert by_submission.exit_code == 0 and result["submission_id"] == ZORGFIX
    assert by_code == [result]
    assert result["screening_id"] in by_submission.stdout and "herstel" in by_submission.stdout
    assert len(Store(shipped_db).screenings()) == before


def test_show_says_how_the_verdicts_stand_once_the_deadline_has_passed(shipped_db):
    # Zorgfix's repair deadline is 2024-04-16 (see the work queue below). Before it, the
    # screening's verdicts hold; after it, what still needed repair is afgewezen, as the central
    # list says, and `kit show` says so beside the screening's own verdicts, with the reason.
    [before] = as_json(shipped_db, "show", ZORGFIX, "--peildatum", "2024-04-10")
    [after] = as_json(shipped_db, "show", ZORGFIX, "--peildatum", "2024-04-20")
    assert before["standing"] is None and set(before["lots"].values()) == {"herstel-nodig"}
    assert after["lots"] == before["lots"]  # the screening itself is what it was
    assert after["standing"]["final"]
    assert "verstreek op 16 april 2024" in after["standing"]["reason"]
    assert set(after["standing"]["lots"].values()) == {"afgewezen"}
    listed = as_json(shipped_db, "report", "--peildatum", "2024-04-20", "--aanbieder", "Zorgfix")
    assert {r["lot"]: r["verdict"] for r in listed} == after["standing"]["lots"]
    shown = kit(shipped_db, "show", ZORGFIX, "--peildatum", "2024-04-20")
    assert "Nu (2024-04-20)" in shown.stdout and "Definitief per 2024-04-20" in shown.stdout
    assert "Nu (" not in kit(shipped_db, "show", ZORGFIX, "--peildatum", "2024-04-10").stdout


def test_show_of_an_earlier_screening_keeps_its_own_verdicts(shipped_db, tmp_path):
    first = as_json(shipped_db, "show", ZORGFIX)[0]["screening_id"]
    raw = load_raw()
    raw["submission"].update(round=1, submitted_on="2024-04-12")
    again = tmp_path / "ronde-1.yaml"
    again.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert kit(shipped_db, "screen", str(again)).exit_code == 0  # answers the request of 2 April
    send_request(shipped_db, ZORGFIX, "2024-04-12")  # round 2, by 26 April: never answered
    # Round 1 is asked to repair again, with its own deadline; the round-0 screening is history:
    # no standing of today beside it, however late the day.
    [earlier] = as_json(shipped_db, "show", first, "--peildatum", "2030-01-01")
    [latest] = as_json(shipped_db, "show", ZORGFIX, "--peildatum", "2030-01-01")
    assert earlier["standing"] is None and latest["screening_id"] != first
    assert latest["standing"] is not None


# --- the work queue -----------------------------------------------------------------------------


def test_werkvoorraad_lists_open_judgements_and_near_deadlines(shipped_db):
    items = as_json(
        shipped_db, "werkvoorraad", "--peildatum", "2024-04-10", "--binnen", "7", "--alle"
    )
    judgements = [i for i in items if i["soort"] == "beoordeling"]
    deadlines = [i for i in items if i["soort"] == "termijn"]
    # Molen's and Losser's documents arrived in August 2024: on 10 April nothing to judge yet.
    assert not {j["submission_id"] for j in judgements} & {MOLEN, LOSSER}
    autumn = as_json(shipped_db, "werkvoorraad", "--peildatum", "2024-09-01", "--alle")
    judgements = [i for i in autumn if i["soort"] == "beoordeling"]
    assert {j["submission_id"] for j in judgements} >= {MOLEN, LOSSER}
    assert [j["waiting_since"] for j in judgements] == sorted(
        j["waiting_since"] for j in judgements
    )
    assert all(j["waiting_since"] <= "2024-09-01" for j in judgements)
    assert ZORGFIX in {d["submission_id"] for d in deadlines}
    zorgfix = next(d for d in deadlines if d["submission_id"] == ZORGFIX)
    assert zorgfix["deadline"] == "2024-04-16" and zorgfix["days_left"] == 6
    # Outside the window: no deadline; the table says so in Dutch.
    later = kit(shipped_db, "werkvoorraad", "--peildatum", "2024-04-01", "--binnen", "3")
    assert later.exit_code == 0 and "Hersteltermijn loopt af binnen 3 dagen: 0" in later.stdout
    assert "Te beoordelen per 2024-04-01" in later.stdout


def test_werkvoorraad_hides_sensitive_messages_from_reviewers(shipped_db):
    reviewer = as_json(shipped_db, "werkvoorraad", "--alle")  # also what toezicht judges
    toezicht = as_json(shipped_db, "werkvoorraad", role="toezicht")
    molen = [i for i in reviewer if i["submission_id"] == MOLEN]
    assert molen and all("alleen zichtbaar voor toezicht" in i["message"] for i in molen)
    assert not any(
        "alleen zichtbaar" in i["message"] for i in toezicht if i["submission_id"] == MOLEN
    )


BIBOB_OPEN = {"INS-2024-0287", "INS-2024-0519"}  # the two submissions whose Bibob is open


def test_a_hidden_message_names_who_can_read_it(shipped_db):
    items = as_json(shipped_db, "werkvoorraad", "--alle")
    bibob = [i["message"] for i in items if i["submission_id"] in BIBOB_OPEN]
    assert bibob and all(
        m.endswith("alleen zichtbaar voor toezicht en de Bibob-functionarissen.") for m in bibob
    )
    molen = [i["message"] for i in items if i["submission_id"] == MOLEN]
    assert molen and all(m.endswith("alleen zichtbaar voor toezicht.") for m in molen)


def test_werkvoorraad_lists_the_judgements_the_role_records_and_counts_the_others(shipped_db):
    def judged(role: str, *args: str) -> dict[str, list[str]]:
        items = as_json(shipped_db, "werkvoorraad", *args, role=role)
        return {i["submission_id"]: i["judged_by"] for i in items if i["soort"] == "beoordeling"}

    everything = judged("inkoop")  # inkoop records no judgement: it sees them all
    assert set(everything) == {MOLEN, LOSSER, *BIBOB_OPEN}
    assert everything[MOLEN] == ["toezicht"] and everything[LOSSER] == ["reviewer", "toezicht"]
    assert all(everything[s] == ["bibob"] for s in BIBOB_OPEN)
    assert set(judged("reviewer")) == {LOSSER}
    assert set(judged("toezicht")) == {MOLEN, LOSSER}
    assert set(judged("bibob")) == BIBOB_OPEN
    assert judged("reviewer", "--alle") == everything
    table = kit(shipped_db, "werkvoorraad", role="reviewer")
    assert "Te beoordelen per" in table.stdout and ": 1 (3 andere wachten op een andere rol" in (
        table.stdout
    )
    shown = kit(shipped_db, "werkvoorraad", "--alle", role="reviewer")
    assert "(door toezicht)" in " ".join(shown.stdout.split()) and "(door bibob)" in shown.stdout


def test_who_records_a_judgement_is_who_the_decision_services_let_record_it(shipped_db):
    """kit.screening.policy.judged_by (the werkvoorraad) agrees with
    kit.screening.decisions.decidable (what kit assess and kit bibob record accept) for every open
    judgement of the shipped cases."""
    from kit.kinds.rulesets import shipped_rulesets
    from kit.screening.decisions import decidable
    from kit.screening.policy import bibob_rules, judged_by
    from kit.views.standing import standings
    from kit.vocab.vocabulary import vocabulary

    store = Store(shipped_db, create=False)
    by_screening = {s.screening_pk: s for s in standings(store)}
    checked = 0
    for finding in store.open_findings_of_latest("beoordeling"):
        ruleset = shipped_rulesets()[by_screening[finding.screening_pk].ruleset_id]
        requirement = finding.requirement
        if finding.rule in bibob_rules():
            kind = "bibob"
        elif requirement in vocabulary().exclusion_grounds:
            kind = "zelfreiniging"
        elif requirement in decidable(ruleset, "uitleg").requirements:
            kind = "uitleg"
        else:
            kind = "inhoud"
        assert judged_by(finding) == decidable(ruleset, kind, requirement).roles, finding
        checked += 1
    assert checked >= 4


# --- the audit trail ----------------------------------------------------------------------------


def test_audit_lists_who_did_what_filtered_and_hides_sensitive_details(shipped_db):
    decided = kit(
        shipped_db,
        "assess",
        MOLEN,
        "faillissement",
        "--zelfreiniging",
        "--oordeel",
        "voldoende",
        "--toelichting",
        "Akkoord van de curator",
        "--door",
        "T. Toezicht",
        role="toezicht",
    )
    assert decided.exit_code == 0, decided.output
    screenings = as_json(
        shipped_db, "audit", "--actie", "screening", "--max", "500", role="toezicht"
    )
    assert screenings and {e["action"] for e in screenings} == {"screening"}
    assert [e["at"] for e in screenings] == sorted((e["at"] for e in screenings), reverse=True)
    about = as_json(shipped_db, "audit", "--onderwerp", MOLEN, role="beheer")
    assert {e["subject"] for e in about} == {MOLEN}
    [for_beheer] = as_json(
        shipped_db, "audit", "--actie", "beslissing-zelfreiniging", role="beheer"
    )
    [for_toezicht] = as_json(
        shipped_db, "audit", "--actie", "beslissing-zelfreiniging", role="toezicht"
    )
    assert for_beheer["detail"] == "(alleen voor toezicht)"
    assert for_toezicht["detail"]["requirement"] == "faillissement"
    assert for_beheer["actor"] == "T. Toezicht" and for_beheer["role"] == "toezicht"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", for_beheer["at"])  # NL time
    assert as_json(shipped_db, "audit", "--door", "niemand", role="toezicht") == []
    refused = kit(shipped_db, "audit", role="reviewer")
    assert refused.exit_code == 1 and "voorbehouden aan de rol beheer of toezicht" in refused.stderr


def test_audit_details_read_in_dutch(shipped_db):
    """The table names each detail in Dutch; the JSON keeps the stored keys. Every key the
    changes below write has a Dutch name."""
    from kit.output.labels import _labels

    actions = [
        (
            "reviewer",
            "assess",
            LOSSER,
            "rie",
            "--uitleg",
            "--oordeel",
            "voldoende",
            "--toelichting",
            "x",
        ),
        ("toezicht", "note", MOLEN, "Let op de doorstart"),
        ("inkoop", "repair", "grant-extra", ZORGFIX, "--reden", "Ziekte", "--door", "I. Inkoop"),
        ("inkoop", "rescreen", "12345678", "--peildatum", "2026-01-05"),  # Zorgfix's KvK
    ]
    for role, *args in actions:
        done = kit(shipped_db, *args, role=role)
        assert done.exit_code == 0, (args, done.output)
    events = as_json(shipped_db, "audit", role="beheer")
    keys = {key for e in events if isinstance(e["detail"], dict) for key in e["detail"]}
    assert {"judgement", "requirement", "chars", "reason", "screening", "file"} <= keys
    assert keys <= set(_labels()["audit_details"])
    table = " ".join(kit(shipped_db, "audit", role="beheer").stdout.split())
    assert "oordeel: voldoende" in table and "tekens: 19" in table and "bestand: " in table
    assert not re.search(r"\b(judgement|requirement|chars|reason|file|stored):", table)


# --- filters ------------------------------------------------------------------------------------


def test_filters_narrow_report_monitor_and_werkvoorraad(shipped_db):
    day = ("--peildatum", "2024-04-10")
    everything = as_json(shipped_db, "report", *day)
    repair = as_json(shipped_db, "report", *day, "--uitspraak", "herstel-nodig")
    assert repair and {r["verdict"] for r in repair} == {"herstel-nodig"}
    assert len(repair) < len(everything)
    lot = as_json(shipped_db, "report", *day, "--perceel", "wmo-dagbesteding")
    assert lot and {r["lot"] for r in lot} == {"wmo-dagbesteding"}
    red = as_json(shipped_db, "report", *day, "--risico", "rood")
    assert red and {r["risk"] for r in red} == {"rood"}
    named = as_json(shipped_db, "report", *day, "--aanbieder", "zorgfix")
    assert {r["submission_id"] for r in named} == {ZORGFIX}
    by_kvk = as_json(shipped_db, "report", *day, "--aanbieder", "71234514")
    assert {r["submission_id"] for r in by_kvk} == {HORST}
    procedure = everything[0]["procedure"]
    assert {
        r["procedure"] for r in as_json(shipped_db, "report", *day, "--procedure", procedure)
    } == {procedure}
    overdue = as_json(shipped_db, "monitor", "--peildatum", "2025-01-02", "--achterstallig")
    assert overdue and all(i["overdue"] for i in overdue)
    late = as_json(shipped_db, "report", "--peildatum", "2025-01-02", "--achterstallig")
    assert late and all(r["next_due"] < "2025-01-02" for r in late)
    queue = as_json(shipped_db, "werkvoorraad", "--aanbieder", "molen", role="toezicht")
    assert queue and {i["submission_id"] for i in queue} == {MOLEN}


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--perceel", "jeugd-alles"),
        ("--uitspraak", "goedgekeurd"),
        ("--risico", "paars"),
        ("--procedure", "inkoop-2099"),
    ],
)
@pytest.mark.parametrize("command", ["report", "monitor", "werkvoorraad"])
def test_an_unknown_filter_value_is_a_usage_error_naming_the_choices(
    shipped_db, option, value, command
):
    result = kit(shipped_db, command, option, value)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert f"{option}: onbekende waarde '{value}'; kies uit" in result.stderr


# --- tables that fit ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("report", "--peildatum", "2024-04-10"), ("monitor", "--peildatum", "2025-01-02")],
)
def test_tables_fit_80_columns_without_breaking_a_code_or_word(shipped_db, command):
    from kit.output.labels import lot_label

    result = runner.invoke(
        app, [*command, "--db", shipped_db], env={"COLUMNS": "80", "KIT_USER": "t"}
    )
    assert result.exit_code in (0, 3), result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]  # the legends wrap too
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    tokens = result.stdout.split()
    items = as_json(shipped_db, *command)
    for item in items:
        assert item["submission_id"] in tokens  # codes whole
        for word in item["provider_name"].split():
            assert word in tokens  # names wrap at spaces only
        if item.get("lot"):
            assert lot_label(item["lot"]) in result.stdout
    dates = {i.get("next_due") or i.get("due") for i in items} - {None}
    assert all(day in tokens for day in dates)


def test_piped_output_follows_columns():
    """Piped, the width is COLUMNS (80 if unset): the rule cards wrap to it. (A message line is
    not wrapped by kit: the terminal wraps it, and a pipe keeps it whole for grep.)"""
    wide = runner.invoke(app, ["rules", "show", "kit-2025"], env={"COLUMNS": "160"})
    narrow = runner.invoke(app, ["rules", "show", "kit-2025"], env={"COLUMNS": "60"})
    cards = [line for line in narrow.stdout.splitlines() if line.startswith("  ")]
    assert cards and max(map(len, cards)) <= 60
    assert max(len(line) for line in wide.stdout.splitlines() if line.startswith("  ")) > 80


# --- Dutch throughout ---------------------------------------------------------------------------

ENGLISH = re.compile(
    r"Usage|Options|Commands|Arguments|Show this message|Missing|No such|Error|Try '|"
    r"required|default:|env var|Got unexpected|is not a valid|Aborted|<str>|<bool>|<int>|<path>|"
    r"<list"
)


@pytest.mark.parametrize(
    "args",
    [
        ["-h"],
        ["--help"],
        ["screen", "-h"],
        ["report", "-h"],
        ["assess", "-h"],
        ["repair", "-h"],
        ["repair", "diff", "-h"],
        ["bibob", "record", "-h"],
        ["werkvoorraad", "-h"],
        ["audit", "-h"],
    ],
)
def test_help_is_dutch_and_names_its_placeholders(args):
    result = runner.invoke(app, args, prog_name="kit")
    assert result.exit_code == 0
    assert not ENGLISH.search(result.stdout), ENGLISH.search(result.stdout)
    assert "Gebruik: kit" in result.stdout and "Toon deze hulp en stop." in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["scren", "cases/"], "onbekende opdracht 'scren' (bedoelt u screen"),
        (["screen", "--foo"], "onbekende optie --foo"),
        (["screen"], "argument BESTAND_OF_MAP ontbreekt"),
        (["assess", ZORGFIX, "rie", "--oordeel", "voldoende"], "optie --toelichting / --note"),
        (["repair", "diff", ZORGFIX, "--van-ronde", "een"], "--van-ronde / --from-round: verwacht"),
        (["screen", "--db"], "optie --db heeft een waarde nodig"),
        (["db", "upgrade", "extra"], "onverwacht extra argument: extra"),
        (["report", "--peildatum", "morgen"], "--peildatum: ongeldige datum 'morgen'"),
        (["--rol", "baas", "report"], "--rol: onbekende rol 'baas'"),
    ],
)
def test_usage_errors_are_one_dutch_line_with_exit_2(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("fout: ") and result.stderr.count("\n") == 1
    assert expected in result.stderr, result.stderr
    assert not ENGLISH.search(result.output)


def test_english_option_names_still_work_for_a_release(shipped_db):
    dutch = kit(shipped_db, "report", "--peildatum", "2024-04-10", "--formaat", "csv")
    english = kit(shipped_db, "report", "--as-of", "2024-04-10", "--format", "csv")
    assert dutch.exit_code == english.exit_code == 0 and dutch.stdout == english.stdout


def test_a_judgement_is_by_the_user_unless_named_and_a_wrong_one_is_a_usage_error(shipped_db):
    # Molen's calamities protocol waits for a judgement. kit() runs as KIT_USER=tester.
    wrong = kit(
        shipped_db,
        "assess",
        MOLEN,
        "calamiteitenprotocol",
        "--oordeel",
        "goed",
        "--toelichting",
        "x",
    )
    assert wrong.exit_code == 2 and "--oordeel: onbekend oordeel 'goed'" in wrong.stderr
    done = kit(
        shipped_db,
        "assess",
        MOLEN,
        "calamiteitenprotocol",
        "--oordeel",
        "voldoende",
        "--toelichting",
        "Meldprocedure beschreven",
    )
    assert done.exit_code == 0, done.output
    assert "door tester" in done.stdout
    [event] = [e for e in Store(shipped_db).audit_log() if e.action == "beslissing-inhoud"]
    assert event.actor == "tester"


def test_after_the_deadline_a_change_says_the_verdicts_as_they_stand(shipped_db):
    # Zorgfix's deadline passed on 2024-04-16: what still needed repair is afgewezen, also in
    # what `kit assess` prints (as kit show, kit report and the letters say). A judgement made
    # after the deadline changes nothing of it (P6): the Wmo lot, whose only repair was the
    # protocol judged sufficient now, stays afgewezen.
    done = kit(
        shipped_db,
        "assess",
        ZORGFIX,
        "calamiteitenprotocol",
        "--oordeel",
        "voldoende",
        "--toelichting",
        "Meldprocedure alsnog beschreven",
    )
    assert done.exit_code == 0, done.output
    line = " ".join(done.stdout.split())
    assert "jeugd-ambulant-begeleiding: afgewezen" in line
    assert "wmo-dagbesteding: afgewezen" in line
    assert (
        "(definitief: de hersteltermijn van het herstelverzoek van 2 april 2024 verstreek op "
        "16 april 2024)"
    ) in line


def test_version_help_and_completion():
    from kit import __version__

    assert runner.invoke(app, ["--versie"]).stdout.strip() == f"kit {__version__}"
    assert runner.invoke(app, ["--version"]).exit_code == 0
    assert "Gebruik: kit" in runner.invoke(app, [], prog_name="kit").stdout  # no command: help
    for shell in ("bash", "zsh", "fish"):
        script = runner.invoke(app, ["completion", shell])
        assert script.exit_code == 0 and "_KIT_COMPLETE" in script.stdout
    assert runner.invoke(app, ["completion", "cmd"]).exit_code == 2


# --- one JSON shape -----------------------------------------------------------------------------


def test_every_read_command_gives_a_list(shipped_db):
    code = as_json(shipped_db, "show", ZORGFIX)[0]["screening_id"]
    for args in (
        ("show", ZORGFIX),
        ("report",),
        ("monitor",),
        ("werkvoorraad",),
        ("audit",),
        ("repair", "status", ZORGFIX),
        ("repair", "diff", ZORGFIX, "--van-ronde", "0", "--tot-ronde", "0"),
        ("diff", code, code),
        ("replay", code),
    ):
        role = "toezicht" if args[0] == "audit" else "reviewer"
        assert isinstance(as_json(shipped_db, *args, role=role), list), args
    rules = runner.invoke(app, ["rules", "show", "kit-2025", "--json"])
    assert rules.exit_code == 0 and isinstance(json.loads(rules.stdout), list)
    notes = kit(shipped_db, "notes", HORST, "--json", role="toezicht")
    assert notes.exit_code == 0 and json.loads(notes.stdout) == []


# --- all validation errors at once --------------------------------------------------------------


def test_every_validation_error_of_a_case_is_named_at_once(tmp_path, db_url):
    raw = load_raw(BASE_CASE)
    raw["submission"]["submitted_on"] = "gisteren"
    raw["submission"]["provider"]["kvk"] = 12
    raw["submission"]["documents"][0]["type"] = "paspoort"
    path = tmp_path / "drie-fouten.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    result = kit(db_url, "screen", str(path))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    for where in (
        "submission.submitted_on",
        "submission.provider.kvk",
        "submission.documents[0].type",
    ):
        assert where in result.stderr


# --- the xlsx central list ----------------------------------------------------------------------


def test_xlsx_freezes_provider_and_lot_colours_verdicts_marks_overdue_and_lists_findings(
    shipped_db, tmp_path
):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "lijst.xlsx"
    made = kit(
        shipped_db,
        "report",
        "--formaat",
        "xlsx",
        "--uitvoer",
        str(target),
        "--peildatum",
        "2025-01-02",
    )
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(target)
    main, findings = book.worksheets
    assert (main.title, findings.title) == ("Centrale lijst", "Open bevindingen")
    assert main.freeze_panes == "C2" and [c.value for c in main[1]][:2] == ["Aanbieder", "Perceel"]
    header = [c.value for c in main[1]]
    verdict, due = header.index("Uitspraak"), header.index("Volgende vervaldatum")
    fills = {row[verdict].value: row[verdict].fill.fgColor.rgb for row in main.iter_rows(min_row=2)}
    assert fills["toegelaten"].endswith("C6EFCE") and fills["uitgesloten"].endswith("FF9999")
    late = [row[due] for row in main.iter_rows(min_row=2) if row[due].value]
    assert any(cell.font.b for cell in late)  # Wierden's condition was due 2025-01-01
    rows = [[c.value for c in row] for row in findings.iter_rows(min_row=2)]
    assert len(rows) >= 20 and {r[0] for r in rows} >= {"Zorgfix B.V.", "Begeleiding De Horst B.V."}
    assert "alle" in {r[2] for r in rows} and None not in {r[2] for r in rows}  # lot or all
    subjects = {r[5] for r in rows}  # as a reader says them, not kit's codes
    assert "medewerker S03" in subjects and not any(":" in s for s in subjects)
    messages = " ".join(str(r[-1]) for r in rows)
    assert "alleen zichtbaar voor toezicht" in messages  # the reader's role: reviewer


def test_rescreen_all_summarises_the_verdict_changes(shipped_db):
    result = kit(shipped_db, "rescreen", "--alle", "--peildatum", "2026-02-01", role="inkoop")
    assert result.exit_code == 0, result.output
    assert "Uitspraken per perceel (van → naar)" in result.stdout
    assert re.search(
        r"Percelen met een gewijzigde uitspraak: \d+, bij \d+ aanbieder", result.stdout
    )
    data = json.loads(
        kit(
            shipped_db, "rescreen", "--alle", "--peildatum", "2026-03-01", "--json", role="inkoop"
        ).stdout
    )
    assert data["screened"] == 23 and data["per_lot"]
    assert sum(item["count"] for item in data["per_lot"]) == 36
    for changed in data["changed"]:
        assert changed["from"] != changed["to"]


def test_rescreen_all_counts_the_verdicts_as_the_report_shows_them(shipped_db):
    """From and to are how the verdicts stand on the re-screen's date, before and after it,
    as `kit report` shows them: a lot whose 2024 deadline passed is afgewezen before it, not
    herstel-nodig as its screening stored it; the re-screen opens a new review (M5), in which
    its findings have not been asked yet: herstel-nodig."""
    from collections import Counter

    day = ("--peildatum", "2026-02-01")

    def listed() -> dict[tuple[str, str], tuple[str, str]]:
        rows = as_json(shipped_db, "report", *day)
        return {(r["submission_id"], r["lot"]): (r["verdict"], r["screening_id"]) for r in rows}

    was = listed()
    done = kit(shipped_db, "rescreen", "--alle", *day, "--json", role="inkoop")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    # Not re-screened: submissions screened after the date (a re-screen looks forward).
    before = {key: verdict for key, (verdict, code) in was.items() if code not in data["later"]}
    after = {key: verdict for key, (verdict, _) in listed().items() if key in before}
    expected = Counter((lot, before[(sub, lot)], now) for (sub, lot), now in after.items())
    assert {(i["lot"], i["from"], i["to"]): i["count"] for i in data["per_lot"]} == expected
    assert ("afgewezen", "herstel-nodig") in {(i["from"], i["to"]) for i in data["per_lot"]}
    assert {(c["submission_id"], c["lot"]) for c in data["changed"]} == {
        key for key, now in after.items() if before[key] != now
    }


def test_a_reader_that_stops_early_ends_kit_quietly(shipped_db_file):
    import subprocess
    import sys

    from conftest import ROOT

    for args in (["report"], ["report", "--formaat", "csv"], ["monitor"]):
        reader = subprocess.Popen(
            [sys.executable, "-m", "kit", *args, "--db", f"sqlite:///{shipped_db_file}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={**os.environ, "KIT_USER": "tester", "COLUMNS": "80"},
        )
        assert reader.stdout is not None and reader.stdout.readline()  # `| head -1`
        reader.stdout.close()
        _, errors = reader.communicate(timeout=60)
        assert errors == b"", errors.decode()


def test_a_region_sized_read_runs_without_the_cycle_collector_and_turns_it_on_again():
    import gc

    from kit.cli.common import no_cycle_collection

    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0  # in-process: on again, nothing kept


def test_the_kit_process_leaves_a_region_reads_objects_to_reference_counting():
    code = (
        "import gc, sys; import kit.cli as c; from kit.cli.common import no_cycle_collection\n"
        "sys.argv = ['kit', '--versie']\n"
        "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
        "with no_cycle_collection():\n    pass\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["True", "True"]
