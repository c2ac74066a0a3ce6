"""Issue 26, item 3: batches that are idempotent and honest under faults. A region re-screen
run twice, or killed midway and run again, stores each submission's re-screen exactly once; a
full disk or a lost database is reported with exactly what was stored."""

from __future__ import annotations

import functools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date

import pytest
from conftest import CASES, ROOT
from databases import kit_env
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError
from support import kit as kit_cli
from typer.testing import CliRunner

import kit.services.rescreen
from bench.generate import region
from kit.services import batch
from kit.services.batch import Item, screen_many
from kit.store import ScreeningRow, Store, SubmissionRow
from kit.store.screenings import Screenings

runner = CliRunner()
DAY = "2025-06-01"


def run(db_url: str, *args: str, role: str = "inkoop"):
    return kit_cli(db_url, *args, role=role)


def rescreens(db: str, day: str = DAY) -> Counter[str]:
    """Per submission, how many re-screens on `day` are stored."""
    with Store(db, create=False) as store, store.session() as session:
        query = (
            select(SubmissionRow.submission_id)
            .join(ScreeningRow, ScreeningRow.submission_pk == SubmissionRow.id)
            .where(
                ScreeningRow.reason == "herscreening", ScreeningRow.as_of == date.fromisoformat(day)
            )
        )
        return Counter(session.execute(query).scalars())


def stored_region(db: str, count: int) -> None:
    """`count` generated submissions screened and stored (in this process: quick)."""
    items = [Item(f"{i:04d}.json", case) for i, case in enumerate(region(count))]
    report = screen_many(items, db, date(2024, 6, 1), workers=1)
    assert report.submissions == count and not report.errors


def test_a_second_region_rescreen_on_the_same_date_stores_nothing_again(any_db):
    assert run(any_db, "screen", str(CASES), role="reviewer").exit_code in (0, 1)
    first = run(any_db, "rescreen", "--alle", "--peildatum", DAY, "--json")
    assert first.exit_code == 0, first.output
    count = len(Store(any_db).screenings())
    done = rescreens(any_db)
    assert done and set(done.values()) == {1}
    again = run(any_db, "rescreen", "--alle", "--peildatum", DAY, "--json")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert summary["screened"] == 0 and len(summary["already"]) == len(done)
    assert len(Store(any_db).screenings()) == count and rescreens(any_db) == done
    table = run(any_db, "rescreen", "--alle", "--peildatum", DAY)
    assert f"{len(done)} inschrijving(en) waren al herscreend op {DAY}" in table.stdout


def _count(db: str) -> int:
    with create_engine(db).connect() as connection:
        return int(
            connection.scalar(text("SELECT count(*) FROM screenings WHERE reason = 'herscreening'"))
            or 0
        )


@pytest.mark.slow
def test_a_killed_region_rescreen_run_again_stores_each_submission_once(any_db):
    total = 400
    stored_region(any_db, total)
    command = [sys.executable, "-m", "kit", "--role", "inkoop", "rescreen", "--alle"]
    command += ["--peildatum", DAY, "--db", any_db]
    env = {**os.environ, **kit_env(command, {"KIT_USER": "tester", "PYTHONPATH": str(ROOT)})}
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group: the workers go with it
    )
    deadline = time.time() + 180
    while _count(any_db) == 0 and process.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    partial = _count(any_db)
    assert 0 < partial < total, "the run must be killed halfway"
    rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - partial} inschrijving(en) herscreend op {DAY}" in rerun.stdout
    assert f"{partial} inschrijving(en) waren al herscreend" in rerun.stdout
    done = rescreens(any_db)
    assert len(done) == total and set(done.values()) == {1}


FAULTS = {
    "de schijf is vol": sqlite3.OperationalError("database or disk is full"),
    "de database is niet (meer) bereikbaar": sqlite3.OperationalError(
        "unable to open database file"
    ),
}


@pytest.mark.parametrize("why", sorted(FAULTS))
def test_a_fault_midway_is_reported_with_exactly_what_was_stored(any_db, monkeypatch, why):
    total = 60
    stored_region(any_db, total)
    fail_after(monkeypatch, 2, FAULTS[why])  # each worker stores two batches, then fails
    small = functools.partial(batch.rescreen_stored, batch_size=10)  # several batches of 60
    monkeypatch.setattr(kit.services.rescreen, "rescreen_stored", small)
    result = run(any_db, "rescreen", "--alle", "--peildatum", DAY)
    assert result.exit_code == 1
    stored = sum(rescreens(any_db).values())
    assert 0 < stored < total
    assert f"{stored} van {total} inschrijvingen herscreend op {DAY} en opgeslagen; {why}" in (
        result.stderr
    )
    assert "niets opgeslagen" not in result.output and "Traceback" not in result.output
    monkeypatch.undo()
    rerun = run(any_db, "rescreen", "--alle", "--peildatum", DAY)
    assert rerun.exit_code == 0, rerun.output
    done = rescreens(any_db)
    assert len(done) == total and set(done.values()) == {1}


def fail_after(monkeypatch: pytest.MonkeyPatch, batches: int, fault: Exception) -> None:
    """Every process stores `batches` batches, then meets `fault` at each insert."""
    real, calls = Screenings._insert, Counter[int]()

    def failing(self, session, outcomes, submissions):  # type: ignore[no-untyped-def]
        calls[os.getpid()] += 1
        if calls[os.getpid()] > batches:
            raise OperationalError("INSERT INTO screenings", {}, fault)
        return real(self, session, outcomes, submissions)

    monkeypatch.setattr(Screenings, "_insert", failing)


def test_a_full_disk_in_kit_screen_names_how_many_of_how_many_were_stored(any_db, monkeypatch):
    files = [path for path in CASES.iterdir() if path.suffix in (".yaml", ".json")]
    fail_after(monkeypatch, 3, FAULTS["de schijf is vol"])
    result = run(any_db, "screen", str(CASES), role="reviewer")
    assert result.exit_code == 1
    assert len(Store(any_db).screenings()) == 3
    line = f"3 van {len(files)} inschrijvingen gescreend en opgeslagen; de schijf is vol."
    assert line in result.stderr and "niets opgeslagen" not in result.output


@pytest.mark.slow
def test_a_full_disk_in_a_region_run_names_how_many_were_stored(any_db, monkeypatch, tmp_path):
    total = 250
    for index, case in enumerate(region(total)):
        (tmp_path / f"{index:04d}.json").write_text(json.dumps(case), encoding="utf-8")
    fail_after(monkeypatch, 1, FAULTS["de schijf is vol"])
    result = run(any_db, "screen", str(tmp_path), role="reviewer")
    assert result.exit_code == 1
    stored = len(Store(any_db).screenings())
    assert 0 < stored < total
    line = f"{stored} van {total} inschrijvingen gescreend en opgeslagen; de schijf is vol."
    assert line in result.stderr and "niets opgeslagen" not in result.output
