"""Shared test helpers: the shipped cases, a fresh database per test, case loading."""

from __future__ import annotations

import copy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from databases import any_db  # noqa: F401  (a fresh database on SQLite and on PostgreSQL)
from yaml_rules import pytest_collect_file  # noqa: F401  (collects the rule tests in tests/rules/)

# Helpers and fixtures shared across the test folders (tests/support.py).
pytest_plugins = ["support"]

ROOT = Path(__file__).resolve().parent.parent

# The files whose tests drive chromium (kit serve and a real browser).
BROWSER_FILES = frozenset(
    {
        "test_accessibility_browser.py",
        "test_browser.py",
        "test_browser_work.py",
        "test_criteria_browser.py",
    }
)
# Test files whose tests take seconds each (measured with --durations; the quick inner loop
# leaves them out): property tests, whole regions, server processes, kit as subprocesses.
SLOW_FILES = frozenset(
    {
        "test_accessibility_browser.py",
        "test_abuse.py",
        "test_attacks.py",
        "test_browser.py",
        "test_browser_work.py",
        "test_cli.py",
        "test_concurrency.py",
        "test_criteria_browser.py",
        "test_differential.py",
        "test_hostile_input.py",
        "test_impact.py",
        "test_integrity.py",
        "test_intake.py",
        "test_letters.py",
        "test_migrations.py",
        "test_monitor.py",
        "test_objection.py",
        "test_process.py",
        "test_properties.py",
        "test_quality.py",
        "test_readme.py",
        "test_repair_rounds.py",
        "test_report.py",
        "test_rescreen.py",
        "test_roles.py",
        "test_sample.py",
        "test_voorcontrole.py",
        "test_web.py",
        "test_workday.py",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The markers of pyproject.toml: pg for the PostgreSQL half of the any_db tests, browser
    for the chromium tests (BROWSER_FILES), slow for the files in SLOW_FILES."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("any_db") == "postgresql":
            item.add_marker(pytest.mark.pg)
        if item.path.name in BROWSER_FILES:
            item.add_marker(pytest.mark.browser)
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


CASES = ROOT / "cases"
BASE_CASE = CASES / "zorgfix-bv.yaml"


def shipped_case_files() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def load_raw(path: Path = BASE_CASE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def raw_case() -> dict[str, Any]:
    return copy.deepcopy(load_raw())


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kit.db'}"


@contextmanager
def kit_serve(db_url: str, stop: int = signal.SIGTERM) -> Iterator[str]:
    """`kit serve` as a region runs it, on a free port: its base URL once it answers. Stopped
    with `stop` (SIGINT: as Ctrl-C does); what it printed is in SERVED[base] afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "kit", "serve", "--poort", str(port), "--db", db_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/aanmelden").close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("kit serve did not answer within 10 s")
        yield base
    finally:
        server.send_signal(stop)
        output, _ = server.communicate(timeout=10)
        SERVED[base] = (server.returncode, output)


SERVED: dict[str, tuple[int, str]] = {}


def send_request(db_url: str, submission_id: str, sent_on: str, by: str = "J. de Vries") -> Any:
    """`kit repair request`: the repair request sent on `sent_on` (P2), as a reviewer records it.
    A repair round answers one (P1): tests that screen round k send the request first."""
    from typer.testing import CliRunner

    from kit.cli import app

    result = CliRunner().invoke(
        app,
        ["repair", "request", submission_id, "--verzonden", sent_on, "--door", by, "--db", db_url],
        env={"KIT_USER": "tester"},
    )
    assert result.exit_code == 0, result.output
    return result


def record_request(db_url: str, submission_id: str, round_no: int, sent_on: str) -> None:
    """A repair request for `round_no` recorded straight in the store, for tests of what later
    rounds do (E7) with a provider `kit repair request` would refuse one today (excluded, or
    nothing to repair): rounds answer requests (P1), and such a request can have been sent
    before the exclusion or the admission was known."""
    from datetime import date

    from kit.screening.deadlines import deadline_of
    from kit.screening.screen import ruleset_for
    from kit.store import RepairRequestRow, Store

    day = date.fromisoformat(sent_on)
    with Store(db_url, create=False) as store:
        sub = store.submission(submission_id)
        latest = store.screenings_of(sub.pk)[-1]
        store.add(
            RepairRequestRow(
                submission_pk=sub.pk,
                review=latest.review,
                round=round_no,
                screening_pk=latest.pk,
                sent_on=day,
                sent_by="test",
                deadline=deadline_of(ruleset_for(day).process(), day),
                named_json="[]",
            )
        )
