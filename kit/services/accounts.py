"""Accounts, logins and sessions of the web application. The role a person acts in comes from
their account, checked by the server on every request, never from what a browser sends.

Passwords are kept as argon2 hashes (argon2-cffi, the OWASP recommendation); a session is a
random token in a cookie of which only the SHA-256 is stored; a name that failed to log in
MAX_FAILURES times within THROTTLE is refused until the window has passed. The region's own
identity provider (OIDC) can take the place of `log_in` later: it would hand `start_session`
an account it has vouched for.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from kit.errors import KitError
from kit.limits import plain_text
from kit.services.actor import ROLES, Actor, Role
from kit.store import Store
from kit.store.tables import AccountRow, LoginFailureRow, WebSessionRow, utcnow
from kit.timezone import utc

if TYPE_CHECKING:
    from argon2 import PasswordHasher

IDLE = timedelta(minutes=30)  # a session ends after this long without a request
MAX_AGE = timedelta(hours=12)  # and this long after logging in, however busy
# argon2 takes 64 MiB and most of a core per check: a few at a time, so that a flood of logins
# (with made-up names, which the per-name throttle does not stop) queues instead of exhausting
# the server's memory.
CHECKS_AT_ONCE = threading.BoundedSemaphore(2)
_COUNTING = threading.Lock()  # counting a name's attempts and recording a new one: one step
THROTTLE = timedelta(minutes=15)
MAX_FAILURES = 5
MIN_PASSWORD = 12  # characters
TOUCH_EVERY = timedelta(minutes=1)  # how often a session's last use is written


class LoginRefused(KitError):
    """A login that did not succeed: one message for an unknown name and a wrong password."""


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # imported when a password is checked, not by every command

    return PasswordHasher()


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise KitError(f"wachtwoord: minstens {MIN_PASSWORD} tekens")
    if len(password) > 1024:
        raise KitError("wachtwoord: hoogstens 1024 tekens")
    return password


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise KitError(f"rol: onbekende rol {role!r}; kies uit {', '.join(ROLES)}")
    return role


def add_account(store: Store, actor: Actor, name: str, role: str, password: str) -> AccountRow:
    """A new account (beheer only), with its audit event (the role, never the password)."""
    actor.may("accounts")
    name = plain_text(name, "naam").strip()
    if not name:
        raise KitError("naam: mag niet leeg zijn")
    row = AccountRow(
        name=name,
        role=_checked_role(role),
        password_hash=_hasher().hash(_checked_password(password)),
        created_by=actor.name,
    )
    store.add_account(row, actor.event("account-aangemaakt", name, role=role))
    return row


def change_account(
    store: Store,
    actor: Actor,
    name: str,
    role: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> AccountRow:
    """Change an account's role, switch it off or on, or set a new password (beheer only)."""
    actor.may("accounts")
    changes: dict[str, object] = {}
    if role is not None:
        changes["role"] = _checked_role(role)
    if active is not None:
        changes["active"] = active
    if password is not None:
        changes["password_hash"] = _hasher().hash(_checked_password(password))
    shown = {k: v for k, v in changes.items() if k != "password_hash"}
    if "password_hash" in changes:
        shown["wachtwoord"] = "nieuw"
    return store.change_account(name, actor.event("account-gewijzigd", name, **shown), **changes)


@dataclass(frozen=True)
class Login:
    """A logged-in browser: its account (as an Actor for the services) and its CSRF token."""

    actor: Actor
    csrf: str
    token_hash: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def log_in(store: Store, name: str, password: str, now: datetime | None = None) -> str:
    """Check a name and password; a new session's token (for the cookie) when they hold."""
    # start-up: argon2 loads only when a password is hashed or checked
    from argon2.exceptions import InvalidHashError, VerificationError

    now = now or utcnow()
    name = name.strip()[:200]
    # The attempt counts as a failure from before the check until it succeeds: attempts at the
    # same time cannot all pass the throttle.
    attempt = LoginFailureRow(name=name, at=now)
    with _COUNTING:
        if store.login_failures(name, now - THROTTLE) >= MAX_FAILURES:
            minutes = int(THROTTLE.total_seconds() // 60)
            raise LoginRefused(
                f"te veel mislukte pogingen voor deze naam; probeer het over {minutes} minuten "
                "opnieuw"
            )
        store.add(attempt)
    account = store.account(name)
    hasher = _hasher()
    try:
        with CHECKS_AT_ONCE:
            if account is None or not account.active:
                # The same work as for a real account, so timing does not tell names apart.
                hasher.verify(_dummy_hash(), password)
            else:
                hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise LoginRefused("onbekende naam of verkeerd wachtwoord") from None
    assert account is not None
    store.forget_login_failure(attempt)
    return start_session(store, account, now)


def start_session(store: Store, account: AccountRow, now: datetime | None = None) -> str:
    """A new session for an account whose identity is established (by log_in here; by the
    region's identity provider, later): its token for the cookie."""
    if account.id is None or not account.active:
        raise LoginRefused("dit account kan niet aanmelden")
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session = WebSessionRow(
        token_hash=_token_hash(token),
        account_pk=account.id,
        csrf=secrets.token_urlsafe(32),
        created_at=now,
        last_seen=now,
    )
    actor = Actor(account.name, _role(account))
    store.add(session, audit=actor.event("aangemeld", account.name))
    return token


@cache
def _dummy_hash() -> str:
    """The hash of a password nobody knows: checked for an unknown or switched-off name."""
    return _hasher().hash(secrets.token_urlsafe(16))


def _role(account: AccountRow) -> Role:
    role = account.role
    if role not in ROLES:
        raise KitError(f"account {account.name!r}: onbekende rol {role!r}")
    return role


def session_of(store: Store, token: str | None, now: datetime | None = None) -> Login | None:
    """The login a cookie's token belongs to, if it is still valid: the account active, the
    last request less than IDLE ago. A stale session is removed."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    found = store.web_session(_token_hash(token))
    if found is None:
        return None
    session, account = found
    last, created = utc(session.last_seen), utc(session.created_at)
    if not account.active or now - last > IDLE or now - created > MAX_AGE:
        store.end_web_session(session.token_hash)
        return None
    if now - last > TOUCH_EVERY:
        store.touch_web_session(session.token_hash, now)
    return Login(Actor(account.name, _role(account)), session.csrf, session.token_hash)


def log_out(store: Store, login: Login) -> None:
    store.end_web_session(login.token_hash)
    store.add(audit=login.actor.event("afgemeld", login.actor.name))
