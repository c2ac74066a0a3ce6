"""The README's examples, run: every `kit` command in its shell blocks from "Using kit" on, in
order, in a copy of the checkout's cases and examples, on the database the quick start makes. A
command, option or example file that changes without the README fails here."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from kit.cli import app

README = ROOT / "README.md"
# Sections whose commands are run; others show setup (PostgreSQL, benchmarks) or developer tools.
FROM, UNTIL = "## Using kit", "### One shared database"


def readme_commands() -> list[list[str]]:
    """The `kit …` commands of the shell blocks in the README's usage sections, as arguments."""
    text = README.read_text(encoding="utf-8")
    text = text[text.index(FROM) : text.index(UNTIL)]
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


def test_every_readme_example_runs(tmp_path, monkeypatch):
    for part in ("cases", "examples"):
        shutil.copytree(ROOT / part, tmp_path / part)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for args in readme_commands():
        result = runner.invoke(app, args, env={"KIT_USER": "readme", "KIT_DATABASE_URL": None})
        assert result.exit_code in (0, 3), f"kit {shlex.join(args)}\n{result.output}"
        assert "Traceback" not in result.output
    assert Path("kit.db").is_file() and Path("besluit.md").is_file()
    assert Path("lijst.xlsx").is_file() and Path("lijst.csv").is_file()


@pytest.mark.parametrize(
    "heading", ["| code | meaning |", "| 2 | a wrong command line", "| 130 | interrupted"]
)
def test_the_exit_codes_are_documented(heading):
    assert heading in README.read_text(encoding="utf-8")
