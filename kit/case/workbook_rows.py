"""Reading an intake workbook's sheets (kit.case.workbook): each data row's filled cells
converted to the case's values, the form sheet's values, and the headers and notes checked;
every problem goes to the workbook's Problems with its place."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kit.case.archive import Refused
from kit.case.cells import Bad, convert, empty
from kit.case.checks import SENSITIVE_PARTS
from kit.case.layout import AANBIEDER, FIRST_DATA_ROW, FORM_HEADERS, Column, Sheet, column_type
from kit.case.workbook_problems import Place, Problems
from kit.limits import MAX_WORKBOOK_ROWS
from kit.validation import shown_value

# Rows read at most, empty ones included (a sheet may be formatted far below its data).
EMPTY_ROWS_FACTOR = 20


@dataclass
class Row:
    number: int
    values: dict[str, Any]  # column path -> converted value, filled cells only


def sheet_rows(ws: Any, sheet: Sheet, problems: Problems) -> Iterator[Row]:
    """The filled rows of a list sheet, converted; a problem per cell that does not fit."""
    width = len(sheet.columns)
    filled = 0
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values = [c.value for c in cells]
        if number == 1:
            _check_headers(sheet, values, [c.header for c in sheet.columns], problems)
            continue
        if number == 2:
            _check_notes(sheet, values, problems)
            continue
        if number > MAX_WORKBOOK_ROWS * EMPTY_ROWS_FACTOR:  # empty rows cost reading time too
            raise Refused(
                f"{sheet.name}: loopt door tot voorbij rij {number - 1}; zo groot is geen "
                "inschrijving"
            )
        if all(empty(v) for v in values):
            continue
        filled += 1
        if filled > MAX_WORKBOOK_ROWS:
            raise Refused(
                f"{sheet.name}: meer dan {MAX_WORKBOOK_ROWS} gevulde rijen; zo groot is geen "
                "inschrijving"
            )
        row = Row(number, {})
        for index, cell in enumerate(cells):
            if empty(cell.value):
                continue
            if index >= width:
                problems.add(
                    Place(sheet.name, number, _letter(index)),
                    "deze kolom hoort niet bij het sjabloon; kit leest hem niet. Haal de "
                    "waarde weg of zet haar in de juiste kolom",
                )
                continue
            column = sheet.columns[index]
            value = _cell_value(cell, sheet, column, number, problems)
            if value is not None:
                row.values[column.path] = value
        yield row


def _cell_value(cell: Any, sheet: Sheet, column: Column, number: int, problems: Problems) -> Any:
    place = Place(sheet.name, number, column.header)
    if cell.data_type == "f":
        problems.add(
            place, "bevat een formule; typ de waarde zelf in (kit rekent geen formules uit)"
        )
        return None
    if cell.data_type == "e":
        problems.add(place, f"bevat een foutwaarde ({cell.value}); typ de waarde zelf in")
        return None
    kind = column_type(sheet, column)
    try:
        return convert(cell.value, kind)
    except Bad as exc:
        message = str(exc)
        if kind.kind != "code" and _sensitive(sheet):
            problems.add(place, message)
        elif kind.kind != "code":
            problems.add(place, f"{message} (gegeven: {shown_value(_shown(cell.value))})")
        else:
            problems.add(place, message)
        return None


def _shown(value: Any) -> Any:
    return value.date().isoformat() if isinstance(value, datetime) else value


def _sensitive(sheet: Sheet) -> bool:
    return bool(set(sheet.part.split(".")) & SENSITIVE_PARTS)


def _letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: a cell's column as the workbook names it."""
    from openpyxl.utils import get_column_letter  # openpyxl is imported only to read a workbook

    return str(get_column_letter(index + 1))


def _check_headers(sheet: Sheet, values: list[Any], wanted: list[str], problems: Problems) -> None:
    for index, header in enumerate(wanted):
        found = values[index] if index < len(values) else None
        if (found or "") != header:
            problems.add(
                Place(sheet.name, 1, _letter(index)),
                f"de kop is {shown_value(found)}, het sjabloon heeft {header!r}: gebruik het "
                "sjabloon van de regio zonder kolommen te verplaatsen",
            )


def _check_notes(sheet: Sheet, values: list[Any], problems: Problems) -> None:
    for index, column in enumerate(sheet.columns):
        found = values[index] if index < len(values) else None
        if (found or "") != column.note:
            problems.add(
                Place(sheet.name, 2, column.header),
                "rij 2 is de uitlegregel van het sjabloon; zet gegevens vanaf rij "
                f"{FIRST_DATA_ROW}",
            )


def form_values(ws: Any, problems: Problems) -> dict[str, Any]:
    """The Aanbieder sheet: one field per row (label, value, instruction)."""
    values: dict[str, Any] = {}
    columns = AANBIEDER.columns
    for number, cells in enumerate(ws.iter_rows(), start=1):
        row = [c.value for c in cells]
        if number == 1:
            _check_headers(AANBIEDER, row, list(FORM_HEADERS), problems)
            continue
        index = number - 2
        if index >= len(columns):
            if not all(empty(v) for v in row):
                problems.add(
                    Place(AANBIEDER.name, number),
                    "deze rij hoort niet bij het sjabloon; kit leest haar niet",
                )
            if index > MAX_WORKBOOK_ROWS:
                raise Refused(f"{AANBIEDER.name}: meer dan {MAX_WORKBOOK_ROWS} rijen")
            continue
        column = columns[index]
        if (row[0] if row else None) != column.header:
            problems.add(
                Place(AANBIEDER.name, number, "kolom A"),
                f"hier hoort {column.header!r}: gebruik het sjabloon van de regio zonder rijen "
                "te verplaatsen",
            )
            continue
        if len(cells) > 1 and not empty(cells[1].value):
            value = _cell_value(cells[1], AANBIEDER, column, number, problems)
            if value is not None:
                values[column.path] = value
    return values
