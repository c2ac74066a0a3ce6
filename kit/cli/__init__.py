"""The `kit` command line: thin; it parses arguments, calls the library and prints in Dutch.

One module per command group; each registers its commands on the shared typer app.
"""

from __future__ import annotations

import signal
import sys

from kit.cli import db, documents, monitor, notes, repair, report, rules, screen  # noqa: F401  (register)
from kit.cli import rescreen as _rescreen  # noqa: F401
from kit.cli.common import app, error
from kit.errors import KitError

__all__ = ["app", "main"]


class Interrupted(BaseException):
    """Ctrl-C, raised past click (which would print "Aborted!" in English) to main()."""


def _interrupt(_signal: int, _frame: object) -> None:
    raise Interrupted


def main() -> None:
    from sqlalchemy.exc import SQLAlchemyError

    signal.signal(signal.SIGINT, _interrupt)
    try:
        app()
    except Interrupted:
        error(
            "onderbroken; wat al was opgeslagen blijft bewaard, de rest niet. Dezelfde opdracht "
            "opnieuw slaat alleen op wat ontbreekt."
        )
        sys.exit(130)
    except KitError as exc:  # a library error the command did not catch itself
        error(exc.message)
        sys.exit(1)
    except SQLAlchemyError as exc:
        from sqlalchemy.exc import OperationalError

        why = (
            "niet te openen of niet bereikbaar"
            if isinstance(exc, OperationalError)
            else f"fout bij lezen of schrijven ({exc.__class__.__name__})"
        )
        error(f"database {why}; er is niets opgeslagen")
        sys.exit(1)
