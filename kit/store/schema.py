"""The store's schema, kept by Alembic migrations (kit/store/migrations).

`kit db upgrade` creates or upgrades it. A fresh, empty database is created on first use, under
a lock, so that many processes using a new database at once do not race: the first creates the
schema, the others wait and find it done (PostgreSQL: an advisory lock; SQLite: the write lock of
BEGIN IMMEDIATE). A database at an older schema version is refused with the command to run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from kit.errors import KitError
from kit.store.connect import Engines, shown_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the schema kit 0.1 created without migrations
# The newest migration. Every command checks the database against it before it starts, so it is
# a constant here rather than read from the migration scripts each time (that imports Alembic,
# a tenth of a second); tests/store/test_migrations.py checks that it is Alembic's head.
HEAD = "0013"
LOCK_KEY = 7_305_017  # PostgreSQL advisory lock for schema changes


class OldSchema(KitError):
    """The database's schema is older than this kit: `kit db upgrade` first."""


def _config(connection: Connection | None = None) -> Config:
    # start-up: alembic loads only when the schema is checked or upgraded
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest migration, as Alembic reads it from the scripts."""
    # start-up: alembic loads only when the schema is checked or upgraded
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def known(revision: str) -> bool:
    # start-up: alembic loads only when the schema is checked or upgraded
    from alembic.script import ScriptDirectory

    return revision in {
        script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()
    }


def current(connection: Connection) -> str | None:
    """The database's schema version (None: no version table, or an empty one)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    try:
        found = connection.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:
        return None
    return None if found is None else str(found)


def _locked(connection: Connection) -> None:
    """Take the schema lock inside the connection's transaction (released at its end)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    else:
        connection.execute(text("SELECT 1"))  # the writer engine's BEGIN IMMEDIATE holds the lock


KIT_TABLES = {"submissions", "screenings", "findings"}


def _has_tables(connection: Connection) -> bool:
    """The database has tables: kit's (from before migrations), or another program's (refused:
    kit does not write into a database it did not make)."""
    tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    if tables and not KIT_TABLES <= tables:
        raise KitError(
            "de database bevat tabellen van een ander programma en is geen kit-database; "
            "kies een ander bestand of een lege database"
        )
    return bool(tables)


def upgrade(engines: Engines) -> tuple[str | None, str]:
    """Create or upgrade the schema to the newest version, under the schema lock; a database
    from before migrations is taken as the baseline first. Returns (from, to)."""
    with engines.write.connect() as connection:
        _locked(connection)
        before = current(connection)
        if before is not None and not known(before):
            raise KitError(_newer(before))
        # start-up: alembic loads only when the schema is checked or upgraded
        from alembic import command

        if before is None and _has_tables(connection):
            command.stamp(_config(connection), BASELINE)
            before = BASELINE
        command.upgrade(_config(connection), "head")
        connection.commit()
    return before, HEAD


def ensure(engines: Engines, url: str) -> None:
    """Ready for use: an empty database gets the schema now; one at the newest version is left
    as it is; an older one is refused with the command to run. Anything but the newest version
    is decided under the schema lock: another process may be creating the schema right now, and
    outside the lock its tables could be seen before its version row."""
    wanted = HEAD
    with engines.read.connect() as connection:
        if current(connection) == wanted:
            return
    with engines.write.connect() as connection:
        _locked(connection)
        found = current(connection)
        if found is None and not _has_tables(connection):
            # start-up: alembic loads only when the schema is checked or upgraded
            from alembic import command

            command.upgrade(_config(connection), "head")
            connection.commit()
            return
    if found == wanted:
        return
    if found is not None and not known(found):
        raise KitError(f"database {shown_url(url)}: " + _newer(found))
    shown = found or f"van voor de migraties ({BASELINE})"
    raise OldSchema(
        f"database {shown_url(url)} heeft schemaversie {shown}, deze kit gebruikt {wanted}; voer "
        f"eerst `kit db upgrade --db {shown_url(url)}` uit (de opgeslagen gegevens blijven "
        "behouden)"
    )


def _newer(revision: str) -> str:
    return (
        f"de database heeft schemaversie {revision}, die deze kit niet kent (nieuwer dan "
        f"{HEAD}); gebruik de kit-versie die haar heeft bijgewerkt"
    )
