"""`kit db backup` and `kit db herstel`: a copy of an SQLite store made while it is in use
(SQLite's online backup API), and that copy put back. PostgreSQL has its own tools for this
(pg_dump, pg_restore: docs/operations.md); kit does not wrap them.

A backup is written as a private partial file beside its place and renamed when complete
(kit.paths), so a failed or interrupted backup never leaves half a database under the name of
a backup. A restore refuses to replace a database that holds anything unless asked to.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from kit.errors import KitError, fault_text, os_error_text
from kit.paths import replaced_when_done
from kit.services.actor import Actor
from kit.store import Store
from kit.store.connect import database_url, engines, shown_url, sqlite_file
from kit.store.schema import upgrade

PG_HINT = "gebruik op PostgreSQL pg_dump en pg_restore (docs/operations.md)"


def _sqlite_path(url: str, option: str) -> str:
    path = sqlite_file(url)
    if path is None:
        raise KitError(f"{option}: {shown_url(url)} is geen SQLite-bestand; {PG_HINT}")
    return path


def backup(url: str | None, actor: Actor, target: Path, overwrite: bool = False) -> int:
    """A consistent copy of the SQLite store at `url` in `target` (0600, whole or not at all),
    made while others keep working; the audit trail records it. The copy's size in bytes."""
    actor.may("backup")
    full = database_url(url)
    store = Store(full, create=False)
    source_path = _sqlite_path(full, "--db")
    if target.exists() and not overwrite:
        raise KitError(f"--uitvoer {target}: bestaat al; kies een andere naam of --overschrijven")
    try:
        with (
            replaced_when_done(target, private=True) as partial,
            closing(sqlite3.connect(source_path)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    except (OSError, sqlite3.Error) as exc:
        why = os_error_text(exc) if isinstance(exc, OSError) else fault_text(exc)
        raise KitError(f"--uitvoer {target}: geen reservekopie gemaakt ({why})") from None
    size = target.stat().st_size
    store.add(audit=actor.event("reservekopie", str(target), bytes=size))
    return size


def _holds(path: str) -> dict[str, int]:
    """What an existing SQLite store holds (rows per main table); empty when it has no tables."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return {
            table: int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for table in ("submissions", "screenings", "audit_events", "accounts")
            if table in tables
        }


def _check_backup(source: Path) -> None:
    """A readable, undamaged kit store, or a Dutch error naming the file."""
    if not source.is_file():
        raise KitError(f"{source}: bestand bestaat niet")
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as connection:
            [(verdict,)] = connection.execute("PRAGMA integrity_check").fetchall()
            names = {n for (n,) in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        raise KitError(f"{source}: geen SQLite-database (geen reservekopie van kit)") from None
    if verdict != "ok":
        raise KitError(f"{source}: de reservekopie is beschadigd ({verdict})")
    if not {"alembic_version", "screenings", "audit_events"} <= names:
        raise KitError(f"{source}: geen reservekopie van kit (de tabellen van kit ontbreken)")


def restore(url: str | None, actor: Actor, source: Path, overwrite: bool = False) -> str:
    """The backup `source` as the SQLite store at `url`: refused when that database holds
    anything, unless `overwrite`. The copy is taken in one step (SQLite's backup API into the
    target, under its write lock), then brought to the current schema; the restored store's
    audit trail records it. The shown URL."""
    actor.may("restore")
    full = database_url(url)
    target = _sqlite_path(full, "--db")
    _check_backup(source)
    holds = _holds(target) if Path(target).exists() else {}
    if any(holds.values()) and not overwrite:
        counts = ", ".join(f"{n} {table}" for table, n in holds.items() if n)
        raise KitError(
            f"database {shown_url(full)} is niet leeg ({counts}); er is niets hersteld. Geef "
            "--overschrijven om haar te vervangen door de reservekopie"
        )
    Store(full).close()  # a new file is made 0600, as every kit database
    try:
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_db,
            closing(sqlite3.connect(target, timeout=60)) as live,
        ):
            backup_db.backup(live)
    except sqlite3.Error as exc:
        raise KitError(
            f"database {shown_url(full)}: niet hersteld ({fault_text(exc)}); de database is "
            "ongewijzigd"
        ) from None
    upgrade(engines(full))  # a backup of an older kit is brought to the current schema
    with Store(full, create=False) as store:
        store.add(audit=actor.event("herstel", str(source), replaced=holds))
    return shown_url(full)
