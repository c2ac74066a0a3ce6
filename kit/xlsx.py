"""A small xlsx writer for kit's lists: sheets of rows with a bold frozen header, frozen leading
columns, an autofilter, column widths, dates as dates, and a few cell colours.

Why not openpyxl or xlsxwriter: both write about 100,000 cells a second here (measured: 1.3
million cells, the central list and its open findings for a 10,000-provider region, took 12 s
with openpyxl in write-only mode with lxml, 9-11 s with xlsxwriter), and the list must be ready
in under 2 s. An xlsx is a zip of a few XML files; writing only what the lists use, streamed,
takes a fraction of that. Texts are inline strings, so no shared-string table is kept in memory.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

EPOCH = date(1899, 12, 30)  # day 0 of a spreadsheet's date numbers
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


@dataclass(frozen=True)
class Style:
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


@dataclass
class Sheet:
    title: str
    headers: list[str]
    frozen_columns: int = 0
    rows: list[tuple[Sequence[Any], dict[int, Style]]] = field(default_factory=list)

    def column(self, header: str) -> int:
        return self.headers.index(header)

    def add(self, cells: Sequence[Any], styles: dict[int, Style] | None = None) -> None:
        self.rows.append((cells, styles or {}))


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
    """A text as XML character data. (The checks first: a million cells of plain text.)"""
    if not value.isprintable():
        value = _NOT_XML.sub("\ufffd", value)
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    return value


def _cell(ref: str, value: Any, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f'<c r="{ref}"{s}><v>{(value - EPOCH).days}</v></c>'
    text = str(value)
    if text[:1] in FORMULA_START and len(text) > 1:
        text = "'" + text
    text = _text(text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{text}</t></is></c>'


def _sheet_xml(sheet: Sheet, styles: _Styles) -> list[str]:
    letters = [column_letter(i) for i in range(len(sheet.headers))]
    widths = [len(h) for h in sheet.headers]
    header = styles.index(HEADER, False)
    parts = ['<row r="1">']
    parts += [_cell(f"{letters[i]}1", h, header) for i, h in enumerate(sheet.headers)]
    parts.append("</row>")
    add = parts.append
    for number, (cells, looks) in enumerate(sheet.rows, start=2):
        add(f'<row r="{number}">')
        for i, value in enumerate(cells):
            if value is None:
                continue
            if type(value) is str:  # most cells: the fast path, without a cell reference
                shown = len(value)
                if value[:1] in FORMULA_START and shown > 1:
                    value = "'" + value
                style = looks.get(i) if looks else None
                s = f' s="{styles.index(style, False)}"' if style else ""
                add(f'<c t="inlineStr"{s}><is><t xml:space="preserve">{_text(value)}</t></is></c>')
            else:
                style = looks.get(i)
                is_date = isinstance(value, date)
                index = styles.index(style or Style(), is_date) if style or is_date else 0
                add(_cell(f"{letters[i]}{number}", value, index))
                shown = 10 if is_date else len(str(value))
            if shown > widths[i]:
                widths[i] = shown
        add("</row>")
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
        for i, w in enumerate(widths)
    )
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last}"/>'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f"<cols>{cols}</cols><sheetData>"
    )
    tail = f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'
    return [head, *parts, tail]


def write_workbook(path: Path, sheets: list[Sheet], title: str = "") -> None:
    """Write the sheets as an xlsx at `path` (written whole, then moved into place)."""
    styles = _Styles()
    partial = path.with_name(path.name + ".deel")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for number, sheet in enumerate(sheets, start=1):
            with book.open(f"xl/worksheets/sheet{number}.xml", "w") as stream:
                chunk: list[str] = []
                for part in _sheet_xml(sheet, styles):
                    chunk.append(part)
                    if len(chunk) >= 4096:
                        stream.write("".join(chunk).encode("utf-8"))
                        chunk = []
                stream.write("".join(chunk).encode("utf-8"))
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
