"""Screenings, append-only: storing outcomes with their findings and verdicts (one
transaction, or one savepoint per case), and reading them back by submission, code or
provider; the rule-set snapshots they were made under."""

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

from kit.errors import KitError, fault_text, is_fatal
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
    """Screenings, append-only: storing outcomes with their findings and verdicts (one"""

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

    def screenings(self) -> list[ScreeningRow]:
        with self.session() as session:
            return list(session.exec(select(ScreeningRow).order_by(col(ScreeningRow.id))))

    def findings(self, screening_pk: int) -> list[FindingRow]:
        with self.session() as session:
            return list(
                session.exec(
                    select(FindingRow)
                    .where(FindingRow.screening_pk == screening_pk)
                    .order_by(col(FindingRow.position))
                )
            )

    def verdicts(self, screening_pk: int) -> dict[str, str]:
        with self.session() as session:
            rows = session.exec(
                select(LotVerdictRow).where(LotVerdictRow.screening_pk == screening_pk)
            )
            return {row.lot: row.verdict for row in rows}

    def verdicts_of(self, screening_pks: list[int]) -> dict[int, dict[str, str]]:
        """The lot verdicts of several screenings, by screening, in one query per 500."""
        found: dict[int, dict[str, str]] = {}
        with self.session() as session:
            for start in range(0, len(screening_pks), 500):
                query = sa_select(
                    col(LotVerdictRow.screening_pk),
                    col(LotVerdictRow.lot),
                    col(LotVerdictRow.verdict),
                ).where(col(LotVerdictRow.screening_pk).in_(screening_pks[start : start + 500]))
                for pk, lot, verdict in session.execute(query):
                    found.setdefault(pk, {})[lot] = verdict
        return found

    def counts(self) -> dict[str, Any]:
        """Rows per table, counted by the database (a region holds hundreds of thousands of
        findings: not read to be counted)."""
        tables = {"submissions": SubmissionRow, "screenings": ScreeningRow, "findings": FindingRow}
        with self.session() as session:
            return {
                name: int(session.execute(sa_select(func.count()).select_from(table)).scalar_one())
                for name, table in tables.items()
            }

    def submission(self, submission_id: str) -> SubmissionRow:
        """The stored submission with this id; unknown or ambiguous ids are a Dutch error."""
        with self.session() as session:
            rows = list(
                session.exec(
                    select(SubmissionRow).where(SubmissionRow.submission_id == submission_id)
                )
            )
        if not rows:
            raise KitError(
                f"inschrijving {submission_id!r} is niet bekend in {self.shown_url}; "
                "screen haar eerst"
            )
        if len(rows) > 1:
            procedures = ", ".join(r.procedure for r in rows)
            raise KitError(
                f"inschrijving {submission_id!r} komt voor in meerdere procedures ({procedures})"
            )
        return rows[0]

    def find_submission(self, procedure: str, submission_id: str) -> SubmissionRow | None:
        with self.session() as session:
            return session.exec(
                select(SubmissionRow).where(
                    SubmissionRow.procedure == procedure,
                    SubmissionRow.submission_id == submission_id,
                )
            ).first()

    def submissions(self) -> list[SubmissionRow]:
        with self.session() as session:
            return list(session.exec(select(SubmissionRow).order_by(col(SubmissionRow.id))))

    def screenings_of(self, submission_pk: int) -> list[ScreeningRow]:
        with self.session() as session:
            return list(
                session.exec(
                    select(ScreeningRow)
                    .where(ScreeningRow.submission_pk == submission_pk)
                    .order_by(col(ScreeningRow.id))
                )
            )

    def screening(self, code: str) -> ScreeningRow:
        number = code.upper().removeprefix("SCR-")
        # Digits only (ASCII: int() also reads other scripts' digits), and within the range of
        # the primary key (a larger number cannot exist and overflows the database driver).
        pk = int(number) if number.isascii() and number.isdigit() and len(number) < 10 else -1
        with self.session() as session:
            row = session.get(ScreeningRow, pk) if pk >= 0 else None
        if row is None:
            raise KitError(f"screening {code!r} bestaat niet in {self.shown_url}")
        return row

    def _finding_screenings(
        self, screening_pks: list[int], outcome: str
    ) -> list[tuple[int, str, str]]:
        """(screening pk, requirement, subject) of the open findings with `outcome`."""
        found: list[tuple[int, str, str]] = []
        with self.session() as session:
            for start in range(0, len(screening_pks), 500):
                query = (
                    select(FindingRow.screening_pk, FindingRow.requirement, FindingRow.subject)
                    .where(
                        col(FindingRow.screening_pk).in_(screening_pks[start : start + 500]),
                        FindingRow.status != "voldaan",
                        FindingRow.outcome == outcome,
                    )
                    .order_by(col(FindingRow.screening_pk), col(FindingRow.position))
                )
                found += [
                    (pk, requirement, subject)
                    for pk, requirement, subject in session.execute(query)
                ]
        return found

    def unknown_submissions(self, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those (procedure, submission id) the store does not know yet, in one query per 500."""
        wanted = set(keys)
        known: set[tuple[str, str]] = set()
        ids = sorted({sub_id for _, sub_id in wanted})
        with self.session() as session:
            for start in range(0, len(ids), 500):
                query = select(SubmissionRow.procedure, SubmissionRow.submission_id).where(
                    col(SubmissionRow.submission_id).in_(ids[start : start + 500])
                )
                known.update((procedure, sub_id) for procedure, sub_id in session.execute(query))
        return wanted - known

    def last_screening_pk(self) -> int:
        """The highest screening id so far (0 in an empty store)."""
        with self.session() as session:
            return int(session.scalar(select(func.max(ScreeningRow.id))) or 0)

    def stored_since(self, after_pk: int, sources: list[str]) -> int:
        """How many screenings of these source files were stored after screening `after_pk`:
        what a run that was interrupted got into the store."""
        count = 0
        with self.session() as session:
            for start in range(0, len(sources), 500):
                count += (
                    session.scalar(
                        select(func.count()).where(
                            col(ScreeningRow.id) > after_pk,
                            col(ScreeningRow.source).in_(sources[start : start + 500]),
                        )
                    )
                    or 0
                )
        return count

    def latest_screening_pks(self) -> list[int]:
        """The latest screening of every stored submission."""
        with self.session() as session:
            latest = select(func.max(ScreeningRow.id)).group_by(col(ScreeningRow.submission_pk))
            return sorted(pk for pk in session.execute(latest).scalars() if pk is not None)

    def stored_cases(
        self, screening_pks: list[int]
    ) -> list[tuple[int, str, str, bool, str, date, int]]:
        """(pk, source, case JSON, final, prior JSON, as-of date, review) of these screenings,
        by pk."""
        with self.session() as session:
            query = (
                sa_select(
                    col(ScreeningRow.id),
                    col(ScreeningRow.source),
                    col(ScreeningRow.case_json),
                    col(ScreeningRow.final),
                    col(ScreeningRow.prior_json),
                    col(ScreeningRow.as_of),
                    col(ScreeningRow.review),
                )
                .where(col(ScreeningRow.id).in_(screening_pks))
                .order_by(col(ScreeningRow.id))
            )
            return [tuple(row) for row in session.execute(query)]

    def open_findings(
        self, screening_pks: list[int], outcome: str | None = None
    ) -> dict[int, list[FindingRow]]:
        """The not-satisfied findings of several screenings (optionally of one outcome), by
        screening."""
        found: dict[int, list[FindingRow]] = {pk: [] for pk in screening_pks}
        if not screening_pks:
            return found
        with self.session() as session:
            query = select(FindingRow).where(
                col(FindingRow.screening_pk).in_(screening_pks), FindingRow.status != "voldaan"
            )
            if outcome is not None:
                query = query.where(FindingRow.outcome == outcome)
            for row in session.exec(
                query.order_by(col(FindingRow.screening_pk), col(FindingRow.position))
            ):
                found[row.screening_pk].append(row)
        return found

    def exclusions(self, screening_pks: list[int]) -> dict[int, list[tuple[str, str]]]:
        """Per screening, the exclusions it found: (requirement, subject) of each `uitsluiting`."""
        out: dict[int, list[tuple[str, str]]] = {}
        for pk, requirement, subject in self._finding_screenings(screening_pks, "uitsluiting"):
            out.setdefault(pk, []).append((requirement, subject))
        return out

    def latest_screening_of_provider(self, kvk: str) -> ScreeningRow:
        with self.session() as session:
            row = session.exec(
                select(ScreeningRow)
                .join(SubmissionRow, col(ScreeningRow.submission_pk) == col(SubmissionRow.id))
                .where(SubmissionRow.provider_kvk == kvk)
                .order_by(col(ScreeningRow.id).desc())
            ).first()
        if row is None:
            raise KitError(
                f"aanbieder met KvK {kvk} is niet bekend in {self.shown_url}; "
                "screen eerst een inschrijving"
            )
        return row

    def latest_screenings(self) -> list[tuple[SubmissionRow, ScreeningRow]]:
        """Each stored submission with its latest screening, in one query, by provider name."""
        with self.session() as session:
            latest = (
                select(col(ScreeningRow.submission_pk), func.max(col(ScreeningRow.id)).label("pk"))
                .group_by(col(ScreeningRow.submission_pk))
                .subquery()
            )
            query = (
                select(SubmissionRow, ScreeningRow)
                .join(latest, latest.c.submission_pk == col(SubmissionRow.id))
                .join(ScreeningRow, col(ScreeningRow.id) == latest.c.pk)
                .order_by(
                    col(SubmissionRow.provider_name),
                    col(SubmissionRow.submission_id),
                    col(SubmissionRow.procedure),
                )
            )
            return [(sub, scr) for sub, scr in session.exec(query)]

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

    def submissions_by_pk(self, pks: set[int]) -> list[SubmissionRow]:
        if not pks:
            return []
        with self.session() as session:
            return list(session.exec(select(SubmissionRow).where(col(SubmissionRow.id).in_(pks))))
