"""Work on one case: who holds it (an assignment or claim, checked against who held it when the
person looked, under the submission's lock), the work status a person set, and the provider's
document files with their contents stored once by SHA-256."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from kit.errors import KitError
from kit.store.base import Connection
from kit.store.tables import (
    AssignmentRow,
    AuditEventRow,
    BlobRow,
    CaseFileRow,
    SubmissionRow,
    WorkStatusRow,
)


class Changed(KitError):
    """Someone else changed who holds the case since the person looked: nothing stored."""


class CaseWork(Connection):
    """Claims, assignments, work statuses and document files of a submission."""

    def hand_over(self, row: AssignmentRow, holder: str, audit: AuditEventRow) -> None:
        """Store a new assignment (or a release: reviewer "") if the case is still held by
        `holder` ("" for nobody), in one transaction under the submission's lock."""
        with self.write() as session, session.begin():
            self._lock_submission(session, row.submission_pk)
            current = session.exec(
                select(AssignmentRow)
                .where(AssignmentRow.submission_pk == row.submission_pk)
                .order_by(col(AssignmentRow.id).desc())
            ).first()
            now = current.reviewer if current is not None else ""
            if now != holder:
                raise Changed(
                    f"ondertussen {'in handen van ' + now if now else 'vrijgegeven'}; "
                    "er is niets opgeslagen, bekijk de inschrijving opnieuw"
                )
            session.add(row)
            session.add(audit)

    def work_status(self, submission_pk: int) -> WorkStatusRow | None:
        with self.session() as session:
            return session.exec(
                select(WorkStatusRow)
                .where(WorkStatusRow.submission_pk == submission_pk)
                .order_by(col(WorkStatusRow.id).desc())
            ).first()

    def add_case_file(self, blob: BlobRow, row: CaseFileRow, audit: AuditEventRow) -> None:
        """The file (its bytes once: a blob already stored is not written again) and its row."""
        with self.write() as session, session.begin():
            if session.get(BlobRow, blob.sha256) is None:
                session.add(blob)
                session.flush()
            session.add(row)
            session.add(audit)

    def case_files(self, submission_pk: int) -> list[CaseFileRow]:
        with self.session() as session:
            return list(
                session.exec(
                    select(CaseFileRow)
                    .where(CaseFileRow.submission_pk == submission_pk)
                    .order_by(col(CaseFileRow.id))
                )
            )

    def case_file(self, submission_pk: int, file_id: int) -> tuple[CaseFileRow, BlobRow] | None:
        with self.session() as session:
            row = session.get(CaseFileRow, file_id)
            if row is None or row.submission_pk != submission_pk:
                return None
            blob = session.get(BlobRow, row.blob_sha256)
            return (row, blob) if blob is not None else None

    def held_by(self, name: str) -> list[SubmissionRow]:
        """The submissions whose latest assignment names `name`, by submission id."""
        with self.session() as session:
            latest = (
                select(AssignmentRow.submission_pk, func.max(AssignmentRow.id).label("last"))
                .group_by(col(AssignmentRow.submission_pk))
                .subquery()
            )
            rows = session.exec(
                select(SubmissionRow)
                .join(latest, latest.c.submission_pk == SubmissionRow.id)
                .join(AssignmentRow, col(AssignmentRow.id) == latest.c.last)
                .where(AssignmentRow.reviewer == name)
                .order_by(col(SubmissionRow.submission_id))
            )
            return list(rows)
