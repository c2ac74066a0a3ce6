"""Where a value read from an intake workbook came from (sheet, row, column), and the
workbook's problems, each named by its place and reported together in Dutch."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kit.case.layout import (
    AANBIEDER,
    Column,
    Sheet,
)
from kit.errors import CaseError, Lines
from kit.text import visible

SHOWN_LINES = 50  # problems of one workbook named one per line; the rest are counted


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
                return Place(sheet.name, row, column_header(sheet, group, rest))
            if probe in self.lists:
                return Place(self.lists[probe])
            probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe)
        if path.startswith("submission"):
            rest = path.removeprefix("submission").lstrip(".")
            for column in AANBIEDER.columns:  # the field, or the first of its block
                if column.path == rest or column.path.startswith(f"{rest}."):
                    return form_place(column)
        return None


def column_header(sheet: Sheet, group: str | None, rest: str) -> str | None:
    if sheet.form:
        return None
    for column in sheet.columns:
        if group is None and rest in (column.path, column.group):
            return column.header
        if group is not None and column.group == group and column.field == rest:
            return column.header
    return None


def form_place(column: Column) -> Place:
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
