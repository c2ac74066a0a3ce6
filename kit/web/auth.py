"""Who is asking: the session cookie read on every request, and the CSRF token every form
must carry. The role is the account's, looked up by the server; nothing a browser sends can
change it."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from kit.services.accounts import Login, session_of
from kit.store import Store

COOKIE = "kit_sessie"
LOGIN_COOKIE = "kit_aanmelden"  # the login form's own CSRF token (before there is a session)


class NotLoggedIn(Exception):
    """No valid session: the page sends the browser to the login form."""


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def current_login(request: Request) -> Login:
    """The logged-in account of this request (NotLoggedIn: to the login page)."""
    login = session_of(store_of(request), request.cookies.get(COOKIE))
    if login is None:
        raise NotLoggedIn
    return login


def check_csrf(login: Login, sent: str | None) -> None:
    """A form's token must be this session's: another site cannot post in the user's name."""
    if not sent or not hmac.compare_digest(sent, login.csrf):
        raise HTTPException(403, "Ongeldig formulier (CSRF-controle); laad de pagina opnieuw.")
