"""The databases the store's tests run on: SQLite always, PostgreSQL when KIT_TEST_PG_URL names
a server (`.ci/run` starts one with .ci/pg-ci.sh and sets KIT_TEST_REQUIRE_PG=1, so that in CI a
missing server fails instead of skipping). Each PostgreSQL test gets a database of its own,
dropped afterwards."""

from __future__ import annotations

import os
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
