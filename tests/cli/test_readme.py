"""The documentation's examples, run: every `kit` command in the shell blocks of the user guide's
usage sections (docs/user-guide.md, from "Using kit" on), in order, and of the README's "first
ten minutes", in a copy of the checkout's cases and examples, on the database the quick start
makes. A command, option or example file that changes without the docs fails here."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from kit.cli import app

README = ROOT / "README.md"
USER_GUIDE = ROOT / "docs" / "user-guide.md"
# The user guide's sections whose commands are run; the web application's (accounts, a server)
# and the operations page's setup (PostgreSQL, benchmarks) are not.
FROM, UNTIL = "## Using kit", "## The central list on the web"
# The README's own commands: a reviewer's first ten minutes after the quick start.
README_FROM, README_UNTIL = "## A reviewer's first ten minutes", "## Where to read on"
QUICK_START = ["screen", "cases/"]
ENV = {"KIT_USER": "readme", "KIT_DATABASE_URL": None}


def shell_commands(path: Path, start: str, stop: str) -> list[list[str]]:
    """The `kit …` commands of the shell blocks between two headings of a document, as arguments."""
    text = path.read_text(encoding="utf-8")
    text = text[text.index(start) : text.index(stop)]
    commands: list[list[str]] = []
    in_shell = False
    pending = ""
    for line in text.splitlines():
        if line.startswith("```"):
            in_shell = line.strip() == "```sh"
            continue
        if not in_shell:
            continue
        line = pending + line.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        words = shlex.split(line, comments=True)
        if words and words[0] == "kit":
            commands.append(words[1:])
    return commands


def readme_commands() -> list[list[str]]:
    """The user guide's usage commands, in order, then the README's first ten minutes."""
    return guide_commands() + first_ten_minutes()


def guide_commands() -> list[list[str]]:
    return shell_commands(USER_GUIDE, FROM, UNTIL)


def first_ten_minutes() -> list[list[str]]:
    return shell_commands(README, README_FROM, README_UNTIL)


def test_the_readme_has_examples_of_every_command():
    used = {c[0] if not c[0].startswith("--") else c[2] for c in readme_commands()}
    assert used >= {
        "screen",
        "show",
        "werkvoorraad",
        "report",
        "rules",
        "schema",
        "assess",
        "bibob",
        "repair",
        "letter",
        "rescreen",
        "replay",
        "diff",
        "monitor",
        "documents",
        "note",
        "notes",
        "audit",
        "intake",
        "check",
    }


@pytest.fixture
def checkout_copy(tmp_path, monkeypatch):
    for part in ("cases", "examples"):
        shutil.copytree(ROOT / part, tmp_path / part)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def written_file(args: list[str]) -> str | None:
    """The file a command writes with `--uitvoer`, if it names one."""
    return args[args.index("--uitvoer") + 1] if "--uitvoer" in args else None


# What each of the user guide's commands must print (or write, with `--uitvoer`), in the guide's
# order, by its command line: a command added or changed in the guide without its expectation
# here fails the test below. Texts are checked as printed at 80 columns (piped, no terminal).
GUIDE_PRINTS: list[tuple[str, list[str]]] = [
    ("screen cases/", ["Zorgfix B.V.", "SCR-000019", "Uitspraak"]),
    ("screen cases/zorgfix-bv.yaml --json", ['"screening_id": "SCR-000019"', "al gescreend"]),
    ("show INS-2024-0042", ["SCR-000019: inschrijving INS-2024-0042 (KvK 12345678), ronde 0"]),
    (
        "werkvoorraad --peildatum 2024-04-10 --binnen 7",
        ["Te beoordelen per 2024-04-10: 0", "Herstelverzoek te versturen: 1"],
    ),
    (
        "report --uitspraak herstel-nodig --peildatum 2024-04-10",
        ["Centrale lijst per 2024-04-10: 11 rijen"],
    ),
    ("rules check", ["Alle regelsets zijn in orde."]),
    ("rules show kit-2025", ["(kit-2025, van kracht 2024-01-01 t/m 2025-12-31)", "Uitkomst:"]),
    ("schema", ['"$defs"', '"properties"']),
    (
        "assess INS-2024-0042 calamiteitenprotocol --criteria "
        "examples/zorgfix-oordeel-calamiteitenprotocol.yaml --door 'J. de Vries' "
        "--datum 2024-04-23",
        ["calamiteitenprotocol: onvoldoende; niet voldaan: cp-melden-toezichthouder"],
    ),
    (
        "repair letter INS-2024-0042 --peildatum 2024-04-24",
        ["# Herstelverzoek KIT-screening — Zorgfix B.V.", "Datum: 24 april 2024"],
    ),
    (
        "repair request INS-2024-0042 --verzonden 2024-04-24 --door 'J. de Vries' "
        "--uitvoer herstelverzoek.md",
        ["herstelronde 1, verstuurd op 2024-04-24 door J. de Vries; uiterste datum 2024-05-08"],
    ),
    ("screen examples/zorgfix-ronde-1.yaml", ["Zorgfix B.V.", "SCR-000025"]),
    (
        "assess INS-2024-0042 calamiteitenprotocol --oordeel voldoende --toelichting "
        "'Meldprocedure IGJ beschreven.' --door 'J. de Vries' --datum 2024-05-08",
        ["(calamiteitenprotocol: voldoende, door J. de Vries)", "wmo-dagbesteding: toegelaten"],
    ),
    ("repair diff INS-2024-0042", ["ronde 0 (SCR-000024) → ronde 1 (SCR-000026)", "opgelost"]),
    (
        "repair request INS-2024-0042 --verzonden 2024-05-08 --door 'J. de Vries' "
        "--uitvoer herstelverzoek-2.md",
        ["herstelronde 2, verstuurd op 2024-05-08 door J. de Vries; uiterste datum 2024-05-24"],
    ),
    (
        "repair status INS-2024-0042 --peildatum 2024-06-03",
        ["2024-04-24  J. de Vries  1      2024-05-08  beantwoord", "afgewezen", "verlopen"],
    ),
    ("letter INS-2024-0042 --peildatum 2024-06-03 --uitvoer besluit.md", ["besluit.md"]),
    (
        "--rol inkoop repair grant-extra INS-2024-0042 --reden 'DUO-waardering vertraagd' "
        "--door 'P. Jansen'",
        ["Extra herstelronde toegekend aan INS-2024-0042 door P. Jansen"],
    ),
    (
        "repair letter INS-2024-0042",
        # The request for round 2 ran out on 24 May: the grant reopens round 2 as the last (P4).
        ["# Herstelverzoek KIT-screening — Zorgfix B.V.", "herstelronde 2 van de 2"],
    ),
    (
        "assess INS-2024-0633 rie --uitleg --oordeel voldoende --toelichting "
        "'Sectorale RI&E volstaat' --door 'J. de Vries'",
        ["(rie: voldoende, door J. de Vries)", "wmo-begeleiding-individueel: toegelaten"],
    ),
    (
        "--rol toezicht assess INS-2024-0677 faillissement --zelfreiniging --oordeel voldoende "
        "--toelichting 'Akkoord van de curator overlegd' --door 'T. Toezicht'",
        ["(faillissement: voldoende, door T. Toezicht)", "wmo-dagbesteding: toegelaten"],
    ),
    (
        "--rol bibob bibob record INS-2024-0287 --status afgerond --uitkomst geen-bezwaar "
        "--datum 2024-07-01 --kenmerk BIBOB-2024-117 --toelichting 'Advies Landelijk Bureau Bibob' "
        "--door 'B. Bibob'",
        ["Bibob-uitkomst vastgelegd bij INS-2024-0287 door B. Bibob"],
    ),
    ("screen examples/vitaal-nieuwe-verklaring.yaml", ["Zorggroep Vitaal", "uitgesloten"]),
    (
        "rescreen 12345678 --reden bestuurswisseling --bestuur examples/nieuw-bestuur.yaml "
        "--peildatum 2024-06-10",
        ["op 2024-06-10 (bestuurswisseling); opnieuw beoordeeld: E1", "O3, O5 (de rest blijft"],
    ),
    (
        "rescreen 12345678 --peildatum 2025-06-01",
        ["Zorgfix B.V. (12345678), INS-2024-0042:", "op 2025-06-01 (herscreening)", "nieuw"],
    ),
    (
        "--rol inkoop rescreen --alle --peildatum 2025-06-01",
        ["herscreend op 2025-06-01", "Uitspraken per perceel (van → naar):"],
    ),
    ("replay SCR-000001", ["SCR-000001: herhaald; bevindingen en uitspraken zijn identiek."]),
    ("diff SCR-000019 SCR-000024", ["SCR-000019 (2024-04-02) → SCR-000024 (2024-04-02)"]),
    (
        "rules diff kit-2026 examples/kit-2027-vog-24",
        ["kit-2026 → kit-2027-vog-24: 1 regel(s) anders", "S6-vog-zelfstandige: gewijzigd"],
    ),
    (
        "rules impact examples/kit-2027-vog-24",
        ["Doorgerekend: 23 inschrijvingen", "niets opgeslagen", "Geschatte extra herstelverzoeken"],
    ),
    (
        "rules impact examples/kit-2027-vog-24 --uitvoer impact.xlsx --json",
        ['"soort": "samenvatting"', '"submissions": 23', "impact.xlsx"],
    ),
    (
        "monitor --peildatum 2025-01-02",
        ["Openstaande voorwaarden per 2025-01-02:", "te laat", "INS-2024-0588"],
    ),
    (
        "monitor --achterstallig --json",
        ['"soort": "voorwaarde"', '"submission_id": "INS-2024-0588"'],
    ),
    (
        "--rol toezicht documents add INS-2024-0521 examples/horst-evc-afgerond.yaml "
        "--ontvangen 2025-02-26",
        ["Inschrijving INS-2024-0521: horst-evc-afgerond.yaml verwerkt", "Gesloten (2):"],
    ),
    ("report", ["Centrale lijst per ", "36 rijen"]),
    ("report --formaat csv --uitvoer lijst.csv", ["Centrale lijst (36 rijen, csv)", "lijst.csv"]),
    (
        "report --formaat xlsx --uitvoer lijst.xlsx",
        ["Centrale lijst (36 rijen, xlsx)", "lijst.xlsx"],
    ),
    (
        "--rol toezicht note INS-2024-0521 'Wijkteam meldt zorgen over de woning'",
        ["Notitie vastgelegd bij INS-2024-0521 door readme; alleen toezicht kan haar lezen."],
    ),
    (
        "--rol toezicht notes INS-2024-0521",
        ["Notities bij INS-2024-0521: 1", "Wijkteam meldt zorgen over de woning"],
    ),
    ("--rol toezicht audit --onderwerp INS-2024-0042", ["Auditspoor: ", "herscreening"]),
    (
        "--rol toezicht steekproef trek --procedure inkoop-2025 --seed twente-2024",
        ["Steekproef getrokken met seed twente-2024:", "INS-2024-0042: 8 van 8"],
    ),
    (
        "--rol toezicht steekproef toon --procedure inkoop-2025",
        ["INS-2024-0042 S01 diploma-1", "open; seed twente-2024"],
    ),
    (
        "--rol toezicht steekproef vastleggen INS-2024-0042 --medewerker S01 --bewijs diploma-1 "
        "--uitkomst bevestigd --bron DUO --door 'T. Toezicht'",
        ["Controle vastgelegd (S01 diploma-1: bevestigd, bron DUO, door T. Toezicht)"],
    ),
    (
        "--rol beheer consistentie",
        ["calamiteitenprotocol", "cp-melden-toezichthouder: niet voldaan 1 van 1 (100%)"],
    ),
    (
        "intake sjabloon --procedure inkoop-2025 --uitvoer inschrijving.xlsx",
        ["inschrijving.xlsx: sjabloon voor regelset"],
    ),
    (
        "intake sjabloon --casus cases/zorgfix-bv.yaml --uitvoer zorgfix.xlsx",
        ["zorgfix.xlsx: sjabloon voor regelset"],
    ),
    ("screen zorgfix.xlsx --db sqlite:///werkmap.db", ["Zorgfix B.V.", "INS-2024-0042"]),
    ("intake naar-yaml zorgfix.xlsx", ["submission:", "id: INS-2024-0042"]),
    (
        "check zorgfix.xlsx",
        ["Voorcontrole van Zorgfix B.V. (INS-2024-0042)", "Er is niets opgeslagen."],
    ),
]


def test_every_readme_example_runs(checkout_copy):
    """Every example of the user guide, in order: it succeeds, shows no traceback, and prints
    what it should; a file it names with `--uitvoer` is written."""
    commands = guide_commands()
    assert [shlex.join(c) for c in commands] == [command for command, _ in GUIDE_PRINTS]
    runner = CliRunner()
    for args, (_, prints) in zip(commands, GUIDE_PRINTS, strict=True):
        result = runner.invoke(app, args, env=ENV)
        assert result.exit_code in (0, 3), f"kit {shlex.join(args)}\n{result.output}"
        assert "Traceback" not in result.output
        for expected in prints:
            assert expected in result.output, f"kit {shlex.join(args)}: {expected}\n{result.output}"
        out = written_file(args)
        assert out is None or Path(out).stat().st_size > 0, f"kit {shlex.join(args)}: {out}"
    assert Path("kit.db").is_file() and Path("besluit.md").is_file()
    assert Path("lijst.xlsx").is_file() and Path("lijst.csv").is_file()


def test_the_documented_impact_is_what_kit_prints(checkout_copy):
    """The user guide's abridged output of `kit rules impact` on the shipped cases: every line
    it shows is a line kit prints (at 100 columns) right after the quick start."""
    runner = CliRunner()
    assert runner.invoke(app, QUICK_START, env=ENV).exit_code == 0
    result = runner.invoke(
        app, ["rules", "impact", "examples/kit-2027-vog-24"], env={**ENV, "COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.output
    text = USER_GUIDE.read_text(encoding="utf-8")
    shown = text[text.index("On the shipped cases (abridged):") :].split("```")[1]
    printed = {line.rstrip() for line in result.output.splitlines()}
    lines = [line.rstrip() for line in shown.splitlines() if line.strip() not in ("", "…")]
    assert len(lines) > 15
    for line in lines:
        assert line in printed, f"{line!r}\n{result.output}"


# What each of the README's first-ten-minutes commands must print, by its command line: a
# command added to the README without an expectation here fails the test below.
FIRST_TEN_MINUTES_PRINT = {
    "report --peildatum 2024-04-10": [
        r"Centrale lijst per 2024-04-10: \d+ rijen",
        r"Zorgfix B\.V\.",
        r"INS-2024-0042",
    ],
    "show INS-2024-0042": [
        r"inschrijving INS-2024-0042 \(KvK 12345678\), ronde 0, peildatum 2024-04-02, "
        r"regelset kit-2025",
        r"Q1-calamiteitenprotocol",
    ],
    "werkvoorraad --peildatum 2024-09-02": [r"Te beoordelen per 2024-09-02: \d+", "INS-2024-0633"],
    "rules show kit-2025": [
        r"\(kit-2025, van kracht 2024-01-01 t/m 2025-12-31\): \d+ regels",
        "E1-",
    ],
    "rules check": ["kit-2025", "kit-2026", "Alle regelsets zijn in orde."],
    "replay SCR-000001": ["SCR-000001: herhaald; bevindingen en uitspraken zijn identiek."],
}


def test_the_readme_first_ten_minutes_print_what_they_say(checkout_copy):
    runner = CliRunner()
    quick_start = runner.invoke(app, QUICK_START, env=ENV)
    assert quick_start.exit_code == 0, quick_start.output
    commands = first_ten_minutes()
    assert [shlex.join(c) for c in commands] == list(FIRST_TEN_MINUTES_PRINT)
    for args in commands:
        result = runner.invoke(app, args, env={**ENV, "COLUMNS": "120"})
        assert result.exit_code == 0, f"kit {shlex.join(args)}\n{result.output}"
        for expected in FIRST_TEN_MINUTES_PRINT[shlex.join(args)]:
            assert re.search(expected, result.output), (
                f"kit {shlex.join(args)}: {expected}\n{result.output}"
            )


def test_the_readme_quick_start_is_the_one_documented():
    text = README.read_text(encoding="utf-8")
    assert (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/kit screen cases/"
        in text
    )
    assert ".venv/bin/python -m pytest\n" in text
    assert "`.ci/run` runs exactly that test command" in text


@pytest.mark.parametrize(
    "heading", ["| code | meaning |", "| 2 | a wrong command line", "| 130 | interrupted"]
)
def test_the_exit_codes_are_documented(heading):
    assert heading in USER_GUIDE.read_text(encoding="utf-8")
