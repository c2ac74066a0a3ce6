"""The one connection and transaction helper every repository of the store shares: the
database's engines (read and write), a session for reading, a session for one write
transaction, and the lock on a submission. Every write is one transaction: all or nothing."""

from __future__ import annotations

import os
from datetime import date
from typing import Any, Self

from sqlmodel import Session, SQLModel, insert, select

from kit.errors import KitError
from kit.store import schema
from kit.store.connect import database_url, engines, shown_url, sqlite_file
from kit.store.tables import (
    AuditEventRow,
    SubmissionRow,
)


def _date(value: Any) -> date:
    """A date column read through an SQL function (SQLite may give it as text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _bulk_insert(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], returning: bool = False
) -> list[int]:
    """Insert `rows` into `model`'s table in one executemany (the model's defaults filled in);
    with `returning`, the new primary keys in the order of `rows`."""
    if not rows:
        return []
    defaults: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in rows[0] and name != "id":
            if info.default_factory is not None:
                # pydantic types default_factory as taking the validated data too; ours take none
                defaults[name] = info.default_factory()  # type: ignore[call-arg]
            elif not info.is_required():
                defaults[name] = info.default
    table = model.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models only
    values = [{**defaults, **row} for row in rows] if defaults else rows
    if not returning:
        session.execute(insert(table), values)
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, values).scalars())


class Connection:
    """One database. Every write is a single transaction that holds the write lock (SQLite) or
    locks the submissions it writes (PostgreSQL), so concurrent users store what a sequential
    run would."""

    def __init__(self, url: str | None = None, create: bool = True):
        """`create=False` for commands that read or extend stored screenings: a mistyped URL must
        not silently give an empty new database."""
        self.url = database_url(url)
        path = sqlite_file(self.url)
        if not create and path is not None and not os.path.exists(path):
            raise KitError(
                f"database {self.shown_url} bestaat niet; screen eerst inschrijvingen (kit screen) "
                "of controleer --db / KIT_DATABASE_URL"
            )
        self.engines = engines(self.url)
        self.engine = self.engines.read
        schema.ensure(self.engines, self.url)

    @property
    def shown_url(self) -> str:
        """The database's URL as a message may show it (no password)."""
        return shown_url(self.url)

    def close(self) -> None:
        """Close the connections (on SQLite the last one folds the write-ahead log back into the
        database file, so the file alone is a complete copy)."""
        self.engines.read.dispose()
        self.engines.write.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def session(self) -> Session:
        """A session for reading."""
        return Session(self.engines.read, expire_on_commit=False)

    def write(self) -> Session:
        """A session for one write transaction; on SQLite it holds the write lock from its start."""
        return Session(self.engines.write, expire_on_commit=False)

    def _lock_submission(self, session: Session, submission_pk: int) -> None:
        """The submission's row lock on PostgreSQL (SQLite's write lock covers everything)."""
        lock = select(SubmissionRow.id).where(SubmissionRow.id == submission_pk)
        if self.engines.dialect == "postgresql":
            lock = lock.with_for_update()
        session.execute(lock)

    def add(self, *rows: Any, audit: AuditEventRow | None = None) -> None:
        """Insert rows (and their audit event) in one transaction."""
        with self.write() as session, session.begin():
            session.add_all(rows)
            if audit is not None:
                session.add(audit)
