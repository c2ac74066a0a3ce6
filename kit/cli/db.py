"""`kit db upgrade|backup|herstel|opschonen`: the store's schema, its backup and restore, and
the removal of what has passed its retention period."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import Ctx, acting, command_group, out, parse_date
from kit.cli.options import Db, as_of_option, out_option
from kit.timezone import today

db_app = command_group(
    "db", "De database: schema bijwerken, reservekopie maken en terugzetten, opschonen."
)

# The kinds of record, as the user reads them.
KINDS = {
    "submissions": "inschrijvingen",
    "screenings": "screeningen",
    "lot_verdicts": "uitspraken per perceel",
    "findings": "bevindingen",
    "decisions": "beslissingen",
    "criterion_outcomes": "oordelen per criterium",
    "sampled_credentials": "stukken in de steekproef",
    "credential_checks": "steekproefcontroles",
    "extra_rounds": "extra rondes",
    "repair_requests": "herstelverzoeken",
    "notes": "notities",
    "assignments": "toewijzingen",
    "audit_events": "auditregels",
}

Overwrite = Annotated[
    bool, typer.Option("--overschrijven", help="Vervang wat er al staat (bestand of database).")
]


@db_app.command("upgrade")
def upgrade(db: Db = None) -> None:
    """Maak het schema aan of werk het bij naar de nieuwste versie; de gegevens blijven behouden.

    Veilig om vaker of door meerdere gebruikers tegelijk te draaien."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services import upgrade_store

    shown, before, after = upgrade_store(db)
    if before == after:
        out.print(f"database {shown}: schema is al op de nieuwste versie ({after})")
    elif before is None:
        out.print(f"database {shown}: schema aangemaakt (versie {after})")
    else:
        out.print(f"database {shown}: schema bijgewerkt van versie {before} naar {after}")


@db_app.command("backup")
def backup(
    ctx: Ctx,
    target: Annotated[Path, out_option("Het bestand van de reservekopie.")],
    overwrite: Overwrite = False,
    db: Db = None,
) -> None:
    """Maak een reservekopie van de SQLite-database terwijl anderen doorwerken.

    Het bestand is alleen voor de eigenaar leesbaar (0600) en verschijnt pas als het compleet
    is. Op PostgreSQL: pg_dump (zie docs/operations.md)."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services.backup import backup as make_backup

    size = make_backup(db, acting(ctx), target, overwrite)
    out.print(f"Reservekopie geschreven naar {target} ({size // 1024} kB).")


@db_app.command("herstel")
def restore(
    ctx: Ctx,
    source: Annotated[
        Path, typer.Argument(metavar="BESTAND", help="Een reservekopie van kit db backup.")
    ],
    overwrite: Overwrite = False,
    db: Db = None,
) -> None:
    """Zet een reservekopie terug als de SQLite-database.

    Een database die al iets bevat, wordt alleen vervangen met --overschrijven."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services.backup import restore as put_back

    shown = put_back(db, acting(ctx), source, overwrite)
    out.print(f"database {shown}: hersteld uit {source}.")


@db_app.command("opschonen")
def clean_up(
    ctx: Ctx,
    as_of: Annotated[str | None, as_of_option("Peildatum JJJJ-MM-DD (standaard vandaag).")] = None,
    db: Db = None,
) -> None:
    """Verwijder wat zijn bewaartermijn voorbij is (rules/bewaartermijnen.yaml), in één keer.

    Een inschrijving waarvan een latere, bewaarde inschrijving stukken hergebruikt, blijft
    staan; het auditlogboek telt wat is verwijderd."""

    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services import open_store
    from kit.services.retention import clean_up as remove_expired

    day = parse_date(as_of, "--peildatum") or today()
    done = remove_expired(open_store(db), acting(ctx), day)
    gone = ", ".join(f"{n} {KINDS[kind]}" for kind, n in done.removed.items() if n) or "niets"
    out.print(f"Opgeschoond per {day.isoformat()}: {gone} verwijderd.")
    if done.kept_for_reuse:
        out.print(
            f"Bewaard omdat een latere inschrijving hun stukken hergebruikt: "
            f"{', '.join(done.kept_for_reuse)}"
        )
