"""Issue 22, "Letters that state the decision": one exclusion is one finding, and the letters a
provider reads say what was decided and why, in its own words, without kit's internal ones."""

from __future__ import annotations

import collections
import copy
import io
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml
from conftest import CASES, ROOT, load_raw, record_request, send_request, shipped_case_files
from support import as_round, bibob, write
from typer.testing import CliRunner

from kit.cli import app
from kit.dates import dutch_date
from kit.store import Store

runner = CliRunner()
VITAAL = CASES / "zorggroep-vitaal-uitsluiting-fraude.yaml"
WIJKZORG = CASES / "wijkzorg-hof-van-twente-bibob-lopend.yaml"
EXAMPLES = ROOT / "examples"


def kit(db_url: str, *args: str, role: str = "reviewer", env: dict[str, str] | None = None):
    return runner.invoke(
        app, ["--role", role, *args, "--db", db_url], env={"KIT_USER": "tester", **(env or {})}
    )


def screen(db_url: str, path: Path, role: str = "toezicht") -> dict:
    result = kit(db_url, "screen", str(path), "--json", role=role)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def later_round(tmp_path: Path, path: Path, round_no: int = 1, **changes: object) -> Path:
    """The case of `path` handed in again as round `round_no`."""
    raw = copy.deepcopy(load_raw(path))
    raw["submission"].update(round=round_no, **changes)
    out = tmp_path / f"{path.stem}-ronde-{round_no}.yaml"
    out.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return out


def exclusions(result: dict) -> list[tuple[str, str, str, list[str]]]:
    return [
        (f["rule"], f["requirement"], f["subject"], f["evidence"])
        for f in result["findings"]
        if f["outcome"] == "uitsluiting" and f["status"] != "voldaan"
    ]


# --- 1. One exclusion is one finding (E7) -------------------------------------------------------


def test_an_exclusion_still_declared_is_one_finding_with_the_earlier_screening_as_evidence(
    tmp_path, db_url
):
    first = screen(db_url, VITAAL)
    assert exclusions(first) == [("E1-verplichte-uitsluitingsgronden", "fraude", "board:B2", [])]
    record_request(db_url, "INS-2024-0519", 1, "2024-06-03")  # a round answers a request (P1)
    again = screen(db_url, later_round(tmp_path, VITAAL, submitted_on=date(2024, 6, 10)))
    assert set(again["lots"].values()) == {"uitgesloten"}
    # Not the ground's finding beside a carried copy of it: the ground's own finding, which
    # names the screening that found it first.
    assert exclusions(again) == [
        ("E1-verplichte-uitsluitingsgronden", "fraude", "board:B2", [first["screening_id"]])
    ]


def test_a_bibob_exclusion_is_one_finding_in_a_later_round(tmp_path, db_url):
    screen(db_url, WIJKZORG)
    recorded = bibob(db_url, "ernstig-gevaar")
    assert recorded.exit_code == 0, recorded.output
    found = Store(db_url).screenings()[-1].code
    record_request(db_url, "INS-2024-0287", 1, "2024-05-06")
    again = screen(db_url, later_round(tmp_path, WIJKZORG))
    assert exclusions(again) == [("E5-bibob", "bibob-ernstig-gevaar", "provider", [found])]


def test_a_later_round_shows_each_compared_answer_once_under_its_ground(db_url):
    """Round 1 compares every self-declaration answer with round 0's. A role that reads the
    neutral text saw ten identical `E7 zelfverklaring Voldaan` rows; each now names its ground."""
    screen(db_url, CASES / "zorgfix-bv.yaml", role="reviewer")
    send_request(db_url, "INS-2024-0042", "2024-04-26")  # round 1 of 6 May answers it
    round_1 = screen(db_url, EXAMPLES / "zorgfix-ronde-1.yaml", role="reviewer")
    shown = collections.Counter(
        (f["rule"], f["requirement"], f["subject"], f["lot"], f["status"], f["message"])
        for f in round_1["findings"]
    )
    assert [row for row, count in shown.items() if count > 1] == []
    compared = [f for f in round_1["findings"] if f["rule"] == "E7-uitsluiting-blijft"]
    grounds = {
        d["ground"] for d in load_raw(CASES / "zorgfix-bv.yaml")["submission"]["declarations"]
    }
    assert {f["requirement"] for f in compared} == grounds
    assert all(f["status"] == "voldaan" and f["message"] == "Voldaan." for f in compared)


def test_a_screening_stored_under_the_old_history_rule_replays_as_it_was_made(
    tmp_path, monkeypatch
):
    """How E7 reports is rule data; without it a rule set reports as kit 0.2 did. A screening
    stored under such rules replays identically after the change, and a new one reports anew."""
    from kit.kinds import rulesets as loader
    from kit.paths import rules_dir

    old_rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), old_rules)
    path = old_rules / "kit-2025" / "10-uitsluiting.yaml"
    text = path.read_text(encoding="utf-8")
    for line in ("    carried_as: evidence\n", "    answers_under: ground\n"):
        assert line in text
        text = text.replace(line, "")
    path.write_text(text, encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    round_1 = later_round(tmp_path, VITAAL, submitted_on=date(2024, 6, 10))
    monkeypatch.setenv("KIT_RULES_DIR", str(old_rules))
    loader._cached_all.cache_clear()
    try:
        first = screen(db_url, VITAAL)
        record_request(db_url, "INS-2024-0519", 1, "2024-06-03")
        old = screen(db_url, round_1)
    finally:
        monkeypatch.delenv("KIT_RULES_DIR")
        loader._cached_all.cache_clear()
    # Stored the old way: the ground's finding and its carried copy; answers under zelfverklaring.
    assert sorted(exclusions(old)) == [
        ("E1-verplichte-uitsluitingsgronden", "fraude", "board:B2", []),
        ("E7-uitsluiting-blijft", "fraude", "board:B2", [first["screening_id"]]),
    ]
    answers = [
        f for f in old["findings"] if f["rule"] == "E7-uitsluiting-blijft" and not f["outcome"]
    ]
    assert len(answers) == 11 and {f["requirement"] for f in answers} == {"zelfverklaring"}
    replayed = kit(db_url, "replay", old["screening_id"], "--json")
    assert replayed.exit_code == 0, replayed.output
    [report] = json.loads(replayed.stdout)
    assert report["identical"] is True and report["only_then"] == report["only_now"] == []
    assert any("gewijzigd" in reason for reason in report["reasons"])
    # The same round screened again under the shipped rules: one exclusion, one finding.
    new = json.loads(kit(db_url, "screen", str(round_1), "--json", "--opnieuw").stdout)
    assert exclusions(new) == [
        ("E1-verplichte-uitsluitingsgronden", "fraude", "board:B2", [first["screening_id"]])
    ]


# --- The letters: what they say, and never --------------------------------------------------

LETTERS = ("herstelverzoek", "besluit")
BORNE = CASES / "ambulant-team-borne-vog-te-oud.yaml"
HORST = CASES / "begeleiding-de-horst-evc-traject.yaml"
DINKELLAND = CASES / "jeugdpraktijk-dinkelland-gedragswetenschapper-ontbreekt.yaml"


def md_lines(text: str) -> list[str]:
    """A Markdown letter as the lines a reader reads: no markup, a table row as 'a: b', an
    item's legal basis on the item's own line (as the Word letter has it)."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or re.fullmatch(r"\|[-|]+\|", line) or line == "| Perceel | Uitkomst |":
            continue
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip("|"))
            line = ": ".join(cell.strip() for cell in cells)
        line = re.sub(r"(?<!\\)\*", "", re.sub(r"^(#+|-) ", "", line))
        line = re.sub(r"\\(.)", r"\1", line)  # a character kit escaped shows as itself
        if line.startswith("Grondslag:") and out:
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def docx_lines(data: bytes) -> list[str]:
    import docx

    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    return [p.text.strip() for p in paragraphs if p.text.strip()]


def letters_of(db_url: str, sub_id: str, day: date, role: str = "toezicht") -> dict[str, str]:
    """Every letter kit writes for the submission on `day` (Markdown), rendered by `role`
    (toezicht may state everything a letter states), each checked to say the same as its Word
    document."""
    from kit.errors import KitError
    from kit.views.letters import letter_docx, letter_text

    store = Store(db_url)
    out = {}
    for kind in LETTERS:
        try:
            text = letter_text(store, sub_id, kind, day, role=role)
        except KitError:
            continue  # no such letter today (nothing to repair, rounds closed)
        word = letter_docx(store, sub_id, kind, day, role=role)
        assert docx_lines(word) == md_lines(text), (sub_id, kind)
        out[kind] = text
    return out


def internal_words() -> list[re.Pattern[str]]:
    """What only kit and its reviewers use: never in a letter."""
    from kit.kinds.rulesets import shipped_rulesets

    rules = [rule for ruleset in shipped_rulesets().values() for rule in ruleset.rules]
    words = [r"peildatum", r"regelset", r"\bSCR-\d", r"\(regel\b", r"\baanname\b", r"Niet voldaan;"]
    words += [r"alleen zichtbaar voor", r"\bde aanbieder\b", r"\bstaff:", r"\bboard:"]
    words += [re.escape(rule.id) for rule in rules]  # rule codes
    words += [r"\((?:[EOQLSGRPCMV]\d{1,2}(?:, )?)+\)"]  # catalogue references: (E7), (S1, S2)
    # A title's qualifiers for reviewers: a rule whose letter title differs keeps its own out.
    words += [re.escape(r.title) for r in rules if r.letter_title and r.letter_title != r.title]
    return [re.compile(word) for word in words]


def assert_for_the_provider(texts: dict[str, str], sensitive: list[str] = ()) -> None:
    patterns = internal_words()
    for kind, text in texts.items():
        for pattern in patterns:
            assert not pattern.search(text), (kind, pattern.pattern, text)
        for value in sensitive:
            assert value not in text, (kind, value)


def sensitive_staff_values(raw: dict) -> list[str]:
    """What only toezicht may read of a case's staff: documents' and VOG dates, diplomas,
    register numbers and dates, as a letter could print them."""
    values: set[str] = set()
    for member in raw["submission"].get("staff", []):
        days = [d.get("issued_on") for d in member.get("documents", [])]
        days += [member["vog"]["issued_on"]] if member.get("vog") else []
        for reg in member.get("registrations", []):
            values.add(str(reg["number"]))
            days += [reg.get("valid_until"), reg.get("registered_on")]
        for diploma in member.get("diplomas", []):
            values |= {diploma["level"], diploma["field"]}
        for day in filter(None, days):
            values |= {day.isoformat(), dutch_date(day.isoformat())}
    return sorted(values)


def test_every_letter_of_every_shipped_case_speaks_to_the_provider(db_url):
    """Both letters, for every shipped case on its submission date and after its deadlines,
    in Markdown and in Word (the same text): no internal word, no staff detail."""
    assert kit(db_url, "screen", str(CASES)).exit_code == 0
    written = 0
    for path in shipped_case_files():
        raw = load_raw(path)
        sub = raw["submission"]
        for day in (sub["submitted_on"], sub["submitted_on"] + timedelta(days=60)):
            texts = letters_of(db_url, sub["id"], day)
            written += len(texts)
            assert_for_the_provider(texts, sensitive_staff_values(raw))
    assert written >= len(shipped_case_files()) * 2


def test_later_rounds_exclusions_and_bibob_letters_speak_to_the_provider(tmp_path, db_url):
    screen(db_url, VITAAL)
    # The ground no longer declared, in a new declaration (an excluded provider has no round 1).
    screen(db_url, EXAMPLES / "vitaal-nieuwe-verklaring.yaml")
    screen(db_url, CASES / "zorgfix-bv.yaml")
    send_request(db_url, "INS-2024-0042", "2024-04-26")
    screen(db_url, EXAMPLES / "zorgfix-ronde-1.yaml")
    screen(db_url, WIJKZORG)
    assert bibob(db_url, "ernstig-gevaar").exit_code == 0
    for sub_id, day in (
        ("INS-2024-0519", date(2024, 6, 11)),
        ("INS-2024-0042", date(2024, 5, 6)),
        ("INS-2024-0287", date(2024, 7, 2)),
    ):
        texts = letters_of(db_url, sub_id, day)
        assert texts
        assert_for_the_provider(texts, ["BIBOB-2024-117", "Advies Landelijk Bureau Bibob"])


# --- 2. The exclusion letter -------------------------------------------------------------------


def decision_with_one_exclusion(db_url: str, sub_id: str, day: date) -> tuple[str, str]:
    """The decision letter, and its one item: the exclusion, stated once."""
    letter = letters_of(db_url, sub_id, day)["besluit"]
    [exclusion] = [line for line in letter.splitlines() if line.startswith("- **")]
    return letter, exclusion


def reviewer_reads_the_exclusion_neutrally(db_url: str, code: str) -> None:
    """The reviewers' screens keep the neutral text: screening `code` as a reviewer shows it."""
    shown = json.loads(kit(db_url, "show", code, "--json").stdout)[0]
    [excluding] = [f for f in shown["findings"] if f["outcome"] == "uitsluiting"]
    assert excluding["message"].startswith("Niet voldaan; de details")


def test_the_decision_letter_states_the_ground_whose_conviction_and_its_date(tmp_path, db_url):
    first = screen(db_url, VITAAL)
    letter, exclusion = decision_with_one_exclusion(db_url, "INS-2024-0519", date(2024, 6, 4))
    assert (
        "Volgens uw eigen verklaring (UEA) is uw bestuurder B2 op 14 september 2021 "
        "onherroepelijk veroordeeld voor fraude, minder dan 5 jaar geleden." in exclusion
    )
    assert "## Besluit: uitsluiting" in letter and "voor alle percelen" in letter
    # What can lift it: self-cleaning (E4). No Bibob outcome is involved here.
    assert "zelfreiniging, Aanbestedingswet 2012 art. 2.87a" in letter
    assert "Bibob" not in letter and "zienswijze" not in letter
    reviewer_reads_the_exclusion_neutrally(db_url, first["screening_id"])
    # A new declaration that no longer declares the conviction: still one bullet, from the
    # carry-over.
    screen(db_url, EXAMPLES / "vitaal-nieuwe-verklaring.yaml")
    _, carried = decision_with_one_exclusion(db_url, "INS-2024-0519", date(2024, 6, 11))
    assert (
        "In een eerdere ronde van deze inschrijving is vastgesteld dat de uitsluitingsgrond "
        "'fraude' van toepassing is op uw bestuurder B2, met als datum 14 september 2021."
        in carried
    )


def test_a_bibob_exclusion_letter_states_the_conclusion_and_the_right_to_a_view(db_url):
    screen(db_url, WIJKZORG)
    assert bibob(db_url, "ernstig-gevaar").exit_code == 0
    letter, exclusion = decision_with_one_exclusion(db_url, "INS-2024-0287", date(2024, 7, 2))
    assert (
        "De Bibob-functionarissen van de gemeenten hebben op 1 juli 2024 geconcludeerd dat er "
        "ernstig gevaar is in de zin van de Wet Bibob." in exclusion
    )
    assert "zienswijze" in letter and "Voordat dit besluit definitief wordt" in letter
    assert "Een nieuwe uitkomst van het Bibob-onderzoek" in letter
    assert "zelfreiniging" not in letter
    # The investigation stays with the Bibob officials: no reference, no note.
    assert "BIBOB-2024-117" not in letter and "Landelijk Bureau" not in letter
    reviewer_reads_the_exclusion_neutrally(db_url, Store(db_url).screenings()[-1].code)


# --- Who writes a letter that states the declaration or the Bibob conclusion -------------------


CONVICTION = "uw bestuurder B2 op 14 september 2021 onherroepelijk veroordeeld voor fraude"


def test_only_toezicht_writes_a_decision_that_states_the_providers_declaration(tmp_path, db_url):
    """Self-declaration answers are toezicht's to read: the decision letter that names the
    ground, the board member's role and the date of the conviction is refused to every other
    role, with one line saying who writes it, and nothing is written."""
    screen(db_url, VITAAL)
    for role in ("reviewer", "inkoop", "beheer", "bibob"):
        for extra in ((), ("--formaat", "docx", "--uitvoer", str(tmp_path / f"{role}.docx"))):
            refused = kit(
                db_url, "letter", "INS-2024-0519", "--peildatum", "2024-06-04", *extra, role=role
            )
            assert refused.exit_code == 1, (role, refused.output)
            assert refused.stderr.count("\n") == 1, refused.stderr
            assert (
                "dit besluit noemt gegevens uit de eigen verklaring van de aanbieder; het besluit "
                f"schrijft toezicht (huidige rol: {role})" in refused.stderr
            )
            assert "14 september 2021" not in refused.output and "fraude" not in refused.output
        assert not (tmp_path / f"{role}.docx").exists()
    written = kit(db_url, "letter", "INS-2024-0519", "--peildatum", "2024-06-04", role="toezicht")
    assert written.exit_code == 0 and CONVICTION in written.stdout, written.output


def test_a_bibob_exclusion_letter_is_written_by_toezicht_or_the_bibob_officials(db_url):
    screen(db_url, WIJKZORG)
    assert bibob(db_url, "ernstig-gevaar").exit_code == 0
    conclusion = "hebben op 1 juli 2024 geconcludeerd dat er ernstig gevaar is"
    for role in ("bibob", "toezicht"):
        written = kit(db_url, "letter", "INS-2024-0287", "--peildatum", "2024-07-02", role=role)
        assert written.exit_code == 0 and conclusion in written.stdout, (role, written.output)
    refused = kit(db_url, "letter", "INS-2024-0287", "--peildatum", "2024-07-02")
    assert refused.exit_code == 1 and conclusion not in refused.output
    assert (
        "dit besluit noemt gegevens uit het Bibob-onderzoek; het besluit schrijft toezicht of een "
        "Bibob-functionaris (huidige rol: reviewer)" in refused.stderr
    )


def test_the_letter_service_itself_refuses_whatever_calls_it(db_url):
    """The web application and kit.services render letters through kit.output.letter: the role is
    checked there, not only on the command line."""
    import pytest

    from kit.errors import AccessDenied
    from kit.views.letters import letter_docx, letter_text

    screen(db_url, VITAAL)
    store = Store(db_url)
    for render in (letter_text, letter_docx):
        with pytest.raises(AccessDenied, match="het besluit schrijft toezicht"):
            render(store, "INS-2024-0519", "besluit", date(2024, 6, 4), role="reviewer")
    assert CONVICTION in letter_text(
        store, "INS-2024-0519", "besluit", date(2024, 6, 4), role="toezicht"
    )


def test_the_repair_request_a_reviewer_sends_gives_the_declaration_a_neutral_sentence(
    tmp_path, db_url
):
    """A repair request is sent by a reviewer (only a reviewer may record one), so it cannot be
    refused to them: a ground answered yes without a date is asked in the neutral sentence,
    and the request as recorded says no more. Toezicht's preview names the ground."""
    raw = copy.deepcopy(load_raw(VITAAL))
    fraud = next(d for d in raw["submission"]["declarations"] if d["ground"] == "fraude")
    fraud.pop("event_date")  # answered yes, without a date: herstel (E1), not yet an exclusion
    path = tmp_path / "vitaal-zonder-datum.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    screen(db_url, path)
    detail = "U heeft de uitsluitingsgrond 'fraude' voor uw bestuurder B2 met ja beantwoord"
    preview = kit(
        db_url, "repair", "letter", "INS-2024-0519", "--peildatum", "2024-06-04", role="toezicht"
    )
    assert preview.exit_code == 0 and detail in preview.stdout, preview.output
    reviewer = kit(db_url, "repair", "letter", "INS-2024-0519", "--peildatum", "2024-06-04")
    assert reviewer.exit_code == 0, reviewer.output
    assert detail not in reviewer.stdout and "fraude" not in reviewer.stdout
    assert "dit is voor bestuurslid B2 nog niet aangetoond" in reviewer.stdout
    # The Bibob investigation still open: its state is Bibob material too.
    assert "Het Bibob-onderzoek is nog niet afgerond" in preview.stdout
    assert "Het Bibob-onderzoek is nog niet afgerond" not in reviewer.stdout
    assert send_request(db_url, "INS-2024-0519", "2024-06-04").stdout == reviewer.stdout
    with Store(db_url) as store:
        [sent] = store.requests_of(store.submission("INS-2024-0519").pk)
    assert sent.letter_md == reviewer.stdout and "fraude" not in sent.letter_md


# --- What rejected a lot: the findings as they stood then ---------------------------------------

ZORGFIX = "INS-2024-0042"
PROTOCOL = (
    "Calamiteitenprotocol (D2) is inhoudelijk beoordeeld als onvoldoende: Geen meldprocedure "
    "richting IGJ beschreven."
)
DIPLOMA = "Medewerker S03 heeft geen diploma op het niveau dat perceel"


def lot_section(letter: str, label: str) -> str:
    """The part of a decision letter about one lot: its heading up to the next heading."""
    [part] = [p for p in letter.split("\n## ") if p.startswith(f"Besluit perceel {label}:")]
    return part


def test_a_lot_a_deadline_rejected_gives_the_findings_that_stood_on_that_day(db_url):
    """Zorgfix's request of 2 April ran out on 16 April with the calamities protocol and S03's
    diploma open. The protocol judged sufficient on 20 April changes nothing of the rejection
    (P6), and the decision still gives it as the reason, as it stood on 16 April; before, the
    Wmo lot was afgewezen without any reason, since nothing of it is open now."""
    screen(db_url, CASES / "zorgfix-bv.yaml")
    send_request(db_url, ZORGFIX, "2024-04-02")
    judged = kit(
        db_url,
        *("assess", ZORGFIX, "calamiteitenprotocol", "--oordeel", "voldoende"),
        *("--toelichting", "Alsnog in orde", "--door", "J. de Vries", "--datum", "2024-04-20"),
    )
    assert judged.exit_code == 0, judged.output
    letter = letters_of(db_url, ZORGFIX, date(2024, 5, 1), role="reviewer")["besluit"]
    wmo = lot_section(letter, "Wmo dagbesteding")
    assert wmo.startswith("Besluit perceel Wmo dagbesteding: afgewezen")
    assert PROTOCOL in wmo and "Stuur" not in wmo and "Alsnog in orde" not in wmo
    jeugd = lot_section(letter, "Jeugd Ambulant – begeleiding")
    assert PROTOCOL in jeugd and DIPLOMA in jeugd


def test_a_lot_the_last_round_rejected_gives_the_findings_a_request_named(tmp_path, db_url):
    """After the third round the calamities protocol and S03's diploma, asked in every request,
    are still open: they reject. The KvK extract missing only since round 3 was never asked: it
    is no reason for the rejection."""
    raw = load_raw()
    screen(db_url, write(tmp_path, "ronde-0.yaml", as_round(raw, 0, "2024-04-02")))
    for round_no, day in ((1, "2024-04-08"), (2, "2024-04-15"), (3, "2024-04-22")):
        previous = (date.fromisoformat(day) - timedelta(days=3)).isoformat()
        send_request(db_url, ZORGFIX, previous)
        data = as_round(raw, round_no, day)
        if round_no == 3:
            documents = data["submission"]["documents"]
            documents[:] = [d for d in documents if d["type"] != "kvk-uittreksel"]
        screen(db_url, write(tmp_path, f"ronde-{round_no}.yaml", data))
    latest = json.loads(kit(db_url, "show", ZORGFIX, "--json").stdout)[0]
    assert any(
        f["rule"] == "O1-kvk-uittreksel" and f["status"] != "voldaan" for f in latest["findings"]
    )
    letter = letters_of(db_url, ZORGFIX, date(2024, 5, 1), role="reviewer")["besluit"]
    for label in ("Wmo dagbesteding", "Jeugd Ambulant – begeleiding"):
        part = lot_section(letter, label)
        assert part.startswith(f"Besluit perceel {label}: afgewezen") and PROTOCOL in part
        assert "KvK" not in part, part
    assert DIPLOMA in lot_section(letter, "Jeugd Ambulant – begeleiding")


# --- 3. No decision yet, no decision heading ---------------------------------------------------


def test_a_lot_still_judged_gets_no_decision_and_no_objection_route(db_url):
    screen(db_url, WIJKZORG)
    letter = letters_of(db_url, "INS-2024-0287", date(2024, 5, 6))["besluit"]
    headings = [line for line in letter.splitlines() if line.startswith("#")]
    assert headings[0] == "# Stand van de KIT-screening — Stichting Wijkzorg Hof van Twente"
    assert not any("Besluit" in heading for heading in headings)
    assert "## Perceel Wmo dagbesteding: nog geen besluit" in headings
    assert "kort geding" not in letter and "Bent u het niet eens" not in letter
    assert "Het Bibob-onderzoek is nog niet afgerond." in letter  # what is still being judged


def test_a_decided_lot_beside_an_open_one_has_the_route_for_itself_only(db_url):
    screen(db_url, DINKELLAND)
    letter = letters_of(db_url, "INS-2024-0502", date(2024, 7, 1))["besluit"]
    assert "## Besluit perceel Jeugd Ambulant – begeleiding: toegelaten" in letter
    assert "## Perceel Jeugd Ambulant – behandeling: nog geen besluit" in letter
    assert "## Besluit perceel Jeugd Ambulant – behandeling" not in letter
    assert (
        "Dit geldt voor ons besluit over Jeugd Ambulant – begeleiding; over Jeugd Ambulant – "
        "behandeling nemen wij later een besluit." in letter
    )


# --- 5. A staff finding says what is wrong ---------------------------------------------------


def test_a_staff_finding_says_what_is_wrong_without_the_staff_members_data(tmp_path, db_url):
    raw = copy.deepcopy(load_raw(BORNE))
    staff = {member["id"]: member for member in raw["submission"]["staff"]}
    staff["S01"]["registrations"][0]["valid_until"] = date(2024, 1, 31)  # expired
    staff["S01"]["diplomas"][0]["level"] = "mbo-4"  # below the jeugd lots' level
    staff["S03"].pop("registrations")  # a gedragswetenschapper without a registration
    late = date(2024, 5, 20)  # after the submission of 2 May
    staff["S03"]["vog"]["issued_on"] = late
    next(d for d in staff["S03"]["documents"] if d["type"] == "vog")["issued_on"] = late
    path = tmp_path / "borne.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    screen(db_url, path)
    texts = letters_of(db_url, "INS-2024-0276", date(2024, 5, 2))
    letter = texts["herstelverzoek"]
    for sentence in (
        "De VOG van medewerker S02 is meer dan 3 maanden voor de startdatum van de medewerker "
        "afgegeven.",
        "De VOG van medewerker S03 is gedateerd na de dag waarop u haar indiende",
        "Medewerker S01 heeft geen diploma op het niveau dat perceel Jeugd Ambulant – begeleiding "
        "vraagt.",
        "De SKJ- of BIG-registratie van medewerker S01 is verlopen.",
        "Medewerker S03 werkt als gedragswetenschapper in perceel Jeugd Ambulant – begeleiding, "
        "maar heeft geen geldige SKJ- of BIG-registratie.",
    ):
        assert sentence in letter, sentence
    assert "niet aangetoond" not in letter
    assert_for_the_provider(texts, sensitive_staff_values(raw))


def test_a_vog_after_the_start_and_a_registration_without_validity_say_what_is_wrong(
    tmp_path, db_url
):
    """Issue 23's situations (S6 after_start, S1 undated) have letter sentences of their own:
    what is wrong, without the dates only toezicht reads."""
    screen(db_url, CASES / "zorgboerderij-hoge-veld-onderaannemer.yaml")
    texts = letters_of(db_url, "INS-2024-0402", date(2024, 6, 10))
    assert (
        "is afgegeven na de startdatum van de medewerker; de medewerker werkte dus zonder VOG."
        in texts["herstelverzoek"]
    )
    raw = load_raw(CASES / "zorgboerderij-hoge-veld-onderaannemer.yaml")
    assert_for_the_provider(texts, sensitive_staff_values(raw))
    raw = copy.deepcopy(load_raw(BORNE))
    registration = raw["submission"]["staff"][0]["registrations"][0]
    registration.pop("valid_until")  # no end date, no registration date: no validity shown
    path = tmp_path / "borne.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    screen(db_url, path)
    texts = letters_of(db_url, "INS-2024-0276", date(2024, 5, 2))
    assert (
        "De SKJ- of BIG-registratie van medewerker S01 laat niet zien tot wanneer ze geldig is."
        in texts["herstelverzoek"]
    )
    assert_for_the_provider(texts, sensitive_staff_values(raw))


def test_the_sentences_for_the_provider_are_the_kinds_data(monkeypatch, tmp_path, db_url):
    """The VOG sentence comes from kit/kinds/vog.yaml's `letter:`, not from Python."""
    from kit.kinds import base

    texts = dict(base.kind_texts("vog"))
    texts["letter"] = {**texts["letter"], "too_old_start": "VOG-ZIN-UIT-DE-DATA {staff}."}
    real = base.kind_texts
    monkeypatch.setattr(base, "kind_texts", lambda name: texts if name == "vog" else real(name))
    screen(db_url, BORNE)
    letter = letters_of(db_url, "INS-2024-0276", date(2024, 5, 2))["herstelverzoek"]
    assert "VOG-ZIN-UIT-DE-DATA S02." in letter


# --- 6. A condition: not declarable until met, once, to "u" ------------------------------------


def test_conditions_say_once_that_the_staff_member_is_not_declarable(tmp_path, db_url):
    screen(db_url, HORST)
    decision = letters_of(db_url, "INS-2024-0521", date(2024, 4, 10))["besluit"]
    # Two conditions for S03 (registration and diploma, both in an EVC trajectory): one sentence.
    assert decision.count("niet declarabel") == 1
    assert (
        "Zolang niet aan de voorwaarden voor medewerker S03 is voldaan, is deze medewerker niet "
        "declarabel: u kunt de zorg die hij of zij verleent niet declareren" in decision
    )
    # The repair request's conditions part says it as well (Zorgfix, with S03 in an EVC
    # trajectory and a calamities protocol still to repair).
    raw = copy.deepcopy(load_raw(CASES / "zorgfix-bv.yaml"))
    for member in raw["submission"]["staff"]:
        if member["id"] == "S03":
            member["evc"] = {"status": "lopend", "expected_completion": date(2025, 3, 1)}
    path = tmp_path / "zorgfix.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    screen(db_url, path)
    request = letters_of(db_url, "INS-2024-0042", date(2024, 4, 2))["herstelverzoek"]
    conditions = request.split("## Voorwaarden die later mogen worden vervuld")[1]
    assert conditions.count("niet declarabel") == 1 and "medewerker S03" in conditions


def test_a_screening_stored_before_letters_had_their_own_text_reads_as_it_did(db_url):
    """A finding stored before this kit has no letter text (NULL): its letter prints what kit
    printed then: the message's provider form, or for a sensitive finding a neutral sentence,
    never the message toezicht reads."""
    from sqlalchemy import create_engine, text

    screen(db_url, CASES / "zorgfix-bv.yaml")
    with create_engine(db_url).begin() as connection:
        connection.execute(text("UPDATE findings SET letter_message = NULL"))
        connection.execute(
            text("UPDATE findings SET provider_message = message WHERE sensitive = :no"),
            {"no": False},
        )
    request = letters_of(db_url, "INS-2024-0042", date(2024, 4, 2))["herstelverzoek"]
    assert "dit is voor medewerker S03 nog niet aangetoond." in request
    assert "Geen meldprocedure richting IGJ beschreven. Stuur een aangepaste versie." in request


def test_a_condition_whose_text_names_its_date_states_it_once(db_url):
    """Wierden is admitted on the condition that it recruits a behavioural scientist by a date
    its message already names: the letter does not add 'Uiterlijk: …' with the same date."""
    case = CASES / "jeugdhulp-wierden-werft-gedragswetenschapper.yaml"
    assert kit(db_url, "screen", str(case)).exit_code == 0
    letter = kit(db_url, "letter", "INS-2024-0588", "--peildatum", "2024-06-01")
    assert letter.exit_code == 0, letter.output
    [line] = [line for line in letter.stdout.splitlines() if "gedragswetenschapper op" in line]
    assert line.count("1 januari 2025") == 1, line


def test_only_the_same_date_counts_as_named_not_a_longer_one():
    """'Uiterlijk: 1 mei 2024' stays when the text names 11 or 21 mei 2024: a condition's due
    date is never dropped for a date that merely contains it."""
    from kit.views.letters import _names

    assert _names("Lever de gegevens uiterlijk 1 mei 2024 aan.", "1 mei 2024")
    assert not _names("Lever de gegevens uiterlijk 11 mei 2024 aan.", "1 mei 2024")
    assert not _names("Geldig tot 21 mei 2024.", "1 mei 2024")
