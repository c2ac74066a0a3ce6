"""The store: SQLModel tables, append-only. SQLite by default, PostgreSQL via KIT_DATABASE_URL.

Screenings and findings are only ever inserted. Each screening records what it needs to be
replayed: the case as screened (JSON and hash), the rule-set id and content hash, the as-of
date and the engine version. Every write is one transaction, so a failure leaves nothing
half-done; a batch that fails is stored case by case on savepoints, so one bad case loses only
itself. The same case screened again on the same date under the same rule set gives the stored
screening back (Identical) instead of a copy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import bindparam, func
from sqlalchemy import select as sa_select  # sqlmodel's select types at most four columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, insert, select

from kit.errors import KitError
from kit.store import schema
from kit.store.connect import DEFAULT_URL, database_url, engines, shown_url, sqlite_file
from kit.store.tables import (
    OPEN,
    AccountRow,
    AssignmentRow,
    AuditEventRow,
    DecisionRow,
    ExtraRoundRow,
    FindingRow,
    LoginFailureRow,
    LotVerdictRow,
    NoteRow,
    RepairRequestRow,
    RulesetSnapshotRow,
    ScreeningRow,
    SubmissionRow,
    WebSessionRow,
    screening_code,
    utcnow,
)

if TYPE_CHECKING:
    from kit.screening.screen import ScreeningOutcome

__all__ = [
    "DEFAULT_URL",
    "Conflict",
    "Expected",
    "Facts",
    "Identical",
    "Store",
    "Stored",
    "database_url",
]


class Identical(KitError):
    """The same case, as-of date and rule set were screened before: nothing new is stored."""

    def __init__(self, code: str):
        super().__init__(f"al gescreend: {code}")
        self.code = code


def _date(value: Any) -> date:
    """A date column read through an SQL function (SQLite may give it as text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _bulk_insert(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], returning: bool = False
) -> list[int]:
    """Insert `rows` into `model`'s table in one executemany (the model's defaults filled in);
    with `returning`, the new primary keys in the order of `rows`."""
    if not rows:
        return []
    defaults: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in rows[0] and name != "id":
            if info.default_factory is not None:
                # pydantic types default_factory as taking the validated data too; ours take none
                defaults[name] = info.default_factory()  # type: ignore[call-arg]
            elif not info.is_required():
                defaults[name] = info.default
    table = model.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models only
    values = [{**defaults, **row} for row in rows] if defaults else rows
    if not returning:
        session.execute(insert(table), values)
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, values).scalars())


class OpenFinding(NamedTuple):
    """An open finding as the lists read it (kit.views.standing): what a message for a role needs.
    (A tuple: a region has a hundred thousand of them, made straight from the query's rows.)"""

    screening_pk: int
    rule: str
    requirement: str
    subject: str
    lot: str | None
    item: str | None
    status: str
    outcome: str | None
    message: str
    neutral_message: str
    sensitive: bool
    due: date | None


class Conflict(KitError):
    """Another screening of the submission was stored after this one read its history."""


class StoredRequest(NamedTuple):
    """A repair request as the lists read it (kit.screening.rounds.request_of): without its
    letter."""

    id: int
    submission_pk: int
    review: int
    round: int
    screening_pk: int
    sent_on: date
    sent_by: str
    deadline: date
    named_json: str
    derived: bool


class StoredGrant(NamedTuple):
    """An extra round as the lists read it (kit.screening.rounds.grant_of)."""

    id: int
    submission_pk: int
    review: int
    granted_at: datetime


class Mark(NamedTuple):
    """A screening as a submission's rounds read it (kit.screening.rounds.Mark): the day it
    reflects is its known_on, or its as-of date when it was stored before 0007."""

    pk: int
    round: int
    known_on: date
    review: int


@dataclass(frozen=True)
class Facts:
    """What a submission's rounds are made of, read under its lock (add_repair_request): its
    latest screening, its repair requests and its extra rounds."""

    latest: int | None
    requests: tuple[int, ...]
    grants: tuple[int, ...]


@dataclass
class Stored:
    """What storing a batch of outcomes did, per outcome (same order): the new screening's code,
    the identical screening already stored (nothing new stored), or the error that kept it out."""

    codes: list[str | None] = field(default_factory=list)
    existing: dict[int, str] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)


# Per outcome, the latest screening of its submission when its history was read (None: none),
# keyed by (procedure, submission id): storing re-checks it under the lock.
Expected = dict[tuple[str, str], int | None]


class Store:
    """One database. Every write is a single transaction that holds the write lock (SQLite) or
    locks the submissions it writes (PostgreSQL), so concurrent users store what a sequential
    run would."""

    def __init__(self, url: str | None = None, create: bool = True):
        """`create=False` for commands that read or extend stored screenings: a mistyped URL must
        not silently give an empty new database."""
        self.url = database_url(url)
        path = sqlite_file(self.url)
        if not create and path is not None and not os.path.exists(path):
            raise KitError(
                f"database {self.shown_url} bestaat niet; screen eerst inschrijvingen (kit screen) "
                "of controleer --db / KIT_DATABASE_URL"
            )
        self.engines = engines(self.url)
        self.engine = self.engines.read
        schema.ensure(self.engines, self.url)

    @property
    def shown_url(self) -> str:
        """The database's URL as a message may show it (no password)."""
        return shown_url(self.url)

    def close(self) -> None:
        """Close the connections (on SQLite the last one folds the write-ahead log back into the
        database file, so the file alone is a complete copy)."""
        self.engines.read.dispose()
        self.engines.write.dispose()

    def forked(self) -> None:
        """In a forked child (kit.forked): new connections from here on, leaving the parent's
        to the parent (SQLAlchemy's advice for fork: dispose the pool without closing them)."""
        self.engines.read.dispose(close=False)
        self.engines.write.dispose(close=False)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def session(self) -> Session:
        """A session for reading."""
        return Session(self.engines.read, expire_on_commit=False)

    def write(self) -> Session:
        """A session for one write transaction; on SQLite it holds the write lock from its start."""
        return Session(self.engines.write, expire_on_commit=False)

    def _submission_pks(
        self, session: Session, outcomes: list[ScreeningOutcome]
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
        outcomes: Iterable[ScreeningOutcome],
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
        outcomes: list[ScreeningOutcome],
        audit: Callable[[list[str]], AuditEventRow | None],
        expected: Expected | None = None,
        force: bool = False,
    ) -> Stored:
        """Store a batch in one transaction; when that fails, store each outcome on a savepoint
        of its own, so that one case's database error or conflict loses that case only."""
        try:
            with self.write() as session, session.begin():
                return self._save(session, outcomes, (), audit, expected, force)
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
                    stored.failed[index] = (
                        f"{outcome.source}: databasefout bij opslaan ({exc.__class__.__name__}); "
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
        outcomes: list[ScreeningOutcome],
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
        outcomes: list[ScreeningOutcome],
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

    # --- queries by submission -------------------------------------------------------
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

    def notes(self, submission_pk: int) -> list[NoteRow]:
        with self.session() as session:
            return list(
                session.exec(
                    select(NoteRow)
                    .where(NoteRow.submission_pk == submission_pk)
                    .order_by(col(NoteRow.id))
                )
            )

    def audit_events(self) -> list[AuditEventRow]:
        with self.session() as session:
            return list(session.exec(select(AuditEventRow).order_by(col(AuditEventRow.id))))

    # --- accounts and web sessions (kit.services.accounts) ------------------------------
    def add_account(self, row: AccountRow, audit: AuditEventRow) -> None:
        """A new account with its audit event; a name in use is refused, never overwritten."""
        from sqlalchemy.exc import IntegrityError

        try:
            self.add(row, audit=audit)
        except IntegrityError:
            raise Conflict(f"account {row.name!r} bestaat al") from None

    def account(self, name: str) -> AccountRow | None:
        with self.session() as session:
            return session.exec(select(AccountRow).where(AccountRow.name == name)).first()

    def accounts(self) -> list[AccountRow]:
        with self.session() as session:
            return list(session.exec(select(AccountRow).order_by(col(AccountRow.name))))

    def change_account(self, name: str, audit: AuditEventRow, **changes: Any) -> AccountRow:
        """Change an account's role, activity or password hash, with its audit event; a switched
        off account's sessions end at once."""
        with self.write() as session, session.begin():
            row = session.exec(select(AccountRow).where(AccountRow.name == name)).first()
            if row is None:
                raise KitError(f"account {name!r} bestaat niet")
            for key, value in changes.items():
                setattr(row, key, value)
            if changes.get("active") is False or "password_hash" in changes:
                for old in session.exec(
                    select(WebSessionRow).where(WebSessionRow.account_pk == row.id)
                ):
                    session.delete(old)
            session.add(audit)
            return row

    def login_failures(self, name: str, since: datetime) -> int:
        with self.session() as session:
            query = sa_select(func.count()).where(
                col(LoginFailureRow.name) == name, col(LoginFailureRow.at) >= since
            )
            return int(session.execute(query).scalar_one())

    def forget_login_failure(self, attempt: LoginFailureRow) -> None:
        """A login attempt that succeeded after all is not a failure."""
        with self.write() as session, session.begin():
            row = session.get(LoginFailureRow, attempt.id)
            if row is not None:
                session.delete(row)

    def web_session(self, token_hash: str) -> tuple[WebSessionRow, AccountRow] | None:
        with self.session() as session:
            found = session.exec(
                select(WebSessionRow, AccountRow)
                .join(AccountRow, col(AccountRow.id) == col(WebSessionRow.account_pk))
                .where(WebSessionRow.token_hash == token_hash)
            ).first()
            return (found[0], found[1]) if found is not None else None

    def touch_web_session(self, token_hash: str, at: datetime) -> None:
        with self.write() as session, session.begin():
            row = session.get(WebSessionRow, token_hash)
            if row is not None:
                row.last_seen = at

    def end_web_session(self, token_hash: str) -> None:
        with self.write() as session, session.begin():
            row = session.get(WebSessionRow, token_hash)
            if row is not None:
                session.delete(row)

    def version(self) -> tuple[int, ...]:
        """A marker that changes whenever something is stored that a list shows: the highest id
        of the audit trail, the screenings, the decisions, the extra rounds and the repair
        requests (one query)."""
        tables = (AuditEventRow, ScreeningRow, DecisionRow, ExtraRoundRow, RepairRequestRow)
        query = sa_select(*(sa_select(func.max(col(t.id))).scalar_subquery() for t in tables))
        with self.session() as session:
            row = session.execute(query).one()
        return tuple(int(value or 0) for value in row)

    def submissions_by_pk(self, pks: set[int]) -> list[SubmissionRow]:
        if not pks:
            return []
        with self.session() as session:
            return list(session.exec(select(SubmissionRow).where(col(SubmissionRow.id).in_(pks))))

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

    def add(self, *rows: Any, audit: AuditEventRow | None = None) -> None:
        """Insert rows (and their audit event) in one transaction."""
        with self.write() as session, session.begin():
            session.add_all(rows)
            if audit is not None:
                session.add(audit)

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

    def _lock_submission(self, session: Session, submission_pk: int) -> None:
        """The submission's row lock on PostgreSQL (SQLite's write lock covers everything)."""
        lock = select(SubmissionRow.id).where(SubmissionRow.id == submission_pk)
        if self.engines.dialect == "postgresql":
            lock = lock.with_for_update()
        session.execute(lock)

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

    # --- the lists over the whole region (kit.views.standing): a few queries, no case parsed
    # --------
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
        what its rounds are made of (kit.screening.rounds.Review)."""
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

    def open_findings_of_latest(
        self, outcome: str | None = None, screenings: Sequence[int] | None = None
    ) -> list[OpenFinding]:
        """The open findings (with `outcome`, if given) of every submission's latest screening,
        in one query, as plain rows (a region's tens of thousands of ORM objects take seconds).
        `screenings`: of these latest screenings only (a part of the region, kit.forked)."""
        fields = [col(getattr(FindingRow, name)) for name in OpenFinding._fields]
        among = (
            self._latest_ids()
            if screenings is None  # written into the SQL: a region's part has thousands
            else bindparam("screenings", list(screenings), expanding=True, literal_execute=True)
        )
        query = sa_select(*fields).where(
            col(FindingRow.screening_pk).in_(among),
            OPEN,  # the partial index's own condition, as a literal: generic plans use it too
        )
        if outcome is not None:
            query = query.where(col(FindingRow.outcome) == outcome)
        query = query.order_by(col(FindingRow.screening_pk), col(FindingRow.position))
        with self.session() as session:  # Core rows: the ORM's loading costs a second here
            return list(map(OpenFinding._make, session.connection().execute(query).all()))

    def open_since(self, outcome: str) -> dict[tuple[int, str, str, str | None], datetime]:
        """For every open finding with `outcome` in any screening: (submission pk, rule,
        subject, item) -> when a screening first had it open. How long a judgement has been
        waiting, across the case versions that carried it."""
        with self.session() as session:
            query = (
                sa_select(
                    col(ScreeningRow.submission_pk),
                    col(FindingRow.rule),
                    col(FindingRow.subject),
                    col(FindingRow.item),
                    func.min(col(ScreeningRow.created_at)),
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
                (pk, rule, subject, item): at
                for pk, rule, subject, item, at in session.execute(query)
            }

    def audit_log(
        self,
        actor: str | None = None,
        role: str | None = None,
        action: str | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEventRow]:
        """Audit events, newest first, narrowed to those given (actor and subject: contains)."""
        query = select(AuditEventRow)
        if actor:
            query = query.where(col(AuditEventRow.actor).contains(actor))
        if role:
            query = query.where(AuditEventRow.role == role)
        if action:
            query = query.where(AuditEventRow.action == action)
        if subject:
            query = query.where(col(AuditEventRow.subject).contains(subject))
        if since is not None:
            query = query.where(col(AuditEventRow.at) >= since)
        if until is not None:
            query = query.where(col(AuditEventRow.at) < until)
        query = query.order_by(col(AuditEventRow.id).desc())
        if limit is not None:
            query = query.limit(limit)
        with self.session() as session:
            return list(session.exec(query))

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
