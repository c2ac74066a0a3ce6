"""Accounts and web sessions (kit.services.accounts): who may log in, failed logins, sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete as sa_delete
from sqlalchemy import func, text
from sqlalchemy import select as sa_select  # sqlmodel's select types at most four columns
from sqlmodel import col, select

from kit.errors import KitError
from kit.store.base import Connection
from kit.store.records import (
    Conflict,
)
from kit.store.tables import (
    AccountRow,
    AuditEventRow,
    LoginFailureRow,
    WebSessionRow,
)
from kit.timezone import utc

FAILED_LOGIN = "aanmelden-mislukt"  # the audit action of a wrong name or password
READ_ACTION = "inzage"  # the audit action of a read of sensitive data (kit.services.reads)
# Audit actions that change nothing a list shows (Store.version): logging in and out, reading.
NO_LIST_CHANGE = ("aangemeld", "afgemeld", FAILED_LOGIN, READ_ACTION)


class Failures(NamedTuple):
    times: int
    latest: datetime  # the latest failure's time (the `since` asked about when there is none)


class LoginFailures(NamedTuple):
    """Recent failed logins: from one address, for one name, and whether that address is one
    of those that failed for the name."""

    by_address: Failures
    by_name: Failures
    address_tried_name: bool


class Accounts(Connection):
    """Accounts and web sessions (kit.services.accounts): logins, failed logins, sessions."""

    def add_account(self, row: AccountRow, audit: AuditEventRow, first: bool = False) -> None:
        """A new account with its audit event; a name in use is refused, never overwritten.
        `first`: only as the database's very first account, decided inside the transaction
        that inserts it, so two commands on an empty database cannot both be first."""
        # start-up: the store (SQLAlchemy) loads only for this command
        from sqlalchemy.exc import IntegrityError

        try:
            with self.write() as session, session.begin():
                if first:
                    self._lock_accounts(session)
                    if session.execute(sa_select(func.count()).select_from(AccountRow)).scalar():
                        raise Conflict(
                            "er bestaat al een account: alleen het eerste account van een lege "
                            "database wordt zonder aanmelding gemaakt; meld aan met een "
                            "beheer-account (kit aanmelden)"
                        )
                session.add(row)
                session.add(audit)
        except IntegrityError:
            raise Conflict(f"account {row.name!r} bestaat al") from None

    def _lock_accounts(self, session: Any) -> None:
        """Hold off every other insert of an account until this transaction ends (PostgreSQL;
        SQLite's write transaction holds the database's write lock from its start)."""
        if self.engines.dialect == "postgresql":
            session.execute(text("LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE"))

    def account(self, name: str) -> AccountRow | None:
        with self.session() as session:
            return session.exec(select(AccountRow).where(AccountRow.name == name)).first()

    def accounts(self) -> list[AccountRow]:
        with self.session() as session:
            return list(session.exec(select(AccountRow).order_by(col(AccountRow.name))))

    def change_account(self, name: str, audit: AuditEventRow, **changes: Any) -> AccountRow:
        """Change an account's role, activity or password hash, with its audit event; a switched
        off account's sessions end at once."""
        with self.write() as session, session.begin():
            row = session.exec(select(AccountRow).where(AccountRow.name == name)).first()
            if row is None:
                raise KitError(f"account {name!r} bestaat niet")
            for key, value in changes.items():
                setattr(row, key, value)
            if changes.get("active") is False or "password_hash" in changes:
                for old in session.exec(
                    select(WebSessionRow).where(WebSessionRow.account_pk == row.id)
                ):
                    session.delete(old)
            session.add(audit)
            return row

    def login_failures(self, name: str, address: str, since: datetime) -> LoginFailures:
        """Failed logins since `since`: from `address`, and for `name`."""
        failures = LoginFailureRow.__table__  # type: ignore[attr-defined]
        recent = failures.c.at >= since
        with self.session() as session:

            def counted(*where: Any) -> Failures:
                query = sa_select(func.count(), func.max(failures.c.at)).where(recent, *where)
                count, latest = session.execute(query).one()
                return Failures(int(count), utc(latest) if latest is not None else utc(since))

            return LoginFailures(
                counted(failures.c.address == address),
                counted(failures.c.name == name),
                counted(failures.c.name == name, failures.c.address == address).times > 0,
            )

    def forget_stale_logins(
        self, idle_since: datetime, created_since: datetime, failed_since: datetime
    ) -> int:
        """Remove sessions unused since `idle_since` or started before `created_since`, and
        failed logins before `failed_since`; how many rows went."""
        sessions = WebSessionRow.__table__  # type: ignore[attr-defined]
        failures = LoginFailureRow.__table__  # type: ignore[attr-defined]
        with self.write() as session, session.begin():
            ended = session.execute(
                sa_delete(sessions).where(
                    (sessions.c.last_seen < idle_since) | (sessions.c.created_at < created_since)
                )
            )
            forgotten = session.execute(sa_delete(failures).where(failures.c.at < failed_since))
        return int(getattr(ended, "rowcount", 0)) + int(getattr(forgotten, "rowcount", 0))

    def forget_login_failure(self, attempt: LoginFailureRow) -> None:
        """A login attempt that succeeded after all is not a failure."""
        with self.write() as session, session.begin():
            row = session.get(LoginFailureRow, attempt.id)
            if row is not None:
                session.delete(row)

    def web_session(self, token_hash: str) -> tuple[WebSessionRow, AccountRow] | None:
        with self.session() as session:
            found = session.exec(
                select(WebSessionRow, AccountRow)
                .join(AccountRow, col(AccountRow.id) == col(WebSessionRow.account_pk))
                .where(WebSessionRow.token_hash == token_hash)
            ).first()
            return (found[0], found[1]) if found is not None else None

    def touch_web_session(self, token_hash: str, at: datetime) -> None:
        with self.write() as session, session.begin():
            row = session.get(WebSessionRow, token_hash)
            if row is not None:
                row.last_seen = at

    def end_web_session(self, token_hash: str) -> None:
        with self.write() as session, session.begin():
            row = session.get(WebSessionRow, token_hash)
            if row is not None:
                session.delete(row)
