"""A small xlsx writer for kit's lists: sheets of rows with a bold frozen header, frozen leading
columns, an autofilter, column widths, dates as dates, and a few cell colours.

Why not openpyxl or xlsxwriter: both write about 100,000 cells a second here (measured: 1.3
million cells, the central list and its open findings for a 10,000-provider region, took 12 s
with openpyxl in write-only mode with lxml, 9-11 s with xlsxwriter), and the list must be ready
in under 2 s. An xlsx is a zip of a few XML files; writing only what the lists use, streamed,
takes a fraction of that. Each distinct value's cell is made once per column (texts go to the
shared-string table), so a region's million cells cost a dictionary lookup each.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple, cast
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


@dataclass
class Sheet:
    title: str
    headers: list[str]
    frozen_columns: int = 0
    empty: dict[int, str] = field(default_factory=dict)  # column -> what its empty cells say
    rows: list[tuple[Sequence[Any], dict[int, Style]]] = field(default_factory=list)

    def column(self, header: str) -> int:
        return self.headers.index(header)

    def add(self, cells: Sequence[Any], styles: dict[int, Style] | None = None) -> None:
        self.rows.append((cells, styles or _PLAIN))


class _Styles:
    """The workbook's cell formats: one per (style, date or not) in use."""

    def __init__(self) -> None:
        self.formats: dict[tuple[Style, bool], int] = {(Style(), False): 0}

    def index(self, style: Style, is_date: bool) -> int:
        return self.formats.setdefault((style, is_date), len(self.formats))

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
    """The XML of a sheet's cells, made once per distinct value and column (a region's million
    cells hold a few thousand distinct values), with texts in the workbook's shared-string table
    and the widest value per column for its width."""

    def __init__(self, styles: _Styles, strings: dict[str, int], columns: int) -> None:
        self.styles, self.strings = styles, strings
        self.widths = [0] * columns
        # Per column: value -> cell XML; None is an empty cell, written as nothing.
        self.plain: list[dict[Any, str]] = [{None: ""} for _ in range(columns)]
        self.styled: dict[tuple[int, Any, Style], str] = {}

    def made(self, column: int, value: Any, style: Style | None) -> str:
        """The XML of one value in `column`; not for None."""
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
            text = str(value)
            if text[:1] in FORMULA_START and len(text) > 1:
                text = "'" + text
            index = self.strings.setdefault(text, len(self.strings))
            xml, shown = f'<c t="s"{_s(s)}><v>{index}</v></c>', len(text)
        if shown > self.widths[column]:
            self.widths[column] = shown
        return xml

    def row(self, cells: Sequence[Any], looks: dict[int, Style]) -> list[str]:
        """The cells of one row, in column order; an empty cell is an empty string."""
        plain = self.plain
        xml: list[str | None] = [column.get(v) for column, v in zip(plain, cells, strict=True)]
        if None in xml:  # values not seen before in their column
            for i, made in enumerate(xml):
                if made is None:
                    xml[i] = plain[i][cells[i]] = self.made(i, cells[i], None)
        for i, style in looks.items():
            value = cells[i]
            if value is None:
                continue
            key = (i, value, style)
            made = self.styled.get(key)
            if made is None:
                made = self.styled[key] = self.made(i, value, style)
            xml[i] = made
        return cast(list[str], xml)  # no None left: each was made above


def _s(style: int) -> str:
    return f' s="{style}"' if style else ""


def _sheet_xml(sheet: Sheet, styles: _Styles, strings: dict[str, int]) -> list[str]:
    """The worksheet's XML in pieces (the rows' values decide the column widths in its head)."""
    letters = [column_letter(i) for i in range(len(sheet.headers))]
    cells = _Cells(styles, strings, len(sheet.headers))
    for i, text in sheet.empty.items():
        cells.plain[i][None] = cells.made(i, text, None)
    header = {i: HEADER for i in range(len(sheet.headers))}
    rows = []
    for number, (values, looks) in enumerate([(sheet.headers, header), *sheet.rows], start=1):
        xml = cells.row(values, looks)
        if "" in xml:  # a cell after an empty one says where it is; the others follow on
            for i in range(1, len(xml)):
                if xml[i] and not xml[i - 1]:
                    xml[i] = f'<c r="{letters[i]}{number}"' + xml[i][2:]
        rows.append(f'<row r="{number}">{"".join(xml)}</row>')
    last = f"{letters[-1]}{len(sheet.rows) + 1}"
    frozen = column_letter(sheet.frozen_columns) + "2"
    pane = (
        f'<pane xSplit="{sheet.frozen_columns}" ySplit="1" topLeftCell="{frozen}" '
        'activePane="bottomRight" state="frozen"/>'
        if sheet.frozen_columns
        else '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    )
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{max(MIN_WIDTH, min(w + 2, MAX_WIDTH))}" '
        'customWidth="1"/>'
        for i, w in enumerate(cells.widths)
    )
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last}"/>'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f"<cols>{cols}</cols><sheetData>"
    )
    tail = f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'
    return [head, *rows, tail]


def _shared_strings(strings: dict[str, int]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'uniqueCount="{len(strings)}">'
    )
    for text in strings:
        yield f'<si><t xml:space="preserve">{_text(text)}</t></si>'
    yield "</sst>"


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


def write_workbook(path: Path, sheets: list[Sheet], title: str = "") -> None:
    """Write the sheets as an xlsx at `path` (written whole, then moved into place)."""
    styles = _Styles()
    strings: dict[str, int] = {}
    partial = path.with_name(path.name + ".deel")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for number, sheet in enumerate(sheets, start=1):
            _write(book, f"xl/worksheets/sheet{number}.xml", _sheet_xml(sheet, styles, strings))
        _write(book, "xl/sharedStrings.xml", _shared_strings(strings))
        book.writestr("xl/styles.xml", styles.xml())
        book.writestr("xl/workbook.xml", _workbook(sheets))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
        book.writestr("[Content_Types].xml", _content_types(sheets))
        book.writestr("_rels/.rels", _RELS)
        book.writestr("docProps/core.xml", _core(title))
    partial.replace(path)


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)


def _workbook(sheets: list[Sheet]) -> str:
    entries = "".join(
        f'<sheet name="{_text(s.title[:31])}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{_text(s.title[:31])}'!$A$1:${column_letter(len(s.headers) - 1)}${len(s.rows) + 1}"
        "</definedName>"
        for i, s in enumerate(sheets)
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
