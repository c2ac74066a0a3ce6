"""The `kit` command line: thin; it parses arguments, calls the library and prints in Dutch.

One module per command group; each registers its commands on the shared typer app.
"""

from __future__ import annotations

import sys

from kit.cli import documents, monitor, notes, repair, report, rules, screen  # noqa: F401  (register)
from kit.cli import rescreen as _rescreen  # noqa: F401
from kit.cli.common import app, err
from kit.errors import KitError

__all__ = ["app", "main"]


def main() -> None:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        app()
    except KitError as exc:  # a library error the command did not catch itself
        err.print(f"[red]fout:[/red] {exc.message}")
        sys.exit(1)
    except SQLAlchemyError as exc:
        from sqlalchemy.exc import OperationalError

        why = (
            "niet te openen of niet bereikbaar"
            if isinstance(exc, OperationalError)
            else f"fout bij lezen of schrijven ({exc.__class__.__name__})"
        )
        err.print(f"[red]fout:[/red] database {why}; er is niets opgeslagen")
        sys.exit(1)
