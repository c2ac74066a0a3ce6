"""Terminal output that a case file cannot take over.

Names, file names and messages come from outside: a provider named `[/red]` or `:smile:` must be
printed as written, not read as rich markup or emoji, and an escape sequence, a carriage return or
a newline in a name must not recolour the terminal or add a fake table row. So the consoles here
never parse markup, and every text they render shows its control characters visibly (as \\x1b,
\\n, \\u202e); table cells and one-line messages show newlines visibly too.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

__all__ = ["Table", "console", "err", "error", "note", "out", "visible", "warning"]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str, newlines: bool = False) -> str:
    """`text` with every control and format character (C0, C1, DEL, bidi overrides, zero-width)
    written out; with `newlines`, line breaks stay line breaks."""
    if text.isprintable() and "\n" not in text:
        return text
    shown = []
    for char in text:
        if char == "\n" and newlines:
            shown.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(char)
            shown.append(
                _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
            )
        else:
            shown.append(char)
    return "".join(shown)


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
    """A rich table whose cells and title are one line each, whatever a value contains."""

    def __init__(self, *headers: Any, title: str | None = None, **kwargs: Any):
        super().__init__(*headers, title=visible(title) if title is not None else None, **kwargs)

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        super().add_row(*(visible(r) if isinstance(r, str) else r for r in renderables), **kwargs)


out = console()
err = console(stderr=True, soft_wrap=True)
if not out.is_terminal:  # piped or captured: do not squeeze tables into 80 columns
    out = console(width=200)


def _line(prefix: str, style: str, message: str) -> None:
    err.print(Text.assemble((prefix, style), " ", visible(message)))


def error(message: str) -> None:
    """One error line on stderr: `fout: …`."""
    _line("fout:", "red", message)


def warning(message: str) -> None:
    _line("waarschuwing:", "yellow", message)


def note(message: str) -> None:
    """One line on stderr that is not an error (a case already screened, say)."""
    _line("let op:", "yellow", message)
