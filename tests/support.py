"""Helpers and fixtures shared by test files in several folders: kit's command line as a test
calls it, the shipped cases screened once, web clients behind a real login, the sensitive variant
of De Horst, and `kit serve` for the browser tests. They live here, loaded by conftest.py as a
plugin, so that no test file imports one in another folder."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from conftest import CASES, ROOT, kit_serve, load_raw
from databases import cli_env, kit_env
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import kit.store.tables as store_tables
import kit.timezone as dutch_time
from kit import screen
from kit.cli import app
from kit.cli.monitor import OVERDUE_EXIT
from kit.dates import dutch_date
from kit.web.app import create_app

runner = CliRunner()


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


# Half past midnight in the Netherlands is still the day before in UTC (and on this machine's
# clock): the hour in which a date taken from the wrong clock shows.
DUTCH_MIDNIGHT = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)


@pytest.fixture(params=["klok", "middernacht"])
def clock(request, monkeypatch) -> str:
    """Runs a test on the real clock and again at half past midnight Dutch time, where the
    Dutch day is one ahead of the UTC one."""
    if request.param == "middernacht":

        class Frozen(datetime):
            @classmethod
            def now(cls, tz=None):  # type: ignore[override]
                return DUTCH_MIDNIGHT.astimezone(tz) if tz else DUTCH_MIDNIGHT.replace(tzinfo=None)

        monkeypatch.setattr(dutch_time, "datetime", Frozen)
        monkeypatch.setattr(store_tables, "datetime", Frozen)
    return request.param


def write(tmp_path: Path, name: str, data: dict) -> Path:
    """A case (or update) file of `data`, as YAML."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def as_round(raw: dict, round_no: int, submitted: date | str) -> dict:
    """A copy of the case data as round `round_no`, submitted on `submitted`."""
    data = copy.deepcopy(raw)
    data["submission"].update(round=round_no, submitted_on=submitted)
    return data


def copy_db(path: Path, tmp_path: Path) -> str:
    shutil.copy(path, tmp_path / "kit.db")
    return f"sqlite:///{tmp_path / 'kit.db'}"


@pytest.fixture(scope="module")
def shipped_db_file(tmp_path_factory) -> Path:
    return screen_shipped(tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def shipped_db(shipped_db_file: Path, tmp_path: Path) -> str:
    return copy_db(shipped_db_file, tmp_path)


def kit(db_url: str, *args: str, role: str = "reviewer", user: str = "tester"):
    """kit as a test calls it, in `role` as `user` (KIT_USER); on PostgreSQL logged in as an
    account of `role` (kit_env), as the CLI must be there."""
    args = ("--role", role, *args, "--db", db_url)
    return runner.invoke(app, list(args), env=kit_env(list(args), {"KIT_USER": user}))


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


def bibob(db_url: str, outcome: str, role: str = "bibob", status: str = "afgerond"):
    return kit(
        db_url,
        "bibob",
        "record",
        "INS-2024-0287",
        "--status",
        status,
        "--outcome",
        outcome,
        "--date",
        "2024-07-01",
        "--reference",
        "BIBOB-2024-117",
        "--note",
        "Advies Landelijk Bureau Bibob",
        "--by",
        "B. Bibob",
        role=role,
    )


PASSWORDS = {
    "anna": ("toezicht", "anna-wachtwoord-1"),
    "rob": ("reviewer", "rob-wachtwoord-12"),
    "bea": ("beheer", "bea-wachtwoord-12"),
    "bo": ("bibob", "bo-wachtwoord-123"),
    "ike": ("inkoop", "ike-wachtwoord-12"),
}


def users_add(db_url: str, name: str, role: str, password: str):
    """`kit users add NAME --rol ROLE`, the password on standard input."""
    return runner.invoke(
        app,
        ["users", "add", name, "--rol", role, "--wachtwoord-stdin", "--db", db_url],
        input=password + "\n",
        env={"KIT_USER": "installateur"},
    )


def client(db_url: str) -> TestClient:
    return TestClient(create_app(db_url), follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def logged_in(db_url: str, name: str) -> TestClient:
    browser = client(db_url)
    form = browser.get("/aanmelden")
    done = browser.post(
        "/aanmelden",
        data={"naam": name, "wachtwoord": PASSWORDS[name][1], "csrf": csrf_of(form.text)},
    )
    assert done.status_code == 303, done.text
    return browser


# Values that occur in the test case only where they are sensitive, chosen so that nothing else
# (a document date, a rule text) can contain them by coincidence.
REG_NUMBERS = ["570019283", "570019284", "570019285", "570019286"]
VOG_DATES = {
    "S01": date(2017, 10, 13),
    "S02": date(2020, 2, 11),
    "S03": date(2023, 4, 19),
    "S04": date(2018, 7, 23),
}
SELF_CLEANING = "Doorstart onder curator mr. Q. Xylander-Brink, alle schuldeisers voldaan"
EVENT_DATE = date(2022, 5, 17)
DIPLOMA_FIELD = "toegepaste-psychologie"
NOTE = "Wijkteam meldt zorgen over woning Zuiderhagen 7731"


def sensitive_case() -> dict:
    raw = load_raw(CASES / "begeleiding-de-horst-evc-traject.yaml")
    sub = raw["submission"]
    for decl in sub["declarations"]:
        if decl["ground"] == "faillissement":
            decl.update(answer=True, event_date=EVENT_DATE, self_cleaning=SELF_CLEANING)
    sub["bibob"] = {"status": "afgerond", "outcome": "mindere-mate-gevaar"}
    numbers = iter(REG_NUMBERS)
    for member in sub["staff"]:
        member["vog"]["issued_on"] = VOG_DATES[member["id"]]
        for doc in member["documents"]:
            if doc["type"] == "vog":
                doc["issued_on"] = VOG_DATES[member["id"]]
        for reg in member.get("registrations", []):
            reg["number"] = next(numbers)
        if member["id"] == "S03":
            member["diplomas"][0]["field"] = DIPLOMA_FIELD
    return raw


def sensitive_values() -> list[str]:
    """Every value of sensitive_case() that only toezicht may see, as outputs would print it."""
    return (
        REG_NUMBERS
        + [
            SELF_CLEANING,
            NOTE,
            DIPLOMA_FIELD,
            EVENT_DATE.isoformat(),
            dutch_date(EVENT_DATE.isoformat()),
        ]
        + [d.isoformat() for d in VOG_DATES.values()]
        + [dutch_date(d.isoformat()) for d in VOG_DATES.values()]
    )


PASSWORD = "browser-wachtwoord-1"
CHROMIUM_ARGS = [
    "--no-sandbox",  # the CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_path() -> str | None:
    return os.environ.get("KIT_TEST_BROWSER") or shutil.which("chromium")


def required_browser() -> str:
    """The chromium to drive; a browser test without one fails when .ci/run asks for one
    (KIT_TEST_REQUIRE_BROWSER), and is skipped otherwise."""
    path = browser_path()
    if not path:
        if os.environ.get("KIT_TEST_REQUIRE_BROWSER"):
            pytest.fail("KIT_TEST_REQUIRE_BROWSER is set but no chromium was found")
        pytest.skip("no chromium (bash .ci/browser.sh installs Debian's)")
    return path


@pytest.fixture
def server(tmp_path):
    """`kit serve` on a free port, over the shipped cases, with one reviewer account."""
    path = required_browser()
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    assert runner.invoke(app, ["screen", str(CASES), "--db", db_url]).exit_code in (0, 1)
    added = runner.invoke(
        app,
        ["users", "add", "J. de Vries", "--rol", "reviewer", "--wachtwoord-stdin", "--db", db_url],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    with kit_serve(db_url) as base:
        yield base, path


# Processes that reach the database together (tests/store/test_concurrency.py, the repair
# requests of tests/screening/test_process.py, the first account of tests/cli/test_cli_login.py):
# import what a screening needs, wait for the start time in argv[1], then run `kit argv[2:]`.
STARTER = """
import sys, time
import kit.cli, kit.services, kit.store, kit.screening.screen
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
sys.argv = ["kit", *sys.argv[2:]]
kit.cli.main()
"""


def process_env(user: str = "tester") -> dict[str, str]:
    return {**os.environ, "KIT_USER": user, "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1"}


def together(db: str, *commands: list[str], lead: float = 3.0) -> list[tuple[int, str, str]]:
    """Run the `kit` commands as separate processes that start at the same moment; their exit
    codes, stdout and stderr, in order."""
    start = time.time() + lead
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(start), *command, "--db", db],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(db, command, process_env(f"gebruiker-{i}")),
        )
        for i, command in enumerate(commands)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        results.append((process.returncode, out, err))
    return results


def kit_process(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m kit ARGS --db DB` as a process of its own (logged in on PostgreSQL)."""
    return subprocess.run(
        [sys.executable, "-m", "kit", *args, "--db", db],
        capture_output=True,
        text=True,
        env=cli_env(db, list(args), process_env()),
        timeout=300,
    )
