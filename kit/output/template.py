"""The intake workbook the region publishes with a procedure (`kit intake sjabloon`).

Generated from the layout (kit.case.layout), the case model's codes (the vocabulary) and the
rule set in force, so it never drifts from what kit reads: Dutch headers and an instruction row
per sheet, a drop-down list (data validation, fed by a hidden list sheet) for every code, date
cells formatted as dates, text cells as text (a KvK number keeps its leading zero), and the
self-declaration's grounds the rule set asks for already listed. openpyxl writes it: data
validation, number formats, hidden sheets and document properties are what it is for.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from kit.case.layout import (
    AANBIEDER,
    DOCUMENTEN,
    FIRST_DATA_ROW,
    FORM_HEADERS,
    HOLDER,
    LISTS_SHEET,
    NO,
    SHEETS,
    TEMPLATE_VERSION,
    VERKLARINGEN,
    VERSION_PROPERTY,
    YES,
    FieldType,
    Sheet,
    column_type,
)

if TYPE_CHECKING:
    from kit.case.models import Case
    from kit.rules.loader import RuleSet

FORMATTED_ROWS = 500  # rows of each list sheet that get the date and text formats
DATE_FORMAT = "dd-mm-yyyy"
HEADER_FILL = "DDE4EE"
NOTE_COLOR = "555555"
FIRST_DAY, LAST_DAY = "DATE(1900,1,1)", "DATE(2199,12,31)"


def self_declaration_grounds(ruleset: RuleSet) -> list[str]:
    """The grounds the rule set asks every provider to answer (E6), in the rule's order."""
    grounds: list[str] = []
    for rule in ruleset.rules:
        if rule.kind == "self_declaration":
            grounds += [g for g in getattr(rule, "grounds", []) if g not in grounds]
    return grounds


def template_bytes(
    ruleset: RuleSet, procedure: str | None = None, case: Case | None = None
) -> bytes:
    """The workbook as xlsx bytes; `procedure` (a code of the rule set) is filled in, or with
    `case` everything a case holds (a known provider's previous submission, to update)."""
    # start-up: openpyxl loads only when a workbook is read or written
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook()
    book.remove(book.active)
    lists = _Lists(book.create_sheet(LISTS_SHEET))
    procedures = tuple(ruleset.procedures)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        if sheet.form:
            _form(ws, lists, procedures, procedure)
        else:
            _list_sheet(ws, sheet, lists)
    grounds = self_declaration_grounds(ruleset)
    if case is not None:
        filled = _fill(book, case)
        grounds = [g for g in grounds if g not in filled]
    _prefill_grounds(book[VERKLARINGEN.name], grounds)
    book.move_sheet(LISTS_SHEET, offset=len(SHEETS))
    book[LISTS_SHEET].sheet_state = "hidden"
    book.active = 0
    book.properties.title = "Inschrijving KIT-screening"
    book.properties.creator = "kit"
    for name, value in (
        (VERSION_PROPERTY, str(TEMPLATE_VERSION)),
        ("kit-regelset", ruleset.id),
        ("kit-procedure", procedure or ""),
    ):
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _Lists:
    """The hidden sheet of drop-down lists: one column per list of codes."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_of(self, codes: tuple[str, ...]) -> str:
        # start-up: kept out of `kit --help`; only this path needs it
        from kit.output.xlsx import column_letter

        if codes not in self.ranges:
            letter = column_letter(len(self.ranges))
            for row, code in enumerate(codes, start=1):
                self.ws[f"{letter}{row}"] = code
            self.ranges[codes] = f"{LISTS_SHEET}!${letter}$1:${letter}${len(codes)}"
        return self.ranges[codes]


def _validation(kind: FieldType, lists: _Lists, codes: tuple[str, ...] = ()) -> Any:
    """The data validation of a cell of this kind, or None for free text."""
    # start-up: openpyxl loads only when a workbook is read or written
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = codes or kind.codes
    if choices:
        check = DataValidation(type="list", formula1=lists.range_of(choices))  # no "=": as Excel
        check.error = "Kies een waarde uit de lijst."
    elif kind.kind == "date":
        check = DataValidation(
            type="date", operator="between", formula1=FIRST_DAY, formula2=LAST_DAY
        )
        check.error = "Vul een datum in (dd-mm-jjjj)."
    elif kind.kind == "int":
        check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        check.error = "Vul een geheel getal in."
    elif kind.kind == "number":
        check = DataValidation(type="decimal")
        check.error = "Vul een getal in."
    else:
        return None
    check.errorTitle = "Ongeldige waarde"
    check.showErrorMessage = True
    check.allow_blank = True
    return check


def _format(kind: FieldType) -> str | None:
    if kind.kind == "date":
        return DATE_FORMAT
    if kind.kind in ("text", "code"):
        return "@"  # text as typed: a KvK number or an id keeps its leading zeros
    return None


def _header_row(ws: Any, headers: list[str]) -> None:
    # start-up: openpyxl loads only when a workbook is read or written
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color=HEADER_FILL)
        cell.alignment = Alignment(vertical="top")


def _list_sheet(ws: Any, sheet: Sheet, lists: _Lists) -> None:
    # start-up: openpyxl loads only when a workbook is read or written
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    _header_row(ws, [c.header for c in sheet.columns])
    ws.append([c.note for c in sheet.columns])
    for cell in ws[2]:
        cell.font = Font(italic=True, color=NOTE_COLOR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    last = FIRST_DATA_ROW + FORMATTED_ROWS - 1
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        kind = column_type(sheet, column)
        check = _validation(kind, lists)
        if check is not None:
            ws.add_data_validation(check)
            check.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
        number_format = _format(kind)
        if number_format is not None:
            for row in range(FIRST_DATA_ROW, last + 1):
                ws.cell(row=row, column=index).number_format = number_format


def _form(ws: Any, lists: _Lists, procedures: tuple[str, ...], procedure: str | None) -> None:
    # start-up: openpyxl loads only when a workbook is read or written
    from openpyxl.styles import Alignment, Font

    _header_row(ws, list(FORM_HEADERS))
    for widths, letter in ((34, "A"), (34, "B"), (60, "C")):
        ws.column_dimensions[letter].width = widths
    for row, column in enumerate(AANBIEDER.columns, start=2):
        ws.cell(row=row, column=1, value=column.header).font = Font(bold=True)
        note = ws.cell(row=row, column=3, value=column.note)
        note.font = Font(italic=True, color=NOTE_COLOR)
        note.alignment = Alignment(wrap_text=True)
        value = ws.cell(row=row, column=2)
        kind = column_type(AANBIEDER, column)
        codes = procedures if column.path == "procedure" else ()
        if column.path == "procedure" and procedure:
            value.value = procedure
        _cell_check(ws, value, kind, lists, codes)


def _cell_check(ws: Any, cell: Any, kind: FieldType, lists: _Lists, codes: tuple[str, ...]) -> None:
    check = _validation(kind, lists, codes)
    if check is not None:
        ws.add_data_validation(check)
        check.add(cell.coordinate)
    number_format = _format(kind)
    if number_format is not None:
        cell.number_format = number_format


def _prefill_grounds(ws: Any, grounds: list[str]) -> None:
    """The grounds left to answer, below any answered ones."""
    first = next(
        row for row in range(FIRST_DATA_ROW, ws.max_row + 2) if ws.cell(row, 1).value is None
    )
    for row, ground in enumerate(grounds, start=first):
        ws.cell(row=row, column=1, value=ground)


def _fill(book: Any, case: Case) -> set[str]:
    """Write a case into the template's sheets, as the reader reads them back (a row per
    element; more rows with the same id for a staff member's or location's further lots,
    diplomas and registrations); the grounds it answers."""
    data = case.model_dump(mode="python", by_alias=True, exclude_none=True)["submission"]
    form = book[AANBIEDER.name]
    for row, column in enumerate(AANBIEDER.columns, start=2):
        _put(form.cell(row=row, column=2), _get(data, column.path))
    for sheet in SHEETS:
        if sheet.form:
            continue
        elements = _holders_documents(data) if sheet is DOCUMENTEN else _get(data, sheet.part)
        row = FIRST_DATA_ROW
        for element in elements or []:
            for values in _element_rows(sheet, element):
                for index, value in values.items():
                    _put(book[sheet.name].cell(row=row, column=index + 1), value)
                row += 1
    return {d["ground"] for d in data.get("declarations", [])}


def _holders_documents(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every document with the id of the location or staff member that holds it (Hoort bij)."""
    documents = list(data.get("documents", []))
    for part in ("locations", "staff"):
        for element in data.get(part, []):
            documents += [{**d, HOLDER: element["id"]} for d in element.get("documents", [])]
    return documents


def _element_rows(sheet: Sheet, element: dict[str, Any]) -> list[dict[int, Any]]:
    """The rows of one element, as {column index: value}."""
    groups = {c.group for c in sheet.columns if c.group}
    height = max([1, *(len(element.get(group, [])) for group in groups)])
    rows: list[dict[int, Any]] = []
    for i in range(height):
        values: dict[int, Any] = {}
        for index, column in enumerate(sheet.columns):
            if column.group is None and (i == 0 or column.path == sheet.key):
                values[index] = _get(element, column.path)
            elif column.group is not None and i < len(element.get(column.group, [])):
                item = element[column.group][i]
                values[index] = _get(item, column.field) if column.field else item
        rows.append(values)
    return rows


def _get(data: Any, path: str) -> Any:
    for name in path.split("."):
        data = data.get(name) if isinstance(data, dict) else None
    return data


def _put(cell: Any, value: Any) -> None:
    """A value as a provider types it: ja/nee for a truth value, a text always as text."""
    if value is None:
        return
    cell.value = (YES if value else NO) if isinstance(value, bool) else value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, also when it starts with "="
