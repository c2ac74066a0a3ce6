"""`kit note` and `kit notes`: restricted toezicht notes."""

from __future__ import annotations

from typing import Annotated

import typer

from kit.cli.common import Ctx, acting, app, out
from kit.cli.options import Db, Json, Submission, by_option
from kit.cli.output import cell, grid, print_json


@app.command()
def note(
    ctx: Ctx,
    submission: Submission,
    text: Annotated[str, typer.Argument(metavar="TEKST", help="De tekst van de notitie.")],
    by: Annotated[
        str | None, by_option("Naam van de toezichthouder (standaard KIT_USER of de gebruiker).")
    ] = None,
    db: Db = None,
) -> None:
    """Leg een vertrouwelijke notitie van toezicht vast bij een aanbieder (alleen toezicht)."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services import add_note, open_store

    row = add_note(open_store(db), acting(ctx, by), submission, text)
    out.print(
        f"Notitie vastgelegd bij {submission} door {row.author}; alleen toezicht kan haar lezen."
    )


@app.command()
def notes(ctx: Ctx, submission: Submission, as_json: Json = False, db: Db = None) -> None:
    """Toon de vertrouwelijke notities bij een aanbieder (alleen toezicht). Tijden in
    Nederlandse tijd."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services import open_store, read_notes
    from kit.timezone import local_time

    rows = read_notes(open_store(db), acting(ctx), submission)
    if as_json:
        print_json(
            [
                {
                    "submission_id": submission,
                    "at": local_time(r.created_at).isoformat(),
                    "author": r.author,
                    "text": r.text,
                }
                for r in rows
            ]
        )
        return
    out.print(f"Notities bij {submission}: {len(rows)}")
    grid(
        out,
        ["Wanneer (NL)", "Door", "Notitie"],
        [
            [
                cell(local_time(r.created_at).strftime("%Y-%m-%d %H:%M")),
                cell(r.author),
                cell(r.text),
            ]
            for r in rows
        ],
        flexible=2,
        limits={1: 20},
    )
