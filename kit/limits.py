"""Technical safety limits on the files kit reads (case files, update files, board changes).

These are not rules of the screening (requirements.md): they keep one hostile or broken file
from exhausting memory, time or the stack, and keep out characters that hide or fake text
(control characters, bidirectional overrides). They are checked before parsing goes deep:
the size before reading, JSON nesting before `json.loads`, YAML aliases, nesting and size while
composing (kit.case.models), and what was parsed in one walk (`check_values`). A violation is a
LimitError with the problem in Dutch and where it is; kit.case.models turns it into a CaseError.
"""

from __future__ import annotations

import math
import os
import re
import stat
from datetime import date
from pathlib import Path
from typing import Any

from kit.errors import KitError
from kit.validation import path_text

MAX_FILE_MB = 5  # default; KIT_MAX_FILE_MB sets another
MAX_FILE_MB_SETTING = 1024  # the most KIT_MAX_FILE_MB may allow
FILE_MB_ENV = "KIT_MAX_FILE_MB"
MAX_DEPTH = 50  # nested lists and blocks; a case needs fewer than 10
MAX_NODES = 100_000  # values, lists and blocks in one file; the largest shipped case has 762
MAX_STRING = 10_000  # characters in one text (a note, an explanation) or field name
MAX_NUMBER = 10**15  # largest absolute value of a number (euros, FTE, counts)
MAX_NUMBER_CHARS = 40  # an integer written longer than this is not converted at all
# An intake workbook (xlsx, a zip of XML parts): checked before a spreadsheet library opens it.
MAX_WORKBOOK_UNPACKED_MB = 50  # all parts unpacked; the region's template is about 0.1 MB
MAX_WORKBOOK_PARTS = 1_000  # files in the archive; the template has about 20
MAX_WORKBOOK_ROWS = 5_000  # filled rows of one sheet; a large provider needs a few hundred

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls; the Unicode
# bidirectional embeddings, overrides and isolates (text that shows other than it reads).
# Lone surrogates (half a UTF-16 pair, from a \ud800 escape) cannot be written as UTF-8 at all.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")

# A JSON string (skipped) or a bracket: enough to measure nesting without parsing.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)

_SHOWN_PARTS = 8  # a path deeper than this is shortened in messages
_SHOWN_NAME = 60  # characters of a field name shown in a path


class LimitError(Exception):
    """An input over a limit: the Dutch problem, the path inside the file and/or the line."""

    def __init__(self, problem: str, loc: tuple[Any, ...] = (), line: int | None = None):
        super().__init__(problem)
        self.problem, self.loc, self.line = problem, loc, line

    def where(self) -> str:
        """'regel 3: submission.provider.name: ' (the parts that are known)."""
        text = f"regel {self.line}: " if self.line is not None else ""
        if self.loc:
            text += f"{shown_path(self.loc)}: "
        return text + self.problem


class TooLong:
    """An integer written with too many digits to convert safely: reported by check_values with
    its path (Python's own conversion limit gives an English error without one)."""

    def __init__(self, chars: int):
        self.chars = chars


def shown_path(loc: tuple[Any, ...]) -> str:
    """path_text, with long field names and very deep paths shortened."""
    parts = [
        p[:_SHOWN_NAME] + "…" if isinstance(p, str) and len(p) > _SHOWN_NAME else p for p in loc
    ]
    if len(parts) > _SHOWN_PARTS:
        return path_text(tuple(parts[:_SHOWN_PARTS])) + "…"
    return path_text(tuple(parts))


def max_file_bytes() -> int:
    """The largest file kit reads, from KIT_MAX_FILE_MB or the default (a LimitError when the
    variable is not a positive number, so the file it stops is named)."""
    raw = os.environ.get(FILE_MB_ENV, "").strip()
    if not raw:
        return MAX_FILE_MB * 1024 * 1024
    try:
        mb = float(raw.replace(",", "."))
    except ValueError:
        mb = math.nan
    if not (math.isfinite(mb) and 0 < mb <= MAX_FILE_MB_SETTING):
        raise LimitError(
            f"{FILE_MB_ENV}: verwacht een aantal MB groter dan 0 en ten hoogste "
            f"{MAX_FILE_MB_SETTING}, gegeven {raw!r}"
        )
    return int(mb * 1024 * 1024)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")


def read_bounded(path: Path) -> bytes:
    """The file's bytes, refused before reading past the size limit (also for a file that
    grows or a device without end). Only a regular file is opened: a FIFO would block."""
    limit = max_file_bytes()
    if not stat.S_ISREG(path.stat().st_mode):
        raise LimitError("is geen gewoon bestand (een map, apparaat of pijp)")
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        chunks: list[bytes] = []
        read = 0
        while size <= limit and read <= limit:  # in pieces: never a buffer of the whole limit
            chunk = handle.read(min(1 << 20, limit + 1 - read))
            if not chunk:
                break
            chunks.append(chunk)
            read += len(chunk)
        data = b"".join(chunks)
    if size > limit or len(data) > limit:
        measured = f"{_mb(size)} MB" if size > limit else f"meer dan {_mb(limit)} MB"
        raise LimitError(
            f"bestand is te groot ({measured}; ten hoogste {_mb(limit)} MB, "
            f"in te stellen met {FILE_MB_ENV})"
        )
    return data


def line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def check_json_depth(text: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH before json.loads recurses into it."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise LimitError(too_deep(), line=line_of(text, match.start()))
        elif token in "]}":
            depth -= 1


def json_int(digits: str) -> int | TooLong:
    """parse_int for json.loads: no conversion of an integer with thousands of digits."""
    return TooLong(len(digits)) if len(digits) > MAX_NUMBER_CHARS else int(digits)


def too_deep() -> str:
    return f"te diep genest (meer dan {MAX_DEPTH} niveaus)"


def too_many() -> str:
    return f"te veel onderdelen in één bestand (meer dan {MAX_NODES})"


def text_problem(text: str) -> str | None:
    """Why a text (a value or a field name) is refused, or None."""
    if len(text) > MAX_STRING:
        return f"tekst is te lang ({len(text)} tekens; ten hoogste {MAX_STRING})"
    bad = _FORBIDDEN.search(text)
    if bad is None:
        return None
    char = bad.group()
    kind = "keert de leesrichting om" if _BIDI.match(char) else "stuurteken"
    return f"ongeldig teken U+{ord(char):04X} ({kind})"


def number_problem(value: Any) -> str | None:
    """Why a number is refused (too large, not finite), or None; None for anything else."""
    most = f"{MAX_NUMBER:,}".replace(",", ".")
    too_large = f"getal is te groot (ten hoogste {most})"
    if isinstance(value, TooLong):
        return f"getal is te groot ({value.chars} cijfers; ten hoogste {most})"
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return too_large if abs(value) > MAX_NUMBER else None
    if isinstance(value, float):
        if not math.isfinite(value):
            return "verwacht een eindig getal"
        return too_large if abs(value) > MAX_NUMBER else None
    return None


# The values a case may hold besides texts and numbers; anything else (YAML's !!binary bytes,
# !!set, ...) is refused: kit could not check it the way it checks a text.
_PLAIN = (bool, type(None), date)


def _scalar_problem(value: Any) -> str | None:
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, int | float | TooLong):
        return number_problem(value)
    if isinstance(value, _PLAIN):
        return None
    return (
        f"waarde van een soort die kit niet leest ({type(value).__name__}; bijvoorbeeld !!binary)"
    )


def _gather(value: Any, depth: int, texts: list[str], other: list[Any]) -> int:
    """The texts (field names too) and other scalars under `value`, and how many values there
    are; -1 as soon as the nesting is too deep. No paths: this is the quick pass."""
    if depth >= MAX_DEPTH:
        return -1
    count = 1
    items = value.values() if isinstance(value, dict) else value
    if isinstance(value, dict):
        for key in value:
            (texts if type(key) is str else other).append(key)
    for item in items:
        kind = type(item)
        if kind is str:
            texts.append(item)
            count += 1
        elif kind is dict or kind is list:
            inner = _gather(item, depth + 1, texts, other)
            if inner < 0:
                return -1
            count += inner
        else:
            other.append(item)
            count += 1
    return count


def _quick_pass(data: Any) -> bool:
    """True when `data` is certainly within every limit: one pass that gathers the texts and
    numbers and checks them all at once (the common case: a file that is fine). On False, the
    walk with paths finds the problem and where it is."""
    if not isinstance(data, dict | list):
        return False
    texts: list[str] = []
    other: list[Any] = []
    count = _gather(data, 0, texts, other)
    if count < 0 or count > MAX_NODES:
        return False
    if texts and (max(map(len, texts)) > MAX_STRING or _FORBIDDEN.search("\n".join(texts))):
        return False
    return all(
        (type(v) is int and -MAX_NUMBER <= v <= MAX_NUMBER) or _scalar_problem(v) is None
        for v in other
    )


def check_values(data: Any) -> None:
    """One walk over parsed data: nesting, size, every text (field names too) and number.
    The first problem is raised as a LimitError with its path."""
    if _quick_pass(data):
        return
    count = 0

    def walk(value: Any, loc: tuple[Any, ...], depth: int) -> None:
        nonlocal count
        count += 1
        if count > MAX_NODES:
            raise LimitError(too_many(), loc)
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                raise LimitError(too_deep(), loc)
            for key, item in value.items():
                problem = _scalar_problem(key)
                if problem is not None:
                    name = key[:_SHOWN_NAME] if isinstance(key, str) else "(getal)"
                    raise LimitError(f"veldnaam {name!r}: {problem}", loc)
                walk(item, (*loc, key), depth + 1)
        elif isinstance(value, list):
            if depth >= MAX_DEPTH:
                raise LimitError(too_deep(), loc)
            for index, item in enumerate(value):
                walk(item, (*loc, index), depth + 1)
        else:
            problem = _scalar_problem(value)
            if problem is not None:
                raise LimitError(problem, loc)

    walk(data, (), 0)


def plain_text(value: str, option: str) -> str:
    """A free text a user types (a note, a reason, a name), stripped; a KitError naming the
    option when it holds control characters or is longer than a file's texts may be."""
    problem = text_problem(value)
    if problem:
        raise KitError(f"{option}: {problem}")
    return value.strip()
