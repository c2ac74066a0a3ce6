"""Issue 12: many users and processes at once, crashes and reruns, on SQLite and PostgreSQL.

Each test starts real `kit` processes (python -m kit) on one fresh database. The processes
import kit first and then wait for a common start time, so that they reach the database
together, as eight reviewers pressing enter at once would.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import yaml
from conftest import ROOT, load_raw, shipped_case_files
from databases import cli_env
from sqlalchemy import create_engine, func, select, text
from support import kit_process as kit
from support import process_env as env
from support import together

from bench.generate import region
from kit.store import ScreeningRow, Store, SubmissionRow
from kit.store.schema import head


def stored(db: str) -> list[tuple[str, int, str]]:
    """(submission id, round, case hash) of every stored screening, in the order stored."""
    with Store(db, create=False) as store, store.session() as session:
        query = (
            select(SubmissionRow.submission_id, ScreeningRow.round, ScreeningRow.case_sha256)
            .join(SubmissionRow, ScreeningRow.submission_pk == SubmissionRow.id)
            .order_by(ScreeningRow.id)
        )
        return [tuple(row) for row in session.execute(query)]


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_eight_first_uses_of_a_fresh_database_all_succeed(any_db):
    cases = shipped_case_files()[:8]
    results = together(any_db, *(["screen", str(case)] for case in cases))
    for code, out, err in results:
        assert code == 0, err
        assert "1 inschrijving(en) gescreend en opgeslagen" in out
    assert len(stored(any_db)) == 8
    with create_engine(any_db).connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head()


def test_the_same_case_from_eight_processes_is_stored_once(any_db):
    case = str(shipped_case_files()[0])
    results = together(any_db, *(["screen", case] for _ in range(8)))
    assert [code for code, _, _ in results] == [0] * 8, [err for c, _, err in results if c]
    assert len(stored(any_db)) == 1
    [code] = {row for row in _codes(any_db)}
    already = [err for _, _, err in results if f"al gescreend: {code}" in err]
    assert len(already) == 7


def _codes(db: str) -> list[str]:
    with Store(db, create=False) as store:
        return [row.code for row in store.screenings()]


def test_concurrent_rounds_store_a_sequence_the_round_policy_allows(any_db, tmp_path):
    raw = load_raw()
    raw["submission"]["submitted_on"] = date(2024, 4, 2)
    assert kit(any_db, "screen", str(write(tmp_path / "r0.yaml", raw))).returncode == 0
    # Round 1 answers the repair request of 2 April (P1); round 2 has none yet: whichever comes
    # first, it is refused (no round 1 yet, or no request for round 2).
    asked = ["repair", "request", "INS-2024-0042", "--verzonden", "2024-04-02", "--door", "R."]
    assert kit(any_db, *asked).returncode == 0
    files = []
    for round_no, days in ((1, (8, 9, 10, 11)), (2, (12, 15, 16, 17))):
        for day in days:
            data = copy.deepcopy(raw)
            data["submission"]["round"] = round_no
            data["submission"]["submitted_on"] = date(2024, 4, day)
            files.append(write(tmp_path / f"r{round_no}-{day}.yaml", data))
    results = together(any_db, *(["screen", str(path)] for path in files))
    rounds = [round_no for _, round_no, _ in stored(any_db)]
    # What a sequential run allows: round 0 first, then each round the same or one higher.
    assert rounds[0] == 0 and len(rounds) > 1
    assert all(later in (earlier, earlier + 1) for earlier, later in itertools.pairwise(rounds))
    stored_count = len(rounds) - 1
    refused = [err for code, _, err in results if code != 0]
    assert stored_count + len(refused) == 8
    for err in refused:  # the usual Dutch refusal, one line, naming the submission
        assert err.startswith("fout: ") and err.count("\n") == 1 and "INS-" in err, err
        assert (
            "kan niet" in err
            or "geen herstelverzoek verstuurd" in err
            or "ligt voor de laatste screening van die ronde" in err  # a later day came first
        ), err
    assert 2 not in rounds


def _region_dir(tmp_path: Path, count: int) -> Path:
    directory = tmp_path / "regio"
    directory.mkdir()
    for index, case in enumerate(region(count)):
        (directory / f"{index:04d}.json").write_text(json.dumps(case), encoding="utf-8")
    return directory


def _count(db: str) -> int:
    with create_engine(db).connect() as connection:
        try:
            return int(connection.scalar(text("SELECT count(*) FROM screenings")) or 0)
        except Exception:  # the schema may not exist yet
            return 0


def _start_region(db: str, directory: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kit", "screen", str(directory), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(db, ["screen"], env()),
        start_new_session=True,  # its own process group: the workers go with it
    )


def _wait_for_some(db: str, process: subprocess.Popen[str], total: int) -> int:
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        count = _count(db)
        if count > 0:
            return count
        time.sleep(0.02)
    raise AssertionError(f"nothing stored in time: {process.communicate()}")


def test_killed_region_run_then_rerun_leaves_one_screening_per_case(any_db, tmp_path):
    total = 400
    directory = _region_dir(tmp_path, total)
    process = _start_region(any_db, directory)
    _wait_for_some(any_db, process, total)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    partial = _count(any_db)
    assert 0 < partial < total, "the run must be killed halfway"
    rerun = kit(any_db, "screen", str(directory))
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - partial} inschrijving(en) gescreend en opgeslagen" in rerun.stdout
    assert f"{partial} al gescreend" in rerun.stdout
    per_submission = Counter(sub for sub, _, _ in stored(any_db))
    assert len(per_submission) == total and set(per_submission.values()) == {1}
    again = kit(any_db, "screen", str(directory))
    assert again.returncode == 0 and "0 inschrijving(en) gescreend en opgeslagen" in again.stdout
    assert _count(any_db) == total


def test_ctrl_c_ends_with_one_dutch_line_and_an_audit_event(any_db, tmp_path):
    total = 800  # more than the batches in hand when it stops (two per worker)
    directory = _region_dir(tmp_path, total)
    process = _start_region(any_db, directory)
    _wait_for_some(any_db, process, total)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
    try:
        _out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # show where it hangs (faulthandler, see env())
        os.kill(process.pid, signal.SIGABRT)
        raise AssertionError(process.communicate()[1]) from None
    assert process.returncode == 130, err
    assert "Traceback" not in err and err.startswith("fout: onderbroken"), err
    with Store(any_db, create=False) as store:
        [run] = [e for e in store.audit_events() if e.action == "screeningsrun"]
        detail = json.loads(run.detail)
        assert detail["interrupted"] is True
        assert detail["stored"] == _count(any_db) and 0 < detail["stored"] < total
        assert detail["not_reached"] == total - detail["stored"] - detail["failed"]


def test_every_run_leaves_an_audit_event_with_what_it_stored(any_db):
    cases = [str(path) for path in shipped_case_files()[:3]]
    assert kit(any_db, "screen", *cases).returncode == 0
    assert kit(any_db, "screen", *cases).returncode == 0
    with Store(any_db, create=False) as store:
        runs = [json.loads(e.detail) for e in store.audit_events() if e.action == "screeningsrun"]
    assert [len(run["stored"]) for run in runs] == [3, 0]
    assert [len(run["existing"]) for run in runs] == [0, 3]
    assert not any(run["interrupted"] for run in runs)


def _refuse_provider(db: str, name: str) -> None:
    """A database that refuses one provider's row: a stand-in for any database error that hits
    one case (a value the database cannot store, a constraint, a broken disk page)."""
    engine = create_engine(db)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON submissions "
                    f"WHEN NEW.provider_name = '{name}' BEGIN SELECT RAISE(ABORT, 'nee'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.provider_name = '{name}' THEN RAISE EXCEPTION 'nee'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON submissions "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    engine.dispose()


def test_a_database_error_loses_that_case_only_and_names_its_file(any_db, tmp_path):
    Store(any_db).close()
    cases = shipped_case_files()
    victim = load_raw(cases[0])["submission"]["provider"]["name"]
    _refuse_provider(any_db, victim)
    result = kit(any_db, "screen", str(ROOT / "cases"))
    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("fout:")]
    assert str(cases[0]) in line and "databasefout" in line and "nee" not in line
    assert len(stored(any_db)) == len(cases) - 1


def test_a_database_error_in_region_mode_loses_that_case_only(any_db, tmp_path):
    total = 250
    directory = _region_dir(tmp_path, total)
    Store(any_db).close()
    victim = json.loads((directory / "0007.json").read_text())["submission"]["provider"]["name"]
    _refuse_provider(any_db, victim)
    result = kit(any_db, "screen", str(directory))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("fout:")]
    assert len(errors) == 1 and "0007.json" in errors[0] and "databasefout" in errors[0]
    assert f"{total - 1} inschrijving(en) gescreend en opgeslagen" in result.stdout
    assert _count(any_db) == total - 1


def test_new_sqlite_database_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "kit.db"
    assert kit(f"sqlite:///{path}", "screen", str(shipped_case_files()[0])).returncode == 0
    for file in tmp_path.glob("kit.db*"):
        assert file.stat().st_mode & 0o777 == 0o600, file


def test_screening_counts_are_what_the_store_holds(any_db):
    """The run's own count and the store agree (no screening stored twice, none lost)."""
    cases = [str(path) for path in shipped_case_files()]
    result = kit(any_db, "screen", *cases)
    assert result.returncode == 0, result.stderr
    with create_engine(any_db).connect() as connection:
        screenings = connection.scalar(select(func.count()).select_from(ScreeningRow))
    assert f"{screenings} inschrijving(en) gescreend en opgeslagen" in result.stdout
    assert screenings == len(cases)
