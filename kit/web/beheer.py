"""What beheer does with an account beyond creating it: switch it off after a confirmation,
switch it on again, and give it a new password (shown once; every session of the account ends).
Each is one audited change through kit.services.accounts.

Layer: web."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response

from kit.errors import KitError
from kit.services.accounts import change_account
from kit.web.auth import store_of
from kit.web.deps import CONFIRMED, LoggedIn, Posted
from kit.web.render import page

router = APIRouter()
Name = Annotated[str, PathParam(max_length=200)]


def _account(request: Request, name: str) -> Any:
    account = store_of(request).account(name)
    if account is None:
        raise KitError(f"account {name!r} bestaat niet")
    return account


@router.get("/beheer/accounts/{name}/uit")
def confirm_switch_off(request: Request, login: LoggedIn, name: Name) -> Response:
    """Switching an account off ends its sessions at once: asked first."""
    login.actor.may("accounts")
    return page(request, "account_uit.html", login=login, account=_account(request, name))


@router.post("/beheer/accounts/{name}/uit")
def switch_off(
    request: Request,
    login: Posted,
    name: Name,
    bevestigd: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Switched off only with the confirmation page's `bevestigd=ja`: a post without it (made
    by hand, or by a page that skipped the question) changes nothing and is asked first."""
    if bevestigd != CONFIRMED:
        return confirm_switch_off(request, login, name)
    change_account(store_of(request), login.actor, name, active=False)
    return RedirectResponse("/beheer/accounts", status_code=303)


@router.post("/beheer/accounts/{name}/aan")
def switch_on(request: Request, login: Posted, name: Name) -> Response:
    change_account(store_of(request), login.actor, name, active=True)
    return RedirectResponse("/beheer/accounts", status_code=303)


@router.post("/beheer/accounts/{name}/wachtwoord")
def new_password(request: Request, login: Posted, name: Name) -> Response:
    """A new random password, shown once to beheer to pass on; the old one and every session of
    the account stop working."""
    password = secrets.token_urlsafe(12)  # 16 characters, above the minimum of 12
    account = change_account(store_of(request), login.actor, name, password=password)
    return page(request, "account_wachtwoord.html", login=login, account=account, password=password)
