"""`kit report`: the central list, as a table, JSON, CSV or xlsx, narrowed by filters."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from kit.cli.common import (
    Ctx,
    acting,
    app,
    err,
    fail,
    no_cycle_collection,
    out,
    parse_date,
    role_of,
)
from kit.cli.dutch import USAGE_EXIT
from kit.cli.options import (
    AsOf,
    Db,
    Json,
    Lot,
    Overdue,
    Procedure,
    Provider,
    Risk,
    Verdict,
    out_option,
)
from kit.cli.output import cell, console, grid, two_lines, visible
from kit.errors import KitError, os_error_text
from kit.paths import replaced_when_done
from kit.timezone import today

if TYPE_CHECKING:
    from rich.console import Console

    from kit.views.report import ReportRow
    from kit.views.standing import Filter


PROGRESS_AFTER = 1.0  # seconds: a quicker export shows no progress


@contextmanager
def progress_after_a_second(what: str) -> Iterator[Callable[[int], None]]:
    """A progress line on stderr for work that takes over a second; the function it gives is
    told how many more rows were written. On a terminal the line counts the rows and goes when
    the work is done; elsewhere (a log) it is one line."""

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}: {task.completed:.0f} rijen geschreven"),
        console=err,
        transient=True,
    )
    task = bar.add_task(what, total=None)

    def show() -> None:
        if err.is_terminal:
            bar.start()
        else:
            err.print(f"{what}: bezig …", highlight=False)

    timer = threading.Timer(PROGRESS_AFTER, show)
    timer.daemon = True
    timer.start()
    try:
        yield lambda rows: bar.advance(task, rows)
    finally:
        timer.cancel()
        timer.join()
        if bar.live.is_started:
            bar.stop()


def iso(day: date | None) -> str:
    return day.isoformat() if day else "-"


def _rows(n: int) -> str:
    return "1 rij" if n == 1 else f"{n} rijen"


def list_filter(
    procedure: str | None,
    lot: str | None,
    verdict: str | None,
    risk: str | None,
    provider: str | None,
    overdue: bool,
) -> Filter:
    """The filters of a list command, checked (a wrong code is a usage error)."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.views.standing import Filter

    try:
        return Filter(procedure, lot, verdict, risk, provider, overdue).checked()
    except KitError as exc:
        fail(exc.message, USAGE_EXIT)


# Over 60 lines: the format's checks, then one branch per output (table, CSV, xlsx, JSON) of
# the same filtered list, each a few lines; split, they would hand the same filters around.
@app.command()
def report(
    ctx: Ctx,
    fmt: Annotated[
        str,
        typer.Option("--formaat", "--format", metavar="FORMAAT", help="tabel, csv of xlsx."),
    ] = "tabel",
    out_file: Annotated[
        Path | None, out_option("Schrijf naar dit bestand (nodig voor xlsx).")
    ] = None,
    as_of: AsOf = None,
    procedure: Procedure = None,
    lot: Lot = None,
    verdict: Verdict = None,
    risk: Risk = None,
    provider: Provider = None,
    overdue: Overdue = False,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """De centrale lijst: per aanbieder en perceel uitspraak, ronde, open bevindingen, termijnen
    en risico.

    De csv is voor Excel: puntkomma's en een BOM. De xlsx heeft een tweede blad met elke open
    bevinding.
    """
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.services.reads import audit_read
    from kit.views.report import FORMATS, build_report, write_csv, write_xlsx
    from kit.views.standing import standings

    fmt = {"table": "tabel"}.get(fmt, fmt)
    if fmt not in FORMATS:
        fail(f"--formaat: onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}", 2)
    if fmt == "xlsx" and out_file is None:
        fail(
            "--formaat xlsx schrijft een bestand; geef het op met --uitvoer, "
            "bijvoorbeeld --uitvoer kit-overzicht.xlsx",
            2,
        )
    day = parse_date(as_of, "--peildatum") or today()
    chosen = list_filter(procedure, lot, verdict, risk, provider, overdue)
    with no_cycle_collection():
        try:
            store = open_store(db)
            audit_read(store, acting(ctx), "centrale lijst", "regio", formaat=fmt)
            if fmt == "xlsx" and out_file is not None and not as_json:
                role = role_of(ctx)
                what = f"Centrale lijst naar {visible(str(out_file))}"
                with progress_after_a_second(what) as done:
                    read = standings(store, chosen)
                    count = write_xlsx(store, read, out_file, day, role, chosen, progress=done)
            else:
                read = standings(store, chosen)
                rows = build_report(store, day, chosen, read)
                count = len(rows)
                if as_json:
                    sys.stdout.write(
                        json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2)
                        + "\n"
                    )
                    return
                if fmt == "csv":
                    if out_file is None:
                        write_csv(rows, sys.stdout)
                    else:
                        with (
                            replaced_when_done(out_file, private=True) as partial,
                            partial.open("w", encoding="utf-8-sig", newline="") as stream,
                        ):
                            write_csv(rows, stream)
                elif out_file is None:
                    show_report(rows, day)
                else:
                    with (
                        replaced_when_done(out_file, private=True) as partial,
                        partial.open("w", encoding="utf-8") as stream,
                    ):
                        show_report(rows, day, console(file=stream, width=120))
        except OSError as exc:
            if out_file is None:
                raise  # the terminal or a pipe: click ends quietly when the reader stopped (| head)
            fail(f"{out_file}: kan niet schrijven ({os_error_text(exc)})")
        except KitError as exc:
            fail(exc.message)
    if out_file is not None:
        written = visible(str(out_file))
        out.print(f"Centrale lijst ({_rows(count)}, {fmt}) geschreven naar {written}")


def show_report(rows: list[ReportRow], day: date, to: Console | None = None) -> None:
    """The central list as a table that reads well from 80 columns on."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.output.labels import look, lot_label, lot_legend, open_legend, open_text

    target = to or out
    target.print(f"Centrale lijst per {day.isoformat()}: {_rows(len(rows))}")
    table = [
        [
            two_lines(row.provider_name, row.submission_id),
            cell(lot_label(row.lot)),
            [look("verdicts", row.verdict)],
            cell(str(row.round)),
            cell(open_text(row.open_by_outcome)),
            cell(iso(row.repair_deadline or row.next_due)),
            [look("risks", row.risk)],
        ]
        for row in rows
    ]
    headers = ["Aanbieder", "Perceel", "Uitspraak", "R", "Open", "Termijn", "Risico"]
    grid(target, headers, table, limits={4: 8})
    if rows:  # the legends wrap at the table's width, between words
        target.print(lot_legend({row.lot for row in rows}), soft_wrap=False)
        target.print(
            open_legend()
            + ". R = ronde. Termijn: de hersteltermijn bij herstel, anders de eerstvolgende "
            "vervaldatum van een voorwaarde.",
            soft_wrap=False,
        )
