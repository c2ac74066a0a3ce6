"""`kit note` and `kit notes`: restricted toezicht notes."""

from __future__ import annotations

from typing import Annotated

import typer

from kit.cli.common import DB_HELP, Ctx, acting, app, fail, out
from kit.cli.output import Table
from kit.errors import KitError

Db = Annotated[str | None, typer.Option("--db", help=DB_HELP)]
Submission = Annotated[str, typer.Argument(help="Inschrijvingsnummer, bijvoorbeeld INS-2024-0042.")]


@app.command()
def note(
    ctx: Ctx,
    submission: Submission,
    text: Annotated[str, typer.Argument(help="De tekst van de notitie.")],
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="Naam van de toezichthouder (standaard KIT_USER of de gebruiker)."
        ),
    ] = None,
    db: Db = None,
) -> None:
    """Leg een vertrouwelijke notitie van toezicht vast bij een aanbieder (alleen toezicht)."""
    from kit.services import add_note
    from kit.store import Store

    try:
        row = add_note(Store(db, create=False), acting(ctx, by), submission, text)
    except KitError as exc:
        fail(exc.message)
    out.print(
        f"Notitie vastgelegd bij {submission} door {row.author}; alleen toezicht kan haar lezen."
    )


@app.command()
def notes(ctx: Ctx, submission: Submission, db: Db = None) -> None:
    """Toon de vertrouwelijke notities bij een aanbieder (alleen toezicht)."""
    from kit.services import read_notes
    from kit.store import Store

    try:
        rows = read_notes(Store(db, create=False), acting(ctx), submission)
    except KitError as exc:
        fail(exc.message)
    table = Table(title=f"Notities bij {submission} ({len(rows)})")
    for column in ("Datum", "Door", "Notitie"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row.created_at.strftime("%Y-%m-%d %H:%M"), row.author, row.text)
    out.print(table)
