"""Issue 12: what a case file, a file name or a stored value contains is printed as written.

Rich markup (`[/red]`), emoji codes, escape sequences and newlines in outside text must not
crash the output, recolour the terminal, hide text or add fake rows.
"""

from __future__ import annotations

import shutil

import yaml
from conftest import BASE_CASE, load_raw
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from kit.cli import app
from kit.cli.output import visible

runner = CliRunner()
MARKUP = "[/red]Zorg [bold]en[/bold] :smile: [x]"


def kit(db_url: str, *args: str, role: str = "reviewer"):
    return runner.invoke(app, ["--role", role, *args, "--db", db_url], env={"KIT_USER": "t"})


def test_markup_in_a_provider_name_is_printed_as_written(tmp_path, db_url):
    raw = load_raw()
    raw["submission"]["provider"]["name"] = MARKUP
    path = tmp_path / "markup.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    result = kit(db_url, "screen", str(path))
    assert result.exit_code == 0, result.output
    assert "[/red]Zorg [bold]en[/bold]" in result.stdout and ":smile: [x]" in result.stdout
    report = kit(db_url, "report")
    assert report.exit_code == 0
    words = report.stdout.split()  # the name may wrap in its column, at spaces
    assert {"[/red]Zorg", "[bold]en[/bold]", ":smile:", "[x]"} <= set(words)


def test_markup_and_escapes_in_file_names_are_shown_visibly(tmp_path, db_url):
    directory = tmp_path / "in"
    directory.mkdir()
    shutil.copy(BASE_CASE, directory / "zorg[x][red]:smile:.yaml")
    (directory / "kapot\x1b[2J\nfout: nep.yaml").write_text("submission: [", encoding="utf-8")
    result = kit(db_url, "screen", str(directory))
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    [line] = result.stderr.splitlines()  # one line: the newline in the name is shown as \n
    assert line.startswith("fout: ") and "kapot\\x1b[2J\\nfout: nep.yaml" in line
    again = kit(db_url, "screen", str(directory / "zorg[x][red]:smile:.yaml"))
    assert f"{directory / 'zorg[x][red]:smile:.yaml'}: al gescreend" in again.stderr


def test_stored_values_with_escapes_do_not_reach_the_terminal(tmp_path, db_url):
    assert kit(db_url, "screen", str(BASE_CASE)).exit_code == 0
    with create_engine(db_url).begin() as connection:  # written by an older kit, or by hand
        connection.execute(text("UPDATE submissions SET provider_name = 'Zorg\x1b[2J\nNep | rij'"))
    result = kit(db_url, "report")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "Zorg\\x1b[2J\\nNep | rij" in result.stdout


def test_install_hints_keep_their_extras(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "psycopg", None)  # the driver not installed
    result = kit("postgresql+psycopg://kit@127.0.0.1:1/kit", "report")
    assert result.exit_code == 1 and "pip install 'psycopg[binary]'" in result.stderr
    assert "pip install -e '.[postgres]'" in result.stderr


def test_visible_writes_out_control_and_format_characters():
    assert (
        visible("a\x00b\x1b[31mc\u202ed\u200be\x85f") == "a\\x00b\\x1b[31mc\\u202ed\\u200be\\x85f"
    )
    assert visible("één\tregel") == "één\\tregel"
    assert visible("twee\nregels", newlines=True) == "twee\nregels"
    assert visible("twee\nregels") == "twee\\nregels"
    assert visible("[bold]gewoon[/bold] ✓") == "[bold]gewoon[/bold] ✓"
