"""`kit db upgrade`: create or upgrade the store's schema (kit.store.schema)."""

from __future__ import annotations

from kit.cli.common import command_group, out
from kit.cli.options import Db

db_app = command_group("db", "De database: schema aanmaken of bijwerken.")


@db_app.command("upgrade")
def upgrade(db: Db = None) -> None:
    """Maak het schema aan of werk het bij naar de nieuwste versie; de gegevens blijven behouden.

    Veilig om vaker of door meerdere gebruikers tegelijk te draaien."""
    from kit.services import upgrade_store

    shown, before, after = upgrade_store(db)
    if before == after:
        out.print(f"database {shown}: schema is al op de nieuwste versie ({after})")
    elif before is None:
        out.print(f"database {shown}: schema aangemaakt (versie {after})")
    else:
        out.print(f"database {shown}: schema bijgewerkt van versie {before} naar {after}")
