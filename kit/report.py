"""The one central list: a row per provider and lot with where it stands now.

It replaces the Excel lists of the 2024 screening, of which nobody knew which was current:
it is computed from the store on demand (latest screening per submission, verdicts as of a
date so closed rounds show afgewezen), as a table, CSV or an xlsx a reviewer opens in a
spreadsheet. It carries no message texts, so it holds no sensitive values for any role.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from kit.errors import KitError, os_error_text
from kit.monitor import CONDITION, latest_screenings
from kit.rescreen import stored_case
from kit.store import ScreeningRow, Store, SubmissionRow
from kit.verdict import lots_of, subject_lots
from kit.vocabulary import vocabulary

FORMATS = ("table", "csv", "xlsx")


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


def outcomes() -> list[str]:
    return vocabulary().finding_outcomes


def headers() -> list[str]:
    return (
        ["Aanbieder", "KvK", "Inschrijving", "Procedure", "Perceel", "Uitspraak", "Ronde"]
        + [f"Open: {o}" for o in outcomes()]
        + ["Volgende vervaldatum", "Hersteltermijn", "Risico", "Screening", "Peildatum screening"]
    )


def values(row: ReportRow) -> list[Any]:
    """The row's cells in header order, as Python values (dates stay dates, counts ints)."""
    return (
        [
            row.provider_name,
            row.provider_kvk,
            row.submission_id,
            row.procedure,
            row.lot,
            row.verdict,
            row.round,
        ]
        + [row.open_by_outcome.get(o) for o in outcomes()]
        + [row.next_due, row.repair_deadline, row.risk, row.screening_id, row.screened_as_of]
    )


def _now(
    store: Store, sub: SubmissionRow, scr: ScreeningRow, as_of: date
) -> tuple[dict[str, str], date | None]:
    """Current verdicts (P3 applied once the rounds are closed) and the open repair deadline."""
    from kit.repair import current_verdicts, submission_state

    try:
        state = submission_state(store, sub.submission_id)
    except KitError:  # the same submission id in two procedures: fall back to the stored verdicts
        return store.verdicts(scr.pk), None
    deadline = None if state.rounds.closed(as_of) else state.rounds.deadline()
    return current_verdicts(store, state, as_of), deadline


def build_report(store: Store, as_of: date) -> list[ReportRow]:
    """One row per provider and registered lot, from each submission's latest screening."""
    latest = latest_screenings(store)
    findings = store.open_findings([scr.id for _, scr in latest if scr.id is not None])
    rows: list[ReportRow] = []
    for sub, scr in latest:
        case = stored_case(scr).submission
        verdicts, deadline = _now(store, sub, scr, as_of)
        active = set(case.active_lots())
        by_subject = subject_lots(case)
        own = findings[scr.pk]
        for reg in case.lots:
            mine = [f for f in own if reg.lot in lots_of(f, active, by_subject)]
            counts: dict[str, int | None] = {
                o: (None if reg.withdrawn else sum(f.outcome == o for f in mine))
                for o in outcomes()
            }
            dues = [f.due for f in mine if f.outcome == CONDITION and f.due]
            verdict = verdicts.get(reg.lot, "-")
            rows.append(
                ReportRow(
                    sub.provider_name,
                    sub.provider_kvk,
                    sub.submission_id,
                    sub.procedure,
                    reg.lot,
                    verdict,
                    scr.round,
                    counts,
                    min(dues) if dues else None,
                    deadline if verdict == "herstel-nodig" else None,
                    scr.risk,
                    scr.code,
                    scr.as_of,
                )
            )
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


# A text cell starting with one of these is read as a formula (or a command, after a tab or
# carriage return) by a spreadsheet opening the file: a provider named =HYPERLINK(…) would
# become a live link. Such a text gets a leading ' (OWASP: CSV injection), as it would when
# typed as text; numbers and dates are cells of their own type and are left alone.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """A text cell a spreadsheet cannot take for a formula; any other value as it is."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: list[ReportRow], stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_text(neutral(v)) for v in values(row)])


MIN_WIDTH, MAX_WIDTH = 8, 60  # characters; a spreadsheet default is about 8


def write_xlsx(rows: list[ReportRow], path: Path, as_of: date) -> None:
    """An xlsx with a bold, frozen header row, an autofilter and columns as wide as their text."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise KitError(
            "--format xlsx vraagt openpyxl; installeer kit met de extra 'xlsx' "
            "(pip install 'kit[xlsx]')"
        ) from None
    book = Workbook()
    sheet = book.active
    sheet.title = "KIT-overzicht"
    table = [headers()] + [[neutral(v) for v in values(row)] for row in rows]
    for cells in table:
        sheet.append(cells)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, whatever it starts with
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, column in enumerate(zip(*table, strict=True), start=1):
        widest = max(len(_text(value)) for value in column)
        sheet.column_dimensions[get_column_letter(index)].width = max(
            MIN_WIDTH, min(widest + 2, MAX_WIDTH)
        )
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.title = f"KIT-screening: centrale lijst per {as_of.isoformat()}"
    try:
        book.save(path)
    except OSError as exc:
        raise KitError(f"{path}: kan het bestand niet schrijven ({os_error_text(exc)})") from None
