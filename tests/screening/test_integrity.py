"""Issue 12: what is stored is checked before it is trusted, and odd input is one Dutch line.

Replay checks the stored case and rule-set snapshot against their hashes; a broken vocabulary
is caught by `kit rules check` and before any screening; an impossible screening number, a
screening stored on top of a history that changed meanwhile: each a clear refusal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import BASE_CASE, CASES, ROOT
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from kit.case.reading import load_case
from kit.cli import app
from kit.services.outcomes import screen_submission, store_outcomes
from kit.store import Conflict, Store
from kit.views.standing import standings

runner = CliRunner()


def kit(*args: str):
    return runner.invoke(app, list(args), env={"KIT_USER": "tester"})


def screened(db_url: str) -> str:
    result = kit("screen", str(BASE_CASE), "--json", "--db", db_url)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["screening_id"]


def test_replay_of_an_untouched_screening_is_identical(db_url):
    code = screened(db_url)
    result = kit("replay", code, "--db", db_url)
    assert result.exit_code == 0 and "identiek" in result.stdout


def test_replay_says_the_stored_case_was_changed(db_url):
    code = screened(db_url)
    with create_engine(db_url).begin() as connection:
        case_json = connection.scalar(text("SELECT case_json FROM screenings"))
        changed = json.loads(case_json)
        changed["submission"]["provider"]["name"] = "Ander B.V."
        connection.execute(
            text("UPDATE screenings SET case_json = :json"), {"json": json.dumps(changed)}
        )
    result = kit("replay", code, "--db", db_url)
    assert result.exit_code == 1 and "identiek" not in result.stdout
    assert "Niet vertrouwd: de opgeslagen casus klopt niet met haar hash" in result.stdout
    assert "na de screening gewijzigd" in result.stdout


def test_replay_says_the_stored_rule_set_was_changed(db_url):
    code = screened(db_url)
    with create_engine(db_url).begin() as connection:
        content = connection.scalar(text("SELECT content FROM ruleset_snapshots"))
        connection.execute(
            text("UPDATE ruleset_snapshots SET content = :c"),
            {"c": content.replace('"max_age_months": 6', '"max_age_months": 60', 1)},
        )
    result = kit("replay", code, "--db", db_url)
    assert result.exit_code == 1
    assert (
        "Niet vertrouwd: de opgeslagen regelset kit-2025 klopt niet met haar hash" in result.stdout
    )


@pytest.mark.parametrize("code", ["SCR-99999999999999999999999", "SCR-١٢", "SCR--1", "SCR-"])
def test_an_impossible_screening_number_is_one_dutch_line(db_url, code):
    screened(db_url)
    result = kit("replay", code, "--db", db_url)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "bestaat niet" in result.stderr and "Traceback" not in result.output


def broken_rules(tmp_path, change):
    directory = tmp_path / "regels"
    shutil.copytree(ROOT / "rules", directory)
    vocabulary = directory / "vocabulary.yaml"
    vocabulary.write_text(change(vocabulary.read_text(encoding="utf-8")), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("\nlots:", "\nlotz:", 1), "lots: verplicht veld ontbreekt"),
        (lambda t: t.replace("level: master}", "level: mister}", 1), "onbekend niveau 'mister'"),
        (lambda t: t + "\nlots: [\n", "geen geldige YAML"),
        (
            lambda t: t.replace("\n  rie: risico-inventarisatie", "\n  rie-oud: risico", 1),
            "document_labels: geen Nederlandse naam voor 'rie' uit document_types",
        ),
        (
            lambda t: t.replace("\n  fraude: fraude", "\n  fraude: ''", 1),
            "exclusion_ground_labels: geen Nederlandse naam voor 'fraude'",
        ),
    ],
)
def test_rules_check_refuses_a_broken_vocabulary(tmp_path, change, expected):
    directory = broken_rules(tmp_path, change)
    result = kit("rules", "check", str(directory))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert f"{directory / 'vocabulary.yaml'}" in result.stderr and expected in result.stderr


def test_a_broken_vocabulary_stops_screening_with_one_line(tmp_path):
    directory = broken_rules(tmp_path, lambda t: t.replace("\nlots:", "\nlotz:", 1))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kit",
            "screen",
            str(ROOT / "cases"),
            "--db",
            f"sqlite:///{tmp_path / 'kit.db'}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "KIT_RULES_DIR": str(directory), "KIT_USER": "tester"},
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "lots: verplicht veld ontbreekt" in result.stderr


def test_storing_on_a_history_that_changed_meanwhile_is_refused(db_url):
    screened(db_url)
    with Store(db_url) as store:
        outcome = screen_submission(load_case(BASE_CASE), None, "later.yaml", store, {}, again=True)
        before = len(store.screenings())
        key = (outcome.case.submission.procedure, outcome.case.submission.id)
        with pytest.raises(Conflict, match="intussen heeft een andere gebruiker een screening"):
            store_outcomes(store, [outcome], expected={key: None}, force=True)
        assert len(store.screenings()) == before


def test_the_hash_of_a_case_follows_its_content():
    """The canonical JSON is made once per case (screening and storing use it several times);
    a changed copy must not keep the original's."""
    case = load_case(BASE_CASE)
    first = case.sha256()
    later = case.model_copy(update={"submission": case.submission.model_copy(update={"round": 2})})
    assert later.sha256() != first and json.loads(later.canonical_json)["submission"]["round"] == 2
    assert case.sha256() == first


# --- a store damaged by hand -------------------------------------------------------------------


def kit_process(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`kit ARGS` as a user runs it: the whole process, with its last-resort handlers."""
    return subprocess.run(
        [sys.executable, "-m", "kit", *args, "--db", db_url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "KIT_USER": "tester"},
    )


@pytest.mark.parametrize(
    ("table", "column", "command"),
    [
        ("screenings", "summary_json", ("report",)),
        ("screenings", "case_json", ("show", "INS-2024-0042")),
        ("findings", "evidence", ("show", "INS-2024-0042")),
        (
            "screenings",
            "prior_json",
            ("--rol", "inkoop", "rescreen", "12345678", "--peildatum", "2024-05-01"),
        ),
        (  # the region's re-screen in worker processes: the damaged one is named, no traceback
            "screenings",
            "case_json",
            ("--rol", "inkoop", "rescreen", "--alle", "--peildatum", "2024-05-01"),
        ),
    ],
)
def test_damaged_json_in_the_store_is_one_dutch_line_naming_the_record(
    db_url, table, column, command
):
    code = screened(db_url)
    with create_engine(db_url).begin() as connection:
        connection.execute(text(f"UPDATE {table} SET {column} = '{{kapot'"))
    before = Store(db_url).counts()
    done = kit_process(db_url, *command)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "database beschadigd" in done.stderr and "geen geldige JSON" in done.stderr
    where = "de voorgeschiedenis" if column == "prior_json" else f"screening {code}"
    assert where in done.stderr and column in done.stderr
    assert Store(db_url).counts() == before  # nothing half stored


def test_a_damaged_finding_read_for_the_xlsx_is_one_dutch_line(tmp_path):
    """`kit report --formaat xlsx` reads the region's open findings for its second sheet: a
    damaged date read there is one Dutch line, and no file."""
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    assert kit("screen", str(CASES), "--db", db_url, "--peildatum", "2024-04-02").exit_code == 0
    last = standings(Store(db_url))[-1]  # the list's last provider: its findings, the last part
    with create_engine(db_url).begin() as connection:
        damaged = connection.execute(
            text(
                "UPDATE findings SET due = 'gisteren' "
                "WHERE screening_pk = :pk AND status != 'voldaan'"
            ),
            {"pk": last.screening_pk},
        ).rowcount
    assert damaged > 0
    target = tmp_path / "lijst.xlsx"
    done = kit_process(db_url, "report", "--formaat", "xlsx", "--uitvoer", str(target))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "database beschadigd: een opgeslagen datum of getal is onleesbaar" in done.stderr
    assert list(tmp_path.glob("lijst.xlsx*")) == []  # nothing written, not even in part


def test_an_unreadable_stored_date_is_one_dutch_line(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"  # PostgreSQL would not store a date like this
    screened(db_url)
    with create_engine(db_url).begin() as connection:
        connection.execute(text("UPDATE screenings SET as_of = 'gisteren'"))
    done = kit_process(db_url, "monitor")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "database beschadigd: een opgeslagen datum of getal is onleesbaar ('gisteren')" in (
        done.stderr
    )
