"""`kit report`: the central list, as a table, CSV or xlsx."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import DB_HELP, app, fail, out, parse_date
from kit.cli.output import Table, console
from kit.errors import KitError, os_error_text


def iso(day: date | None) -> str:
    return day.isoformat() if day else "-"


@app.command()
def report(
    fmt: Annotated[str, typer.Option("--format", help="table, csv of xlsx.")] = "table",
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Schrijf naar dit bestand (nodig voor xlsx).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Peildatum voor uitspraak en termijnen (standaard vandaag)."),
    ] = None,
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
) -> None:
    """De centrale lijst: per aanbieder en perceel uitspraak, ronde, open bevindingen, termijnen en risico.

    xlsx vraagt openpyxl: pip install 'kit[xlsx]'.
    """  # noqa: E501  (typer keeps line breaks in help text)
    from kit.report import FORMATS, build_report, outcomes, write_csv, write_xlsx
    from kit.store import Store

    if fmt not in FORMATS:
        fail(f"--format: onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}")
    if fmt == "xlsx" and out_file is None:
        fail(
            "--format xlsx schrijft een bestand; geef het op met --out, "
            "bijvoorbeeld --out kit-overzicht.xlsx"
        )
    day = parse_date(as_of, "--as-of") or date.today()
    try:
        rows = build_report(Store(db, create=False), day)
        if fmt == "xlsx" and out_file is not None:
            write_xlsx(rows, out_file, day)
        elif fmt == "csv":
            if out_file is None:
                write_csv(rows, sys.stdout)
            else:
                with out_file.open("w", encoding="utf-8", newline="") as stream:
                    write_csv(rows, stream)
        else:
            table = Table(
                title=f"KIT-screening: centrale lijst per {day.isoformat()} ({len(rows)} regels; "
                "open bevindingen per uitkomst)"
            )
            for column in (
                "Aanbieder",
                "Inschrijving",
                "Perceel",
                "Uitspraak",
                "Ronde",
                *(f"{o[:5]}." for o in outcomes()),
                "Vervalt",
                "Termijn",
                "Risico",
            ):
                table.add_column(column, overflow="fold")
            for row in rows:
                counts = (
                    "-" if n is None else str(n)
                    for n in (row.open_by_outcome[o] for o in outcomes())
                )
                table.add_row(
                    row.provider_name,
                    row.submission_id,
                    row.lot,
                    row.verdict,
                    str(row.round),
                    *counts,
                    iso(row.next_due),
                    iso(row.repair_deadline),
                    row.risk or "-",
                )
            if out_file is None:
                out.print(table)
            else:
                with out_file.open("w", encoding="utf-8") as stream:
                    console(file=stream, width=250).print(table)
    except OSError as exc:
        fail(f"{out_file}: kan het bestand niet schrijven ({os_error_text(exc)})")
    except KitError as exc:
        fail(exc.message)
    if out_file is not None:
        out.print(f"Centrale lijst ({len(rows)} regels, {fmt}) geschreven naar {out_file}")
