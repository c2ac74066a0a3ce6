"""`kit corrigeer-datum`: a submission's date corrected through a recorded decision."""

from __future__ import annotations

from typing import Annotated

import typer

from kit.cli.common import Ctx, acting, app, out, parse_date
from kit.cli.options import Db, Note, Submission


@app.command("corrigeer-datum")
def correct_date(
    ctx: Ctx,
    submission: Submission,
    day: Annotated[
        str, typer.Option("--datum", metavar="DATUM", help="De juiste indieningsdatum, JJJJ-MM-DD.")
    ],
    note: Note,
    db: Db = None,
) -> None:
    """Corrigeer de indieningsdatum van een inschrijving (inkoop), als vastgelegde beslissing.

    De laatste casus wordt opnieuw gescreend met de juiste datum; eerdere screeningen blijven
    zoals ze waren. De beslissing en de nieuwe screening komen in het auditlogboek."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.services.corrections import correct_submitted_on

    corrected = parse_date(day, "--datum")
    assert corrected is not None
    _, outcome = correct_submitted_on(open_store(db), acting(ctx), submission, corrected, note)
    out.print(
        f"{submission}: indieningsdatum gecorrigeerd naar {corrected.isoformat()}; "
        f"{outcome.screening_id} op {outcome.as_of.isoformat()} ({outcome.reason})."
    )
