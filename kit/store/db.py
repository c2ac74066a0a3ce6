"""The store: SQLModel tables, append-only. SQLite by default, PostgreSQL via KIT_DATABASE_URL.

Screenings and findings are only ever inserted. Each screening records what it needs to be
replayed: the case as screened (JSON and hash), the rule-set id and content hash, the as-of
date and the engine version. A batch is written in one transaction, so a failure leaves
nothing half-done.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, SQLModel, create_engine, select

from kit.errors import KitError
from kit.store.tables import (
    AuditEventRow,
    DecisionRow,
    ExtraRoundRow,
    FindingRow,
    LotVerdictRow,
    NoteRow,
    RulesetSnapshotRow,
    ScreeningRow,
    SubmissionRow,
)

if TYPE_CHECKING:
    from kit.screening import ScreeningOutcome

DEFAULT_URL = "sqlite:///kit.db"


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get("KIT_DATABASE_URL") or DEFAULT_URL


class Store:
    """One database; every write method is a single transaction."""

    def __init__(self, url: str | None = None):
        self.url = database_url(url)
        self.engine = create_engine(self.url)
        SQLModel.metadata.create_all(self.engine)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _submission(self, session: Session, outcome: ScreeningOutcome,
                    cache: dict[tuple[str, str], SubmissionRow]) -> SubmissionRow:
        sub = outcome.case.submission
        key = (sub.procedure, sub.id)
        if key in cache:
            return cache[key]
        row = session.exec(select(SubmissionRow).where(
            SubmissionRow.procedure == sub.procedure, SubmissionRow.submission_id == sub.id)).first()
        if row is None:
            row = SubmissionRow(submission_id=sub.id, procedure=sub.procedure,
                                provider_kvk=sub.provider.kvk, provider_name=sub.provider.name)
            session.add(row)
            session.flush()
        cache[key] = row
        return row

    def save(self, outcomes: Iterable[ScreeningOutcome]) -> list[str]:
        """Insert screenings with their verdicts and findings; return their screening ids."""
        codes: list[str] = []
        with self.session() as session, session.begin():
            cache: dict[tuple[str, str], SubmissionRow] = {}
            for outcome in outcomes:
                submission = self._submission(session, outcome, cache)
                screening = ScreeningRow(
                    submission_pk=submission.id, round=outcome.case.submission.round, as_of=outcome.as_of,
                    ruleset_id=outcome.ruleset_id, ruleset_sha256=outcome.ruleset_sha256,
                    engine_version=outcome.engine_version, case_sha256=outcome.case.sha256(),
                    case_json=json.dumps(outcome.case.to_json_data(), ensure_ascii=False, sort_keys=True),
                    source=outcome.source, risk=outcome.risk, reason=outcome.reason, final=outcome.final,
                    actor=outcome.actor, base_screening_pk=outcome.base_screening_pk,
                    rerun=json.dumps(outcome.rerun) if outcome.rerun else "",
                )
                session.add(screening)
                session.flush()
                outcome.screening_id = screening.code
                codes.append(screening.code)
                session.add_all(LotVerdictRow(screening_pk=screening.id, lot=lot, verdict=verdict)
                                for lot, verdict in outcome.lots.items())
                session.add_all(
                    FindingRow(
                        screening_pk=screening.id, position=i, rule=f.rule, requirement=f.requirement,
                        subject=f.subject, lot=f.lot, item=f.item, status=f.status, outcome=f.outcome,
                        message=f.message, neutral_message=f.neutral, sensitive=f.sensitive,
                        basis=f.basis, evidence=json.dumps(list(f.evidence)),
                        due=date.fromisoformat(f.due) if f.due else None,
                    )
                    for i, f in enumerate(outcome.findings)
                )
        return codes

    def screenings(self) -> list[ScreeningRow]:
        with self.session() as session:
            return list(session.exec(select(ScreeningRow).order_by(ScreeningRow.id)))

    def findings(self, screening_pk: int) -> list[FindingRow]:
        with self.session() as session:
            return list(session.exec(select(FindingRow).where(FindingRow.screening_pk == screening_pk)
                                     .order_by(FindingRow.position)))

    def verdicts(self, screening_pk: int) -> dict[str, str]:
        with self.session() as session:
            rows = session.exec(select(LotVerdictRow).where(LotVerdictRow.screening_pk == screening_pk))
            return {row.lot: row.verdict for row in rows}

    def counts(self) -> dict[str, Any]:
        with self.session() as session:
            return {
                "submissions": len(session.exec(select(SubmissionRow.id)).all()),
                "screenings": len(session.exec(select(ScreeningRow.id)).all()),
                "findings": len(session.exec(select(FindingRow.id)).all()),
            }

    # --- queries by submission -------------------------------------------------------
    def submission(self, submission_id: str) -> SubmissionRow:
        """The stored submission with this id; unknown or ambiguous ids are a Dutch error."""
        with self.session() as session:
            rows = list(session.exec(select(SubmissionRow).where(SubmissionRow.submission_id == submission_id)))
        if not rows:
            raise KitError(f"inschrijving {submission_id!r} is niet bekend in {self.url}; screen haar eerst")
        if len(rows) > 1:
            procedures = ", ".join(r.procedure for r in rows)
            raise KitError(f"inschrijving {submission_id!r} komt voor in meerdere procedures ({procedures})")
        return rows[0]

    def find_submission(self, procedure: str, submission_id: str) -> SubmissionRow | None:
        with self.session() as session:
            return session.exec(select(SubmissionRow).where(
                SubmissionRow.procedure == procedure, SubmissionRow.submission_id == submission_id)).first()

    def submissions(self) -> list[SubmissionRow]:
        with self.session() as session:
            return list(session.exec(select(SubmissionRow).order_by(SubmissionRow.id)))

    def screenings_of(self, submission_pk: int) -> list[ScreeningRow]:
        with self.session() as session:
            return list(session.exec(select(ScreeningRow).where(ScreeningRow.submission_pk == submission_pk)
                                     .order_by(ScreeningRow.id)))

    def screening(self, code: str) -> ScreeningRow:
        pk = int(code.removeprefix("SCR-")) if code.removeprefix("SCR-").isdigit() else -1
        with self.session() as session:
            row = session.get(ScreeningRow, pk)
        if row is None:
            raise KitError(f"screening {code!r} bestaat niet in {self.url}")
        return row

    def extra_rounds(self, submission_pk: int) -> list[ExtraRoundRow]:
        with self.session() as session:
            return list(session.exec(select(ExtraRoundRow).where(ExtraRoundRow.submission_pk == submission_pk)
                                     .order_by(ExtraRoundRow.id)))

    def decisions(self, submission_pk: int) -> list[DecisionRow]:
        with self.session() as session:
            return list(session.exec(select(DecisionRow).where(DecisionRow.submission_pk == submission_pk)
                                     .order_by(DecisionRow.id)))

    def notes(self, submission_pk: int) -> list[NoteRow]:
        with self.session() as session:
            return list(session.exec(select(NoteRow).where(NoteRow.submission_pk == submission_pk)
                                     .order_by(NoteRow.id)))

    def audit_events(self) -> list[AuditEventRow]:
        with self.session() as session:
            return list(session.exec(select(AuditEventRow).order_by(AuditEventRow.id)))

    def add(self, *rows: Any, audit: AuditEventRow | None = None) -> None:
        """Insert rows (and their audit event) in one transaction."""
        with self.session() as session, session.begin():
            session.add_all(rows)
            if audit is not None:
                session.add(audit)

    def latest_screening_of_provider(self, kvk: str) -> ScreeningRow:
        with self.session() as session:
            row = session.exec(select(ScreeningRow).join(SubmissionRow,
                                                         ScreeningRow.submission_pk == SubmissionRow.id)
                               .where(SubmissionRow.provider_kvk == kvk)
                               .order_by(ScreeningRow.id.desc())).first()  # type: ignore[union-attr]
        if row is None:
            raise KitError(f"aanbieder met KvK {kvk} is niet bekend in {self.url}; screen eerst een inschrijving")
        return row

    def latest_screenings(self) -> list[ScreeningRow]:
        """The latest screening of every submission."""
        return [self.screenings_of(sub.id)[-1] for sub in self.submissions()  # type: ignore[arg-type]
                if self.screenings_of(sub.id)]  # type: ignore[arg-type]

    def snapshot(self, sha256: str) -> RulesetSnapshotRow | None:
        with self.session() as session:
            return session.get(RulesetSnapshotRow, sha256)

    def keep_snapshots(self, snapshots: dict[str, tuple[str, str]]) -> None:
        """Store rule-set snapshots (sha256 -> (id, content)) that are not stored yet."""
        with self.session() as session, session.begin():
            for sha, (ruleset_id, content) in snapshots.items():
                if session.get(RulesetSnapshotRow, sha) is None:
                    session.add(RulesetSnapshotRow(sha256=sha, ruleset_id=ruleset_id, content=content))
