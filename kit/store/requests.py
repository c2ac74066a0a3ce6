"""A submission's recorded acts: decisions, repair requests and extra rounds, written under
the submission's lock with their audit event."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from kit.errors import KitError
from kit.store.base import Connection
from kit.store.records import (
    Conflict,
    Facts,
)
from kit.store.tables import (
    AuditEventRow,
    DecisionRow,
    ExtraRoundRow,
    RepairRequestRow,
    ScreeningRow,
)


class Requests(Connection):
    """A submission's recorded acts: decisions, repair requests and extra rounds, written under"""

    def requests_of(self, submission_pk: int) -> list[RepairRequestRow]:
        """A submission's repair requests, in the order they were recorded."""
        with self.session() as session:
            return list(
                session.exec(
                    select(RepairRequestRow)
                    .where(RepairRequestRow.submission_pk == submission_pk)
                    .order_by(col(RepairRequestRow.id))
                )
            )

    def extra_rounds(self, submission_pk: int) -> list[ExtraRoundRow]:
        with self.session() as session:
            return list(
                session.exec(
                    select(ExtraRoundRow)
                    .where(ExtraRoundRow.submission_pk == submission_pk)
                    .order_by(col(ExtraRoundRow.id))
                )
            )

    def decisions(self, submission_pk: int) -> list[DecisionRow]:
        with self.session() as session:
            return list(
                session.exec(
                    select(DecisionRow)
                    .where(DecisionRow.submission_pk == submission_pk)
                    .order_by(col(DecisionRow.id))
                )
            )

    def add_extra_round(
        self, row: ExtraRoundRow, allowed: int, audit: AuditEventRow, submission_id: str
    ) -> None:
        """Grant an extra round, with its audit event, unless `allowed` are granted already:
        counted under the submission's lock, so that grants at the same time cannot exceed it."""
        with self.write() as session, session.begin():
            self._lock_submission(session, row.submission_pk)
            granted = session.scalar(
                select(func.count()).where(
                    ExtraRoundRow.submission_pk == row.submission_pk,
                    ExtraRoundRow.review == row.review,
                )
            )
            if (granted or 0) >= allowed:
                raise KitError(
                    f"inschrijving {submission_id}: er is al {granted} extra ronde toegekend; "
                    f"het maximum is {allowed}"
                )
            session.add(row)
            session.add(audit)

    def facts(self, submission_pk: int, session: Session | None = None) -> Facts:
        """The latest screening, the repair requests and the extra rounds of a submission, as
        ids: what a repair request was decided on, checked again under the lock."""

        def read(session: Session) -> Facts:
            latest = session.scalar(
                select(func.max(ScreeningRow.id)).where(ScreeningRow.submission_pk == submission_pk)
            )
            requests = session.exec(
                select(RepairRequestRow.id).where(RepairRequestRow.submission_pk == submission_pk)
            )
            grants = session.exec(
                select(ExtraRoundRow.id).where(ExtraRoundRow.submission_pk == submission_pk)
            )
            return Facts(
                latest,
                tuple(sorted(pk for pk in requests if pk is not None)),
                tuple(sorted(pk for pk in grants if pk is not None)),
            )

        if session is not None:
            return read(session)
        with self.session() as own:
            return read(own)

    def add_repair_request(
        self, row: RepairRequestRow, audit: AuditEventRow, expected: Facts, submission_id: str
    ) -> None:
        """Record a repair request with its audit event, under the submission's lock, only if
        nothing was stored for the submission since `expected` was read (Conflict): two
        reviewers cannot send the same request twice."""
        with self.write() as session, session.begin():
            self._lock_submission(session, row.submission_pk)
            if self.facts(row.submission_pk, session) != expected:
                raise Conflict(
                    f"inschrijving {submission_id}: intussen is er een herstelverzoek, een "
                    "screening of een extra ronde opgeslagen; er is niets opgeslagen"
                )
            session.add(row)
            session.add(audit)
