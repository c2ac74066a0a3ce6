"""`kit serve` (the web application) and `kit users` (its accounts)."""

from __future__ import annotations

import signal
import sys
from typing import Annotated

import typer

from kit.cli.common import Ctx, acting, app, command_group, fail, out
from kit.cli.dutch import USAGE_EXIT
from kit.cli.options import Db, PasswordStdin
from kit.errors import KitError

users_app = command_group("users", "Accounts voor de webapplicatie.")


@users_app.command("add")
def users_add(
    ctx: Ctx,
    name: Annotated[str, typer.Argument(metavar="NAAM", help="De naam waarmee iemand aanmeldt.")],
    role: Annotated[
        str,
        typer.Option(
            "--rol", "--role", metavar="ROL", help="reviewer, toezicht, bibob, inkoop of beheer."
        ),
    ],
    from_stdin: PasswordStdin = False,
    db: Db = None,
) -> None:
    """Maak een account aan (het wachtwoord wordt gevraagd, en alleen als argon2-hash bewaard).

    Het eerste account van een lege database maak je hier zonder aanmelding. Op een gedeelde
    database (PostgreSQL) vraagt elk volgend account een aanmelding (`kit aanmelden`) met een
    beheer-account; op een eigen SQLite-bestand is wie het bestand kan openen de beheerder.
    Beheer kan ook in de webapplicatie accounts aanmaken en uitzetten."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services import open_store
    from kit.services.accounts import add_account, checked_role, first_account_or, shared_database
    from kit.services.actor import Actor, current_user

    try:  # before the password is asked for: a wrong value is a usage error
        checked_role(role, "--rol")
    except KitError as exc:
        fail(exc.message, USAGE_EXIT)
    store = open_store(db, create=True)
    if shared_database(db):  # who may add it, asked before the password is
        actor, first = first_account_or(store, lambda: acting(ctx))
    else:
        actor, first = Actor(current_user(), "beheer"), False
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Wachtwoord", hide_input=True)
        if typer.prompt("Herhaal het wachtwoord", hide_input=True) != password:
            fail("de twee wachtwoorden verschillen; er is niets aangemaakt")
    add_account(store, actor, name, role, password, first=first)
    out.print(f"Account {name} aangemaakt met de rol {role}.")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="ADRES", help="Luister op dit adres.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--poort", "--port", metavar="POORT")] = 8000,
    proxy: Annotated[
        str,
        typer.Option(
            "--proxy",
            metavar="ADRES",
            help="Adres van de https-proxy ervoor (standaard 127.0.0.1): zijn X-Forwarded-Proto "
            "telt, dus de sessiecookie is Secure en HSTS staat aan.",
        ),
    ] = "127.0.0.1",
    db: Db = None,
) -> None:
    """Start de webapplicatie (de centrale lijst achter een login) op http://ADRES:POORT.

    Zet er voor gebruik buiten deze machine een https-proxy voor: de sessiecookie is dan
    Secure."""
    # start-up: the web application (FastAPI, uvicorn) loads only for `kit serve`
    import uvicorn

    from kit.web.app import create_app

    application = create_app(db)
    out.print(f"KIT-screening op http://{host}:{port}/ (stop met Ctrl-C)")
    # uvicorn stops gracefully on Ctrl-C and then passes the signal on: a normal stop here, not
    # the interrupted run kit's own handler reports.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        uvicorn.run(
            application,
            host=host,
            port=port,
            log_level="warning",
            server_header=False,
            proxy_headers=True,
            forwarded_allow_ips=proxy,
        )
    except KeyboardInterrupt:
        pass
    out.print("KIT-screening gestopt.")
