"""Where a command line keeps its login to a shared database (`kit aanmelden`): one file per
database, readable by its owner only, under $XDG_CONFIG_HOME/kit/ (or ~/.config/kit/); and the
account it proves, for kit.cli.common."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kit.services.actor import Actor


def config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """kit's directory under the user's config directory ($XDG_CONFIG_HOME or ~/.config)."""
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kit"


def token_file(db: str | None, directory: Path | None = None) -> Path:
    """Where the login for database `db` is kept (by a hash of its URL: no password in a
    file name)."""
    # start-up: the store (SQLAlchemy) loads only when a command needs its actor
    from kit.services.accounts import database_key

    return (directory or config_dir()) / f"aanmelding-{database_key(db)}"


def stored_token(db: str | None, directory: Path | None = None) -> str | None:
    try:
        return token_file(db, directory).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def keep_token(path: Path, token: str) -> None:
    """Write the token readable by its owner only: created 0600 (never world-readable for a
    moment), in a directory of 0700, replaced whole."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".nieuw")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(token + "\n")
    os.replace(partial, path)


def proven(db: str | None, claimed_role: str | None, claimed_name: str | None) -> Actor:
    """The account this command line logged in as on database `db` (AccessDenied without)."""
    # start-up: the store (SQLAlchemy) loads only when a command needs its actor
    from kit.services import open_store
    from kit.services.accounts import proven_actor

    return proven_actor(open_store(db), stored_token(db), claimed_role, claimed_name)
