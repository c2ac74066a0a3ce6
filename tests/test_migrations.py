"""Issue 12: the schema is kept by Alembic migrations, on SQLite and PostgreSQL.

`kit db upgrade` creates or upgrades it; a database at an older version is refused with the
command to run; the data stored before an upgrade is still there after it.
"""

from __future__ import annotations

import json

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import shipped_case_files
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel
from typer.testing import CliRunner

from kit.cli import app
from kit.errors import KitError
from kit.store import Store
from kit.store.connect import engines
from kit.store.schema import BASELINE, HEAD, OldSchema, _config, head

runner = CliRunner()


def kit(*args: str):
    return runner.invoke(app, list(args), env={"KIT_USER": "tester"})


def at_revision(url: str, revision: str) -> None:
    """The database as an older kit left it: migrated up to `revision` only."""
    with engines(url).write.connect() as connection:
        command.upgrade(_config(connection), revision)
        connection.commit()


def old_screening(url: str) -> None:
    """A submission and a screening stored by the kit of the baseline schema."""
    with create_engine(url).begin() as connection:
        connection.execute(
            text(
                "INSERT INTO submissions (submission_id, procedure, provider_kvk, "
                "provider_name, created_at) VALUES ('INS-OUD', 'jeugd-2025', '12345678', "
                "'Oud B.V.', '2024-04-02 10:00:00+00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO screenings (submission_pk, round, as_of, ruleset_id, "
                "ruleset_sha256, engine_version, case_sha256, case_json, source, risk, reason, "
                "final, actor, rerun, created_at) SELECT id, 0, '2024-04-02', 'kit-2025', "
                "'abc', 'durable-rules 2.0.28', 'def', '{}', 'oud.yaml', NULL, 'screening', "
                ":no, 'tester', '', '2024-04-02 10:00:00+00:00' FROM submissions"
            ),
            {"no": False},
        )


def test_a_fresh_database_gets_the_schema_of_the_models(any_db):
    result = kit("db", "upgrade", "--db", any_db)
    assert result.exit_code == 0 and f"schema aangemaakt (versie {head()})" in result.stdout
    with create_engine(any_db).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    again = kit("db", "upgrade", "--db", any_db)
    assert again.exit_code == 0 and "al op de nieuwste versie" in again.stdout


def test_first_use_creates_the_schema_without_kit_db_upgrade(any_db):
    Store(any_db).close()
    with create_engine(any_db).connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head()


def test_an_older_schema_is_refused_with_the_command_to_run_and_upgraded_keeping_data(any_db):
    at_revision(any_db, BASELINE)
    old_screening(any_db)
    with pytest.raises(OldSchema) as refused:
        Store(any_db)
    assert f"schemaversie {BASELINE}" in refused.value.message
    assert f"kit db upgrade --db {any_db}" in refused.value.message
    screen = kit("screen", str(shipped_case_files()[0]), "--db", any_db)
    assert screen.exit_code == 1 and screen.stderr.count("\n") == 1
    assert "kit db upgrade" in screen.stderr and "Traceback" not in screen.output
    upgraded = kit("db", "upgrade", "--db", any_db)
    assert upgraded.exit_code == 0, upgraded.output
    assert f"bijgewerkt van versie {BASELINE} naar {head()}" in upgraded.stdout
    with Store(any_db) as store:
        [row] = store.screenings()
        assert (row.source, row.prior_json, json.loads(row.not_applicable_json)) == (
            "oud.yaml",
            "",
            [],
        )
    assert kit("screen", str(shipped_case_files()[0]), "--db", any_db).exit_code == 0


def test_a_database_from_before_migrations_is_taken_as_the_baseline(any_db):
    at_revision(any_db, BASELINE)
    old_screening(any_db)
    with create_engine(any_db).begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    with pytest.raises(OldSchema) as refused:
        Store(any_db)
    assert "van voor de migraties" in refused.value.message
    assert kit("db", "upgrade", "--db", any_db).exit_code == 0
    with Store(any_db) as store:
        assert [row.source for row in store.screenings()] == ["oud.yaml"]


def test_a_newer_schema_than_this_kit_knows_is_refused(any_db):
    Store(any_db).close()
    with create_engine(any_db).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(KitError, match="schemaversie 9999, die deze kit niet kent"):
        Store(any_db)
    result = kit("db", "upgrade", "--db", any_db)
    assert result.exit_code == 1 and "die deze kit niet kent" in result.stderr


def test_the_head_kit_checks_against_is_alembics():
    assert HEAD == head()


def test_every_table_is_in_the_migrations(any_db):
    Store(any_db).close()
    with create_engine(any_db).connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}


@pytest.mark.parametrize("part", [False, True], ids=["regio", "deel"])
def test_the_lists_read_the_open_findings_through_their_own_index(tmp_path, part):
    """The central list reads the open findings of the latest screenings; the partial index
    (migration 0006) spares it reading the findings already met, a region's eight in nine."""
    from sqlalchemy import event

    url = f"sqlite:///{tmp_path / 'kit.db'}"
    store = Store(url)
    statements: list[tuple[str, object]] = []
    event.listen(
        store.engines.read,
        "before_cursor_execute",
        lambda _c, _cur, sql, params, *_: statements.append((sql, params)),
    )
    store.open_findings_of_latest(screenings=[1, 2] if part else None)
    [(sql, params)] = [s for s in statements if "FROM findings" in s[0]]
    with create_engine(url).connect() as connection:
        plan = " ".join(
            str(r) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        )
    assert "USING INDEX ix_findings_open" in plan
