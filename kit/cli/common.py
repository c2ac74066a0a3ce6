"""Shared pieces of the `kit` command line: the typer apps, consoles and error handling.

The consoles (kit.cli.output) print outside text as written; `err`, `error`, `note`, `out` and
`warning` are re-exported here for the command modules."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from kit.cli.output import err, error, note, out, warning
from kit.errors import KitError

__all__ = ["err", "error", "note", "out", "warning"]

if TYPE_CHECKING:
    from kit.services.actor import Actor, Role

app = typer.Typer(
    help="KIT-screening: Kwaliteit en Integriteit Twente.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help text as written: `kit[xlsx]` is an extra, not markup
)


def command_group(name: str, help: str) -> typer.Typer:
    """A `kit <name> …` group of commands, registered on the app."""
    group = typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name=name)
    return group


rules_app = command_group("rules", "Regelsets controleren en tonen.")
repair_app = command_group(
    "repair", "Herstelrondes: status, extra ronde, verschillen en herstelverzoek."
)


DB_HELP = "Database-URL (standaard KIT_DATABASE_URL of sqlite:///kit.db)."


Ctx = typer.Context


@app.callback()
def options(
    ctx: typer.Context,
    role: Annotated[
        str | None,
        typer.Option("--role", envvar="KIT_ROLE", help="Rol: reviewer, toezicht, bibob of inkoop."),
    ] = None,
) -> None:
    """KIT-screening: Kwaliteit en Integriteit Twente."""
    from kit.services.actor import ROLES

    chosen = role or "reviewer"
    if chosen not in ROLES:
        fail(f"--role: onbekende rol {chosen!r}; kies uit {', '.join(ROLES)}")
    ctx.obj = {"role": chosen}


def role_of(ctx: typer.Context) -> Role:
    """The role this invocation acts in (--role or KIT_ROLE; reviewer unless said otherwise)."""
    obj = ctx.find_root().obj or {}
    role: Role = obj.get("role", "reviewer")
    return role


def acting(ctx: typer.Context, by: str | None = None) -> Actor:
    """Who acts: the name given (--by), else KIT_USER or the login name, in this invocation's
    role."""
    from kit.services.actor import Actor, current_user

    try:
        return Actor(by or current_user(), role_of(ctx))
    except KitError as exc:
        fail(exc.message)


PROGRESS_FROM = 25  # cases; smaller batches finish before a bar would be readable


def fail(message: str, code: int = 1) -> NoReturn:
    error(message)
    raise typer.Exit(code)


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: ongeldige datum {value!r}, verwacht JJJJ-MM-DD")
