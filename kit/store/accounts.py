"""Accounts and web sessions (kit.services.accounts): who may log in, failed logins, sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
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


class Accounts(Connection):
    """Accounts and web sessions (kit.services.accounts): logins, failed logins, sessions."""

    def add_account(self, row: AccountRow, audit: AuditEventRow) -> None:
        """A new account with its audit event; a name in use is refused, never overwritten."""
        # start-up: the store (SQLAlchemy) loads only for this command
        from sqlalchemy.exc import IntegrityError

        try:
            self.add(row, audit=audit)
        except IntegrityError:
            raise Conflict(f"account {row.name!r} bestaat al") from None

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

    def login_failures(self, name: str, since: datetime) -> int:
        with self.session() as session:
            query = sa_select(func.count()).where(
                col(LoginFailureRow.name) == name, col(LoginFailureRow.at) >= since
            )
            return int(session.execute(query).scalar_one())

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
