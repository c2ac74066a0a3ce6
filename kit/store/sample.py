"""Reading the verification sample (C1-C2): the latest screening of each submission to draw
from, and per sampled credential of each submission's latest draw its latest check."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from kit.store.records import DrawSource, SampledState
from kit.store.screening_reads import ScreeningReads
from kit.store.tables import (
    CredentialCheckRow,
    SampledCredentialRow,
    SampleDrawRow,
    ScreeningRow,
    SubmissionRow,
)

PAGE = 500


class Samples(ScreeningReads):
    """The verification sample's draws and checks; a draw reads the latest screenings
    (ScreeningReads.latest_screening_pks)."""

    def draw_sources(self, procedure: str | None = None) -> Iterator[DrawSource]:
        """The latest screening of every submission (of `procedure`), a page at a time."""
        pks = self.latest_screening_pks()
        for start in range(0, len(pks), PAGE):
            query = (
                sa_select(
                    col(SubmissionRow.id),
                    col(SubmissionRow.submission_id),
                    col(SubmissionRow.procedure),
                    col(ScreeningRow.id),
                    col(ScreeningRow.ruleset_id),
                    col(ScreeningRow.case_json),
                )
                .join(ScreeningRow, col(ScreeningRow.submission_pk) == col(SubmissionRow.id))
                .where(col(ScreeningRow.id).in_(pks[start : start + PAGE]))
                .order_by(col(SubmissionRow.submission_id))
            )
            if procedure is not None:
                query = query.where(col(SubmissionRow.procedure) == procedure)
            with self.session() as session:
                rows = list(session.execute(query).all())
            for sub_pk, sub_id, proc, scr_pk, ruleset_id, case_json in rows:
                yield DrawSource(sub_pk or 0, sub_id, proc, scr_pk or 0, ruleset_id, case_json)

    def sample_state(
        self, submission_pk: int | None = None, procedure: str | None = None
    ) -> list[SampledState]:
        """The credentials of each submission's latest draw, in submission and staff order."""
        query = (
            select(SampledCredentialRow, SampleDrawRow, SubmissionRow)
            .join(SampleDrawRow, col(SampleDrawRow.id) == col(SampledCredentialRow.draw_pk))
            .join(SubmissionRow, col(SubmissionRow.id) == col(SampledCredentialRow.submission_pk))
            .order_by(col(SampledCredentialRow.id))
        )
        if submission_pk is not None:
            query = query.where(SampledCredentialRow.submission_pk == submission_pk)
        if procedure is not None:
            query = query.where(SubmissionRow.procedure == procedure)
        with self.session() as session:
            rows = list(session.exec(query))
            sampled_pks = [s.id for s, _, _ in rows]
            checks: dict[int, CredentialCheckRow] = {}
            for check in session.exec(
                select(CredentialCheckRow)
                .where(col(CredentialCheckRow.sampled_pk).in_(sampled_pks))
                .order_by(col(CredentialCheckRow.id))
            ):
                checks[check.sampled_pk] = check  # the latest wins
        latest_draw: dict[int, int] = {}
        for sampled, draw, _ in rows:
            latest_draw[sampled.submission_pk] = max(
                draw.id or 0, latest_draw.get(sampled.submission_pk, 0)
            )
        found = [
            SampledState(
                sub.submission_id, sub.procedure, sub.provider_name, s, d, checks.get(s.id or 0)
            )
            for s, d, sub in rows
            if d.id == latest_draw[s.submission_pk]
        ]
        return sorted(found, key=lambda x: (x.submission_id, x.sampled.staff, x.sampled.credential))
