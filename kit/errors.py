"""Errors a user can cause. Each carries one Dutch line naming the file and the field."""

from __future__ import annotations


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
