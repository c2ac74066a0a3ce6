"""Each account's own desk: the list filters it saved under a name ("mijn weergaven"), the
forms kept for it when they arrived after its session had ended, and the session's remaining
time (for the warning before it ends). Only the account itself reaches its views and kept
forms; every change is audited (never the kept text itself)."""

from __future__ import annotations

import hmac
import json
from datetime import datetime, timedelta

from kit.errors import AccessDenied, KitError
from kit.limits import plain_text
from kit.services.accounts import IDLE, MAX_AGE, Login, _role, _token_hash
from kit.services.actor import Actor
from kit.store import Store
from kit.store.tables import AccountRow, KeptFormRow, SavedViewRow, utcnow
from kit.timezone import utc

MAX_VIEWS = 50  # saved views per account: a desk, not a database
MAX_KEPT = 20  # kept forms per account; the oldest goes only when the account discards it


def _account(store: Store, actor: Actor) -> AccountRow:
    account = store.account(actor.name)
    if account is None or account.id is None:
        raise AccessDenied("alleen een account met een aanmelding heeft eigen weergaven")
    return account


def _pk(account: AccountRow) -> int:
    assert account.id is not None
    return account.id


# --- saved views --------------------------------------------------------------------------


def save_view(store: Store, actor: Actor, name: str, query: str) -> SavedViewRow:
    """The list's current filter (`query`, its query string) under `name`, for this account. A
    name already in use is refused: a saved view is never silently replaced."""
    name = plain_text(name, "naam van de weergave").strip()
    if not name:
        raise KitError("geef de weergave een naam")
    if len(name) > 100:
        raise KitError("de naam van een weergave is hoogstens 100 tekens")
    account = _account(store, actor)
    own = store.saved_views(_pk(account))
    if any(view.name == name for view in own):
        raise KitError(
            f"u hebt al een weergave {name!r}; kies een andere naam of verwijder die eerst"
        )
    if len(own) >= MAX_VIEWS:
        raise KitError(f"hoogstens {MAX_VIEWS} weergaven; verwijder er eerst een")
    row = SavedViewRow(account_pk=_pk(account), name=name, query=query[:2000])
    store.add(row, audit=actor.event("weergave-bewaard", actor.name, naam=name))
    return row


def views_of(store: Store, actor: Actor) -> list[SavedViewRow]:
    account = store.account(actor.name)
    return [] if account is None or account.id is None else store.saved_views(account.id)


def drop_view(store: Store, actor: Actor, pk: int) -> None:
    account = _account(store, actor)
    event = actor.event("weergave-verwijderd", actor.name, weergave=pk)
    if not store.drop_own(SavedViewRow, _pk(account), pk, event):
        raise KitError("deze weergave bestaat niet (meer)")


# --- forms kept after a session ended -------------------------------------------------------


def session_owner(store: Store, token: str | None) -> tuple[str, AccountRow] | None:
    """The CSRF token and account of the session a cookie's `token` is (or was, while it is
    still stored), read before the session is checked: checking ends a stale one."""
    if not token or len(token) > 200:
        return None
    found = store.web_session(_token_hash(token))
    return None if found is None else (found[0].csrf, found[1])


def former_account(owner: tuple[str, AccountRow] | None, csrf: object) -> AccountRow | None:
    """The account whose session ended, if the form carries that session's own CSRF token (so
    it came from that account's page, not from another site); None otherwise."""

    if owner is None or not isinstance(csrf, str):
        return None
    expected, account = owner
    if not account.active or not hmac.compare_digest(expected, csrf):
        return None
    return account


def keep_form(
    store: Store,
    account: AccountRow,
    action: str,
    fields: list[tuple[str, str]],
    not_kept: list[tuple[str, str, str]] | None = None,
) -> KeptFormRow:
    """Keep a form that arrived after the session of `account` had ended (its CSRF token left
    out), for that account only; audited without its text. `not_kept`: what the form carried
    but is not kept, as (field, file name or "", "bestand" or "wachtwoord"): a chosen file (not
    yet checked by the form it was for) and a typed password are never stored; the kept form
    names them so that they are chosen or typed again, never silently dropped."""
    kept = [(name, value) for name, value in fields if name not in ("csrf", "bewaard")]
    stored: object = {"velden": kept, "niet_bewaard": not_kept} if not_kept else kept
    row = KeptFormRow(account_pk=_pk(account), action=action[:500], fields=json.dumps(stored))
    actor = Actor(account.name, _role(account))
    store.add(row, audit=actor.event("formulier-bewaard", account.name, adres=row.action))
    return row


def kept_forms_of(store: Store, actor: Actor) -> list[KeptFormRow]:
    account = store.account(actor.name)
    return [] if account is None or account.id is None else store.kept_forms(account.id)


def kept_form(
    store: Store, actor: Actor, pk: int
) -> tuple[KeptFormRow, list[tuple[str, str]], list[tuple[str, str, str]]]:
    """One of this account's kept forms with its fields and what was not kept (keep_form);
    another account's is not found."""
    for row in kept_forms_of(store, actor):
        if row.id == pk:
            stored = json.loads(row.fields)
            if isinstance(stored, list):  # a form with nothing left out
                stored = {"velden": stored, "niet_bewaard": []}
            fields = [(str(name), str(value)) for name, value in stored["velden"]]
            missing = [(str(n), str(f), str(k)) for n, f, k in stored["niet_bewaard"]]
            return row, fields, missing
    raise KitError("dit bewaarde formulier bestaat niet (meer)")


def drop_kept_form(store: Store, actor: Actor, pk: int) -> bool:
    """Discard one of this account's kept forms (sent again, or not wanted)."""
    account = _account(store, actor)
    event = actor.event("formulier-weggegooid", actor.name, formulier=pk)
    return store.drop_own(KeptFormRow, _pk(account), pk, event)


# --- the session's time ---------------------------------------------------------------------


def session_left(store: Store, token_hash: str, now: datetime | None = None) -> timedelta:
    """How long the session lasts without another request (at most IDLE; the maximum age
    cuts it short); zero for an ended session. Reading it does not use the session up."""
    now = now or utcnow()
    found = store.web_session(token_hash)
    if found is None or not found[1].active:
        return timedelta(0)
    session = found[0]
    left = min(utc(session.last_seen) + IDLE, utc(session.created_at) + MAX_AGE) - now
    return max(left, timedelta(0))


def cookie_session_left(store: Store, token: str | None) -> timedelta:
    """session_left for a cookie's token (the page's warning asks without using the session)."""
    if not token or len(token) > 200:
        return timedelta(0)
    return session_left(store, _token_hash(token))


def stay_logged_in(store: Store, login: Login, now: datetime | None = None) -> timedelta:
    """The session used now ("aangemeld blijven"): its idle time starts again."""
    store.touch_web_session(login.token_hash, now or utcnow())
    return session_left(store, login.token_hash, now)
