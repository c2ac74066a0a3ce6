"""`kit db upgrade`: create or upgrade the store's schema (kit.store.schema)."""

from __future__ import annotations

from kit.cli.common import command_group, fail, out
from kit.cli.options import Db
from kit.errors import KitError

db_app = command_group("db", "De database: schema aanmaken of bijwerken.")


@db_app.command("upgrade")
def upgrade(db: Db = None) -> None:
    """Maak het schema aan of werk het bij naar de nieuwste versie; de gegevens blijven behouden.

    Veilig om vaker of door meerdere gebruikers tegelijk te draaien."""
    from kit.store.connect import database_url, engines, shown_url
    from kit.store.schema import upgrade as upgrade_schema

    url = database_url(db)
    shown = shown_url(url)
    try:
        before, after = upgrade_schema(engines(url))
    except KitError as exc:
        fail(exc.message)
    if before == after:
        out.print(f"database {shown}: schema is al op de nieuwste versie ({after})")
    elif before is None:
        out.print(f"database {shown}: schema aangemaakt (versie {after})")
    else:
        out.print(f"database {shown}: schema bijgewerkt van versie {before} naar {after}")
