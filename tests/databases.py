"""The databases the store's tests run on: SQLite always, PostgreSQL when KIT_TEST_PG_URL names
a server (`.ci/run` starts one with .ci/pg-ci.sh and sets KIT_TEST_REQUIRE_PG=1, so that in CI a
missing server fails instead of skipping). Each PostgreSQL test gets a database of its own,
dropped afterwards."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

PG_URL = os.environ.get("KIT_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("KIT_TEST_REQUIRE_PG") == "1"
DIALECTS = ("sqlite", "postgresql")


def _pg_database() -> Iterator[str]:
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("KIT_TEST_PG_URL is not set, but KIT_TEST_REQUIRE_PG=1 (CI)")
        pytest.skip('PostgreSQL not configured: export KIT_TEST_PG_URL="$(bash .ci/pg-ci.sh)"')
    name = f"kit_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    """Drop the test's database; processes a test killed may still be ending their sessions,
    so a failed drop is tried again for a few seconds."""
    for attempt in range(20):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == 19:
                raise
            time.sleep(0.25)


def database(dialect: str, directory: Path) -> Iterator[str]:
    """A fresh, empty database of `dialect` (its URL), gone after the test."""
    if dialect == "sqlite":
        yield f"sqlite:///{directory / 'kit.db'}"
    else:
        yield from _pg_database()


@pytest.fixture(params=DIALECTS)
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL, once on SQLite and once on PostgreSQL."""
    yield from database(request.param, tmp_path)


# --- the command line on PostgreSQL: a proven account, not a claimed role (issue 26) ----------

TEST_PASSWORD = "kit-test-wachtwoord-7"
LOGINS = Path(tempfile.gettempdir()) / "kit-test-logins"


def _claimed(args: list[str], option: tuple[str, ...]) -> str | None:
    for number, arg in enumerate(args[:-1]):
        if arg in option:
            return args[number + 1]
    return None


def cli_env(db: str, args: list[str], env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a `kit` command on `db` runs in, as a test means it. On PostgreSQL the
    command line acts only as an account it logged in as: the account the command claims (its
    --rol, its --door; `users add` as beheer) is made once, logged in, and its login kept in a
    config directory of its own, which the environment names. On SQLite: `env` as it is."""
    from kit.cli.tokens import keep_token, stored_token, token_file
    from kit.services.accounts import add_account, log_in, session_of, shared_database
    from kit.services.actor import Actor
    from kit.store import Store

    env = dict(env or {})
    if not shared_database(db) or args[:2] == ["db", "upgrade"]:  # that one acts as nobody
        return env
    role = _claimed(args, ("--rol", "--role")) or env.get("KIT_ROLE") or "reviewer"
    name = _claimed(args, ("--door", "--by")) or f"test-{role}"
    if args[:2] == ["users", "add"]:  # its --rol is the new account's
        role, name = "beheer", "test-beheer"
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"{db} {name} {role}").hex[:16]
    config = LOGINS / key
    env["XDG_CONFIG_HOME"] = str(config)
    try:
        store = Store(db, create=True)
        if session_of(store, stored_token(db, config / "kit")) is None:
            if store.account(name) is None:
                add_account(store, Actor("installateur", "beheer"), name, role, TEST_PASSWORD)
            token = log_in(store, name, TEST_PASSWORD, address="test")
            keep_token(token_file(db, config / "kit"), token)
        store.close()
    except Exception:  # an old schema, a database not there: the command says so itself
        pass
    return env


def kit_env(args: list[str], env: dict[str, str] | None = None) -> dict[str, str]:
    """cli_env for a command whose arguments name its database (--db)."""
    db = _claimed(args, ("--db",))
    return cli_env(db, args, env) if db else dict(env or {})
