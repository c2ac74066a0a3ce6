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
