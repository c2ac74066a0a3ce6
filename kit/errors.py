"""Errors a user can cause. Each carries one Dutch line naming the file and the field."""

from __future__ import annotations

import errno


class KitError(Exception):
    """A problem in the user's input: shown as one Dutch line, never a traceback."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CaseError(KitError):
    """A case file that cannot be screened."""


class Lines(str):
    """A message of several lines, each a whole Dutch message (an intake workbook's problems,
    one per cell), printed a line each. Its lines were made visible when it was made, so every
    line break in it separates two of them; in any other message a line break is text, shown
    as \\n."""

    @property
    def lines(self) -> list[str]:
        return self.split("\n")

    def renamed(self, old: str, new: str) -> Lines:
        """The same lines with a file's name replaced (a temporary copy's by the upload's)."""
        return Lines(self.replace(old, new))


class RuleError(KitError):
    """A rule file that cannot be loaded."""


class AccessDenied(KitError):
    """An action outside the acting role (the web answers 403)."""


def os_error_text(exc: OSError) -> str:
    """A file-system error in Dutch, without Python's exception names."""
    if isinstance(exc, FileNotFoundError):
        return "bestand of map bestaat niet"
    if isinstance(exc, IsADirectoryError):
        return "dit is een map, geen bestand"
    if isinstance(exc, NotADirectoryError):
        return "dit is een bestand, geen map"
    if isinstance(exc, PermissionError):
        return "geen toegang"
    return "niet te lezen of te schrijven"


DISK_FULL = "de schijf is vol"
UNREACHABLE = "de database is niet (meer) bereikbaar"
# How a full disk and a lost database read in SQLite's, PostgreSQL's and the OS's own words.
_FULL_WORDS = ("database or disk is full", "no space left on device", "could not extend file")
_LOST_WORDS = (
    "unable to open database",
    "disk i/o error",
    "server closed the connection",
    "connection refused",
    "could not connect",
    "terminating connection",
    "connection is closed",
    "connection to server",
    "no such table",
)


def _causes(exc: BaseException) -> list[BaseException]:
    """The error and what lies beneath it (a database driver's own error, a cause)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found:
        found.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return found


def fault_text(exc: BaseException) -> str:
    """Why a write failed, in Dutch: a full disk and a lost database named as such."""

    causes = _causes(exc)
    words = " ".join(str(cause).lower() for cause in causes)
    if any(
        isinstance(c, OSError) and c.errno in (errno.ENOSPC, errno.EDQUOT) for c in causes
    ) or any(w in words for w in _FULL_WORDS):
        return DISK_FULL
    if any(w in words for w in _LOST_WORDS):
        return UNREACHABLE
    for cause in causes:
        if isinstance(cause, OSError):
            return os_error_text(cause)
    return f"databasefout ({exc.__class__.__name__})"


def is_fatal(exc: BaseException) -> bool:
    """A fault that every following write would meet too: stop, and say how far it got."""
    return fault_text(exc) in (DISK_FULL, UNREACHABLE)


def stopped_text(stored: int, total: int, done: str, fault: str) -> str:
    """The line of a run a fault stopped: exactly how far it got, and why."""
    return (
        f"{stored} van {total} inschrijvingen {done} en opgeslagen; {fault}. Dezelfde opdracht "
        "opnieuw slaat alleen op wat ontbreekt."
    )
