"""`kit aanmelden` and `kit afmelden`: on a shared database (PostgreSQL) the command line acts
as an account it has proven, not as a role it claims. Logging in keeps the session's token in a
file only its owner can read (0600, under $XDG_CONFIG_HOME/kit/), one per database; the token
lasts as long as a web session (kit.services.accounts: IDLE, MAX_AGE). On a local SQLite file
the file's own permissions stay the boundary: there `--rol` is taken as given."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kit.cli.common import app, fail, out
from kit.cli.options import Db, PasswordStdin
from kit.cli.tokens import keep_token, stored_token, token_file


@app.command("aanmelden")
def log_in(
    name: Annotated[
        str | None, typer.Option("--naam", metavar="NAAM", help="Uw accountnaam (anders gevraagd).")
    ] = None,
    from_stdin: PasswordStdin = False,
    db: Db = None,
) -> None:
    """Meld aan met uw account, voor een gedeelde database (PostgreSQL).

    Daarna handelt elke opdracht op die database als uw account, met de rol van dat account, en
    noemt het audit-log u. De aanmelding verloopt na 30 minuten zonder gebruik (en na 12 uur);
    `kit afmelden` beëindigt haar eerder."""
    # start-up: the store (SQLAlchemy) and argon2 load only for this command
    from kit.services import open_store
    from kit.services.accounts import CLI_ADDRESS, session_of
    from kit.services.accounts import log_in as check

    name = name or typer.prompt("Naam")
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Wachtwoord", hide_input=True)
    store = open_store(db)
    token = check(store, name, password, address=CLI_ADDRESS)
    keep_token(token_file(db), token)
    login = session_of(store, token)
    assert login is not None
    out.print(f"Aangemeld als {login.actor.name} (rol {login.actor.role}).")


@app.command("afmelden")
def log_out(db: Db = None) -> None:
    """Meld af: de aanmelding voor deze database eindigt en haar bestand verdwijnt."""
    # start-up: the store (SQLAlchemy) and argon2 load only for this command
    from kit.services import open_store
    from kit.services.accounts import log_out as end
    from kit.services.accounts import session_of

    path = token_file(db)
    token = stored_token(db)
    if token is None:
        fail("u bent niet aangemeld voor deze database")
    login = session_of(open_store(db), token)
    if login is not None:
        end(open_store(db), login)
    path.unlink(missing_ok=True)
    out.print("Afgemeld.")
