"""Shared pieces of the `kit` command line: the typer apps, consoles and error handling."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from kit.errors import KitError

if TYPE_CHECKING:
    from kit.services.actor import Actor, Role

app = typer.Typer(
    help="KIT-screening: Kwaliteit en Integriteit Twente.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="Regelsets controleren en tonen.", no_args_is_help=True)
repair_app = typer.Typer(
    help="Herstelrondes: status, extra ronde, verschillen en herstelverzoek.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")
app.add_typer(repair_app, name="repair")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)
if not out.is_terminal:  # piped or captured: do not squeeze tables into 80 columns
    out = Console(highlight=False, width=200)

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
    err.print(f"[red]fout:[/red] {message}", markup=True)
    raise typer.Exit(code)


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: ongeldige datum {value!r}, verwacht JJJJ-MM-DD")
