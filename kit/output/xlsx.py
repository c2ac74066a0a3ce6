"""kit's workbooks (the central list, the rule-change impact), written with openpyxl in
write-only mode: sheets of rows with a bold frozen header, frozen leading columns, an
autofilter, column widths, dates as dates, and a few cell colours.

Rows are streamed to the file in this process; the workbook is written to a temporary file
beside the target and moved into place whole, so a failed export leaves no part of a file and
never replaces an existing one. Every text is guarded against being read as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from kit.paths import replaced_when_done

MIN_WIDTH, MAX_WIDTH = 8, 60  # characters
PROGRESS_EVERY = 1000  # rows between two calls of a progress callback
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


class Style(NamedTuple):
    """How a cell looks: a fill colour and a font (RGB hex colours)."""

    fill: str | None = None
    bold: bool = False
    color: str | None = None


HEADER = Style(bold=True)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


Row = tuple[Sequence[Any], dict[int, Style]]  # a row's values and its styled cells


@dataclass
class Sheet:
    """A sheet's title, header and rows (a list, or made as they are written)."""

    title: str
    headers: list[str]
    frozen_columns: int = 0
    empty: dict[int, str] = field(default_factory=dict)  # column -> what its empty cells say
    rows: Iterable[Row] = field(default_factory=list)

    def column(self, header: str) -> int:
        return self.headers.index(header)

    def add(self, cells: Sequence[Any], styles: dict[int, Style] | None = None) -> None:
        if not isinstance(self.rows, list):
            self.rows = list(self.rows)
        self.rows.append((cells, styles or {}))


# A text starting with one of these is read as a formula (or a command, after a tab or carriage
# return) by a spreadsheet opening the file: a provider named =HYPERLINK(…) would become a live
# link. Such a text gets a leading ' (OWASP: CSV injection), as it would when typed as text;
# numbers and dates are cells of their own type.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def not_a_formula(text: str) -> str:
    """The text as a cell shows it, never taken for a formula (the CSV's cells too)."""
    return "'" + text if text[:1] in FORMULA_START and len(text) > 1 else text


def _cell_value(value: Any) -> Any:
    """What a cell holds for a value: a number, a truth value or a date as itself (a moment as
    its day), anything else as guarded text that XML can carry."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = not_a_formula(str(value))
    if not text.isprintable():  # the check first: a region has many thousands of texts
        text = _NOT_XML.sub("\ufffd", text)
    return text


def _shown(value: Any) -> int:
    """How many characters a cell's value takes on screen (for its column's width)."""
    if isinstance(value, bool):
        return 5
    if isinstance(value, date):
        return 10
    return len(str(value))


def write_workbook(
    path: Path,
    sheets: list[Sheet],
    title: str = "",
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Write the sheets as an xlsx at `path` (written whole beside it, then moved into place);
    the number of rows of each sheet, its header not counted. `progress` is told every few
    thousand rows how many more were written."""
    # start-up: openpyxl loads only when a workbook is read or written
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.title = title
    looks = _Looks(book)
    with replaced_when_done(path, private=True) as partial:  # it lists providers: 0600
        counts = [_write_sheet(book, sheet, looks, progress) for sheet in sheets]
        book.save(partial)
    return counts


def _write_sheet(
    book: Any, sheet: Sheet, looks: _Looks, progress: Callable[[int], None] | None
) -> int:
    """One sheet, row by row; its number of rows. The column widths come first in the file,
    so the rows are read (and their values made) before the first is written."""
    # start-up: openpyxl loads only when a workbook is read or written
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.cell.rich_text import CellRichText

    odd_texts = ("", *ERROR_CODES)  # texts openpyxl would not write as texts by themselves
    ws = book.create_sheet(sheet.title[:31])
    rows = list(sheet.rows)
    widths = [len(header) for header in sheet.headers]
    odd = []  # the columns holding such a text
    columns = []
    # Column by column, each distinct value made once: a region's million cells hold a few
    # thousand distinct values, bar its messages.
    for i, column in enumerate(zip(*(values for values, _ in rows), strict=True)):
        made = {value: _cell_value(value) for value in dict.fromkeys(column)}
        made[None] = _cell_value(sheet.empty[i]) if i in sheet.empty else None
        shown = set(made.values())
        shown.discard(None)
        widths[i] = max(widths[i], *map(_shown, shown), 0)
        if any(text in shown for text in odd_texts):
            odd.append(i)
        columns.append(map(made.__getitem__, column))
    for i, width in enumerate(widths):
        ws.column_dimensions[column_letter(i)].width = max(MIN_WIDTH, min(width + 2, MAX_WIDTH))
    ws.freeze_panes = f"{column_letter(sheet.frozen_columns)}2"

    def cell(value: Any, style: Style | None = None) -> Any:
        """A cell of its own: styled, or a text openpyxl would not write as a text (an empty
        one it leaves out; one like "#N/A" it writes as an error value)."""
        made = WriteOnlyCell(ws, CellRichText("") if value == "" else value)
        if isinstance(value, str):
            made.data_type = "s"
        if style is not None:
            made.style = looks.name(style, isinstance(value, date))
        return made

    ws.append([cell(header, HEADER) for header in sheet.headers])
    cells = zip(*columns, strict=True) if columns else iter(() for _ in rows)
    for number, ((_, styles), row) in enumerate(zip(rows, cells, strict=True), start=1):
        values = list(row)
        for i, style in styles.items():
            if values[i] is not None:
                values[i] = cell(values[i], style)
        for i in odd:
            if values[i] in odd_texts:
                values[i] = cell(values[i])
        ws.append(values)
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if progress is not None and len(rows) % PROGRESS_EVERY:
        progress(len(rows) % PROGRESS_EVERY)
    ws.auto_filter.ref = f"A1:{column_letter(len(sheet.headers) - 1)}{len(rows) + 1}"
    return len(rows)


class _Looks:
    """The workbook's cell styles: one named style per look and date-or-not, made when first
    used (a named style is set on a cell at once; a font and a fill each cost a search)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.names: dict[tuple[Style, bool], str] = {}

    def name(self, style: Style, is_date: bool) -> str:
        # start-up: openpyxl loads only when a workbook is read or written
        from openpyxl.styles import Font, NamedStyle, PatternFill

        key = (style, is_date)
        if key not in self.names:
            name = f"kit {len(self.names) + 1}"
            color = "FF" + style.color if style.color else None
            fill = PatternFill("solid", fgColor="FF" + style.fill) if style.fill else PatternFill()
            self.book.add_named_style(
                NamedStyle(
                    name,
                    font=Font(bold=style.bold, color=color),
                    fill=fill,
                    number_format="yyyy-mm-dd" if is_date else "General",
                )
            )
            self.names[key] = name
        return self.names[key]
