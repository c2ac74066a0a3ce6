"""Shared pieces of the `kit` command line: the typer apps, consoles and error handling.

The consoles (kit.cli.output) print outside text as written; `err`, `error`, `note`, `out` and
`warning` are re-exported here for the command modules."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from kit.cli.dutch import USAGE_EXIT, KitGroup
from kit.cli.dutch import install as install_dutch
from kit.cli.output import err, error, note, out, warning
from kit.version import __version__

__all__ = ["err", "error", "note", "out", "warning"]

if TYPE_CHECKING:
    from kit.services.actor import Actor, Role

install_dutch()
GROUP_SETTINGS: dict[str, Any] = {
    "no_args_is_help": True,
    "rich_markup_mode": None,  # help text as written: `[verplicht]` is not markup
    "options_metavar": "[OPTIES]",
    "subcommand_metavar": "OPDRACHT [ARGUMENTEN]...",
}
app = typer.Typer(
    cls=KitGroup,
    help="KIT-screening: Kwaliteit en Integriteit Twente.",
    add_completion=False,  # `kit completion SHELL` prints the script, in Dutch
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    **GROUP_SETTINGS,
)


def command_group(name: str, help: str) -> typer.Typer:
    """A `kit <name> …` group of commands, registered on the app."""
    group = typer.Typer(help=help, **GROUP_SETTINGS)
    app.add_typer(group, name=name)
    return group


rules_app = command_group("rules", "Regelsets controleren en tonen.")
repair_app = command_group(
    "repair", "Herstelrondes: status, extra ronde, verschillen en herstelverzoek."
)


DB_HELP = "Database-URL (standaard KIT_DATABASE_URL of sqlite:///kit.db)."


Ctx = typer.Context


def _version(value: bool) -> None:
    if value:
        out.print(f"kit {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    ctx: typer.Context,
    role: Annotated[
        str | None,
        typer.Option(
            "--rol",
            "--role",
            envvar="KIT_ROLE",
            metavar="ROL",
            help="Rol: reviewer, toezicht, bibob, inkoop of beheer (standaard reviewer).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--versie", "--version", callback=_version, is_eager=True, help="Toon de versie."
        ),
    ] = False,
) -> None:
    """KIT-screening: Kwaliteit en Integriteit Twente.

    Uitkomst (exit-code): 0 gelukt; 1 fout of weigering (niets half opgeslagen); 2 verkeerde
    aanroep; 3 achterstallige voorwaarden (kit monitor); 130 onderbroken."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services.actor import ROLES

    chosen = role or "reviewer"
    if chosen not in ROLES:
        fail(f"--rol: onbekende rol {chosen!r}; kies uit {', '.join(ROLES)}", USAGE_EXIT)
    ctx.obj = {"role": chosen, "claimed": role}


def _database_of(ctx: typer.Context) -> str | None:
    """The --db this command was given (None: KIT_DATABASE_URL or the default)."""
    db = ctx.params.get("db")
    return db if isinstance(db, str) else None


def _proven(ctx: typer.Context, by: str | None) -> Actor | None:
    """On a shared database (PostgreSQL): the account this command line logged in as, once per
    command (refused, in Dutch, without a valid login). None on a local SQLite file, where the
    file's permissions are the boundary and --rol is taken as given."""
    # start-up: the store (SQLAlchemy) loads only when a command needs its actor
    from kit.services.accounts import shared_database

    db = _database_of(ctx)
    if not shared_database(db):
        return None
    obj = ctx.find_root().obj or {}
    if "account" not in obj:
        # start-up: the store (SQLAlchemy) loads only when a command needs its actor
        from kit.cli.tokens import proven

        obj["account"] = proven(db, obj.get("claimed"), by)
    account: Actor = obj["account"]
    return account


def role_of(ctx: typer.Context) -> Role:
    """The role this invocation acts in: on a shared database the logged-in account's; on a
    local file --role or KIT_ROLE (reviewer unless said otherwise)."""
    account = _proven(ctx, None)
    if account is not None:
        return account.role
    obj = ctx.find_root().obj or {}
    role: Role = obj.get("role", "reviewer")
    return role


def acting(ctx: typer.Context, by: str | None = None) -> Actor:
    """Who acts: on a shared database the logged-in account; on a local file the name given
    (--by), else KIT_USER or the login name, in this invocation's role."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services.actor import Actor, current_user

    return _proven(ctx, by) or Actor(by or current_user(), role_of(ctx))


# Set by main(): this process runs one command and ends (the `kit` script, not a test).
_ONE_COMMAND = {"then_ends": False}


def one_command_then_end() -> None:
    _ONE_COMMAND["then_ends"] = True


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """For a command that reads a whole region, prints or writes it, and ends: the cyclic
    collector stays off meanwhile. Its objects (standings, rows, a hundred thousand open
    findings, a million cells) hold no cycles that need collecting before the process ends,
    and even at main()'s raised thresholds the collector walked them 48 times in one
    `kit report --formaat xlsx` at 10,000 submissions (0.2 s). Its next collection, and the
    one when the process ends, would walk every object made meanwhile (0.14 s each): in the
    `kit` process, which ends with the command, they are frozen (left to reference counting);
    run in-process (tests), nothing is frozen and collection goes on as before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _ONE_COMMAND["then_ends"]:
            gc.freeze()
        if was_on:
            gc.enable()


PROGRESS_FROM = 25  # cases; smaller batches finish before a bar would be readable


def fail(message: str, code: int = 1) -> NoReturn:
    error(message)
    raise typer.Exit(code)


def parse_date(value: str | None, option: str) -> date | None:
    """A date option's value; a wrong one is a usage error (exit 2)."""
    if value is None:
        return None
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.case.models import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: ongeldige datum {value!r}, verwacht JJJJ-MM-DD", USAGE_EXIT)
    if not FIRST_DAY <= day <= LAST_DAY:
        fail(f"{option}: {value} ligt buiten {FIRST_DAY.year}–{LAST_DAY.year}", USAGE_EXIT)
    return day
