"""Connections to the store's database: SQLite by default, PostgreSQL through KIT_DATABASE_URL.

SQLite gets what a shared file needs: a write-ahead log (readers never wait for a writer), a
busy timeout (a second writer waits instead of failing), and writes that take the database's
write lock when they begin (BEGIN IMMEDIATE), so two processes can never interleave their
checks and writes. A new SQLite file is created readable by its owner only (mode 0600): it
holds toezicht notes and sensitive findings.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kit.errors import KitError

DEFAULT_URL = "sqlite:///kit.db"
BUSY_SECONDS = 60


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get("KIT_DATABASE_URL") or DEFAULT_URL


def shown_url(url: str) -> str:
    """The URL as messages may show it: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # not a URL SQLAlchemy reads: mask what looks like one
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


@dataclass(frozen=True)
class Engines:
    """One engine for reading, one for writing (the same one on PostgreSQL)."""

    read: Engine
    write: Engine

    @property
    def dialect(self) -> str:
        return self.read.dialect.name


def sqlite_file(url: str) -> str | None:
    """The file of an SQLite URL (None for another database or an in-memory one)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise KitError(
            f"--db: ongeldige database-URL {shown_url(url)!r} (bijvoorbeeld sqlite:///kit.db)"
        ) from None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return str(parsed.database)


def _private_file(path: str) -> None:
    """Create the SQLite file readable and writable by its owner only, if it does not exist."""
    if not os.path.exists(path):
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:  # another process created it just now
            pass
        except OSError as exc:
            raise KitError(
                f"database {path}: kan het bestand niet aanmaken ({exc.strerror})"
            ) from None


def _write_ahead_log(cursor: Any) -> None:
    """Put the database in write-ahead-log mode (kept in the file: once is enough). Switching
    needs the database to itself, and SQLite answers "locked" at once, without waiting, when
    another connection is in the middle of a write; so it waits here, until another process has
    switched it or it can switch it itself."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if mode in ("wal", "memory"):
                return
            if cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")
        time.sleep(0.05)


def _sqlite(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver emits no BEGIN of its own
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        _write_ahead_log(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def engines(url: str) -> Engines:
    """The engines for `url`; a bad URL or a missing driver is one Dutch line."""
    try:
        path = sqlite_file(url)
        if make_url(url).get_backend_name() == "sqlite":
            if path is not None:
                _private_file(path)
            return Engines(_sqlite(url, "BEGIN"), _sqlite(url, "BEGIN IMMEDIATE"))
        # hide_parameters: an error's text (and so a server's traceback) names the SQL, never
        # the values bound to it, which come from users and may be sensitive.
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        return Engines(engine, engine)
    except (ArgumentError, ValueError):
        raise KitError(
            f"--db: ongeldige database-URL {shown_url(url)!r} (bijvoorbeeld sqlite:///kit.db)"
        ) from None
    except ModuleNotFoundError as exc:
        raise KitError(
            f"--db: het stuurprogramma voor deze database ontbreekt ({exc.name}); voor "
            "PostgreSQL: pip install 'psycopg[binary]' (in een kit-checkout: "
            "pip install -e '.[postgres]')"
        ) from None
