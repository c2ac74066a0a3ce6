"""`kit monitor`: toezicht's list of open conditions and non-declarable staff."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer

from kit.cli.common import DB_HELP, Ctx, app, fail, out, parse_date, role_of
from kit.cli.output import Table
from kit.errors import KitError

# Exit status when something is overdue: distinct from errors (1) and usage errors (2).
OVERDUE_EXIT = 3


@app.command()
def monitor(
    ctx: Ctx,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Peildatum JJJJ-MM-DD (standaard vandaag).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Druk de lijst af als JSON.")] = False,
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
) -> None:
    """Openstaande voorwaarden en niet-declarabele medewerkers van alle aanbieders, op vervaldatum.

    Exitstatus 0: niets achterstallig. Exitstatus 3: iets is achterstallig (vervalt voor de peildatum).

    Exitstatus 1: een fout (bijvoorbeeld een ongeldige datum of database).
    """  # noqa: E501  (typer keeps line breaks in help text)
    from kit.monitor import monitor as build
    from kit.store import Store
    from kit.verdict import subject_text

    day = parse_date(as_of, "--as-of") or date.today()
    try:
        report = build(Store(db, create=False), day, role_of(ctx))
    except KitError as exc:
        fail(exc.message)
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(
            title=f"Openstaande voorwaarden per {day.isoformat()} ({len(report.conditions)})"
        )
        for column in (
            "Vervaldatum",
            "Stand",
            "Aanbieder",
            "Inschrijving",
            "Perceel",
            "Onderwerp",
            "Wat nog moet",
            "Bericht",
        ):
            table.add_column(column, overflow="fold")
        for c in report.conditions:
            table.add_row(
                c.due.isoformat() if c.due else "-",
                "ACHTERSTALLIG" if c.overdue else "open",
                c.provider_name,
                c.submission_id,
                c.lot or "alle",
                subject_text(c.subject),
                c.title,
                c.message,
            )
        out.print(table)
        staff = Table(title=f"Niet declarabele medewerkers ({len(report.not_declarable)})")
        for column in (
            "Tot",
            "Stand",
            "Aanbieder",
            "Inschrijving",
            "Medewerker",
            "Functie",
            "Percelen",
            "Reden",
        ):
            staff.add_column(column, overflow="fold")
        for s in report.not_declarable:
            staff.add_row(
                s.until.isoformat() if s.until else "-",
                "ACHTERSTALLIG" if s.overdue else "loopt",
                s.provider_name,
                s.submission_id,
                s.staff,
                s.function,
                ", ".join(s.lots),
                s.reason,
            )
        out.print(staff)
        out.print(
            f"{report.overdue} achterstallig per {day.isoformat()}."
            if report.overdue
            else f"Niets achterstallig per {day.isoformat()}."
        )
    if report.overdue:
        raise typer.Exit(OVERDUE_EXIT)
