"""`kit documents add`: record what a provider sent and re-screen with it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import Ctx, acting, command_group, fail, out, parse_date
from kit.cli.findings import finding_cells, finding_json, show_findings, verdicts_now
from kit.cli.options import By, Db, Submission, json_option
from kit.cli.output import print_json, visible
from kit.errors import KitError

documents_app = command_group(
    "documents", "Ontvangen documenten, medewerkers en locaties vastleggen."
)


def _ids(changes: dict[str, list[str]]) -> str:
    parts = [f"{', '.join(ids)} ({kind})" for kind, ids in changes.items() if ids]
    return "; ".join(parts) or "-"


# Over 60 lines: the command's output in the order a reviewer reads it (what arrived, what it
# closed with which evidence, what is still open); each part is a few lines of printing.
@documents_app.command("add")
def add(
    ctx: Ctx,
    submission: Submission,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="BESTAND",
            help="YAML/JSON met documents, locations en/of staff in de vorm van "
            "het casusformaat; elk item voegt toe of vervangt op id.",
        ),
    ],
    received: Annotated[
        str | None,
        typer.Option(
            "--ontvangen",
            "--as-of",
            metavar="DATUM",
            help="Datum van ontvangst JJJJ-MM-DD (standaard vandaag); wat "
            "binnenkwam wordt op die dag gemeten, de rest van de "
            "inschrijving op haar screeningsdatum.",
        ),
    ] = None,
    by: By = None,
    as_json: Annotated[bool, json_option("wat gesloten, geopend en nog open is")] = False,
    db: Db = None,
) -> None:
    """Leg vast wat een aanbieder stuurde en screen opnieuw in dezelfde ronde.

    De laatste casus plus BESTAND wordt een nieuwe casusversie; getoond wordt wat daarmee sluit
    en met welk bewijs."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import add_documents, open_store
    from kit.services.updates import NothingNew

    actor = acting(ctx, by)
    day = parse_date(received, "--ontvangen")
    try:
        store = open_store(db)
        result = add_documents(store, actor, submission, file, day)
    except NothingNew as exc:
        out.print(exc.message)
        return
    except KitError as exc:
        fail(exc.message)
    outcome, role = result.outcome, actor.role
    if as_json:
        print_json(
            [{"wat": "gesloten", **finding_json(new or old, role)} for old, new in result.closed]
            + [{"wat": "nieuw", **finding_json(f, role)} for f in result.opened]
            + [{"wat": "nog open", **finding_json(f, role)} for f in result.still_open]
        )
        return
    out.print(
        f"Inschrijving {submission}: {visible(file.name)} verwerkt in een nieuwe casusversie, "
        "gescreend als "
        f"{outcome.screening_id} (ronde {outcome.case.submission.round}, peildatum "
        f"{outcome.as_of.isoformat()}, regelset {outcome.ruleset_id}; "
        f"volgt op {result.before.code}). "
        "Wat binnenkwam is gemeten op de dag van ontvangst."
    )
    out.print(
        "Ontvangen: "
        + "; ".join(
            f"{label} {_ids(result.changes[part])}"
            for part, label in (
                ("documents", "documenten"),
                ("staff", "medewerkers"),
                ("locations", "locaties"),
            )
        )
    )
    if result.closed:
        out.print(f"Gesloten ({len(result.closed)}):")
        show_findings(
            [
                finding_cells(
                    new if new is not None else old,
                    role,
                    "bewijs: " + ", ".join(new.evidence)
                    if new is not None and new.evidence
                    else "niet meer van toepassing",
                )
                for old, new in result.closed
            ]
        )
    else:
        out.print("Geen openstaande bevinding gesloten.")
    for title, rows in (
        ("Nieuw of gewijzigd open", result.opened),
        ("Nog open", result.still_open),
    ):
        if not rows:
            out.print(f"{title}: geen.")
            continue
        out.print(f"{title} ({len(rows)}):")
        show_findings([finding_cells(f, role) for f in rows])
    out.print(verdicts_now(store, outcome))
