"""Terminal output that a case file cannot take over.

Names, file names and messages come from outside: a provider named `[/red]` or `:smile:` must be
printed as written, not read as rich markup or emoji, and an escape sequence, a carriage return or
a newline in a name must not recolour the terminal or add a fake table row. So the consoles here
never parse markup, and every text they render shows its control characters visibly (as \\x1b,
\\n, \\u202e); table cells and one-line messages show newlines visibly too.
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from typing import Any

from rich import box
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

from kit.errors import Lines
from kit.text import visible

__all__ = ["Table", "console", "err", "error", "note", "out", "two_lines", "visible", "warning"]


class _SafeConsole(Console):
    """A console that prints text as written: no markup, no emoji codes, control characters
    shown."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs.update(markup=False, emoji=False, highlight=False)
        return super().render_str(visible(text, newlines=True), **kwargs)


def console(**kwargs: Any) -> Console:
    """A console for output that may contain outside text (a report written to a file, say)."""
    return _SafeConsole(markup=False, emoji=False, highlight=False, **kwargs)


class Table(RichTable):
    """A rich table whose cells and title are one line each, whatever a value contains; light
    lines only, so that 80 columns hold what a reviewer needs."""

    def __init__(self, *headers: Any, title: str | None = None, **kwargs: Any):
        kwargs.setdefault("box", box.SIMPLE_HEAD)
        kwargs.setdefault("pad_edge", False)
        kwargs.setdefault("title_justify", "left")
        super().__init__(*headers, title=visible(title) if title is not None else None, **kwargs)

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        super().add_row(*(visible(r) if isinstance(r, str) else r for r in renderables), **kwargs)


# Piped or captured, the width is COLUMNS or 80, as on a terminal of that size.
out = console(soft_wrap=True)  # messages wrap where the terminal wraps them: copyable whole
err = console(stderr=True, soft_wrap=True)


def fit_width() -> None:
    """Piped or captured, the width is COLUMNS (read now, for each command) or 80; on a
    terminal, the terminal's."""
    for target in (out, err):
        if not target.is_terminal:
            columns = os.environ.get("COLUMNS", "")
            target.width = int(columns) if columns.isdigit() and int(columns) > 20 else 80


def two_lines(first: str, second: str) -> list[tuple[str, str]]:
    """A grid cell of two lines (a provider's name over its submission id)."""
    return [(visible(first), ""), (visible(second), "dim")]


def _line(prefix: str, style: str, message: str) -> None:
    err.print(Text.assemble((prefix, style), " ", visible(message)))


def error(message: str) -> None:
    """An error line on stderr: `fout: …`; a message of several lines (kit.errors.Lines, an
    intake workbook's problems) gives a line each."""

    for line in message.lines if isinstance(message, Lines) else [message]:
        _line("fout:", "red", line)


def warning(message: str) -> None:
    _line("waarschuwing:", "yellow", message)


def note(message: str) -> None:
    """One line on stderr that is not an error (a case already screened, say)."""
    _line("let op:", "yellow", message)


# A cell of a grid: its lines, each a text and a style ("" for none).
Cell = list[tuple[str, str]]


def cell(text: str | None, style: str = "") -> Cell:
    return [(visible(text or "-"), style)]


def _wrap(lines: Cell, width: int, cut: bool = False) -> Cell:
    """The lines of a cell wrapped at spaces to `width`; a longer word stays whole unless
    `cut`. (A plain greedy wrap: textwrap's is several times slower, for a million cells.)"""
    wrapped: Cell = []
    for text, style in lines:
        if len(text) <= width:
            wrapped.append((text, style))
            continue
        line = ""
        for word in text.split():
            while cut and len(word) > width:
                if line:
                    wrapped.append((line, style))
                    line = ""
                wrapped.append((word[:width], style))
                word = word[width:]
            if not line:
                line = word
            elif len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                wrapped.append((line, style))
                line = word
        wrapped.append((line, style))
    return wrapped


@lru_cache(maxsize=64)
def _ansi(style: str, color_system: str | None) -> tuple[str, str]:
    """The escape codes around a text in `style`, for this terminal ("" when not one)."""
    if not style or color_system is None:
        return "", ""

    system = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT}.get(
        color_system, ColorSystem.TRUECOLOR
    )
    codes = Style.parse(style)._make_ansi_codes(system)
    return (f"\x1b[{codes}m", "\x1b[0m") if codes else ("", "")


def grid(
    target: Console,
    headers: list[str],
    rows: list[list[Cell]],
    flexible: int = 0,
    limits: dict[int, int] | None = None,
    gap: int = 2,
) -> None:
    """Print a table fast, for tens of thousands of rows (rich's Table takes about a
    millisecond a row): every column as wide as its widest line, columns in `limits` at most
    that wide and the `flexible` column (a provider's name) taking what is left of the
    console's width; both wrap at spaces, never inside a word or a code."""
    for i, limit in (limits or {}).items():
        for row in rows:
            if any(len(text) > limit for text, _ in row[i]):
                row[i] = _wrap(row[i], limit)
    columns = len(headers)
    widths = [
        max([len(headers[i]), *(len(text) for row in rows for text, _ in row[i])])
        for i in range(columns)
    ]
    others = sum(w for i, w in enumerate(widths) if i != flexible) + gap * (columns - 1)
    room = target.width - others
    # The flexible column takes what is left (at least 10); its words wrap, a longer word (a
    # file path) is cut.
    widths[flexible] = max(min(widths[flexible], room), 10)
    width = widths[flexible]
    colours = target.color_system  # None when not a terminal (or NO_COLOR)
    bold = _ansi("bold", colours)
    spacer = " " * gap
    lines_out = [
        bold[0]
        + spacer.join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
        + bold[1],
        spacer.join("─" * w for w in widths),
    ]
    add = lines_out.append
    for row in rows:
        if any(len(text) > width for text, _ in row[flexible]):
            row = [*row[:flexible], _wrap(row[flexible], width, cut=True), *row[flexible + 1 :]]
        height = max(map(len, row))
        for line in range(height):
            cells = [lines[line] if line < len(lines) else ("", "") for lines in row]
            if colours is None:  # the usual case when piped: no escape codes to place
                add(
                    spacer.join(
                        [t.ljust(w) for (t, _), w in zip(cells, widths, strict=True)]
                    ).rstrip()
                )
                continue
            parts = []
            for (text, style), w in zip(cells, widths, strict=True):
                before, after = _ansi(style, colours)
                parts.append(before + text + after + " " * (w - len(text)))
            add(spacer.join(parts).rstrip())
    target.file.write("\n".join(lines_out) + "\n")


def print_json(items: list[Any]) -> None:
    """The read commands' JSON: always a list of objects, on stdout."""

    sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2, default=str) + "\n")
