"""Issue 26, item 3: every file kit writes is written beside its place and renamed when
complete, 0600 when it holds data about providers; a failing write leaves an existing file as
it was and no partial file behind."""

from __future__ import annotations

import ast
import errno
import stat
from pathlib import Path

import pytest
from conftest import CASES, ROOT
from typer.testing import CliRunner

from kit.cli import app
from kit.paths import replaced_when_done, write_file

runner = CliRunner()


def run(db_url: str, *args: str, role: str = "toezicht"):
    return runner.invoke(app, ["--role", role, *args, "--db", db_url], env={"KIT_USER": "tester"})


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_failing_write_leaves_the_existing_file_and_nothing_else(tmp_path):
    target = tmp_path / "lijst.csv"
    target.write_text("de vorige lijst\n", encoding="utf-8")
    with pytest.raises(OSError), replaced_when_done(target, private=True) as partial:
        partial.write_text("de helft van", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_text(encoding="utf-8") == "de vorige lijst\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lijst.csv"]


def test_a_private_file_is_0600_and_a_public_one_follows_the_umask(tmp_path):
    write_file(tmp_path / "geheim.json", "{}", private=True)
    write_file(tmp_path / "sjabloon.xlsx", b"PK", private=False)
    assert mode(tmp_path / "geheim.json") == 0o600
    assert mode(tmp_path / "sjabloon.xlsx") & 0o044  # readable by others (umask 022)


@pytest.fixture
def screened(db_url):
    assert run(db_url, "screen", str(CASES), role="reviewer").exit_code in (0, 1)
    return db_url


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "tabel"])
def test_every_export_is_0600(screened, tmp_path, fmt):
    out_file = tmp_path / f"lijst.{'txt' if fmt == 'tabel' else fmt}"
    result = run(screened, "report", "--formaat", fmt, "--uitvoer", str(out_file))
    assert result.exit_code == 0, result.output
    assert mode(out_file) == 0o600 and out_file.stat().st_size > 0


def test_an_export_that_meets_a_full_disk_leaves_the_earlier_file(screened, tmp_path, monkeypatch):
    import kit.views.report

    out_file = tmp_path / "lijst.csv"
    out_file.write_text("de lijst van gisteren\n", encoding="utf-8")

    def half_then_full(rows, stream):  # type: ignore[no-untyped-def]
        stream.write("Aanbieder;Inschrijving\r\n")
        stream.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kit.views.report, "write_csv", half_then_full)
    result = run(screened, "report", "--formaat", "csv", "--uitvoer", str(out_file))
    assert result.exit_code == 1 and str(out_file) in result.stderr
    assert out_file.read_text(encoding="utf-8") == "de lijst van gisteren\n"
    assert [p.name for p in tmp_path.iterdir() if "lijst" in p.name] == ["lijst.csv"]


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_letter_is_0600(screened, tmp_path, fmt):
    out_file = tmp_path / f"besluit.{fmt}"
    result = run(screened, "letter", "INS-2024-0042", "--formaat", fmt, "--uitvoer", str(out_file))
    assert result.exit_code == 0, result.output
    assert mode(out_file) == 0o600


WRITERS = {"write_text", "write_bytes", "save", "mkstemp", "NamedTemporaryFile"}
ALLOWED = {
    "kit/paths.py",  # the helper itself
    "kit/services/screening.py",  # an upload read from a private temporary directory
    "kit/web/files.py",  # arrived documents: an upload read from a private temporary directory
    "kit/services/outcomes.py",  # Store.save: a database write, not a file
    "kit/output/letter.py",  # into memory (BytesIO), written by the caller
    "kit/output/template.py",  # into memory (BytesIO), written by the caller
    "kit/output/xlsx.py",  # openpyxl's save into the helper's partial file
}


def test_files_are_written_only_through_the_helper():
    found = []
    for path in sorted((ROOT / "kit").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if name in ALLOWED or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if not isinstance(node.func, ast.Attribute):
                continue
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id == "partial":
                continue  # the file replaced_when_done or claim_partial gave
            called = node.func.attr
            modes = [a.value for a in node.args if isinstance(a, ast.Constant)]
            writing = called == "open" and any(
                isinstance(m, str) and set(m) & set("wax") for m in modes
            )
            if called in WRITERS or writing:
                found.append(f"{name}:{node.lineno}")
    assert found == []
