"""The `kit` command line: thin; it parses arguments, calls the library and prints in Dutch.

One module per command group; each registers its commands on the shared typer app.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import signal
import sys

from kit.cli import corrections as _corrections  # noqa: F401
from kit.cli import criteria as _criteria  # noqa: F401
from kit.cli import (  # noqa: F401
    db,
    documents,
    intake,
    monitor,
    notes,
    repair,
    report,
    rules,
    rulings,
    screen,
    web,
    work,
)
from kit.cli import login as _login  # noqa: F401
from kit.cli import privacy as _privacy  # noqa: F401
from kit.cli import rescreen as _rescreen  # noqa: F401
from kit.cli import sample as _sample  # noqa: F401
from kit.cli.common import app, error, one_command_then_end
from kit.errors import KitError, os_error_text

__all__ = ["app", "main"]


class Interrupted(BaseException):
    """Ctrl-C, raised past click (which would print "Aborted!" in English) to main()."""


def _interrupt(_signal: int, _frame: object) -> None:
    raise Interrupted


# A command builds its lists (a region's 20,000 rows, a million spreadsheet cells) as many
# small objects that live until it ends, and almost none of them form cycles; with the default
# thresholds the cyclic collector walks them again and again, half the time of `kit report` at
# 10,000 submissions. Collect far less often; reference counting frees everything else.
GC_THRESHOLDS = (100_000, 50, 100)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    one_command_then_end()
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
    except OSError as exc:  # the output itself failed: a full disk, a closed pipe
        if exc.errno not in (errno.ENOSPC, errno.EPIPE, errno.EIO):
            raise
        with contextlib.suppress(OSError):
            error(f"kan de uitvoer niet schrijven ({os_error_text(exc)})")
        sys.exit(1)
    except Exception as exc:
        # start-up: kept out of `kit --help`; only this path needs it
        from kit.case.stored import database_trouble

        trouble = database_trouble(exc)
        if trouble is None:  # a bug: let it show
            raise
        error(trouble)
        sys.exit(1)
