"""Reading a filled-in intake workbook into the case model, with openpyxl in read-only mode.

The workbook is checked as a file first (kit.case.archive), then as the template's workbook
(its version, its sheets and headers), then cell by cell; the case it yields is validated by the
same models and checks as a YAML or JSON case. Every problem is one Dutch line naming the sheet,
the row and the column, and all problems of the file come at once, so a provider repairs them in
one go. Nothing is stored here.

Formulas are refused, never evaluated: kit reads what a provider typed, and a formula's stored
result is whatever the last program to save the file computed (or nothing, for a workbook a
script wrote), which nobody sees in the cell. Merged cells, hidden data sheets, sheets the
template does not have and values outside the template's columns are refused too: what kit
reads must be what a person reading the workbook sees.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kit.case.archive import Refused, check_archive, merged_ranges
from kit.case.cells import Bad, convert, empty
from kit.case.checks import SENSITIVE_PARTS, reference_problems
from kit.case.layout import (
    AANBIEDER,
    DOCUMENTEN,
    FIRST_DATA_ROW,
    FORM_HEADERS,
    HOLDER,
    LISTS_SHEET,
    SHEETS,
    TEMPLATE_VERSION,
    VERSION_PROPERTY,
    Column,
    Sheet,
    column_type,
)
from kit.case.models import Case
from kit.errors import CaseError, Lines, os_error_text
from kit.limits import MAX_WORKBOOK_ROWS, LimitError, check_values, read_bounded
from kit.text import visible
from kit.validation import describe, path_text, shown_value

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SHOWN_LINES = 50  # problems of one workbook named one per line; the rest are counted
# Rows read at most, empty ones included (a sheet may be formatted far below its data).
EMPTY_ROWS_FACTOR = 20


@dataclass(frozen=True)
class Place:
    """Where a value of the case came from: a sheet, a row and (when known) a column."""

    sheet: str
    row: int | None = None
    header: str | None = None

    def text(self) -> str:
        parts = [self.sheet]
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.header is not None:
            parts.append(self.header if self.sheet == AANBIEDER.name else f"kolom {self.header}")
        return ", ".join(parts)


@dataclass
class Located:
    """The case's paths (as kit.validation.path_text writes them) and where each came from."""

    cells: dict[str, Place] = field(default_factory=dict)
    elements: dict[str, tuple[Sheet, int, str | None]] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)

    def place(self, path: str) -> Place | None:
        if path in self.cells:
            return self.cells[path]
        probe = path
        while probe:
            if probe in self.elements:
                sheet, row, group = self.elements[probe]
                rest = path[len(probe) :].lstrip(".")
                return Place(sheet.name, row, _header(sheet, group, rest))
            if probe in self.lists:
                return Place(self.lists[probe])
            probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe)
        if path.startswith("submission"):
            rest = path.removeprefix("submission").lstrip(".")
            for column in AANBIEDER.columns:  # the field, or the first of its block
                if column.path == rest or column.path.startswith(f"{rest}."):
                    return _form_place(column)
        return None


def _header(sheet: Sheet, group: str | None, rest: str) -> str | None:
    if sheet.form:
        return None
    for column in sheet.columns:
        if group is None and rest in (column.path, column.group):
            return column.header
        if group is not None and column.group == group and column.field == rest:
            return column.header
    return None


def _form_place(column: Column) -> Place:
    return Place(AANBIEDER.name, AANBIEDER.columns.index(column) + 2, column.header)


class Problems:
    """A workbook's problems, each with its place: reported together at the end."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: list[str] = []
        self.places: set[Place] = set()

    def add(self, place: Place | None, problem: str) -> None:
        if place is not None and place in self.places:
            return  # one problem per cell: the first says what to fix
        if place is not None:
            self.places.add(place)
        self.lines.append(f"{place.text()}: {problem}" if place else problem)

    def raise_if_any(self) -> None:
        if self.lines:
            raise CaseError(workbook_message(self.source, self.lines))


def workbook_message(source: str, lines: list[str]) -> Lines:
    """One line per problem, each naming the file; past SHOWN_LINES a count of the rest. Each
    line made visible: a line break in a name or a value never starts a line of its own."""
    shown = [f"{source}: {line}" for line in lines[:SHOWN_LINES]]
    if len(lines) > SHOWN_LINES:
        shown.append(f"{source}: en nog {len(lines) - SHOWN_LINES} fout(en)")
    return Lines("\n".join(visible(line) for line in shown))


def refused(source: str, reason: str) -> CaseError:
    return CaseError(f"{source}: {reason}")


# --- sheets ---------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    values: dict[str, Any]  # column path -> converted value, filled cells only


def _sheet_rows(ws: Any, sheet: Sheet, problems: Problems) -> Iterator[Row]:
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


def _form_values(ws: Any, problems: Problems) -> dict[str, Any]:
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


# --- the case -------------------------------------------------------------------------------


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in nested dicts (vog.issued_on)."""
    *parents, last = path.split(".")
    for name in parents:
        target = target.setdefault(name, {})
    target[last] = value


class _Builder:
    """The case data from the sheets' rows, and where each value came from."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.located = Located()
        self.submission: dict[str, Any] = {}

    def form(self, values: dict[str, Any]) -> None:
        for path, value in values.items():
            _put(self.submission, path, value)
            self.located.cells[f"submission.{path}"] = _form_place(AANBIEDER.column(path))

    def elements(self, sheet: Sheet, rows: list[Row]) -> list[dict[str, Any]]:
        """The elements of a list sheet: a row each, or (with a key) the rows of one key."""
        base = path_text(("submission", *sheet.part.split(".")))
        self.located.lists[base] = sheet.name
        out: list[dict[str, Any]] = []
        by_key: dict[Any, int] = {}
        for row in rows:
            if sheet.prefilled and set(row.values) <= set(sheet.prefilled):
                continue  # a line the template filled in and the provider left unanswered
            key = row.values.get(sheet.key) if sheet.key else None
            if sheet.key is not None and key is None:
                self.problems.add(
                    Place(sheet.name, row.number, sheet.column(sheet.key).header),
                    "vul het id in; een rij met hetzelfde id hoort bij dezelfde",
                )
                continue
            if key is not None and key in by_key:
                index = by_key[key]
                self._continue(sheet, out[index], f"{base}[{index}]", row)
                continue
            index = len(out)
            if key is not None:
                by_key[key] = index
            element: dict[str, Any] = {}
            out.append(element)
            self.located.elements[f"{base}[{index}]"] = (sheet, row.number, None)
            self._continue(sheet, element, f"{base}[{index}]", row)
        return out

    def _continue(self, sheet: Sheet, element: dict[str, Any], where: str, row: Row) -> None:
        """Add a row's values to its element: the element's own fields (on its first row, or
        the same value again), and one item of each list the row fills."""
        groups: dict[str, dict[str, Any]] = {}
        for column in sheet.columns:
            if column.path not in row.values or column.path == HOLDER:
                continue
            value = row.values[column.path]
            place = Place(sheet.name, row.number, column.header)
            group = column.group
            if group is None:
                path = f"{where}.{column.path}"
                known = _get(element, column.path)
                if known is not None and known != value:
                    first_row = self.located.cells[path].row
                    self.problems.add(
                        place,
                        f"anders dan in rij {first_row} voor hetzelfde id; vul het alleen in de "
                        "eerste rij in, of gelijk",
                    )
                elif known is None:
                    _put(element, column.path, value)
                    self.located.cells[path] = place
                continue
            items = element.setdefault(group, [])
            if not column.field:  # a list of codes (lots[])
                self.located.cells[f"{where}.{group}[{len(items)}]"] = place
                items.append(value)
            else:
                groups.setdefault(group, {})[column.field] = value
        for group, item in groups.items():
            items = element.setdefault(group, [])
            item_path = f"{where}.{group}[{len(items)}]"
            self.located.elements[item_path] = (sheet, row.number, group)
            for name in item:
                header = _header(sheet, group, name)
                self.located.cells[f"{item_path}.{name}"] = Place(sheet.name, row.number, header)
            items.append(item)

    def documents(self, rows: list[Row]) -> None:
        """The Documenten rows, each under its holder: the organisation, a location or a staff
        member (Hoort bij), in the order of the sheet."""
        holders: dict[str, tuple[str, dict[str, Any]]] = {"": ("submission", self.submission)}
        both: set[str] = set()  # an id of a location and of a staff member: which is meant?
        for part in ("locations", "staff"):
            for i, entry in enumerate(self.submission.get(part, [])):
                ident = entry.get("id")
                if isinstance(ident, str) and ident in holders:
                    both.add(ident)
                elif isinstance(ident, str):
                    holders[ident] = (f"submission.{part}[{i}]", entry)
        for row in rows:
            holder = str(row.values.get(HOLDER, "")).strip()
            if holder in both:
                self.problems.add(
                    Place(DOCUMENTEN.name, row.number, DOCUMENTEN.column(HOLDER).header),
                    f"{holder!r} is zowel een locatie-id als een medewerker-id; geef ze "
                    "verschillende ids",
                )
                continue
            if holder not in holders:
                self.problems.add(
                    Place(DOCUMENTEN.name, row.number, DOCUMENTEN.column(HOLDER).header),
                    f"{holder!r} is geen locatie-id (blad Locaties) of medewerker-id (blad "
                    "Personeel); laat leeg voor een document van de organisatie",
                )
                continue
            base, target = holders[holder]
            docs = target.setdefault("documents", [])
            where = f"{base}.documents[{len(docs)}]"
            element: dict[str, Any] = {}
            self.located.elements[where] = (DOCUMENTEN, row.number, None)
            self._continue(DOCUMENTEN, element, where, row)
            docs.append(element)
        self.located.lists["submission.documents"] = DOCUMENTEN.name


def _get(element: dict[str, Any], path: str) -> Any:
    value: Any = element
    for name in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


# --- the workbook ---------------------------------------------------------------------------


def read_workbook(path: Path, source: str | None = None) -> Case:
    """The case in an intake workbook; a CaseError (one line per problem) otherwise."""
    shown = source or str(path)
    try:
        raw = read_bounded(path)
    except LimitError as exc:
        raise refused(shown, exc.where()) from None
    except OSError as exc:
        raise refused(shown, f"bestand niet leesbaar ({os_error_text(exc)})") from None
    return workbook_case(raw, path.suffix, shown)


def workbook_case(raw: bytes, suffix: str, source: str) -> Case:
    """The case in a workbook's bytes (an upload is read in memory and never written)."""
    try:
        check_archive(raw, suffix)
        return _read(raw, source)
    except Refused as exc:
        raise refused(source, str(exc)) from None


def _open(raw: bytes) -> Any:
    # start-up: openpyxl loads only when a workbook is read or written
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about parts it skips (extensions)
        try:
            return openpyxl.load_workbook(
                io.BytesIO(raw), read_only=True, data_only=False, keep_links=False
            )
        except Exception:  # openpyxl raises many kinds on a damaged part
            raise Refused("de werkmap is beschadigd; openpyxl kan hem niet openen") from None


def _read(raw: bytes, source: str) -> Case:
    workbook = _open(raw)
    try:
        _check_version(workbook)
        problems = Problems(source)
        sheets = _check_sheets(workbook, raw, problems)
        if any(sheet.name not in sheets for sheet in SHEETS):
            problems.raise_if_any()  # without all its sheets the workbook cannot be read
        builder = _Builder(problems)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            builder.form(_form_values(sheets[AANBIEDER.name], problems))
            rows = {
                sheet.name: list(_sheet_rows(sheets[sheet.name], sheet, problems))
                for sheet in SHEETS
                if not sheet.form
            }
    except Refused:
        raise
    except Exception as exc:  # a part openpyxl cannot parse while reading rows
        if isinstance(exc, CaseError):
            raise
        raise Refused("de werkmap is beschadigd; een blad is niet te lezen") from None
    finally:
        workbook.close()
    for sheet in SHEETS:
        if sheet.form or sheet is DOCUMENTEN:
            continue
        elements = builder.elements(sheet, rows[sheet.name])
        if elements:
            _put(builder.submission, sheet.part, elements)
    builder.documents(rows[DOCUMENTEN.name])
    return _validated({"submission": builder.submission}, builder.located, problems)


def _check_version(workbook: Any) -> None:
    props = {p.name: p.value for p in getattr(workbook, "custom_doc_props", [])}
    version = str(props.get(VERSION_PROPERTY, "")).strip()
    if not version:
        raise Refused(
            "dit is geen inschrijvingswerkmap van kit (de sjabloonversie ontbreekt); gebruik het "
            "sjabloon van de regio (kit intake sjabloon)"
        )
    if version != str(TEMPLATE_VERSION):
        newer = version.isdigit() and int(version) > TEMPLATE_VERSION
        raise Refused(
            f"de werkmap is gemaakt met sjabloonversie {version!r}; deze kit leest versie "
            f"{TEMPLATE_VERSION}"
            + (
                ": werk kit bij"
                if newer
                else ": vraag de regio om het huidige sjabloon en zet uw gegevens daarin over"
            )
        )


def _check_sheets(workbook: Any, raw: bytes, problems: Problems) -> dict[str, Any]:
    found = {ws.title: ws for ws in workbook.worksheets}
    for name in (s.name for s in SHEETS):
        if name not in found:
            problems.add(Place(name), "dit blad ontbreekt; gebruik het sjabloon van de regio")
    for name, ws in found.items():
        if name == LISTS_SHEET:
            continue
        if name not in {s.name for s in SHEETS}:
            problems.add(
                Place(name),
                "dit blad hoort niet bij het sjabloon; kit leest het niet. Haal het weg en zet "
                "wat erop staat in de bladen van het sjabloon",
            )
            continue
        if ws.sheet_state != "visible":
            problems.add(
                Place(name),
                "dit blad is verborgen; maak het zichtbaar (wat kit leest moet ook te zien zijn)",
            )
        part = getattr(ws, "_worksheet_path", None)
        merged = merged_ranges(raw, part) if isinstance(part, str) else []
        if merged:
            problems.add(
                Place(name),
                f"samengevoegde cellen ({', '.join(merged[:5])}); maak de samenvoeging "
                "ongedaan, elke waarde in een eigen cel",
            )
    return found


def _validated(data: dict[str, Any], located: Located, problems: Problems) -> Case:
    """The data checked by the case's own models and checks, each problem at its cell."""
    try:
        check_values(data)
    except LimitError as exc:
        problems.add(located.place(path_text(exc.loc)), exc.problem)
        problems.raise_if_any()
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        for error in sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden"):
            path = path_text(tuple(error["loc"]))
            place = located.place(path)
            show = not (set(map(str, error["loc"])) & SENSITIVE_PARTS)
            text = describe(error, show)
            problems.add(place, text if place else f"{path}: {text}")
        problems.raise_if_any()
        raise AssertionError("unreachable") from None
    problems.raise_if_any()
    for path, problem in reference_problems(case.submission):
        place = located.place(path)
        problems.add(place, problem if place else f"{path}: {problem}")
    problems.raise_if_any()
    return case
