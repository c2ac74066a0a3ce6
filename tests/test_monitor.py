"""Issue 5: `kit monitor`, toezicht's list of open conditions (M4) and non-declarable staff (S2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CASES
from databases import kit_env
from typer.testing import CliRunner

from kit import screen
from kit.cli import app
from kit.cli.monitor import OVERDUE_EXIT

runner = CliRunner()
WIERDEN, HORST = "INS-2024-0588", "INS-2024-0521"


def screen_shipped(directory: Path) -> Path:
    """Every shipped case screened into a database file once; tests work on copies. A reviewer
    sent Zorgfix (INS-2024-0042) its repair request the day it was screened, 2 April 2024: its
    deadline is 16 April 2024 (P2). The other submissions have not been asked anything."""
    from datetime import date

    from kit.services import Actor, send_repair_request
    from kit.store import Store

    path = directory / "kit.db"
    batch = screen([CASES], db_url=f"sqlite:///{path}")
    assert not batch.errors and len(batch.outcomes) == 23
    with Store(f"sqlite:///{path}") as store:
        reviewer = Actor("J. de Vries", "reviewer")
        send_repair_request(store, reviewer, "INS-2024-0042", date(2024, 4, 2))
    return path


def copy_db(path: Path, tmp_path: Path) -> str:
    shutil.copy(path, tmp_path / "kit.db")
    return f"sqlite:///{tmp_path / 'kit.db'}"


@pytest.fixture(scope="module")
def shipped_db_file(tmp_path_factory) -> Path:
    return screen_shipped(tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def shipped_db(shipped_db_file: Path, tmp_path: Path) -> str:
    return copy_db(shipped_db_file, tmp_path)


def kit(db_url: str, *args: str, role: str = "reviewer"):
    args = ["--role", role, *args, "--db", db_url]
    return runner.invoke(app, args, env=kit_env(args, {"KIT_USER": "tester"}))


def monitor_json(db_url: str, as_of: str, role: str = "reviewer") -> tuple[int, dict]:
    """The exit code and the JSON list, grouped by kind (as the tests below read it)."""
    result = kit(db_url, "monitor", "--as-of", as_of, "--json", role=role)
    assert result.exit_code in (0, OVERDUE_EXIT), result.output
    items = json.loads(result.stdout)
    assert isinstance(items, list)
    grouped: dict = {"conditions": [], "not_declarable": []}
    for item in items:
        kind = item.pop("soort")
        grouped["conditions" if kind == "voorwaarde" else "not_declarable"].append(item)
    grouped["overdue"] = sum(item["overdue"] for item in items)
    return result.exit_code, grouped


def test_json_is_one_list_of_items_with_their_kind(shipped_db):
    result = kit(shipped_db, "monitor", "--peildatum", "2025-03-02", "--json")
    items = json.loads(result.stdout)
    assert isinstance(items, list) and {i["soort"] for i in items} == {
        "voorwaarde",
        "niet-declarabel",
    }
    assert result.exit_code == OVERDUE_EXIT and any(i["overdue"] for i in items)


def test_contract_start_makes_the_recruiting_condition_overdue(shipped_db):
    before_code, before = monitor_json(shipped_db, "2024-12-01")
    after_code, after = monitor_json(shipped_db, "2025-01-02")
    # Before the contract start (2025-01-01) nothing is overdue: exit 0.
    assert before_code == 0 and before["overdue"] == 0
    assert [
        (c["submission_id"], c["rule"], c["due"], c["overdue"]) for c in before["conditions"]
    ] == [
        (WIERDEN, "G1-gedragswetenschapper", "2025-01-01", False),
        (HORST, "S1-registratie", "2025-03-01", False),
        (HORST, "S4-diplomaniveau", "2025-03-01", False),
    ]
    # The day after, the behavioural scientist Wierden was recruiting is overdue: exit 3.
    assert after_code == OVERDUE_EXIT and after["overdue"] == 1
    overdue = [c for c in after["conditions"] if c["overdue"]]
    assert [(c["submission_id"], c["lot"], c["subject"]) for c in overdue] == [
        (WIERDEN, "jeugd-ambulant-begeleiding", "provider")
    ]
    assert overdue[0]["provider_name"] == "Jeugdhulp Wierden B.V."
    assert "gedragswetenschapper" in overdue[0]["message"] and overdue[0]["title"]
    # The EVC conditions (due 2025-03-01) are still on time.
    assert not any(c["overdue"] for c in after["conditions"] if c["submission_id"] == HORST)


def test_table_marks_overdue_items_and_the_exit_status_says_so(shipped_db):
    on_time = kit(shipped_db, "monitor", "--as-of", "2024-12-01")
    late = kit(shipped_db, "monitor", "--as-of", "2025-01-02")
    assert on_time.exit_code == 0 and "te laat" not in on_time.stdout
    assert "Niets achterstallig per 2024-12-01" in on_time.stdout
    assert late.exit_code == OVERDUE_EXIT and late.stdout.count("te laat") == 1
    assert "1 achterstallig per 2025-01-02" in late.stdout
    for word in ("Vervalt", "Jeugdhulp Wierden", "Begeleiding De Horst", "medewerker S03"):
        assert word in late.stdout


def test_non_declarable_staff_are_listed_until_their_evc_completes(shipped_db):
    _, report = monitor_json(shipped_db, "2024-12-01", role="toezicht")
    assert report["not_declarable"] == [
        {
            "submission_id": HORST,
            "provider_name": "Begeleiding De Horst B.V.",
            "provider_kvk": "71234514",
            "staff": "S03",
            "function": "jeugdhulpverlener",
            "lots": ["jeugd-ambulant-begeleiding"],
            "reason": "EVC-traject loopt; telt niet mee voor de eisen (S2)",
            "until": "2025-03-01",
            "overdue": False,
        }
    ]
    # Past the expected completion the EVC conditions and the staff member are overdue too.
    code, late = monitor_json(shipped_db, "2025-03-02", role="toezicht")
    assert code == OVERDUE_EXIT and late["overdue"] == 4
    assert late["not_declarable"][0]["overdue"] is True


@pytest.mark.parametrize("role", ["reviewer", "inkoop", "bibob"])
def test_why_and_until_when_staff_do_not_count_is_for_toezicht_only(shipped_db, role):
    # An EVC trajectory says a diploma is missing; the others see who does not count, for which
    # lots and until when, and that the reason is toezicht's.
    _, report = monitor_json(shipped_db, "2025-03-02", role=role)
    [member] = report["not_declarable"]
    assert member["staff"] == "S03" and member["lots"] == ["jeugd-ambulant-begeleiding"]
    assert (
        member["reason"]
        == "Telt niet mee voor de eisen; de reden is alleen zichtbaar voor toezicht."
    )
    # The date is the due date of the conditions that go with it, which every role reads.
    assert member["until"] == "2025-03-01" and member["overdue"] is True
    table = kit(shipped_db, "monitor", "--as-of", "2025-03-02", role=role).stdout
    assert "EVC" not in table and "S03" in table


def test_sensitive_conditions_show_detail_to_toezicht_only(shipped_db):
    _, reviewer = monitor_json(shipped_db, "2024-12-01")
    _, toezicht = monitor_json(shipped_db, "2024-12-01", role="toezicht")
    staff = [c for c in reviewer["conditions"] if c["subject"] == "staff:S03"]
    assert staff and all(c["message"].startswith("Niet voldaan; de details") for c in staff)
    assert all(c["title"] for c in staff)  # what is owed stays readable for everyone
    detail = [c["message"] for c in toezicht["conditions"] if c["subject"] == "staff:S03"]
    assert any("diploma op niveau hbo" in m for m in detail)


def test_empty_store_has_nothing_overdue(db_url):
    from kit.store import Store

    Store(db_url)  # an existing database without screenings
    result = kit(db_url, "monitor", "--as-of", "2025-01-02")
    assert result.exit_code == 0 and "Niets achterstallig" in result.stdout


def test_a_mistyped_database_is_an_error_not_an_empty_list(tmp_path):
    result = kit(f"sqlite:///{tmp_path / 'kit-tikfout.db'}", "monitor", "--as-of", "2025-01-02")
    assert result.exit_code == 1 and "bestaat niet" in result.stderr
    assert not (tmp_path / "kit-tikfout.db").exists()


def test_help_documents_the_exit_status():
    result = runner.invoke(app, ["monitor", "--help"])
    assert result.exit_code == 0 and "3" in result.stdout and "achterstallig" in result.stdout


def test_bad_as_of_is_a_dutch_error(db_url):
    result = kit(db_url, "monitor", "--as-of", "2025-13-01")
    assert result.exit_code == 2 and "ongeldige datum" in result.stderr  # a usage error
