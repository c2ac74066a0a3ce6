"""Errors a user can cause. Each carries one Dutch line naming the file and the field."""


class KitError(Exception):
    """A problem in the user's input: shown as one Dutch line, never a traceback."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CaseError(KitError):
    """A case file that cannot be screened."""


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
