"""A small xlsx writer for kit's lists: sheets of rows with a bold frozen header, frozen leading
columns, an autofilter, column widths, dates as dates, and a few cell colours.

Why not openpyxl or xlsxwriter: both write about 100,000 cells a second here (measured: 1.3
million cells, the central list and its open findings for a 10,000-provider region, took 12 s
with openpyxl in write-only mode with lxml, 9-11 s with xlsxwriter), and the list must be ready
in under 2 s. An xlsx is a zip of a few XML files; writing only what the lists use, streamed,
takes a fraction of that. Each distinct value's cell is made once per column, and a column is
made in one pass of C-level maps, so a region's million cells cost a dictionary lookup each.

A sheet's rows may come in parts made in forked processes (kit.forked). So that each part can
be written on its own, the workbook's styles and its shared-string table (the texts a caller
names as repeated) are fixed before any part runs; another text is written in its cell.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

EPOCH = date(1899, 12, 30)  # day 0 of a spreadsheet's date numbers
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


class Style(NamedTuple):
    """How a cell looks: a fill colour and a font (RGB hex colours). A tuple: it is a key of
    the cell cache for every styled cell, and a tuple hashes fast."""

    fill: str | None = None
    bold: bool = False
    color: str | None = None


HEADER = Style(bold=True)
_PLAIN: dict[int, Style] = {}  # the looks of most rows: shared, never changed


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
    """A sheet's rows: added here (`add`), or made later by `parts`, each a function giving a
    run of rows in order, perhaps in another process (kit.forked). Every style a part may use
    is named in `looks`: the workbook's style table is fixed before any part runs."""

    title: str
    headers: list[str]
    frozen_columns: int = 0
    empty: dict[int, str] = field(default_factory=dict)  # column -> what its empty cells say
    rows: list[Row] = field(default_factory=list)
    parts: list[Callable[[], Iterable[Row]]] = field(default_factory=list)
    looks: tuple[Style, ...] = ()

    def column(self, header: str) -> int:
        return self.headers.index(header)

    def add(self, cells: Sequence[Any], styles: dict[int, Style] | None = None) -> None:
        self.rows.append((cells, styles or _PLAIN))


class _Styles:
    """The workbook's cell formats: one per style and date-or-not, fixed before any row is made,
    so that rows made in another process refer to the same formats."""

    def __init__(self, sheets: Iterable[Sheet]) -> None:
        used = [Style(), HEADER]
        for sheet in sheets:
            used += sheet.looks
            used += (style for _, looks in sheet.rows for style in looks.values())
        self.formats = {
            key: i
            for i, key in enumerate(
                dict.fromkeys((style, is_date) for style in used for is_date in (False, True))
            )
        }

    def index(self, style: Style, is_date: bool) -> int:
        """The format of a style the sheets named; another is a mistake in the caller."""
        try:
            return self.formats[(style, is_date)]
        except KeyError:
            raise ValueError(f"xlsx: style {style} is not among the sheets' looks") from None

    def xml(self) -> str:
        fonts = list(dict.fromkeys([(False, None), *((s.bold, s.color) for s, _ in self.formats)]))
        fills = list(dict.fromkeys(s.fill for s, _ in self.formats if s.fill))
        font_xml = "".join(
            "<font>"
            + ("<b/>" if bold else "")
            + (f'<color rgb="FF{color}"/>' if color else "")
            + '<sz val="11"/><name val="Calibri"/></font>'
            for bold, color in fonts
        )
        fill_xml = '<fill><patternFill patternType="none"/></fill>' + (
            '<fill><patternFill patternType="gray125"/></fill>'
        )
        fill_xml += "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/></patternFill></fill>'
            for rgb in fills
        )
        xfs = []
        for style, is_date in self.formats:
            font = fonts.index((style.bold, style.color))
            fill = fills.index(style.fill) + 2 if style.fill else 0
            xfs.append(
                f'<xf numFmtId="{164 if is_date else 0}" fontId="{font}" fillId="{fill}" '
                f'borderId="0" xfId="0" applyFont="1" applyFill="1" applyNumberFormat="1"/>'
            )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
            f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            f'<fills count="{len(fills) + 2}">{fill_xml}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


# A text starting with one of these is read as a formula (or a command, after a tab or carriage
# return) by a spreadsheet opening the file: a provider named =HYPERLINK(…) would become a live
# link. Such a text gets a leading ' (OWASP: CSV injection), as it would when typed as text;
# numbers and dates are cells of their own type.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def not_a_formula(text: str) -> str:
    """The text as a cell shows it, never taken for a formula (the CSV's cells too)."""
    return "'" + text if text[:1] in FORMULA_START and len(text) > 1 else text


def _text(value: str) -> str:
    """A text as XML character data. (The checks first: a region has many thousands.)"""
    if not value.isprintable():
        value = _NOT_XML.sub("\ufffd", value)
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    if "\r" in value:  # a reader would take a bare carriage return for a newline
        value = value.replace("\r", "&#13;")
    return value


class _Cells:
    """The XML of a run of a sheet's rows, each cell made once per distinct value and column (a
    region's million cells hold a few thousand distinct values, bar its messages), and the
    widest value per column for the column widths."""

    def __init__(self, styles: _Styles, strings: dict[str, int], sheet: Sheet) -> None:
        self.styles, self.strings = styles, strings
        self.widths = [0] * len(sheet.headers)
        # Per column: value -> cell XML. An empty cell is an empty element: the next cell
        # follows it without naming its place (a cell's `r` is optional), and a run of rows
        # made elsewhere needs no row numbers in its cells.
        self.plain: list[dict[Any, str]] = [{None: "<c/>"} for _ in sheet.headers]
        for i, text in sheet.empty.items():
            self.plain[i][None] = self.made(i, text, None)
        self.styled: dict[tuple[int, Any, Style], str] = {}

    def made(self, column: int, value: Any, style: Style | None) -> str:
        """The XML of one value in `column`; not for None. A text in the shared-string table
        refers to it; any other is written in its cell (the table is fixed before any row is
        made: rows made in another process refer to the same entries)."""
        s = self.styles.index(style, False) if style else 0
        if isinstance(value, bool):
            xml, shown = f'<c t="b"{_s(s)}><v>{int(value)}</v></c>', 5
        elif isinstance(value, int | float):
            xml, shown = f"<c{_s(s)}><v>{value}</v></c>", len(str(value))
        elif isinstance(value, date):
            day = value.date() if isinstance(value, datetime) else value
            s = self.styles.index(style or Style(), True)
            xml, shown = f"<c{_s(s)}><v>{(day - EPOCH).days}</v></c>", 10
        else:
            text = not_a_formula(str(value))
            index = self.strings.get(text)
            if index is not None:
                xml = f'<c t="s"{_s(s)}><v>{index}</v></c>'
            else:
                space = ' xml:space="preserve"' if text != text.strip() else ""  # as written
                xml = f'<c t="inlineStr"{_s(s)}><is><t{space}>{_text(text)}</t></is></c>'
            shown = len(text)
        if shown > self.widths[column]:
            self.widths[column] = shown
        return xml

    def column(self, index: int, values: Sequence[Any]) -> list[str]:
        """The plain cells of one column, top to bottom."""
        known = self.plain[index]
        for value in dict.fromkeys(values):  # each distinct value once
            if value not in known:
                known[value] = self.made(index, value, None)
        return list(map(known.__getitem__, values))

    def styled_cell(self, column: int, value: Any, style: Style) -> str:
        key = (column, value, style)
        made = self.styled.get(key)
        if made is None:
            made = self.styled[key] = self.made(column, value, style)
        return made


def _s(style: int) -> str:
    return f' s="{style}"' if style else ""


class Run(NamedTuple):
    """A run of a sheet's rows as XML: each row's cells, and the widest value per column."""

    rows: list[str]
    widths: list[int]


def _run(sheet: Sheet, styles: _Styles, strings: dict[str, int], rows: Iterable[Row]) -> Run:
    """Rows as XML, made column by column (C-level maps and joins: a loop per cell took a second
    for a region)."""
    rows = list(rows)
    cells = _Cells(styles, strings, sheet)
    if not rows:
        return Run([], cells.widths)
    by_column = zip(*(values for values, _ in rows), strict=True)
    columns = [cells.column(i, values) for i, values in enumerate(by_column)]
    for number, (values, looks) in enumerate(rows):
        for i, style in looks.items():
            if values[i] is not None:
                columns[i][number] = cells.styled_cell(i, values[i], style)
    return Run(list(map("".join, zip(*columns, strict=True))), cells.widths)


def _sheet_xml(sheet: Sheet, runs: list[Run]) -> Iterator[str]:
    """The worksheet's XML in pieces: the header row, then the runs in order (their values
    decide the column widths in its head)."""
    letters = [column_letter(i) for i in range(len(sheet.headers))]
    last = f"{letters[-1]}{sum(len(run.rows) for run in runs)}"  # the header is a row
    frozen = column_letter(sheet.frozen_columns) + "2"
    pane = (
        f'<pane xSplit="{sheet.frozen_columns}" ySplit="1" topLeftCell="{frozen}" '
        'activePane="bottomRight" state="frozen"/>'
        if sheet.frozen_columns
        else '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    )
    widths = [max(column) for column in zip(*(run.widths for run in runs), strict=True)]
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{max(MIN_WIDTH, min(w + 2, MAX_WIDTH))}" '
        'customWidth="1"/>'
        for i, w in enumerate(widths)
    )
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last}"/>'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f"<cols>{cols}</cols><sheetData>"
    )
    numbers = itertools.count(1)
    for run in runs:
        for cells, number in zip(run.rows, numbers, strict=False):  # rows first: no number lost
            yield f'<row r="{number}">{cells}</row>'
    yield f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'


def _write(book: zipfile.ZipFile, name: str, parts: Iterable[str]) -> None:
    """One zip member from many pieces, streamed in chunks."""
    with book.open(name, "w") as stream:
        chunk: list[str] = []
        for part in parts:
            chunk.append(part)
            if len(chunk) >= 4096:
                stream.write("".join(chunk).encode("utf-8"))
                chunk = []
        stream.write("".join(chunk).encode("utf-8"))


def write_workbook(
    path: Path,
    sheets: list[Sheet],
    title: str = "",
    forked: bool = False,
    in_child: Callable[[], None] = lambda: None,
    common: Iterable[str] = (),
) -> list[int]:
    """Write the sheets as an xlsx at `path` (written whole, then moved into place); the number
    of rows of each sheet, its header not counted. `forked`: the sheets' parts run side by side
    (kit.forked: the first here, the others in forked children that call `in_child` first).
    `common`: texts that many cells hold (a region's provider names, lot and rule codes),
    written once in the shared-string table; each other text is written in its cell."""
    from kit.forked import side_by_side

    styles = _Styles(sheets)
    empties = (text for sheet in sheets for text in sheet.empty.values())  # on many rows
    shared = dict.fromkeys(map(not_a_formula, [*common, *empties]))  # as their cells show them
    strings = {text: i for i, text in enumerate(shared)}

    def own_rows() -> list[Run]:
        return [_run(sheet, styles, strings, [_header(sheet), *sheet.rows]) for sheet in sheets]

    parts = [
        partial(_made_run, sheet, styles, strings, part) for sheet in sheets for part in sheet.parts
    ]
    own, made = side_by_side(parts, own_rows, forked, in_child)
    made_runs = iter(made)
    runs = [
        [first, *(next(made_runs) for _ in sheet.parts)]
        for first, sheet in zip(own, sheets, strict=True)
    ]
    partial_path = path.with_name(path.name + ".deel")
    with zipfile.ZipFile(partial_path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for number, (sheet, sheet_runs) in enumerate(zip(sheets, runs, strict=True), start=1):
            _write(book, f"xl/worksheets/sheet{number}.xml", _sheet_xml(sheet, sheet_runs))
        _write(book, "xl/sharedStrings.xml", _shared_strings(strings))
        book.writestr("xl/styles.xml", styles.xml())
        rows = [sum(len(run.rows) for run in sheet_runs) for sheet_runs in runs]
        book.writestr("xl/workbook.xml", _workbook(sheets, rows))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
        book.writestr("[Content_Types].xml", _content_types(sheets))
        book.writestr("_rels/.rels", _RELS)
        book.writestr("docProps/core.xml", _core(title))
    partial_path.replace(path)
    return [n - 1 for n in rows]


def _shared_strings(strings: dict[str, int]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'uniqueCount="{len(strings)}">'
    )
    for text in strings:
        yield f'<si><t xml:space="preserve">{_text(text)}</t></si>'
    yield "</sst>"


def _header(sheet: Sheet) -> Row:
    return sheet.headers, {i: HEADER for i in range(len(sheet.headers))}


def _made_run(
    sheet: Sheet, styles: _Styles, strings: dict[str, int], part: Callable[[], Iterable[Row]]
) -> Run:
    return _run(sheet, styles, strings, part())


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)


def _workbook(sheets: list[Sheet], rows: list[int]) -> str:
    """The sheets and their filter ranges (`rows`: each sheet's rows, its header included)."""
    entries = "".join(
        f'<sheet name="{_text(s.title[:31])}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{_text(s.title[:31])}'!$A$1:${column_letter(len(s.headers) - 1)}${n}"
        "</definedName>"
        for i, (s, n) in enumerate(zip(sheets, rows, strict=True))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{entries}</sheets><definedNames>{filters}</definedNames></workbook>"
    )


def _workbook_rels(sheets: list[Sheet]) -> str:
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    styles = (
        f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{len(sheets) + 2}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{sheet_rels}{styles}</Relationships>"
    )


def _content_types(sheets: list[Sheet]) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/'
        'vnd.openxmlformats-package.core-properties+xml"/>'
        f"{overrides}</Types>"
    )


def _core(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{_text(title)}</dc:title></cp:coreProperties>"
    )
