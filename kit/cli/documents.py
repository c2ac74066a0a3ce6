"""`kit documents add`: record what a provider sent and re-screen with it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import DB_HELP, Ctx, acting, command_group, fail, out, parse_date
from kit.cli.output import Table
from kit.errors import KitError
from kit.roles import message_for

documents_app = command_group(
    "documents", "Ontvangen documenten, medewerkers en locaties vastleggen."
)


def _ids(changes: dict[str, list[str]]) -> str:
    parts = [f"{', '.join(ids)} ({kind})" for kind, ids in changes.items() if ids]
    return "; ".join(parts) or "-"


@documents_app.command("add")
def add(
    ctx: Ctx,
    submission: Annotated[
        str, typer.Argument(help="Inschrijvingsnummer, bijvoorbeeld INS-2024-0521.")
    ],
    file: Annotated[
        Path,
        typer.Argument(
            help="YAML/JSON met documents, locations en/of staff in de vorm van "
            "het casusformaat; elk item voegt toe of vervangt op id."
        ),
    ],
    received: Annotated[
        str | None,
        typer.Option(
            "--ontvangen",
            "--as-of",
            help="Datum van ontvangst JJJJ-MM-DD (standaard vandaag); wat "
            "binnenkwam wordt op die dag gemeten, de rest van de "
            "inschrijving op haar screeningsdatum.",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Wie het vastlegt (standaard KIT_USER of de gebruiker)."),
    ] = None,
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
) -> None:
    """Leg vast wat een aanbieder stuurde en screen opnieuw in dezelfde ronde.

    De laatste casus plus FILE wordt een nieuwe casusversie; getoond wordt wat daarmee sluit en met welk bewijs.
    """  # noqa: E501  (typer keeps line breaks in help text)
    from kit.documents import NothingNew
    from kit.services import add_documents
    from kit.store import Store
    from kit.verdict import subject_text

    actor = acting(ctx, by)
    day = parse_date(received, "--ontvangen")
    try:
        result = add_documents(Store(db, create=False), actor, submission, file, day)
    except NothingNew as exc:
        out.print(exc.message)
        return
    except KitError as exc:
        fail(exc.message)
    outcome, role = result.outcome, actor.role
    out.print(
        f"Inschrijving {submission}: {file.name} verwerkt in een nieuwe casusversie, gescreend als "
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
    closed = Table(title=f"Gesloten ({len(result.closed)})")
    for column in ("Regel", "Onderwerp", "Perceel", "Was", "Gesloten met", "Bericht"):
        closed.add_column(column, overflow="fold")
    for old, new in result.closed:
        evidence = ", ".join(new.evidence) if new is not None and new.evidence else "-"
        message = message_for(role, new) if new is not None else "Niet meer van toepassing."
        closed.add_row(
            old.rule,
            subject_text(old.subject),
            old.lot or "alle",
            old.outcome or old.status,
            evidence,
            message,
        )
    out.print(closed if result.closed else "Geen openstaande bevinding gesloten.")
    for title, rows in (
        ("Nieuw of gewijzigd open", result.opened),
        ("Nog open", result.still_open),
    ):
        if not rows:
            out.print(f"{title}: geen.")
            continue
        table = Table(title=f"{title} ({len(rows)})")
        for column in ("Regel", "Onderwerp", "Perceel", "Uitkomst", "Vervaldatum", "Bericht"):
            table.add_column(column, overflow="fold")
        for f in rows:
            table.add_row(
                f.rule,
                subject_text(f.subject),
                f.lot or "alle",
                f.outcome or f.status,
                f.due or "-",
                message_for(role, f),
            )
        out.print(table)
    out.print(
        "Uitspraak: " + ", ".join(f"{lot}: {verdict}" for lot, verdict in outcome.lots.items())
    )
