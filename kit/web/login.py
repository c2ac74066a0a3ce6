"""Logging in and out, and the accounts beheer keeps."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kit.services.accounts import (
    LoginRefused,
    add_account,
    log_in,
    log_out,
    session_of,
)
from kit.services.actor import ROLES
from kit.web.auth import COOKIE, LOGIN_COOKIE, cookie_name, store_of
from kit.web.deps import LoggedIn, Posted
from kit.web.limits import PASSWORDS
from kit.web.render import page

router = APIRouter()


def _cookie(response: Response, request: Request, name: str, value: str) -> None:
    """A cookie scripts cannot read and other sites do not get; Secure and `__Host-` over
    https."""
    response.set_cookie(
        cookie_name(request, name),
        value,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


# Where an account lands after logging in when no page asked for it (issue 25): a reviewer's
# own work; everyone else the central list.
START = {"reviewer": "/mijn-werk"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another site after logging in ("": none asked for)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""


def _landing(target: str, role: str) -> str:
    """The page asked for (volgende), else the role's start page."""
    return _safe_next(target) or START.get(role, "/")


# --- logging in and out ---------------------------------------------------------------------


@router.get("/aanmelden")
def login_form(request: Request, volgende: str = "") -> Response:
    token = request.cookies.get(cookie_name(request, LOGIN_COOKIE)) or secrets.token_urlsafe(32)
    response = page(request, "aanmelden.html", csrf=token, volgende=_safe_next(volgende))
    _cookie(response, request, LOGIN_COOKIE, token)
    return response


@router.post("/aanmelden")
async def login(
    request: Request,
    naam: Annotated[str, Form(max_length=200)],
    wachtwoord: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(max_length=200)],
    volgende: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The password is checked in its own small pool (kit.web.limits.PASSWORDS): a flood of
    logins waits there, or is refused with a 429, and never holds up the pages."""
    expected = request.cookies.get(cookie_name(request, LOGIN_COOKIE))
    if not expected or not secrets.compare_digest(expected, csrf):
        return page(
            request,
            "aanmelden.html",
            403,
            csrf=expected or "",
            volgende=_safe_next(volgende),
            message="Het formulier was verlopen; probeer het opnieuw.",
        )
    try:
        address = request.client.host if request.client else ""
        store = store_of(request)
        token = await PASSWORDS.run_async(
            "", lambda: log_in(store, naam, wachtwoord, None, address)
        )
    except LoginRefused as exc:
        return page(
            request,
            "aanmelden.html",
            401,
            csrf=expected,
            volgende=_safe_next(volgende),
            message=exc.message,
            naam=naam,
        )
    login = session_of(store, token)
    role = login.actor.role if login is not None else ""
    response = RedirectResponse(_landing(volgende, role), status_code=303)
    _cookie(response, request, COOKIE, token)
    response.delete_cookie(
        cookie_name(request, LOGIN_COOKIE), path="/", secure=request.url.scheme == "https"
    )
    return response


@router.post("/afmelden")
def logout(request: Request, login: Posted) -> Response:
    log_out(store_of(request), login)
    response = RedirectResponse("/aanmelden", status_code=303)
    response.delete_cookie(
        cookie_name(request, COOKIE), path="/", secure=request.url.scheme == "https"
    )
    return response


# --- the central list -------------------------------------------------------------------------


@router.get("/beheer/accounts")
def accounts(request: Request, login: LoggedIn) -> Response:
    login.actor.may("accounts")
    return page(
        request, "accounts.html", login=login, accounts=store_of(request).accounts(), roles=ROLES
    )


@router.post("/beheer/accounts")
def create_account(
    request: Request,
    login: Posted,
    naam: Annotated[str, Form(max_length=200)],
    rol: Annotated[str, Form(max_length=20)],
    wachtwoord: Annotated[str, Form(max_length=1024)],
) -> Response:
    add_account(store_of(request), login.actor, naam, rol, wachtwoord)
    return RedirectResponse("/beheer/accounts", status_code=303)
