"""Accounts, logins and sessions of the web application. The role a person acts in comes from
their account, checked by the server on every request, never from what a browser sends.

Passwords are kept as argon2 hashes (argon2-cffi, the OWASP recommendation); a session is a
random token in a cookie of which only the SHA-256 is stored. Guessing is slowed, never locked:
after FREE_TRIES failures within WINDOW from one address, or for one name, each further try
waits twice as long as the one before (up to MAX_WAIT). The wait for a name binds only the
addresses that failed for it themselves, so nobody can keep a reviewer out by guessing their
name elsewhere: the right password from another address always gets through. The region's own
identity provider (OIDC) can take the place of `log_in` later: it would hand `start_session`
an account it has vouched for.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kit.errors import KitError
from kit.limits import plain_text
from kit.services.actor import ROLES, AccessDenied, Actor, Role, current_user
from kit.store import Store
from kit.store.accounts import FAILED_LOGIN
from kit.store.tables import AccountRow, AuditEventRow, LoginFailureRow, WebSessionRow, utcnow
from kit.timezone import utc

if TYPE_CHECKING:
    from argon2 import PasswordHasher

IDLE = timedelta(minutes=30)  # a session ends after this long without a request
MAX_AGE = timedelta(hours=12)  # and this long after logging in, however busy
# argon2 takes 64 MiB and most of a core per check: a few at a time, so that a flood of logins
# cannot exhaust the server's memory (the web application admits no more than its own pool
# holds, kit.web.limits; this bound also holds for the command line and tests).
CHECKS_AT_ONCE = threading.BoundedSemaphore(2)
_COUNTING = threading.Lock()  # counting an address's attempts and recording a new one: one step
WINDOW = timedelta(minutes=15)  # failures older than this no longer count (and are removed)
FREE_TRIES = 5  # failures per address and per name before the waiting starts
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
MIN_PASSWORD = 12  # characters
MIN_DIFFERENT = 5  # different characters in a password: not `aaaaaaaaaaaa` or `abababababab`
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
TOUCH_EVERY = timedelta(minutes=1)  # how often a session's last use is written


class LoginRefused(KitError):
    """A login that did not succeed: one message for an unknown name and a wrong password."""


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # imported when a password is checked, not by every command

    return PasswordHasher()


@cache
def _common_passwords() -> frozenset[str]:
    """Passwords every guesser tries first (lower case), one a line in COMMON_PASSWORDS."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip())


def _in_sequence(password: str) -> bool:
    """Whether every character follows the one before it (`abcdefghijkl`, `345678901234`)."""
    steps = {(ord(b) - ord(a)) for a, b in itertools.pairwise(password)}
    return steps <= {1, -9} or steps <= {-1, 9}


def _checked_password(password: str) -> str:
    """Length first (NIST SP 800-63B): at least MIN_PASSWORD characters, no rules about kinds of
    characters; refused are only the passwords guessed first: one character repeated, a few
    characters over and over, a run like `abcdef…`, and the common ones."""
    if len(password) < MIN_PASSWORD:
        raise KitError(f"wachtwoord: minstens {MIN_PASSWORD} tekens")
    if len(password) > 1024:
        raise KitError("wachtwoord: hoogstens 1024 tekens")
    if len(set(password)) < MIN_DIFFERENT or _in_sequence(password):
        raise KitError(
            f"wachtwoord: te voorspelbaar; gebruik minstens {MIN_DIFFERENT} verschillende tekens "
            "en geen reeks als abcdef of 123456"
        )
    if password.casefold() in _common_passwords():
        raise KitError("wachtwoord: dit wachtwoord staat op de lijst van veelgebruikte")
    return password


def checked_role(role: str, field: str = "rol") -> str:
    """`role` if it is one of the account roles, else one Dutch line naming `field`."""
    if role not in ROLES:
        raise KitError(f"{field}: onbekende rol {role!r}; kies uit {', '.join(ROLES)}")
    return role


def add_account(
    store: Store, actor: Actor, name: str, role: str, password: str, first: bool = False
) -> AccountRow:
    """A new account (beheer only), with its audit event (the role, never the password).
    `first`: made without a login, so only as the database's very first account."""
    actor.may("accounts")
    name = plain_text(name, "naam").strip()
    if not name:
        raise KitError("naam: mag niet leeg zijn")
    row = AccountRow(
        name=name,
        role=checked_role(role),
        password_hash=_hasher().hash(_checked_password(password)),
        created_by=actor.name,
    )
    store.add_account(row, actor.event("account-aangemaakt", name, role=role), first=first)
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
        changes["role"] = checked_role(role)
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


def wait_after(failures: int) -> timedelta:
    """How long to wait after `failures` failures: nothing for the first FREE_TRIES, then
    FIRST_WAIT, doubling with each failure, up to MAX_WAIT."""
    if failures < FREE_TRIES:
        return timedelta(0)
    return min(FIRST_WAIT * int(2 ** min(failures - FREE_TRIES, 20)), MAX_WAIT)


def _waiting(store: Store, name: str, address: str, now: datetime) -> timedelta:
    """How long this address must still wait before it may try `name` (zero: it may now)."""
    counts = store.login_failures(name, address, now - WINDOW)
    waits = [counts.by_address.latest + wait_after(counts.by_address.times) - now]
    if counts.address_tried_name:
        waits.append(counts.by_name.latest + wait_after(counts.by_name.times) - now)
    return max([timedelta(0), *waits])


def _refused_for(wait: timedelta) -> LoginRefused:
    seconds = max(int(wait.total_seconds() + 0.999), 1)
    when = f"{seconds} seconden" if seconds < 120 else f"{(seconds + 59) // 60} minuten"
    return LoginRefused(f"te veel mislukte pogingen; probeer het over {when} opnieuw")


def log_in(
    store: Store, name: str, password: str, now: datetime | None = None, address: str = ""
) -> str:
    """Check a name and password from `address` (the client's IP address; 'cli' for the
    command line); a new session's token (for the cookie) when they hold. A failure is recorded
    and audited with the name tried and the address, never the password."""
    # start-up: argon2 loads only when a password is hashed or checked
    from argon2.exceptions import InvalidHashError, VerificationError

    now = now or utcnow()
    name = name.strip()[:200]
    address = address[:100]
    # The attempt counts as a failure from before the check until it succeeds: attempts at the
    # same time cannot all pass the throttle.
    attempt = LoginFailureRow(name=name, address=address, at=now)
    with _COUNTING:
        wait = _waiting(store, name, address, now)
        if wait > timedelta(0):
            raise _refused_for(wait)
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
        store.add(audit=failed_login(name, address))
        raise LoginRefused("onbekende naam of verkeerd wachtwoord") from None
    assert account is not None
    store.forget_login_failure(attempt)
    forget_stale(store, now)
    return start_session(store, account, now)


def failed_login(name: str, address: str) -> AuditEventRow:
    """The audit event of a failed login: the name tried (as actor and subject: nobody is
    known) and the address it came from; the password never."""
    return AuditEventRow(
        actor=name or "(leeg)",
        role="anoniem",
        action=FAILED_LOGIN,
        subject=name or "(leeg)",
        detail=json.dumps({"adres": address}, ensure_ascii=False),
    )


def forget_stale(store: Store, now: datetime | None = None) -> int:
    """Remove sessions past IDLE or MAX_AGE and failed logins older than WINDOW (they no longer
    count); how many rows went. Run after each login and when the web application starts."""
    now = now or utcnow()
    return store.forget_stale_logins(
        idle_since=now - IDLE, created_since=now - MAX_AGE, failed_since=now - WINDOW
    )


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


# --- the command line on a shared database ---------------------------------------------------

CLI_ADDRESS = "kit-opdrachtregel"  # where a command line's login comes from, as audited


def shared_database(url: str | None) -> bool:
    """Whether `url` (None: KIT_DATABASE_URL or the default) is a database server that several
    people reach (PostgreSQL): there the command line acts as an account it has proven. On a
    local SQLite file the file's own permissions are the boundary, as before."""
    # start-up: SQLAlchemy's URL parsing loads only when a database is named
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    # start-up: SQLAlchemy's URL parsing loads only when a database is named
    from kit.store.connect import database_url

    try:
        return make_url(database_url(url)).get_backend_name() != "sqlite"
    except (ArgumentError, ValueError):
        return False  # not a URL at all: opening the store says so in its own words


def database_key(url: str | None) -> str:
    """A short name for the database at `url`, the same for every spelling a user gives of it
    (a hash of its URL without the password): a command line keeps its login under it."""
    # start-up: SQLAlchemy's URL parsing loads only when a database is named
    from kit.store.connect import database_url, shown_url

    return hashlib.sha256(shown_url(database_url(url)).encode("utf-8")).hexdigest()[:16]


def proven_actor(
    store: Store, token: str | None, claimed_role: str | None, claimed_name: str | None
) -> Actor:
    """The account a command line logged in as (`kit aanmelden`), as the actor of a command on a
    shared database. A role or a name claimed on the command line must be the account's own;
    without a valid login nothing is done."""
    login = session_of(store, token)
    if login is None:
        raise AccessDenied(
            "op een gedeelde database (PostgreSQL) handelt kit als een account: meld eerst aan "
            "met `kit aanmelden`" + (" (de aanmelding is verlopen)" if token else "")
        )
    actor = login.actor
    if claimed_role is not None and claimed_role != actor.role:
        raise AccessDenied(
            f"--rol: u bent aangemeld als {actor.name} met de rol {actor.role}, niet {claimed_role}"
        )
    if claimed_name is not None and claimed_name.strip() != actor.name:
        raise AccessDenied(
            f"--door: u bent aangemeld als {actor.name}; op een gedeelde database handelt u "
            "onder die naam"
        )
    return actor


def first_account_or(store: Store, actor: Callable[[], Actor]) -> tuple[Actor, bool]:
    """Who may add an account from the command line, and whether as the very first: anyone on
    an empty database, else `actor()` (on a shared database: the account logged in). The store
    checks "first" again when it inserts (add_account(first=True)): another command may have
    made an account in between."""
    if not store.accounts():
        return Actor(current_user(), "beheer"), True
    return actor(), False
