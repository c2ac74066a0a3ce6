"""What operations need of the store beyond the daily work: which latest screenings already
are a re-screen on a date (so `kit rescreen --alle` reruns only what is missing), everything
held on one provider (an AVG access request), and the removal of what has passed its retention
period (the one exception to an append-only store, in one transaction)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Column, Table, delete, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from kit.store.base import Connection
from kit.store.tables import (
    AuditEventRow,
    DecisionRow,
    NoteRow,
    RepairRequestRow,
    ScreeningRow,
    SubmissionRow,
    screening_code,
)

RESCREEN_REASON = "herscreening"


@lru_cache(maxsize=1)
def dossier() -> tuple[tuple[str, Table, Column[Any], str], ...]:
    """Every table whose rows belong to one submission, read from the foreign keys (so a table
    added later is covered without a change here): (name, table, the column naming its parent,
    the parent's name), parents before children; removal goes the other way round. A row hangs
    off its submission (submission_pk) where it can, else off the first parent it must have."""
    tables = SQLModel.metadata.sorted_tables  # parents before children
    links: dict[str, tuple[Column[Any], str]] = {}
    grew = True
    while grew:
        grew = False
        for table in tables:
            if table.name == SubmissionRow.__tablename__ or table.name in links:
                continue
            known = {SubmissionRow.__tablename__, *links}
            choices = [
                (fk.parent, fk.column.table.name)
                for fk in table.foreign_keys
                if fk.column.table.name in known and fk.column.table.name != table.name
            ]
            if choices:
                choices.sort(
                    key=lambda c: (c[1] != SubmissionRow.__tablename__, bool(c[0].nullable))
                )
                links[table.name] = choices[0]
                grew = True
    return tuple((t.name, t, *links[t.name]) for t in tables if t.name in links)


def _id(table: Table) -> Column[Any]:
    return next(iter(table.primary_key.columns))


def _plain(row: Any) -> dict[str, Any]:
    return dict(row._mapping) if hasattr(row, "_mapping") else dict(row.model_dump())


class Maintenance(Connection):
    """Queries and removals for batch reruns and operations."""

    def rescreened_on(self, screening_pks: list[int], day: date) -> set[int]:
        """Those of `screening_pks` that are themselves a re-screen on `day`: a region re-screen
        on that day has already reached their submission."""
        if not screening_pks:
            return set()
        query = select(col(ScreeningRow.id)).where(
            col(ScreeningRow.id).in_(screening_pks),
            ScreeningRow.reason == RESCREEN_REASON,
            ScreeningRow.as_of == day,
        )
        with self.session() as session:
            return {pk for pk in session.exec(query) if pk is not None}

    def _dossier_pks(self, session: Session, submission_pks: Sequence[int]) -> dict[str, list[int]]:
        """The ids of every record of these submissions, per kind (dossier())."""
        found: dict[str, list[int]] = {"submissions": list(submission_pks)}
        for name, table, column, parent in dossier():
            parents = found[parent]
            ids: Any = (
                session.execute(sa_select(_id(table)).where(column.in_(parents))).scalars()
                if parents
                else []
            )
            found[name] = sorted(int(pk) for pk in ids)
        return found

    def provider_records(self, kvk: str) -> dict[str, list[dict[str, Any]]]:
        """Everything stored on the provider with this KvK number: its submissions and every
        record that hangs off them, and the audit events that name them. Empty lists when
        nothing is held."""
        with self.session() as session:
            subs = list(
                session.exec(select(SubmissionRow).where(SubmissionRow.provider_kvk == kvk))
            )
            pks = self._dossier_pks(session, [row.id for row in subs if row.id is not None])
            records: dict[str, list[dict[str, Any]]] = {"submissions": [_plain(r) for r in subs]}
            for name, table, _, _ in dossier():
                rows: Any = (
                    session.execute(sa_select(table).where(_id(table).in_(pks[name])))
                    if pks[name]
                    else []
                )
                records[name] = [_plain(row) for row in rows]
            names = [kvk, *(row.submission_id for row in subs)]
            names += [screening_code(pk) for pk in pks["screenings"]]
            named = or_(
                col(AuditEventRow.subject).in_(names),
                *(col(AuditEventRow.detail).contains(f'"{name}"') for name in names),
            )
            events = session.exec(
                select(AuditEventRow).where(named).order_by(col(AuditEventRow.id))
            )
            records["audit_events"] = [_plain(row) for row in events]
        return records

    def submission_ids(self, submission_pks: Sequence[int]) -> list[str]:
        """The submission ids (INS-…) of these submissions, in the order of their pks."""
        if not submission_pks:
            return []
        query = (
            select(SubmissionRow)
            .where(col(SubmissionRow.id).in_(submission_pks))
            .order_by(col(SubmissionRow.id))
        )
        with self.session() as session:
            return [row.submission_id for row in session.exec(query)]

    def dossiers_last_active(self) -> dict[int, date]:
        """Per submission the last day anything happened to it: its latest screening's date,
        decision or repair request."""
        last: dict[int, date] = {}
        queries = (
            sa_select(col(ScreeningRow.submission_pk), func.max(col(ScreeningRow.as_of))).group_by(
                col(ScreeningRow.submission_pk)
            ),
            sa_select(
                col(DecisionRow.submission_pk),
                func.max(func.coalesce(col(DecisionRow.decided_on), col(DecisionRow.decided_at))),
            ).group_by(col(DecisionRow.submission_pk)),
            sa_select(
                col(RepairRequestRow.submission_pk), func.max(col(RepairRequestRow.sent_on))
            ).group_by(col(RepairRequestRow.submission_pk)),
        )
        with self.session() as session:
            for query in queries:
                for pk, day in session.execute(query):
                    when = _day(day)
                    if when is not None and (pk not in last or when > last[pk]):
                        last[pk] = when
        return last

    def reused_elsewhere(self, submission_pks: Sequence[int]) -> set[int]:
        """Those of `submission_pks` whose screenings a case of another submission names
        (reuse_of: documents checked before): that later screening depends on them."""
        found: set[int] = set()
        with self.session() as session:
            for pk in submission_pks:
                codes = session.execute(
                    sa_select(col(ScreeningRow.id)).where(col(ScreeningRow.submission_pk) == pk)
                ).scalars()
                named = or_(
                    *(col(ScreeningRow.case_json).contains(screening_code(c)) for c in codes)
                )
                other = sa_select(func.count()).where(col(ScreeningRow.submission_pk) != pk, named)
                if session.execute(other).scalar_one():
                    found.add(pk)
        return found

    def remove(
        self,
        submission_pks: Sequence[int],
        notes_before: datetime | None,
        audit_before: datetime | None,
        audit: AuditEventRow,
        counted: dict[str, int],
    ) -> dict[str, int]:
        """Remove these submissions with every record of theirs, notes written before
        `notes_before` and audit events before `audit_before`, and add `audit` (its detail:
        the counts), all in one transaction: nothing half-removed. Rows removed per kind."""
        with self.write() as session, session.begin():
            pks = self._dossier_pks(session, submission_pks)
            for name, table, _, _ in reversed(dossier()):
                if pks[name]:
                    session.execute(delete(table).where(_id(table).in_(pks[name])))
                counted[name] = len(pks[name])
            if submission_pks:
                session.execute(
                    delete(SubmissionRow).where(col(SubmissionRow.id).in_(submission_pks))
                )
            counted["submissions"] = len(submission_pks)
            if notes_before is not None:
                gone = session.execute(
                    delete(NoteRow).where(col(NoteRow.created_at) < notes_before)
                )
                counted["notes"] += _removed(gone)
            if audit_before is not None:
                gone = session.execute(
                    delete(AuditEventRow).where(col(AuditEventRow.at) < audit_before)
                )
                counted["audit_events"] = _removed(gone)
            audit.detail = _with_counts(audit.detail, counted)
            session.add(audit)
        return counted


def _with_counts(detail: str, counted: dict[str, int]) -> str:

    return json.dumps(
        {**json.loads(detail), "removed": counted}, ensure_ascii=False, sort_keys=True
    )


def _removed(result: Any) -> int:
    """The rows a DELETE removed (a CursorResult's rowcount)."""
    return int(result.rowcount or 0)


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None
