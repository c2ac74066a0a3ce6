"""Reading stored screenings back: by submission, code or provider, their findings and verdicts,
the latest of each submission, and what changed since a given screening."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select  # sqlmodel's select types at most four columns
from sqlmodel import col, select

from kit.errors import KitError
from kit.store.base import Connection
from kit.store.tables import (
    FindingRow,
    LotVerdictRow,
    ScreeningRow,
    SubmissionRow,
)


class ScreeningReads(Connection):
    """Stored screenings read back (Store combines it with Screenings, which stores them)."""

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

    def submissions_by_pk(self, pks: set[int]) -> list[SubmissionRow]:
        if not pks:
            return []
        with self.session() as session:
            return list(session.exec(select(SubmissionRow).where(col(SubmissionRow.id).in_(pks))))
