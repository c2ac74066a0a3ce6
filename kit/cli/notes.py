"""`kit note` and `kit notes`: restricted toezicht notes."""

from __future__ import annotations

from typing import Annotated

import typer

from kit.cli.common import Ctx, acting, app, fail, out
from kit.cli.options import Db, Json, Submission, by_option
from kit.cli.output import cell, grid, print_json
from kit.errors import KitError


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
def notes(ctx: Ctx, submission: Submission, as_json: Json = False, db: Db = None) -> None:
    """Toon de vertrouwelijke notities bij een aanbieder (alleen toezicht). Tijden in
    Nederlandse tijd."""
    from kit.services import read_notes
    from kit.store import Store
    from kit.timezone import local_time

    try:
        rows = read_notes(Store(db, create=False), acting(ctx), submission)
    except KitError as exc:
        fail(exc.message)
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
