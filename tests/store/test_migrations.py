"""Issue 12: the schema is kept by Alembic migrations, on SQLite and PostgreSQL.

`kit db upgrade` creates or upgrades it; a database at an older version is refused with the
command to run; the data stored before an upgrade is still there after it.
"""

from __future__ import annotations

import itertools
import json

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import shipped_case_files
from databases import kit_env
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
    return runner.invoke(app, list(args), env=kit_env(list(args), {"KIT_USER": "tester"}))


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


def test_the_lists_read_the_open_findings_through_their_own_index(tmp_path):
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
    store.open_findings_of_latest()
    [(sql, params)] = [s for s in statements if "FROM findings" in s[0]]
    with create_engine(url).connect() as connection:
        plan = " ".join(
            str(r) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        )
    assert "USING INDEX ix_findings_open" in plan


def test_an_old_history_keeps_its_verdicts_through_the_repair_requests_migration(any_db, tmp_path):
    """Migration 0007 (issue 22): a database of the old model, where the first screening of a
    round with open herstel findings was taken as the repair request, gets those requests
    recorded as derived ones; its screenings are numbered into reviews; a missed deadline still
    rejects what it asked, and every stored screening still replays identically."""
    import copy as copying

    import yaml
    from conftest import CASES, load_raw

    from kit.store.schema import _config

    def run(*args: str) -> None:
        result = kit(*args, "--db", any_db)
        assert result.exit_code == 0, (args, result.output)

    # The history, as the old kit left it: round 0 on 2 April, round 1 on 12 April (a new
    # protocol, S03's diploma still too low), no round 2; another provider re-screened.
    run("screen", str(CASES / "zorgfix-bv.yaml"))
    run("repair", "request", "INS-2024-0042", "--verzonden", "2024-04-02", "--door", "X")
    raw = load_raw()
    raw["submission"].update(round=1, submitted_on="2024-04-12")
    docs = raw["submission"]["documents"]
    docs[:] = [d for d in docs if d["id"] != "D2"]
    docs.append({"id": "D30", "type": "calamiteitenprotocol", "issued_on": "2024-04-10"})
    round_1 = tmp_path / "ronde-1.yaml"
    round_1.write_text(yaml.safe_dump(copying.deepcopy(raw), allow_unicode=True), "utf-8")
    run("screen", str(round_1))
    run("screen", str(CASES / "thuisbegeleiding-oldenzaal-kleine-bv.yaml"))
    run("--rol", "inkoop", "rescreen", "71234503", "--peildatum", "2024-06-10")
    with engines(any_db).write.connect() as connection:
        command.downgrade(_config(connection), "0006")
        connection.commit()
    with create_engine(any_db).begin() as connection:
        # Zorgfix's latest screening as the old model stored a final one: its verdicts afgewezen.
        last = connection.scalar(text("SELECT max(id) FROM screenings WHERE round = 1"))
        connection.execute(
            text("UPDATE screenings SET final = :yes WHERE id = :pk"), {"yes": True, "pk": last}
        )
        connection.execute(
            text(
                "UPDATE lot_verdicts SET verdict = 'afgewezen' WHERE screening_pk = :pk "
                "AND verdict = 'herstel-nodig'"
            ),
            {"pk": last},
        )
        # Summaries of before 0007: no "repair"; those of final screenings said afgewezen.
        for pk, summary in connection.execute(text("SELECT id, summary_json FROM screenings")):
            kept = json.loads(summary)
            for lot in kept["lots"].values():
                lot.pop("repair")
                if pk == last and lot["verdict"] == "herstel-nodig":
                    lot["verdict"] = "afgewezen"
            connection.execute(
                text("UPDATE screenings SET summary_json = :s WHERE id = :pk"),
                {"s": json.dumps(kept), "pk": pk},
            )
    assert "repair_requests" not in inspect(create_engine(any_db)).get_table_names()
    upgraded = kit("db", "upgrade", "--db", any_db)
    assert upgraded.exit_code == 0, upgraded.output
    with Store(any_db) as store:
        zorgfix = store.submission("INS-2024-0042").pk
        derived = [
            (r.round, r.sent_on.isoformat(), r.deadline.isoformat(), r.derived, r.sent_by)
            for r in store.requests_of(zorgfix)
        ]
        assert derived == [
            (1, "2024-04-02", "2024-04-16", True, "(afgeleid bij migratie)"),
            (2, "2024-04-12", "2024-04-26", True, "(afgeleid bij migratie)"),
        ]
        named = [{key[0] for key in json.loads(r.named_json)} for r in store.requests_of(zorgfix)]
        assert named == [{"Q1-calamiteitenprotocol", "S4-diplomaniveau"}, {"S4-diplomaniveau"}]
        oldenzaal = store.submission("INS-2024-0311").pk
        assert [s.review for s in store.screenings_of(oldenzaal)] == [0, 1]
        assert [s.review for s in store.screenings_of(zorgfix)] == [0, 0]
        codes = [s.code for s in store.screenings()]

    def listed(day: str) -> dict[str, tuple[str, str | None]]:
        result = kit("report", "--peildatum", day, "--json", "--db", any_db)
        rows = json.loads(result.stdout)
        return {
            r["lot"]: (r["verdict"], r["repair_deadline"])
            for r in rows
            if r["submission_id"] == "INS-2024-0042"
        }

    assert listed("2024-04-20") == {
        "jeugd-ambulant-begeleiding": ("herstel-nodig", "2024-04-26"),
        "wmo-dagbesteding": ("in-beoordeling", None),
    }
    assert listed("2024-05-01") == {  # the old model's verdicts: the deadline was missed
        "jeugd-ambulant-begeleiding": ("afgewezen", None),
        "wmo-dagbesteding": ("in-beoordeling", None),
    }
    for code in codes:
        replayed = kit("replay", code, "--db", any_db)
        assert replayed.exit_code == 0 and "identiek" in replayed.stdout, replayed.output


def test_an_old_final_board_change_still_replays(tmp_path):
    """A board change stored by the old model on top of a final screening kept the final
    verdicts (afgewezen); kit replay reproduces it as it was stored."""
    from conftest import CASES, ROOT

    url = f"sqlite:///{tmp_path / 'kit.db'}"
    assert kit("screen", str(CASES / "zorgfix-bv.yaml"), "--db", url).exit_code == 0
    board = str(ROOT / "examples" / "nieuw-bestuur.yaml")
    args = ("--reden", "bestuurswisseling", "--bestuur", board, "--peildatum", "2024-06-10")
    done = kit("--rol", "inkoop", "rescreen", "12345678", *args, "--db", url)
    assert done.exit_code == 0, done.output
    with create_engine(url).begin() as connection:
        last = connection.scalar(text("SELECT max(id) FROM screenings"))
        connection.execute(text("UPDATE screenings SET final = 1 WHERE id = :pk"), {"pk": last})
        connection.execute(
            text("UPDATE lot_verdicts SET verdict = 'afgewezen' WHERE screening_pk = :pk"),
            {"pk": last},
        )
    replayed = kit("replay", f"SCR-{last:06d}", "--db", url)
    assert replayed.exit_code == 0 and "identiek" in replayed.stdout, replayed.output


def test_the_migrations_are_one_chain_that_steps_up_and_down_keeping_data(any_db):
    """Issue 22 brought two migrations numbered alike (repair requests, letter texts); they
    are one chain, each revision following the one before, and every step up and down runs on
    a database that holds data."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config())
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert chain == [f"{n:04d}" for n in range(1, len(chain) + 1)] and chain[-1] == HEAD
    for before, script in itertools.pairwise(chain):
        assert scripts.get_revision(script).down_revision == before
    assert scripts.get_revision("0007").path.endswith("0007_repair_requests.py")
    assert scripts.get_revision("0008").path.endswith("0008_letter_message.py")
    at_revision(any_db, BASELINE)
    old_screening(any_db)
    for revision in chain[1:]:
        at_revision(any_db, revision)
        with create_engine(any_db).connect() as connection:
            assert connection.scalars(text("SELECT source FROM screenings")).all() == ["oud.yaml"]
    for revision in reversed(chain[:-1]):
        with engines(any_db).write.connect() as connection:
            command.downgrade(_config(connection), revision)
            connection.commit()
        with create_engine(any_db).connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM screenings")) == 1
    at_revision(any_db, HEAD)
    with Store(any_db) as store:
        assert [row.source for row in store.screenings()] == ["oud.yaml"]


def test_findings_stored_before_the_letter_texts_keep_what_their_letter_printed(any_db):
    """Migration 0008 (after 0007, the repair requests): findings stored by the kit of 0007
    get no letter text (NULL), and their letters print what that kit printed."""
    from conftest import CASES

    assert kit("screen", str(CASES / "zorgfix-bv.yaml"), "--db", any_db).exit_code == 0
    before = kit("repair", "letter", "INS-2024-0042", "--peildatum", "2024-04-02", "--db", any_db)
    assert before.exit_code == 0, before.output
    own = "Medewerker S03 heeft geen diploma op het niveau dat perceel"  # 0008's letter text
    assert own in before.stdout
    with engines(any_db).write.connect() as connection:
        command.downgrade(_config(connection), "0007")
        connection.commit()
    with create_engine(any_db).connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("findings")}
        assert "letter_message" not in columns and "provider_message" in columns
        assert inspect(connection).has_table("repair_requests")
    assert kit("db", "upgrade", "--db", any_db).exit_code == 0
    with create_engine(any_db).connect() as connection:
        stored = connection.execute(text("SELECT letter_message FROM findings")).scalars().all()
    assert stored and set(stored) == {None}
    after = kit("repair", "letter", "INS-2024-0042", "--peildatum", "2024-04-02", "--db", any_db)
    assert after.exit_code == 0, after.output
    assert "Herstelverzoek" in after.stdout and own not in after.stdout
    assert "medewerker S03" in after.stdout  # the neutral sentence of a sensitive finding
