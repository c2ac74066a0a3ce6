"""Each account's own desk in the web application: the filters it saved under a name and the
forms kept for it after its session had ended. Every read and delete names the account, so one
account never reaches another's."""

from __future__ import annotations

from sqlmodel import col, select

from kit.store.base import Connection
from kit.store.tables import AuditEventRow, KeptFormRow, SavedViewRow


class Desk(Connection):
    """Saved views and kept forms, per account."""

    def saved_views(self, account_pk: int) -> list[SavedViewRow]:
        """The account's saved views, by name."""
        with self.session() as session:
            query = select(SavedViewRow).where(SavedViewRow.account_pk == account_pk)
            return list(session.exec(query.order_by(col(SavedViewRow.name))))

    def kept_forms(self, account_pk: int) -> list[KeptFormRow]:
        """The account's kept forms, the oldest first."""
        with self.session() as session:
            query = select(KeptFormRow).where(KeptFormRow.account_pk == account_pk)
            return list(session.exec(query.order_by(col(KeptFormRow.id))))

    def drop_own(
        self,
        model: type[SavedViewRow] | type[KeptFormRow],
        account_pk: int,
        pk: int,
        audit: AuditEventRow,
    ) -> bool:
        """Delete one of the account's own rows with its audit event; False: it has no such
        row (another account's is never touched)."""
        with self.write() as session, session.begin():
            row = session.get(model, pk)
            if row is None or getattr(row, "account_pk", None) != account_pk:
                return False
            session.delete(row)
            session.add(audit)
            return True
