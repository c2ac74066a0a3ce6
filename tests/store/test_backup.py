"""Issue 26, item 6: `kit db backup` (SQLite's online backup, 0600, whole or not at all) and
`kit db herstel` (never over a database that holds something unless asked), checked by
replaying every screening of the restored store."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import CASES
from databases import database
from sqlalchemy.engine import make_url
from support import kit as kit_cli
from typer.testing import CliRunner

from kit.store import Store
from kit.views.replay import replay

runner = CliRunner()


def run(db_url: str, *args: str, role: str = "beheer"):
    return kit_cli(db_url, *args, role=role)


@pytest.fixture
def screened(db_url):
    assert run(db_url, "screen", str(CASES), role="reviewer").exit_code in (0, 1)
    assert run(db_url, "rescreen", "--alle", "--peildatum", "2025-06-01", role="inkoop")
    return db_url


def test_a_backup_restored_elsewhere_replays_every_screening(screened, tmp_path):
    copy = tmp_path / "reserve" / "kit-kopie.db"
    copy.parent.mkdir()
    made = run(screened, "db", "backup", "--uitvoer", str(copy))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert [p.name for p in copy.parent.iterdir()] == ["kit-kopie.db"]  # no partial left
    elsewhere = f"sqlite:///{tmp_path / 'hersteld.db'}"
    restored = run(elsewhere, "db", "herstel", str(copy))
    assert restored.exit_code == 0, restored.output
    assert stat.S_IMODE((tmp_path / "hersteld.db").stat().st_mode) == 0o600
    original, back = Store(screened), Store(elsewhere)
    codes = [row.code for row in original.screenings()]
    assert codes and [row.code for row in back.screenings()] == codes
    for code in codes:
        assert replay(back, code).identical, code
    assert back.audit_events()[-1].action == "herstel"
    assert original.audit_events()[-1].action == "reservekopie"


def test_a_restore_over_a_database_that_holds_something_needs_overschrijven(screened, tmp_path):
    copy = tmp_path / "kopie.db"
    assert run(screened, "db", "backup", "--uitvoer", str(copy)).exit_code == 0
    assert run(screened, "screen", str(CASES), "--peildatum", "2025-07-01", role="reviewer")
    count = len(Store(screened).screenings())
    refused = run(screened, "db", "herstel", str(copy))
    assert refused.exit_code == 1 and "is niet leeg" in refused.stderr
    assert "--overschrijven" in refused.stderr and "niets hersteld" in refused.stderr
    assert len(Store(screened).screenings()) == count
    again = run(screened, "db", "backup", "--uitvoer", str(copy))
    assert again.exit_code == 1 and "bestaat al" in again.stderr
    replaced = run(screened, "db", "herstel", str(copy), "--overschrijven")
    assert replaced.exit_code == 0, replaced.output
    assert len(Store(screened).screenings()) < count


def test_backup_and_restore_are_for_beheer_and_refuse_what_is_not_a_backup(screened, tmp_path):
    copy = tmp_path / "kopie.db"
    denied = run(screened, "db", "backup", "--uitvoer", str(copy), role="reviewer")
    assert denied.exit_code == 1 and "beheer" in denied.stderr and not copy.exists()
    junk = tmp_path / "geen.db"
    junk.write_text("geen database", encoding="utf-8")
    elsewhere = f"sqlite:///{tmp_path / 'nieuw.db'}"
    refused = run(elsewhere, "db", "herstel", str(junk))
    assert refused.exit_code == 1 and f"{junk}: geen" in refused.stderr


@pytest.mark.pg
def test_a_postgresql_backup_points_to_pg_dump(tmp_path):
    for url in database("postgresql", tmp_path):
        Store(url).close()
        result = run(url, "db", "backup", "--uitvoer", str(tmp_path / "kopie.db"))
        assert result.exit_code == 1 and "pg_dump" in result.stderr


def pg_tool(name: str) -> str:
    """A PostgreSQL client program: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)),
        None,
    )
    if found is None:
        pytest.fail(f"{name} not found: docs/operations.md's PostgreSQL backup needs it")
    return found


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.pg
def test_pg_dump_and_pg_restore_into_a_second_database_replay_every_screening(tmp_path):
    """docs/operations.md's PostgreSQL backup, as written there."""
    first, second = database("postgresql", tmp_path), database("postgresql", tmp_path)
    source, target = next(first), next(second)
    try:
        assert run(source, "screen", str(CASES), role="reviewer").exit_code in (0, 1)
        dump = tmp_path / "kit.dump"
        subprocess.run(
            [pg_tool("pg_dump"), "--format=custom", "--file", str(dump), libpq_url(source)],
            check=True,
        )
        subprocess.run(
            [pg_tool("pg_restore"), "--no-owner", "--dbname", libpq_url(target), str(dump)],
            check=True,
        )
        original, back = Store(source, create=False), Store(target, create=False)
        codes = [row.code for row in original.screenings()]
        assert codes and [row.code for row in back.screenings()] == codes
        for code in codes:
            assert replay(back, code).identical, code
        original.close()
        back.close()
    finally:
        first.close()
        second.close()
