"""`kit avg inzage`: everything kit holds on one provider, for an access request (AVG art. 15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import Ctx, acting, command_group, out
from kit.cli.options import Db, out_option
from kit.paths import write_file

avg_app = command_group("avg", "Privacy: inzage in wat kit over een aanbieder bewaart.")


@avg_app.command("inzage")
def access(
    ctx: Ctx,
    kvk: Annotated[str, typer.Argument(metavar="KVK", help="KvK-nummer van de aanbieder.")],
    target: Annotated[
        Path | None, out_option("Schrijf de JSON naar dit bestand (alleen voor de eigenaar).")
    ] = None,
    db: Db = None,
) -> None:
    """Alles wat kit over een aanbieder bewaart, als JSON: inschrijvingen, screeningen,
    bevindingen, uitspraken, beslissingen, herstelverzoeken, notities en auditregels.

    Alleen voor toezicht; de inzage zelf komt in het auditlogboek."""

    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services import open_store
    from kit.services.retention import access_export

    export = access_export(open_store(db), acting(ctx), kvk)
    text = json.dumps(export, ensure_ascii=False, indent=2, default=str) + "\n"
    if target is None:
        typer.echo(text, nl=False)
        return
    write_file(target, text, private=True)
    held = sum(len(rows) for rows in export["records"].values())
    out.print(f"Inzage voor KvK {kvk} ({held} gegevens) geschreven naar {target}.")
