"""The one way the entry points (the command line, the web application, kit.screen) open the
store, so that none of them imports a store module itself."""

from __future__ import annotations

from kit.store import Store
from kit.store.connect import database_url, engines, shown_url
from kit.store.schema import upgrade

__all__ = ["Store", "open_store", "upgrade_store"]


def open_store(url: str | None = None, create: bool = False) -> Store:
    """The store at `url` (None: KIT_DATABASE_URL or sqlite:///kit.db). `create`: a database
    that does not exist yet is made (screening, the first account); every other command reads or
    extends stored screenings and refuses a database that is not there, so that a mistyped URL
    never silently gives an empty new one."""
    return Store(url, create=create)


def upgrade_store(url: str | None = None) -> tuple[str, str | None, str]:
    """Create or upgrade the schema of the database at `url` (`kit db upgrade`): the database
    as shown to a user (without its password), the schema version before (None: there was none)
    and after."""
    full = database_url(url)
    before, after = upgrade(engines(full))
    return shown_url(full), before, after
