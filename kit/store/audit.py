"""The audit trail: every change's event, read back in order or filtered."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from kit.store.base import Connection
from kit.store.tables import (
    AuditEventRow,
)


class Audit(Connection):
    """The audit trail: every change's event, read back in order or filtered."""

    def audit_events(self) -> list[AuditEventRow]:
        with self.session() as session:
            return list(session.exec(select(AuditEventRow).order_by(col(AuditEventRow.id))))

    def audit_log(
        self,
        actor: str | None = None,
        role: str | None = None,
        action: str | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEventRow]:
        """Audit events, newest first, narrowed to those given (actor and subject: contains)."""
        query = select(AuditEventRow)
        if actor:
            query = query.where(col(AuditEventRow.actor).contains(actor))
        if role:
            query = query.where(AuditEventRow.role == role)
        if action:
            query = query.where(AuditEventRow.action == action)
        if subject:
            query = query.where(col(AuditEventRow.subject).contains(subject))
        if since is not None:
            query = query.where(col(AuditEventRow.at) >= since)
        if until is not None:
            query = query.where(col(AuditEventRow.at) < until)
        query = query.order_by(col(AuditEventRow.id).desc())
        if limit is not None:
            query = query.limit(limit)
        with self.session() as session:
            return list(session.exec(query))
