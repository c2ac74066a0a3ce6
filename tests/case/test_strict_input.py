"""Strict input (issue 26, item 4): in a case file numbers, booleans and dates count only as
themselves (YAML 1.2 core schema, pydantic strict), ids are ASCII of one pattern, and a
submission cannot be dated after today. Each refusal is one Dutch line naming the file and the
field, and nothing is stored."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import BASE_CASE, CASES, load_raw
from databases import cli_env
from typer.testing import CliRunner

from kit.case.reading import load_case
from kit.cli import app
from kit.errors import CaseError
from kit.store import Store
from kit.structured import read_structured
from kit.timezone import today

runner = CliRunner()


def _yaml_with(tmp_path: Path, old: str, new: str) -> Path:
    text = BASE_CASE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "casus.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _json_with(tmp_path: Path, where: tuple[str, ...], value: object) -> Path:
    """The shipped case as a JSON file, with submission.<where> set to `value`."""
    raw = json.loads(json.dumps(load_raw(), default=str))
    part = raw["submission"]
    for key in where[:-1]:
        part = part[int(key)] if isinstance(part, list) else part[key]
    part[where[-1]] = value
    path = tmp_path / "casus.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def _refused(path: Path, *parts: str) -> str:
    with pytest.raises(CaseError) as info:
        load_case(path)
    message = info.value.message
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    for part in parts:
        assert part in message, message
    return message


@pytest.mark.parametrize(
    "written",
    ["yes", "no", "on", "Off", "y", '"12"', "'12'", "0x12", "0o12", "190:20:30", "1_000", "12.0"],
)
def test_a_count_only_as_a_whole_number(tmp_path, written):
    path = _yaml_with(tmp_path, "employees: 18", f"employees: {written}")
    _refused(path, "submission.provider.employees: verwacht een geheel getal")


@pytest.mark.parametrize("written", ["190:20:30", "0x12", '"12.5"', "yes", "true"])
def test_a_number_only_as_a_number(tmp_path, written):
    path = _yaml_with(tmp_path, "fte: 14.5", f"fte: {written}")
    _refused(path, "submission.provider.fte: verwacht een getal")


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "Y", "1", "0", '"true"'])
def test_a_boolean_only_as_true_or_false(tmp_path, written):
    path = _yaml_with(tmp_path, "answer: false", f"answer: {written}")
    _refused(path, "answer: verwacht ja/nee")


def test_yaml_reads_numbers_and_booleans_as_yaml_1_2_does(tmp_path):
    path = tmp_path / "waarden.yaml"
    path.write_text(
        "a: 012\nb: -3\nc: 1.5e3\nd: true\ne: False\nf: yes\ng: 190:20:30\nh: 0x12\ni: ~\n"
        "j: 2024-04-02\n",
        encoding="utf-8",
    )
    assert read_structured(path) == {
        "a": 12,  # decimal; YAML 1.1 read 012 as octal 10
        "b": -3,
        "c": 1500.0,
        "d": True,
        "e": False,
        "f": "yes",
        "g": "190:20:30",
        "h": "0x12",
        "i": None,
        "j": "2024-04-02",
    }


def test_whole_numbers_still_serve_where_a_decimal_is_asked(tmp_path):
    path = _yaml_with(tmp_path, "fte: 14.5", "fte: 11")
    assert load_case(path).submission.provider.fte == 11


@pytest.mark.parametrize("value", [20240402, 1712016000, "2024-04-02T00:00:00", "2024-4-2"])
def test_a_date_only_as_a_date(tmp_path, value):
    path = _json_with(tmp_path, ("submitted_on",), value)
    _refused(path, "submission.submitted_on: ongeldige datum, verwacht JJJJ-MM-DD")


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (("provider", "employees"), "14", "verwacht een geheel getal"),
        (("provider", "employees"), True, "verwacht een geheel getal"),
        (("provider", "fte"), "11.2", "verwacht een getal"),
        (("recruiting_gedragswetenschapper",), 1, "verwacht ja/nee"),
        (("recruiting_gedragswetenschapper",), "true", "verwacht ja/nee"),
        (("round",), "0", "verwacht een geheel getal"),
    ],
)
def test_json_cases_are_as_strict(tmp_path, where, value, expected):
    path = _json_with(tmp_path, where, value)
    _refused(path, f"submission.{'.'.join(where)}: {expected}")


@pytest.mark.parametrize(
    "bad_id",
    [
        "INS-2024-0042\n",
        'INS-2024-0042"',
        "'INS-2024-0042'",
        "INS-G\u041e\u041eD-0001",  # two Cyrillic O's that read as Latin ones
        "INS 2024 0042",
        "-INS",
        "INS/../0042",
        "I" * 65,
    ],
)
def test_a_submission_id_only_in_its_pattern(tmp_path, bad_id):
    _refused(_json_with(tmp_path, ("id",), bad_id), "submission.id:")


def test_a_staff_id_with_look_alike_letters_is_refused(tmp_path):
    path = _json_with(tmp_path, ("staff", "0", "id"), "S\u041e1")  # a Cyrillic O
    _refused(path, "submission.staff[0].id:")


def test_a_submission_dated_after_today_is_refused_and_nothing_stored(tmp_path, any_db):
    tomorrow = today() + timedelta(days=1)
    path = _yaml_with(tmp_path, "submitted_on: 2024-04-02", f"submitted_on: {tomorrow}")
    result = runner.invoke(
        app,
        ["--rol", "reviewer", "screen", str(path), "--db", any_db],
        env=cli_env(any_db, ["--rol", "reviewer"], {"KIT_USER": "t"}),
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr, result.stderr
    assert f"submission.submitted_on: {tomorrow.isoformat()} ligt na vandaag" in result.stderr
    assert Store(any_db).screenings() == []


def test_a_submission_dated_today_is_screened(tmp_path, any_db):
    path = _yaml_with(tmp_path, "submitted_on: 2024-04-02", f"submitted_on: {today()}")
    result = runner.invoke(
        app,
        ["--rol", "reviewer", "screen", str(path), "--db", any_db, "--peildatum", str(today())],
        env=cli_env(any_db, ["--rol", "reviewer"], {"KIT_USER": "t"}),
    )
    assert result.exit_code in (0, 2), result.output  # 2: the screening found something
    assert len(Store(any_db).screenings()) == 1, result.output


def test_a_screening_dated_in_the_future_is_refused(tmp_path, db_url):
    """A screening is stored on its peildatum: one on a day still to come would stand in every
    list (and block repair requests) until then."""
    ahead = (today() + timedelta(days=1)).isoformat()
    result = CliRunner().invoke(
        app,
        ["screen", str(CASES / "zorgfix-bv.yaml"), "--peildatum", ahead, "--db", db_url],
        env={"KIT_USER": "tester"},
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        f"fout: --peildatum {ahead} ligt in de toekomst; een screening wordt opgeslagen en kan "
        "niet vooruit (kit rules impact --peildatum rekent vooruit zonder op te slaan)"
    )
    assert not Path(db_url.removeprefix("sqlite:///")).exists() or Store(db_url).screenings() == []
