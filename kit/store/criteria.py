"""Reading the content judgements made by criteria (Q12): each criterion outcome with the
decision it belongs to (who judged which document of which submission, and when)."""

from __future__ import annotations

from sqlmodel import col, select

from kit.store.base import Connection
from kit.store.records import Judged
from kit.store.tables import CriterionOutcomeRow, DecisionRow, SubmissionRow


class Criteria(Connection):
    """The criterion outcomes of the content judgements on record (Q12)."""

    def judged_criteria(self, submission_pk: int | None = None) -> list[Judged]:
        """Every criterion outcome on record, oldest decision first (a correction is a later
        decision; both stay), optionally of one submission."""
        query = (
            select(SubmissionRow.submission_id, DecisionRow, CriterionOutcomeRow)
            .join(DecisionRow, col(DecisionRow.submission_pk) == col(SubmissionRow.id))
            .join(CriterionOutcomeRow, col(CriterionOutcomeRow.decision_pk) == col(DecisionRow.id))
            .order_by(col(DecisionRow.id), col(CriterionOutcomeRow.id))
        )
        if submission_pk is not None:
            query = query.where(DecisionRow.submission_pk == submission_pk)
        with self.session() as session:
            return [(sub, decision, row) for sub, decision, row in session.exec(query)]
