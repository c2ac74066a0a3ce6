"""kit: the KIT screening (Kwaliteit en Integriteit Twente) as a program.

Rules are YAML data (`rules/`), an engine evaluates each submission against them, and every
finding is stored with the rule and evidence behind it. The changes are kit.services; the one
most callers want is here:

    import kit
    result = kit.screen(["cases/"], db_url="sqlite:///kit.db", actor=kit.Actor("J. de Vries"))
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kit.version import __version__

if TYPE_CHECKING:
    from kit.screening.screen import BatchResult
    from kit.services.actor import Actor

__all__ = ["Actor", "__version__", "screen"]


def screen(
    paths: Iterable[Path | str],
    *,
    as_of: date | None = None,
    db_url: str | None = None,
    actor: Actor | None = None,
    store: bool = True,
) -> BatchResult:
    """Screen case files (or directories of them) and store each screening with its audit event,
    as `kit screen` does (kit.services.screen_files). The actor defaults to this machine's user
    as reviewer; `store=False` looks without storing."""
    # start-up: `import kit` must not load the store (SQLAlchemy)
    from kit.services import Actor, current_user, open_store, screen_files

    who = actor or Actor(current_user(), "reviewer")
    if not store:
        return screen_files(paths, None, who, as_of)
    with open_store(db_url, create=True) as db:
        return screen_files(paths, db, who, as_of)


def __getattr__(name: str) -> object:
    if name == "Actor":
        # start-up: `import kit` must not load the store (SQLAlchemy)
        from kit.services.actor import Actor

        return Actor
    raise AttributeError(name)
