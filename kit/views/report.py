"""The one central list: a row per provider and lot with where it stands now.

It replaces the Excel lists of the 2024 screening, of which nobody knew which was current:
it is computed from the store on demand (latest screening per submission, verdicts as of a
date, afgewezen where a repair request ran out or the last round left it open:
kit.screening.rounds), as a table, JSON, CSV or an xlsx a reviewer opens in a
spreadsheet. The list itself carries no message texts; the xlsx's second sheet lists every open
finding with its message as the reader's role may read it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, NamedTuple

from kit.errors import KitError, os_error_text
from kit.output.xlsx import not_a_formula
from kit.screening.policy import message_for
from kit.screening.verdict import subject_text
from kit.store import Store
from kit.views.monitor import rule_title
from kit.views.standing import Filter, Standing, is_overdue, standings
from kit.vocab.vocabulary import vocabulary

FORMATS = ("tabel", "csv", "xlsx")


@dataclass
class ReportRow:
    provider_name: str
    provider_kvk: str
    submission_id: str
    procedure: str
    lot: str
    verdict: str
    round: int
    open_by_outcome: dict[str, int | None]
    next_due: date | None
    repair_deadline: date | None
    risk: str | None
    screening_id: str
    screened_as_of: date

    def to_json(self) -> dict[str, Any]:
        return {
            "provider_name": self.provider_name,
            "provider_kvk": self.provider_kvk,
            "submission_id": self.submission_id,
            "procedure": self.procedure,
            "lot": self.lot,
            "verdict": self.verdict,
            "round": self.round,
            "open": self.open_by_outcome,
            "next_due": _iso(self.next_due),
            "repair_deadline": _iso(self.repair_deadline),
            "risk": self.risk,
            "screening_id": self.screening_id,
            "screened_as_of": self.screened_as_of.isoformat(),
        }


class OpenFinding(NamedTuple):
    """One open finding of a latest screening: the xlsx's second sheet (a region has a hundred
    thousand)."""

    provider_name: str
    submission_id: str
    lot: str | None
    rule: str
    title: str
    subject: str
    outcome: str | None
    due: date | None
    message: str


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def outcomes() -> list[str]:
    return vocabulary().finding_outcomes


def headers() -> list[str]:
    """Provider and lot first: the xlsx keeps those two columns in view."""
    return (
        ["Aanbieder", "Perceel", "KvK", "Inschrijving", "Procedure", "Uitspraak", "Ronde"]
        + [f"Open: {o}" for o in outcomes()]
        + ["Volgende vervaldatum", "Hersteltermijn", "Risico", "Screening", "Peildatum screening"]
    )


def values(row: ReportRow) -> list[Any]:
    """The row's cells in header order, as Python values (dates stay dates, counts ints)."""
    return (
        [
            row.provider_name,
            row.lot,
            row.provider_kvk,
            row.submission_id,
            row.procedure,
            row.verdict,
            row.round,
        ]
        + [row.open_by_outcome.get(o) for o in outcomes()]
        + [row.next_due, row.repair_deadline, row.risk, row.screening_id, row.screened_as_of]
    )


def build_report(
    store: Store, as_of: date, chosen: Filter | None = None, read: list[Standing] | None = None
) -> list[ReportRow]:
    """One row per provider and registered lot, from each submission's latest screening, as it
    stands on `as_of` (kit.screening.rounds: afgewezen per P3), narrowed to `chosen` (`read`: the
    standings, when the caller has them already)."""
    chosen = chosen or Filter()
    rows: list[ReportRow] = []
    for standing in read if read is not None else standings(store, chosen):
        deadline = standing.deadline(as_of)
        for lot in listed_lots(standing, chosen, as_of):
            kept = standing.lots[lot]
            verdict = standing.verdict(lot, as_of)
            due = _next_due(kept)
            opened = kept["open"]
            counts: dict[str, int | None] = {
                o: None if opened is None else opened.get(o, 0) for o in outcomes()
            }
            rows.append(
                ReportRow(
                    standing.provider_name,
                    standing.provider_kvk,
                    standing.submission_id,
                    standing.procedure,
                    lot,
                    verdict,
                    standing.round,
                    counts,
                    due,
                    deadline if verdict == "herstel-nodig" else None,
                    standing.risk,
                    standing.screening_id,
                    standing.as_of,
                )
            )
    return rows


def listed_lots(standing: Standing, chosen: Filter, as_of: date) -> list[str]:
    """The lots of a submission that are rows of the list narrowed to `chosen` on `as_of`: the
    xlsx's second sheet holds the open findings of those rows only."""
    return [
        lot
        for lot, kept in standing.lots.items()
        if chosen.admits_lot(standing, lot, as_of) and chosen.admits_due(_next_due(kept), as_of)
    ]


def _next_due(kept: dict[str, Any]) -> date | None:
    return date.fromisoformat(kept["next_due"]) if kept["next_due"] else None


def narrowed(rows: list[ReportRow], chosen: Filter, as_of: date) -> list[ReportRow]:
    """The rows of an unfiltered build_report (on `as_of`) that `chosen` admits: the same rows
    build_report gives with the filter, without reading the store again (the web application
    keeps the region's rows between requests)."""
    wanted = chosen.provider.casefold() if chosen.provider else None
    return [
        row
        for row in rows
        if (chosen.procedure is None or row.procedure == chosen.procedure)
        and (chosen.risk is None or row.risk == chosen.risk)
        and (chosen.lot is None or row.lot == chosen.lot)
        and (chosen.verdict is None or row.verdict == chosen.verdict)
        and chosen.admits_due(row.next_due, as_of)
        and (wanted is None or wanted in row.provider_name.casefold() or wanted in row.provider_kvk)
    ]


def open_findings(
    store: Store,
    as_of: date,
    role: str,
    chosen: Filter | None = None,
    read: list[Standing] | None = None,
) -> list[OpenFinding]:
    """Every open finding of the rows of the list narrowed to `chosen` (listed_lots), with its
    message as `role` may read it, in the order of the standings (by provider)."""
    chosen = chosen or Filter()
    read = read if read is not None else standings(store, chosen)
    latest = {s.screening_pk: (i, s, listed_lots(s, chosen, as_of)) for i, s in enumerate(read)}
    subjects: dict[str, str] = {}  # 'staff:S03' -> 'medewerker S03', once per subject
    found = []
    for f in store.open_findings_of_latest():
        order, standing, listed = latest.get(f.screening_pk, (-1, None, []))
        # A finding of a listed row; one about every lot, of a submission with a listed row.
        if standing is None or not listed or (f.lot in standing.lots and f.lot not in listed):
            continue
        found.append(
            (
                order,
                OpenFinding(
                    standing.provider_name,
                    standing.submission_id,
                    f.lot,
                    f.rule,
                    rule_title(standing.ruleset_id, f.rule, f.requirement),
                    subjects.get(f.subject)
                    or subjects.setdefault(f.subject, subject_text(f.subject)),
                    f.outcome,
                    f.due,
                    message_for(role, f),
                ),
            )
        )
    found.sort(key=itemgetter(0))  # stable: a screening's findings stay in their order
    return [finding for _, finding in found]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def neutral(value: Any) -> Any:
    """A text cell a spreadsheet cannot take for a formula (kit.output.xlsx.not_a_formula);
    any other value as it is."""
    return not_a_formula(value) if isinstance(value, str) else value


def write_csv(rows: list[ReportRow], stream: IO[str]) -> None:
    """CSV as Dutch Excel reads it: semicolons (the comma is the decimal sign there); the caller
    writes the file as utf-8-sig, so Excel sees the BOM and reads UTF-8."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_text(neutral(v)) for v in values(row)])


def write_xlsx(
    store: Store,
    read: list[Standing],
    path: Path,
    as_of: date,
    role: str,
    chosen: Filter | None = None,
    order: Callable[[ReportRow], Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The central list of the standings `read` as a workbook; the number of its rows.

    Sheet 1 is the list (build_report, sorted by `order` if given): provider and lot columns
    and the header frozen, verdict and risk coloured, overdue dates marked. Sheet 2 holds every
    open finding, as `role` may read it. `progress` is told how many rows were written."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.output.labels import fill, overdue_colours
    from kit.output.xlsx import Sheet, Style, write_workbook

    chosen = chosen or Filter()
    # The submissions with a row in the list: the file names no provider it does not show.
    shown = [s for s in read if listed_lots(s, chosen, as_of)]
    late_fill, late_font = overdue_colours()
    late = Style(fill=late_fill, bold=True, color=late_font)
    verdicts = {v: Style(fill=fill("verdicts", v)) for v in vocabulary().lot_verdicts}
    risks = {r: Style(fill=fill("risks", r)) for r in vocabulary().risk_lights}
    main = Sheet("Centrale lijst", headers(), frozen_columns=2)
    verdict_at, risk_at = main.column("Uitspraak"), main.column("Risico")
    due_at = main.column("Volgende vervaldatum")
    rows = build_report(store, as_of, chosen, shown)
    if order is not None:
        rows.sort(key=order)
    for row in rows:
        looks = {verdict_at: verdicts.get(row.verdict, Style())}
        if row.risk is not None:
            looks[risk_at] = risks.get(row.risk, Style())
        if is_overdue(row.next_due, as_of):
            looks[due_at] = late
        main.add(values(row), looks)
    detail = Sheet(
        "Open bevindingen",
        [
            "Aanbieder",
            "Inschrijving",
            "Perceel",
            "Regel",
            "Wat",
            "Onderwerp",
            "Uitkomst",
            "Vervaldatum",
            "Bericht",
        ],
        frozen_columns=1,
        empty={2: "alle"},  # a finding without a lot concerns all of them
    )
    late_at = detail.column("Vervaldatum")
    # An OpenFinding's fields are the sheet's columns.
    detail.rows = (
        (f, {late_at: late} if is_overdue(f.due, as_of) else {})
        for f in open_findings(store, as_of, role, chosen, shown)
    )
    title = f"KIT-screening: centrale lijst per {as_of}"
    try:
        counts = write_workbook(path, [main, detail], title, progress)
    except OSError as exc:
        raise KitError(f"{path}: kan het bestand niet schrijven ({os_error_text(exc)})") from None
    return counts[0]
