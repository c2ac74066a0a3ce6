"""Issue 12: a hostile-input corpus. Every file is refused with one Dutch line naming the file and
the path inside it, in little memory (how quickly is a figure: `python bench/hostile.py`), and
the good cases beside it are still screened and stored (directories, region batches in worker
processes); no sensitive value reaches an error message; no text reaches a spreadsheet as a
formula. Large inputs are generated here."""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CASES, load_raw
from typer.testing import CliRunner

from kit.cli import app
from kit.errors import CaseError
from kit.limits import MAX_DEPTH, MAX_NODES, MAX_STRING
from kit.services import REGION_FROM
from kit.store import Store
from kit.structured import read_structured
from kit.views.report import neutral

runner = CliRunner()
GOOD = (
    "zorgfix-bv.yaml",
    "thuiszorg-losser-pas-toe-of-leg-uit.yaml",
    "gezinshuis-de-linde-keurmerk.yaml",
)
ZORGFIX_KVK = "12345678"
HORST = "INS-2024-0521"


def kit(db_url: str, *args: str, role: str = "reviewer", env: dict[str, str] | None = None):
    return runner.invoke(
        app, ["--role", role, *args, "--db", db_url], env={"KIT_USER": "tester", **(env or {})}
    )


def error_lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_one_dutch_line(result: Any, path: Path, *expected: str) -> str:
    """Refused (exit 1) with exactly one error line naming the file and saying `expected`."""
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    [line] = error_lines(result)
    assert line.startswith("fout: ") and str(path) in line, line
    for part in expected:
        assert part in line, (part, line)
    for english in ("Exceeds the limit", "Error", "recursion", "Expecting", "not allowed"):
        assert english not in line, line
    return line


def zorgfix(**provider: Any) -> dict[str, Any]:
    """The shipped zorgfix case as data, with other provider fields."""
    data = copy.deepcopy(load_raw(CASES / "zorgfix-bv.yaml"))
    data["submission"]["provider"].update(provider)
    return data


def as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def as_json(data: Any, **kwargs: Any) -> str:
    return json.dumps(data, default=str, ensure_ascii=False, **kwargs)


# --- the corpus ------------------------------------------------------------------------------


def alias_bomb() -> str:
    """Billion laughs in provider.name: 9 levels of 9 aliases, a few hundred bytes that expand to
    9^9 (387 million) strings."""
    levels = ['&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"&{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return (
        "submission:\n  procedure: inkoop-2025\n  provider:\n    name: ["
        + ", ".join(levels)
        + "]\n    kvk: '87654321'\n"
    )


def big_integer(suffix: str) -> str:
    data = zorgfix(employees="PLACEHOLDER")
    text = as_json(data, indent=2) if suffix == ".json" else as_yaml(data)
    digits = "9" * 5000
    return text.replace('"PLACEHOLDER"' if suffix == ".json" else "PLACEHOLDER", digits)


def long_text() -> str:
    data = zorgfix()
    data["submission"]["explanations"] = [{"requirement": "rie", "text": "x" * (MAX_STRING + 1)}]
    return as_yaml(data)


def control_key() -> str:
    data = zorgfix()
    data["submission"]["provider"]["na\x1bme"] = "Zorgfix"
    return as_yaml(data)


# name -> (file text, what the one line says: the path inside the file and the problem)
CORPUS: dict[str, tuple[Callable[[], str], tuple[str, ...]]] = {
    "alias-bom.yaml": (
        alias_bomb,
        ("regel 4", "submission.provider.name[", "YAML-verwijzingen (&anker/*alias)"),
    ),
    "diep.json": (
        lambda: "[" * 100_000 + "]" * 100_000,
        ("regel 1", f"te diep genest (meer dan {MAX_DEPTH} niveaus)"),
    ),
    "diep.yaml": (
        lambda: "submission: " + "[" * 100_000 + "]" * 100_000 + "\n",
        ("regel 1", "submission[0][0]", "te diep genest"),
    ),
    "diep-blok.yaml": (
        lambda: "".join("  " * i + "a:\n" for i in range(100)) + "  " * 100 + "a: 1\n",
        ("regel 51", "a.a.a.a", "te diep genest"),
    ),
    "veel.yaml": (
        lambda: "submission:\n  staff:\n" + "  - 1\n" * (MAX_NODES + 10),
        ("submission.staff[", f"te veel onderdelen in één bestand (meer dan {MAX_NODES})"),
    ),
    "groot-getal.yaml": (
        lambda: big_integer(".yaml"),
        ("submission.provider.employees: getal is te groot (5000 cijfers",),
    ),
    "groot-getal.json": (
        lambda: big_integer(".json"),
        ("submission.provider.employees: getal is te groot (5000 cijfers",),
    ),
    "oneindig.json": (
        lambda: as_json(zorgfix(fte="INF")).replace('"INF"', "1e999"),
        ("submission.provider.fte: verwacht een eindig getal",),
    ),
    "nul.yaml": (
        lambda: as_yaml(zorgfix(name="Zorgfix\0 B.V.")),
        ("submission.provider.name: ongeldig teken U+0000 (stuurteken)",),
    ),
    "nul.json": (
        lambda: as_json(zorgfix(name="Zorgfix\0 B.V.")),
        ("submission.provider.name: ongeldig teken U+0000 (stuurteken)",),
    ),
    "nul-letterlijk.yaml": (
        lambda: as_yaml(zorgfix(name="NULPLAATS")).replace("NULPLAATS", "Zorgfix\0 B.V."),
        ("ongeldig teken U+0000",),
    ),
    "escape.yaml": (
        lambda: as_yaml(zorgfix(name="Zorgfix\x1b[2J B.V.")),
        ("submission.provider.name: ongeldig teken U+001B (stuurteken)",),
    ),
    "del.json": (
        lambda: as_json(zorgfix(name="Zorgfix\x7f")),
        ("submission.provider.name: ongeldig teken U+007F",),
    ),
    "leesrichting.yaml": (
        lambda: as_yaml(zorgfix(name="Zorgfix \u202egnivatS")),
        ("submission.provider.name: ongeldig teken U+202E (keert de leesrichting om)",),
    ),
    "sleutel.yaml": (
        control_key,
        ("submission.provider: veldnaam 'na\\x1bme': ongeldig teken U+001B",),
    ),
    "lange-tekst.yaml": (
        long_text,
        ("submission.explanations[0].text: tekst is te lang",),
    ),
}


def write_corpus(directory: Path, name: str) -> tuple[Path, tuple[str, ...]]:
    make, expected = CORPUS[name]
    path = directory / name
    path.write_text(make(), encoding="utf-8")
    return path, expected


def good_batch(tmp_path: Path) -> Path:
    directory = tmp_path / "batch"
    directory.mkdir()
    for name in GOOD:
        shutil.copy(CASES / name, directory / name)
    return directory


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_is_refused(tmp_path, name):
    path, expected = write_corpus(tmp_path, name)
    with pytest.raises(CaseError) as info:
        read_structured(path)
    message = info.value.message
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    for part in expected:
        assert part in message, (part, message)


def test_the_whole_corpus_is_read_in_little_memory(tmp_path):
    """One process reads every hostile file: its peak resident size stays within a few hundred
    MB (the alias bomb alone ran to 2.2 GB before the limits)."""
    paths = [str(write_corpus(tmp_path, name)[0]) for name in sorted(CORPUS)]
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from kit.structured import read_structured\n"
        "from kit.errors import CaseError\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "refused = 0\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        read_structured(Path(name))\n"
        "    except CaseError:\n"
        "        refused += 1\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(refused, before, after)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *paths], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    refused, before, after = map(int, done.stdout.split())
    assert refused == len(CORPUS)
    assert after - before < 300 * 1024, (before, after)  # kilobytes


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_in_a_directory_leaves_the_good_cases_stored(tmp_path, name):
    directory = good_batch(tmp_path)
    path, expected = write_corpus(directory, name)
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    result = kit(db_url, "screen", str(directory))
    assert_one_dutch_line(result, path, *expected)
    assert f"{len(GOOD)} inschrijving(en) gescreend en opgeslagen" in result.stdout
    counts = Store(db_url).counts()
    assert (counts["submissions"], counts["screenings"]) == (len(GOOD), len(GOOD))


def test_a_single_hostile_file_is_one_line(tmp_path, db_url):
    path, expected = write_corpus(tmp_path, "alias-bom.yaml")
    result = kit(db_url, "screen", str(path))
    assert_one_dutch_line(result, path, *expected)
    assert Store(db_url).counts()["screenings"] == 0


def test_nul_in_the_name_is_refused_before_any_database(tmp_path, db_url):
    """PostgreSQL cannot store NUL in text: the name is refused at input, on every database,
    and nothing of that case reaches the store."""
    directory = good_batch(tmp_path)
    path = directory / "nul.yaml"
    path.write_text(as_yaml(zorgfix(name="Zorgfix\0 B.V.")), encoding="utf-8")
    result = kit(db_url, "screen", str(directory))
    assert_one_dutch_line(result, path, "submission.provider.name: ongeldig teken U+0000")
    names = {sub.provider_name for sub in Store(db_url).submissions()}
    assert len(names) == len(GOOD) and not any("\0" in name for name in names)


def test_aliases_pyyaml_writes_itself_are_still_screened(tmp_path, db_url):
    """yaml.safe_dump writes an anchor and aliases for a value used more than once: those are
    fine, only what aliases expand to counts against the limits."""
    data = zorgfix()
    staff = data["submission"]["staff"]
    for member in staff[1:]:
        member["lots"] = staff[0]["lots"]  # one list, written once and referred to
    text = as_yaml(data)
    assert "&id001" in text and "*id001" in text
    path = tmp_path / "met-alias.yaml"
    path.write_text(text, encoding="utf-8")
    result = kit(db_url, "screen", str(path))
    assert result.exit_code == 0, result.output
    assert Store(db_url).counts()["screenings"] == 1


def test_a_self_referencing_alias_is_refused(tmp_path):
    path = tmp_path / "kring.yaml"
    path.write_text("submission: &s\n  provider: *s\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        read_structured(path)
    assert info.value.message == (
        f"{path}: regel 2: submission.provider: "
        "YAML-verwijzing (*alias) naar het blok waar ze zelf in staat"
    )


def test_file_size_limit_and_its_setting(tmp_path, db_url):
    directory = good_batch(tmp_path)
    # A valid case of 6 MB: the zorgfix case under another id, padded with white space.
    data = zorgfix(kvk="87654321")
    data["submission"]["id"] = "INS-2024-9006"
    path = directory / "groot.json"
    path.write_text(as_json(data) + " " * (6 * 1024 * 1024), encoding="utf-8")
    refused = kit(db_url, "screen", str(directory))
    assert_one_dutch_line(
        refused,
        path,
        "bestand is te groot (6 MB; ten hoogste 5 MB, in te stellen met KIT_MAX_FILE_MB)",
    )
    assert Store(db_url).counts()["submissions"] == len(GOOD)
    # KIT_MAX_FILE_MB=10 lets it through the size check: it is screened and stored.
    allowed = kit(db_url, "screen", str(path), env={"KIT_MAX_FILE_MB": "10"})
    assert allowed.exit_code == 0, allowed.output
    assert Store(db_url).counts()["submissions"] == len(GOOD) + 1
    wrong = kit(db_url, "screen", str(path), env={"KIT_MAX_FILE_MB": "veel"})
    assert_one_dutch_line(wrong, path, "KIT_MAX_FILE_MB: verwacht een aantal MB groter dan 0")


def test_region_mode_screens_the_rest_in_worker_processes(tmp_path, db_url):
    """From REGION_FROM files on, kit screen uses worker processes: the hostile file is refused
    before any of them starts, and every good case is stored."""
    directory = tmp_path / "regio"
    directory.mkdir()
    base = load_raw(CASES / "zorgfix-bv.yaml")
    for i in range(REGION_FROM - 1):
        data = copy.deepcopy(base)
        data["submission"]["id"] = f"INS-2025-{i:04d}"
        data["submission"]["provider"]["kvk"] = f"{70000000 + i:08d}"
        (directory / f"case-{i:04d}.yaml").write_text(as_yaml(data), encoding="utf-8")
    path, expected = write_corpus(directory, "diep.json")
    result = kit(db_url, "screen", str(directory))
    assert_one_dutch_line(result, path, *expected)
    assert f"{REGION_FROM - 1} inschrijving(en) gescreend en opgeslagen in" in result.stdout
    assert Store(db_url).counts()["submissions"] == REGION_FROM - 1


# --- no sensitive value in an error message ---------------------------------------------------


def horst_staff_member() -> dict[str, Any]:
    raw = load_raw(CASES / "begeleiding-de-horst-evc-traject.yaml")
    return json.loads(as_json(raw["submission"]["staff"][0]))


@pytest.mark.parametrize(
    ("change", "path", "secret"),
    [
        (
            lambda m: m["registrations"][0].update(number=555444333),
            "staff[0].registrations[0].number",
            "555444333",
        ),
        (
            lambda m: m["registrations"][0].update(kind="geheime-registratie-31"),
            "staff[0].registrations[0].kind",
            "geheime-registratie-31",
        ),
        (
            lambda m: m["vog"].update(issued_on="VOG-2024-99887"),
            "staff[0].vog.issued_on",
            "VOG-2024-99887",
        ),
    ],
)
def test_documents_add_hides_staff_values(tmp_path, db_url, change, path, secret):
    assert (
        kit(db_url, "screen", str(CASES / "begeleiding-de-horst-evc-traject.yaml")).exit_code == 0
    )
    member = horst_staff_member()
    change(member)
    update = tmp_path / "staff-bad.yaml"
    update.write_text(as_yaml({"staff": [member]}), encoding="utf-8")
    for role in ("reviewer", "toezicht"):
        result = kit(db_url, "documents", "add", HORST, str(update), role=role)
        line = assert_one_dutch_line(result, update, f"{path}: ")
        assert secret not in result.stdout and secret not in result.stderr, line
    assert Store(db_url).counts()["screenings"] == 1


@pytest.mark.parametrize(
    ("board", "path", "secret"),
    [
        (
            {
                "board": [{"id": "B7", "role": "bestuurder"}],
                "declarations": [{"ground": "fraude", "answer": True, "sanction": "geheim-77"}],
            },
            "declarations[0].sanction",
            "geheim-77",
        ),
        (
            {"board": [{"id": "B7", "role": "schaduwdirecteur-12"}]},
            "board[0].role",
            "schaduwdirecteur-12",
        ),
        (
            {"board": [{"id": "B7", "role": "bestuurder"}], "bibob": {"status": "BIBOB-X-5512"}},
            "bibob.status",
            "BIBOB-X-5512",
        ),
    ],
)
def test_board_change_file_errors_hide_the_values(tmp_path, db_url, board, path, secret):
    assert kit(db_url, "screen", str(CASES / "zorgfix-bv.yaml")).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(as_yaml(board), encoding="utf-8")
    args = ("rescreen", ZORGFIX_KVK, "--reason", "bestuurswisseling", "--board", str(bad))
    result = kit(db_url, *args, "--as-of", "2024-06-10")
    line = assert_one_dutch_line(result, bad, f"{path}: ")
    assert secret not in result.stdout and secret not in result.stderr, line
    assert Store(db_url).counts()["screenings"] == 1


def test_board_change_file_gets_the_input_limits(tmp_path, db_url):
    assert kit(db_url, "screen", str(CASES / "zorgfix-bv.yaml")).exit_code == 0
    bad = tmp_path / "bestuur.yaml"
    bad.write_text(alias_bomb().replace("submission:", "board:", 1), encoding="utf-8")
    args = ("rescreen", ZORGFIX_KVK, "--reason", "bestuurswisseling", "--board", str(bad))
    assert_one_dutch_line(kit(db_url, *args), bad, "YAML-verwijzingen (&anker/*alias)")


# --- spreadsheet formulas ---------------------------------------------------------------------

FORMULA = '=HYPERLINK("https://example.invalid/x","Klik hier")'


def test_report_cells_are_never_formulas(tmp_path, db_url):
    openpyxl = pytest.importorskip("openpyxl")
    directory = tmp_path / "formules"
    directory.mkdir()
    names = {
        "87654321": FORMULA,
        "87654322": "@SUM(1+1)*cmd|' /C calc'!A0",
        "87654323": "+31 53 123 4567",
        "87654324": "\t=1+1",
    }
    for i, (kvk, name) in enumerate(names.items()):
        data = zorgfix(kvk=kvk, name=name)
        data["submission"]["id"] = f"INS-2024-99{i:02d}"
        (directory / f"f{i}.yaml").write_text(as_yaml(data), encoding="utf-8")
    assert kit(db_url, "screen", str(directory)).exit_code == 0
    # CSV: the text starts with a quote; numbers stay numbers.
    result = kit(db_url, "report", "--format", "csv", "--as-of", "2024-04-02")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    assert {row["Aanbieder"] for row in rows} == {"'" + name for name in names.values()}
    assert all(row["Ronde"] == "0" for row in rows)
    # xlsx: no cell is a formula; the name reads back as text with the quote.
    target = tmp_path / "overzicht.xlsx"
    result = kit(
        db_url, "report", "--format", "xlsx", "--out", str(target), "--as-of", "2024-04-02"
    )
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    column = [cell.value for cell in sheet["A"][1:]]
    assert set(column) == {"'" + name for name in names.values()}
    assert all(isinstance(cell.value, int) for cell in sheet["G"][1:])  # Ronde: a number


def test_only_text_that_starts_like_a_formula_is_changed():
    from datetime import date

    assert neutral("=1+1") == "'=1+1" and neutral("-2") == "'-2" and neutral("\r=x") == "'\r=x"
    assert neutral("-") == "-" and neutral("Zorgfix B.V.") == "Zorgfix B.V."
    assert neutral(-2) == -2 and neutral(date(2024, 1, 1)) == date(2024, 1, 1)
    assert neutral(None) is None


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "dubbel.yaml",
            "submission:\n  round: 0\n  id: X\n  round: 1\n",
            "regel 4: het veld 'round'",
        ),
        ("dubbel.json", '{"submission": {"round": 0, "round": 1}}', "het veld 'round'"),
        ("diep.yaml", "a:\n  b:\n    c: 1\n    c: 2\n", "regel 4: het veld 'c'"),
    ],
)
def test_a_key_written_twice_is_refused_not_silently_the_last(tmp_path, name, text, where):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as refused:
        read_structured(path)
    assert where in refused.value.message and "twee keer" in refused.value.message


def test_yaml_merge_keys_are_not_duplicates(tmp_path):
    path = tmp_path / "samen.yaml"
    path.write_text("basis: &b {x: 1}\nzelf:\n  <<: *b\n  y: 2\n", encoding="utf-8")
    assert read_structured(path)["zelf"] == {"x": 1, "y": 2}


def test_a_merged_block_that_overrides_a_key_is_no_duplicate(tmp_path):
    # PyYAML folds merged keys into an anchored block in place; the check reads the blocks as
    # they were written.
    path = tmp_path / "diep.yaml"
    path.write_text("a: &a {x: 1}\nlist: [&b {<<: *a, x: 5}]\nc: {<<: *b}\n", encoding="utf-8")
    data = read_structured(path)  # not refused; what a merge gives is PyYAML's
    assert data["list"] == [{"x": 5}] and "x" in data["c"]
