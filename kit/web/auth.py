"""Who is asking: the session cookie read on every request, and the CSRF token every form
must carry. The role is the account's, looked up by the server; nothing a browser sends can
change it."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from kit.services import Store
from kit.services.accounts import Login, session_of

COOKIE = "kit_sessie"
LOGIN_COOKIE = "kit_aanmelden"  # the login form's own CSRF token (before there is a session)
HOST_ONLY = "__Host-"  # over https: a cookie no subdomain or plain-http page can plant or read


def cookie_name(request: Request, name: str) -> str:
    """The name a cookie has on this request: with the `__Host-` prefix over https (browsers
    then accept it only Secure, for path /, from this very host); plain on http (localhost)."""
    return HOST_ONLY + name if request.url.scheme == "https" else name


class NotLoggedIn(Exception):
    """No valid session: the page sends the browser to the login form."""


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def current_login(request: Request) -> Login:
    """The logged-in account of this request (NotLoggedIn: to the login page)."""
    login = session_of(store_of(request), request.cookies.get(cookie_name(request, COOKIE)))
    if login is None:
        raise NotLoggedIn
    return login


async def form_login(request: Request) -> Login:
    """The logged-in account of a form post, whose `csrf` field must be this session's token:
    another site cannot post in the user's name. Every form handler takes its login from here,
    so none can forget the check."""
    login = current_login(request)
    sent = (await request.form()).get("csrf")
    if sent is None:  # not this application's form at all (or one that could not be read)
        raise HTTPException(400, "Een veld ontbreekt of klopt niet.")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, login.csrf):
        raise HTTPException(403, "Ongeldig formulier (CSRF-controle); laad de pagina opnieuw.")
    return login
