"""Screenings, append-only: storing outcomes with their findings and verdicts (one
transaction, or one savepoint per case) and the rule-set snapshots they were made under.
Reading them back is kit.store.screening_reads."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select  # sqlmodel's select types at most four columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from kit.errors import fault_text, is_fatal
from kit.store.base import Connection, _bulk_insert
from kit.store.records import (
    Conflict,
    Expected,
    Identical,
    ScreeningRecord,
    Stored,
)
from kit.store.tables import (
    AuditEventRow,
    FindingRow,
    LotVerdictRow,
    RulesetSnapshotRow,
    ScreeningRow,
    SubmissionRow,
    screening_code,
    utcnow,
)


class Screenings(Connection):
    """Storing screenings, append-only, and the rule-set snapshots they were made under."""

    def _submission_pks(
        self, session: Session, outcomes: list[ScreeningRecord]
    ) -> dict[tuple[str, str], int]:
        """The submission row of every outcome, (procedure, submission id) -> pk, inserting the
        new ones (insert or ignore: a concurrent writer may insert the same), and locking them
        for this transaction on PostgreSQL (SQLite's write lock covers the whole database)."""
        wanted = {
            (o.case.submission.procedure, o.case.submission.id): o.case.submission for o in outcomes
        }
        rows = [
            {
                "submission_id": sub_id,
                "procedure": procedure,
                "provider_kvk": sub.provider.kvk,
                "provider_name": sub.provider.name,
                "created_at": utcnow(),
            }
            for (procedure, sub_id), sub in sorted(wanted.items())
        ]  # one lock order
        dialect = postgresql if self.engines.dialect == "postgresql" else sqlite
        for start in range(0, len(rows), 500):
            session.execute(
                dialect.insert(SubmissionRow)
                .values(rows[start : start + 500])
                .on_conflict_do_nothing(index_elements=["procedure", "submission_id"])
            )
        found: dict[tuple[str, str], int] = {}
        ids = sorted({sub_id for _, sub_id in wanted})
        for start in range(0, len(ids), 500):
            query = (
                select(SubmissionRow.id, SubmissionRow.procedure, SubmissionRow.submission_id)
                .where(col(SubmissionRow.submission_id).in_(ids[start : start + 500]))
                .order_by(col(SubmissionRow.id))
            )
            if self.engines.dialect == "postgresql":
                query = query.with_for_update()
            for pk, procedure, sub_id in session.execute(query):
                if (procedure, sub_id) in wanted and pk is not None:
                    found[(procedure, sub_id)] = pk
        return found

    def _state(
        self, session: Session, pks: list[int]
    ) -> tuple[dict[int, int], set[tuple[int, str, date, str]]]:
        """Per submission its latest screening, and the (submission, case hash, as-of, rule set)
        of every screening stored for them: what a new screening is checked against."""
        latest: dict[int, int] = {}
        identities: set[tuple[int, str, date, str]] = set()
        for start in range(0, len(pks), 500):
            page = pks[start : start + 500]
            query = sa_select(
                col(ScreeningRow.id),
                col(ScreeningRow.submission_pk),
                col(ScreeningRow.case_sha256),
                col(ScreeningRow.as_of),
                col(ScreeningRow.ruleset_sha256),
            ).where(col(ScreeningRow.submission_pk).in_(page))
            for pk, sub_pk, case_sha, as_of, ruleset_sha in session.execute(query):
                latest[sub_pk] = max(pk, latest.get(sub_pk, 0))
                identities.add((sub_pk, case_sha, as_of, ruleset_sha))
        return latest, identities

    def save(
        self,
        outcomes: Iterable[ScreeningRecord],
        also: Iterable[SQLModel] = (),
        audit: Callable[[list[str]], AuditEventRow | None] | None = None,
        expected: Expected | None = None,
        force: bool = False,
    ) -> list[str]:
        """Store outcomes with their verdicts and findings, the rows in `also` (the decision that
        caused them) and the audit event `audit` makes of the new screening ids, in one
        transaction: all or nothing. Under the lock it re-checks `expected` (Conflict when
        another screening of a submission came in meanwhile) and, unless `force`, that no
        identical screening exists (same case, as-of date and rule set): then it raises
        Identical with that screening's code."""
        outcomes = list(outcomes)
        if not outcomes:
            return []
        with self.write() as session, session.begin():
            stored = self._save(session, outcomes, also, audit, expected, force)
        if stored.existing:
            raise Identical(next(iter(stored.existing.values())))
        return [code for code in stored.codes if code]

    def save_each(
        self,
        outcomes: Sequence[ScreeningRecord],
        audit: Callable[[list[str]], AuditEventRow | None],
        expected: Expected | None = None,
        force: bool = False,
    ) -> Stored:
        """Store a batch in one transaction; when that fails, store each outcome on a savepoint
        of its own, so that one case's database error or conflict loses that case only."""
        try:
            with self.write() as session, session.begin():
                return self._save(session, list(outcomes), (), audit, expected, force)
        except (SQLAlchemyError, Conflict):
            pass
        stored = Stored(codes=[None] * len(outcomes))
        with self.write() as session, session.begin():
            for index, outcome in enumerate(outcomes):
                try:
                    with session.begin_nested():
                        one = self._save(session, [outcome], (), None, expected, force)
                    stored.codes[index] = one.codes[0]
                    if one.existing:
                        stored.existing[index] = one.existing[0]
                except Conflict:
                    stored.failed[index] = (
                        f"{outcome.source}: inschrijving {outcome.case.submission.id} is intussen "
                        "door een andere gebruiker gescreend; niets opgeslagen voor deze casus, "
                        "screen haar opnieuw"
                    )
                except SQLAlchemyError as exc:
                    if is_fatal(exc):  # a full disk, a lost database: the run must stop
                        raise
                    stored.failed[index] = (
                        f"{outcome.source}: {fault_text(exc)} bij opslaan; "
                        "niets opgeslagen voor deze casus"
                    )
            codes = [code for code in stored.codes if code]
            event = audit(codes) if codes else None
            if event is not None:
                session.add(event)
        return stored

    def _save(
        self,
        session: Session,
        outcomes: list[ScreeningRecord],
        also: Iterable[SQLModel],
        audit: Callable[[list[str]], AuditEventRow | None] | None,
        expected: Expected | None,
        force: bool,
    ) -> Stored:
        """Check and insert `outcomes` in `session`'s transaction: Conflict when a submission's
        latest screening is not the one `expected`; an identical screening is reported, not
        stored again (unless `force`)."""
        stored = Stored(codes=[None] * len(outcomes))
        submissions = self._submission_pks(session, outcomes)
        latest, identities = self._state(session, sorted(set(submissions.values())))
        keep: list[int] = []
        for index, outcome in enumerate(outcomes):
            sub = outcome.case.submission
            key = (sub.procedure, sub.id)
            pk = submissions[key]
            identity = (pk, outcome.case.sha256(), outcome.as_of, outcome.ruleset_sha256)
            if not force and identity in identities:
                stored.existing[index] = self._identical_code(session, identity)
                continue
            if expected is not None and key in expected and latest.get(pk) != expected[key]:
                raise Conflict(
                    f"inschrijving {sub.id}: intussen heeft een andere gebruiker een screening "
                    "van deze inschrijving opgeslagen; er is niets opgeslagen. Voer de opdracht "
                    "opnieuw uit."
                )
            keep.append(index)
        session.add_all(list(also))
        if keep:
            self._insert(session, [outcomes[i] for i in keep], submissions)
            for index in keep:
                stored.codes[index] = outcomes[index].screening_id
        codes = [code for code in stored.codes if code]
        event = audit(codes) if audit is not None and codes else None
        if event is not None:
            session.add(event)
        return stored

    @staticmethod
    def _identical_code(session: Session, identity: tuple[int, str, date, str]) -> str:
        sub_pk, case_sha, as_of, ruleset_sha = identity
        pk = session.scalar(
            select(func.min(col(ScreeningRow.id))).where(
                ScreeningRow.submission_pk == sub_pk,
                ScreeningRow.case_sha256 == case_sha,
                ScreeningRow.as_of == as_of,
                ScreeningRow.ruleset_sha256 == ruleset_sha,
            )
        )
        return screening_code(pk or 0)

    # Over 60 lines: one bulk statement per table (the screenings, then their verdicts and
    # findings, which need the screenings' keys); one statement per row was the slow path.
    def _insert(
        self,
        session: Session,
        outcomes: list[ScreeningRecord],
        submissions: dict[tuple[str, str], int],
    ) -> None:
        """A few bulk statements for the outcomes (no statement per screening or finding)."""
        screenings = []
        for outcome in outcomes:
            sub = outcome.case.submission
            case_json = outcome.case.canonical_json  # the case as screened; Case.sha256() hashes it
            row = ScreeningRow(
                submission_pk=submissions[(sub.procedure, sub.id)],
                round=sub.round,
                as_of=outcome.as_of,
                ruleset_id=outcome.ruleset_id,
                ruleset_sha256=outcome.ruleset_sha256,
                engine_version=outcome.engine_version,
                case_sha256=outcome.case.sha256(),
                case_json=case_json,
                source=outcome.source,
                risk=outcome.risk,
                reason=outcome.reason,
                review=outcome.review,
                known_on=outcome.known_on or outcome.as_of,
                final=outcome.final,
                actor=outcome.actor,
                base_screening_pk=outcome.base_screening_pk,
                rerun=json.dumps(outcome.rerun) if outcome.rerun else "",
                prior_json=outcome.prior.to_json() if outcome.prior else "",
                not_applicable_json=json.dumps(
                    [n.to_result() for n in outcome.not_applicable], ensure_ascii=False
                ),
                summary_json=json.dumps(outcome.summary, ensure_ascii=False)
                if outcome.summary
                else None,
                asks_repair=outcome.summary.get("asks_repair") if outcome.summary else None,
            )
            screenings.append(row.model_dump(exclude={"id"}))
        pks = _bulk_insert(session, ScreeningRow, screenings, returning=True)
        verdicts: list[dict[str, Any]] = []
        findings: list[dict[str, Any]] = []
        evidence: dict[tuple[str, ...], str] = {}  # JSON of each distinct evidence list
        for pk, outcome in zip(pks, outcomes, strict=True):
            outcome.screening_id = screening_code(pk)
            verdicts += [
                {"screening_pk": pk, "lot": lot, "verdict": verdict}
                for lot, verdict in outcome.lots.items()
            ]
            findings += [
                {
                    "screening_pk": pk,
                    "position": i,
                    "rule": f.rule,
                    "requirement": f.requirement,
                    "subject": f.subject,
                    "lot": f.lot,
                    "item": f.item,
                    "status": f.status,
                    "outcome": f.outcome,
                    "message": f.message,
                    "neutral_message": f.neutral,
                    "letter_message": f.letter,
                    "sensitive": f.sensitive,
                    "basis": f.basis,
                    "evidence": evidence.get(f.evidence)
                    or evidence.setdefault(f.evidence, json.dumps(list(f.evidence))),
                    "due": date.fromisoformat(f.due) if f.due else None,
                }
                for i, f in enumerate(outcome.findings)
            ]
        _bulk_insert(session, LotVerdictRow, verdicts)
        _bulk_insert(session, FindingRow, findings)

    def snapshot(self, sha256: str) -> RulesetSnapshotRow | None:
        with self.session() as session:
            return session.get(RulesetSnapshotRow, sha256)

    def keep_snapshots(self, snapshots: dict[str, tuple[str, str]]) -> None:
        """Store rule-set snapshots (sha256 -> (id, content)) that are not stored yet; safe when
        several workers store the same snapshot at once (insert or ignore)."""
        if not snapshots:
            return
        rows = [
            {"sha256": sha, "ruleset_id": rid, "content": content, "created_at": utcnow()}
            for sha, (rid, content) in snapshots.items()
        ]
        dialect = postgresql if self.engines.dialect == "postgresql" else sqlite
        statement = (
            dialect.insert(RulesetSnapshotRow)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["sha256"])
        )
        with self.write() as session, session.begin():
            session.execute(statement)
