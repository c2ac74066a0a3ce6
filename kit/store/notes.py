"""Toezicht's notes and the assignment of submissions to reviewers."""

from __future__ import annotations

from sqlmodel import col, select

from kit.store.base import Connection
from kit.store.tables import (
    AssignmentRow,
    NoteRow,
    SubmissionRow,
)


class NotesAndAssignments(Connection):
    """Toezicht's notes and the assignment of submissions to reviewers."""

    def notes(self, submission_pk: int) -> list[NoteRow]:
        with self.session() as session:
            return list(
                session.exec(
                    select(NoteRow)
                    .where(NoteRow.submission_pk == submission_pk)
                    .order_by(col(NoteRow.id))
                )
            )

    def all_notes(self, limit: int = 200) -> list[tuple[NoteRow, SubmissionRow]]:
        """The newest toezicht notes with their submission (toezicht reads them: services)."""
        with self.session() as session:
            rows = session.exec(
                select(NoteRow, SubmissionRow)
                .join(SubmissionRow, col(SubmissionRow.id) == col(NoteRow.submission_pk))
                .order_by(col(NoteRow.id).desc())
                .limit(limit)
            )
            return [(note, sub) for note, sub in rows]

    def assignment(self, submission_pk: int) -> AssignmentRow | None:
        """The current (latest) assignment of one submission."""
        with self.session() as session:
            return session.exec(
                select(AssignmentRow)
                .where(AssignmentRow.submission_pk == submission_pk)
                .order_by(col(AssignmentRow.id).desc())
            ).first()

    def assignments(self) -> dict[int, AssignmentRow]:
        """The current (latest) assignment of every assigned submission, by submission pk."""
        with self.session() as session:
            rows = session.exec(select(AssignmentRow).order_by(col(AssignmentRow.id)))
            return {row.submission_pk: row for row in rows}

    def assignments_of(self, submission_pk: int) -> list[AssignmentRow]:
        """Every assignment of one submission, oldest first (who had it before)."""
        with self.session() as session:
            return list(
                session.exec(
                    select(AssignmentRow)
                    .where(AssignmentRow.submission_pk == submission_pk)
                    .order_by(col(AssignmentRow.id))
                )
            )
