"""The lists over the whole region (kit.views.standing): a few queries, no case parsed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select  # sqlmodel's select types at most four columns
from sqlmodel import col

from kit.store.accounts import NO_LIST_CHANGE
from kit.store.base import Connection, _date
from kit.store.records import (
    Mark,
    OpenFinding,
    StoredGrant,
    StoredRequest,
)
from kit.store.tables import (
    OPEN,
    AuditEventRow,
    DecisionRow,
    ExtraRoundRow,
    FindingRow,
    RepairRequestRow,
    ScreeningRow,
    SubmissionRow,
)


class Lists(Connection):
    """The lists over the whole region (kit.views.standing): a few queries, no case parsed."""

    def version(self) -> tuple[int, ...]:
        """A marker that changes whenever something is stored that a list shows: the highest id
        of the audit trail, the screenings, the decisions, the extra rounds and the repair
        requests (one query). Logging in and out changes no list: their audit events do not
        count, nor do reads, or every login and every read would throw the cached list away."""
        tables = (AuditEventRow, ScreeningRow, DecisionRow, ExtraRoundRow, RepairRequestRow)
        latest = [sa_select(func.max(col(t.id))) for t in tables]
        latest[0] = latest[0].where(col(AuditEventRow.action).not_in(NO_LIST_CHANGE))
        query = sa_select(*(one.scalar_subquery() for one in latest))
        with self.session() as session:
            row = session.execute(query).one()
        return tuple(int(value or 0) for value in row)

    def _latest_ids(self) -> Any:
        return (
            sa_select(func.max(col(ScreeningRow.id)))
            .group_by(col(ScreeningRow.submission_pk))
            .scalar_subquery()
        )

    def latest_overview(self) -> list[tuple[Any, ...]]:
        """Each stored submission with what the lists need of its latest screening (no case
        JSON): (submission pk, submission id, procedure, KvK, provider name, screening pk,
        round, as-of, risk, final, rule-set id, stored at, summary JSON), by provider name."""
        with self.session() as session:
            query = (
                sa_select(
                    col(SubmissionRow.id),
                    col(SubmissionRow.submission_id),
                    col(SubmissionRow.procedure),
                    col(SubmissionRow.provider_kvk),
                    col(SubmissionRow.provider_name),
                    col(ScreeningRow.id),
                    col(ScreeningRow.round),
                    col(ScreeningRow.as_of),
                    col(ScreeningRow.risk),
                    col(ScreeningRow.final),
                    col(ScreeningRow.ruleset_id),
                    col(ScreeningRow.created_at),
                    col(ScreeningRow.summary_json),
                )
                .join(ScreeningRow, col(ScreeningRow.submission_pk) == col(SubmissionRow.id))
                .where(col(ScreeningRow.id).in_(self._latest_ids()))
                .order_by(
                    col(SubmissionRow.provider_name),
                    col(SubmissionRow.submission_id),
                    col(SubmissionRow.procedure),
                )
            )
            return [tuple(row) for row in session.execute(query)]

    def screening_marks(self) -> dict[int, list[Mark]]:
        """Per submission pk, every screening's (id, round, day it reflects, review), in order:
        what its rounds are made of (kit.screening.review.Review)."""
        marks: dict[int, list[Mark]] = {}
        query = sa_select(
            col(ScreeningRow.submission_pk),
            col(ScreeningRow.id),
            col(ScreeningRow.round),
            func.coalesce(col(ScreeningRow.known_on), col(ScreeningRow.as_of)).label("known_on"),
            col(ScreeningRow.review),
        ).order_by(col(ScreeningRow.id))
        with self.session() as session:  # Core rows: one per screening of the region
            for sub_pk, pk, round_no, known_on, review in session.connection().execute(query):
                mark = Mark._make((pk, round_no, _date(known_on), review))
                marks.setdefault(sub_pk, []).append(mark)
        return marks

    def all_requests(self) -> dict[int, list[StoredRequest]]:
        """Per submission pk, its repair requests (without their letters), in order."""
        found: dict[int, list[StoredRequest]] = {}
        fields = [col(getattr(RepairRequestRow, name)) for name in StoredRequest._fields]
        with self.session() as session:
            query = sa_select(*fields).order_by(col(RepairRequestRow.id))
            for row in session.execute(query):
                request = StoredRequest._make(row)
                found.setdefault(request.submission_pk, []).append(request)
        return found

    def all_grants(self) -> dict[int, list[StoredGrant]]:
        """Per submission pk, its extra rounds, in order."""
        found: dict[int, list[StoredGrant]] = {}
        fields = [col(getattr(ExtraRoundRow, name)) for name in StoredGrant._fields]
        with self.session() as session:
            for row in session.execute(sa_select(*fields).order_by(col(ExtraRoundRow.id))):
                grant = StoredGrant._make(row)
                found.setdefault(grant.submission_pk, []).append(grant)
        return found

    def summaries(self, screening_pks: Iterable[int]) -> dict[int, tuple[str | None, bool]]:
        """(summary JSON, final) of these screenings, in one query per 500: the screenings a
        region's rounds look back at (where a repair deadline passed)."""
        pks = sorted(set(screening_pks))
        found: dict[int, tuple[str | None, bool]] = {}
        with self.session() as session:
            for start in range(0, len(pks), 500):
                query = sa_select(
                    col(ScreeningRow.id), col(ScreeningRow.summary_json), col(ScreeningRow.final)
                ).where(col(ScreeningRow.id).in_(pks[start : start + 500]))
                for pk, summary_json, final in session.execute(query):
                    found[pk] = (summary_json, bool(final))
        return found

    def open_findings_of_latest(self, outcome: str | None = None) -> list[OpenFinding]:
        """The open findings (with `outcome`, if given) of every submission's latest screening,
        in one query, as plain rows (a region's tens of thousands of ORM objects take seconds)."""
        fields = [col(getattr(FindingRow, name)) for name in OpenFinding._fields]
        query = sa_select(*fields).where(
            col(FindingRow.screening_pk).in_(self._latest_ids()),
            OPEN,  # the partial index's own condition, as a literal: generic plans use it too
        )
        if outcome is not None:
            query = query.where(col(FindingRow.outcome) == outcome)
        query = query.order_by(col(FindingRow.screening_pk), col(FindingRow.position))
        with self.session() as session:  # Core rows: the ORM's loading costs a second here
            return list(map(OpenFinding._make, session.connection().execute(query).all()))

    def open_since(self, outcome: str) -> dict[tuple[int, str, str, str | None], date]:
        """For every open finding with `outcome` in any screening: (submission pk, rule,
        subject, item) -> the day it first arrived open: the day the earliest screening that had
        it open reflects (the case version's arrival, the day stukken arrived: known_on, else
        its as-of date), not the moment it was stored. How long a judgement has been waiting,
        across the case versions that carried it."""
        with self.session() as session:
            query = (
                sa_select(
                    col(ScreeningRow.submission_pk),
                    col(FindingRow.rule),
                    col(FindingRow.subject),
                    col(FindingRow.item),
                    func.min(func.coalesce(col(ScreeningRow.known_on), col(ScreeningRow.as_of))),
                )
                .join(ScreeningRow, col(ScreeningRow.id) == col(FindingRow.screening_pk))
                .where(col(FindingRow.outcome) == outcome, col(FindingRow.status) != "voldaan")
                .group_by(
                    col(ScreeningRow.submission_pk),
                    col(FindingRow.rule),
                    col(FindingRow.subject),
                    col(FindingRow.item),
                )
            )
            return {
                (pk, rule, subject, item): _date(day)
                for pk, rule, subject, item, day in session.execute(query)
            }
