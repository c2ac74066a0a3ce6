"""Issue 26, item 2: on a shared database (PostgreSQL) the command line acts as an account it
has proven with `kit aanmelden`, never as a role it claims; the audit names that account. Only
the very first account of an empty database is made without a login. A local SQLite file keeps
today's behaviour: its permissions are the boundary."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BASE_CASE, ROOT
from databases import database
from support import STARTER
from typer.testing import CliRunner

from kit.cli import app
from kit.errors import KitError
from kit.services.accounts import add_account, first_account_or
from kit.services.actor import Actor
from kit.store import Store

runner = CliRunner()
ZORGFIX = "INS-2024-0042"
ANNA = "anna-wachtwoord-1"
BEA = "bea-wachtwoord-12"


@pytest.fixture
def pg_db(tmp_path: Path) -> Iterator[str]:
    yield from database("postgresql", tmp_path)


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """The environment of one person's shell: their own config directory."""
    return {"KIT_USER": "shell-gebruiker", "XDG_CONFIG_HOME": str(tmp_path / "config")}


def kit(home: dict[str, str], *args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, env=home)


def users_add(home, db, name, role, password):
    return kit(
        home, "users", "add", name, "--rol", role, "--wachtwoord-stdin", "--db", db,
        stdin=password + "\n",
    )  # fmt: skip


def log_in(home, db, name, password):
    return kit(home, "aanmelden", "--naam", name, "--wachtwoord-stdin", "--db", db,
               stdin=password + "\n")  # fmt: skip


@pytest.fixture
def shared(pg_db: str, home: dict[str, str]) -> str:
    """A PostgreSQL database with Zorgfix screened, the first account (beheer) made without a
    login, and a toezicht account made by it."""
    first = users_add(home, pg_db, "bea", "beheer", BEA)
    assert first.exit_code == 0, first.output
    assert log_in(home, pg_db, "bea", BEA).exit_code == 0
    added = users_add(home, pg_db, "anna", "toezicht", ANNA)
    assert added.exit_code == 0, added.output
    assert kit(home, "afmelden", "--db", pg_db).exit_code == 0
    assert log_in(home, pg_db, "anna", ANNA).exit_code == 0
    assert kit(home, "screen", str(BASE_CASE), "--db", pg_db).exit_code in (0, 1)
    assert kit(home, "afmelden", "--db", pg_db).exit_code == 0
    Store(pg_db).submission(ZORGFIX)  # screened, by anna
    return pg_db


@pytest.mark.pg
def test_a_claimed_role_without_a_login_is_refused_on_a_shared_database(shared, home):
    for args in (
        ("--rol", "toezicht", "notes", ZORGFIX, "--db", shared),
        ("--rol", "toezicht", "note", ZORGFIX, "ingeslopen notitie", "--db", shared),
        ("werkvoorraad", "--db", shared),
        ("screen", str(BASE_CASE), "--opnieuw", "--db", shared),
    ):
        answer = kit(home, *args)
        assert answer.exit_code == 1, args
        assert "meld eerst aan met `kit aanmelden`" in answer.stderr, answer.output
    assert Store(shared).notes(Store(shared).submission(ZORGFIX).pk) == []


@pytest.mark.pg
def test_after_logging_in_the_audit_names_the_account_and_its_role_is_the_one_used(shared, home):
    done = log_in(home, shared, "anna", ANNA)
    assert done.exit_code == 0, done.output
    assert "Aangemeld als anna (rol toezicht)" in done.stdout
    token = Path(home["XDG_CONFIG_HOME"]) / "kit"
    [kept] = token.iterdir()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(token.stat().st_mode) == 0o700
    noted = kit(home, "note", ZORGFIX, "gesprek gevoerd", "--db", shared)  # no --rol needed
    assert noted.exit_code == 0, noted.output
    [event] = [e for e in Store(shared).audit_events() if e.action.startswith("notitie")]
    assert (event.actor, event.role) == ("anna", "toezicht")
    # A role or a name other than the account's own is refused, not taken.
    other = kit(home, "--rol", "bibob", "notes", ZORGFIX, "--db", shared)
    assert other.exit_code == 1 and "aangemeld als anna met de rol toezicht" in other.stderr
    named = kit(home, "note", ZORGFIX, "x", "--door", "J. de Vries", "--db", shared)
    assert named.exit_code == 1 and "--door" in named.stderr
    assert kit(home, "afmelden", "--db", shared).exit_code == 0
    assert not kept.exists()
    again = kit(home, "notes", ZORGFIX, "--db", shared)
    assert again.exit_code == 1 and "kit aanmelden" in again.stderr


@pytest.mark.pg
def test_only_the_first_account_is_made_without_a_login(shared, home):
    refused = users_add(home, shared, "mallory", "beheer", "mallory-wachtw-12")
    assert refused.exit_code == 1 and "kit aanmelden" in refused.stderr
    assert log_in(home, shared, "anna", ANNA).exit_code == 0  # toezicht: no accounts
    not_beheer = users_add(home, shared, "mallory", "beheer", "mallory-wachtw-12")
    assert not_beheer.exit_code == 1 and "beheer" in not_beheer.stderr
    assert [a.name for a in Store(shared).accounts()] == ["anna", "bea"]


@pytest.mark.pg
def test_a_wrong_password_keeps_nothing_and_is_audited(shared, home):
    wrong = log_in(home, shared, "anna", "fout-wachtwoord-1")
    assert wrong.exit_code == 1 and "verkeerd wachtwoord" in wrong.stderr
    assert not (Path(home["XDG_CONFIG_HOME"]) / "kit").exists() or not any(
        (Path(home["XDG_CONFIG_HOME"]) / "kit").iterdir()
    )
    failed = [e for e in Store(shared).audit_events() if e.action == "aanmelden-mislukt"]
    assert [(e.subject, json.loads(e.detail)["adres"]) for e in failed][-1:] == [
        ("anna", "kit-opdrachtregel")
    ]


def test_on_a_local_sqlite_file_the_role_is_taken_as_given(db_url, home):
    assert kit(home, "screen", str(BASE_CASE), "--db", db_url).exit_code in (0, 1)
    noted = kit(home, "--rol", "toezicht", "note", ZORGFIX, "lokaal", "--db", db_url)
    assert noted.exit_code == 0, noted.output
    [event] = [e for e in Store(db_url).audit_events() if e.action.startswith("notitie")]
    assert (event.actor, event.role) == ("shell-gebruiker", "toezicht")


def nobody() -> Actor:
    pytest.fail("on an empty database nobody needs to log in")


@pytest.mark.pg
def test_two_commands_that_both_found_the_database_empty_make_one_account(pg_db):
    """The check that a database is empty is made again where the account is inserted: a second
    command that passed the first check while the other typed its password is refused."""
    store = Store(pg_db, create=True)
    (mallory, first_m), (bea, first_b) = (first_account_or(store, nobody) for _ in range(2))
    assert first_m and first_b  # both saw an empty database
    add_account(store, bea, "bea", "beheer", BEA, first=first_b)
    with pytest.raises(KitError) as refused:
        add_account(store, mallory, "mallory", "beheer", "mallory-wachtwoord", first=first_m)
    assert "er bestaat al een account" in refused.value.message
    assert [a.name for a in store.accounts()] == ["bea"]


def users_add_at(start: float, db: str, number: int, home: Path) -> subprocess.Popen[str]:
    """`kit users add beheerder-N` in a process of its own that waits for `start`."""
    command = ["users", "add", f"beheerder-{number}", "--rol", "beheer", "--wachtwoord-stdin"]
    env = {**os.environ, "KIT_USER": f"shell-{number}", "XDG_CONFIG_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-c", STARTER, str(start), *command, "--db", db],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.pg
@pytest.mark.slow
def test_commands_started_at_once_on_an_empty_database_make_one_first_account(pg_db, tmp_path):
    """Eight `kit users add` processes reach an empty shared database at the same moment, as an
    attacker racing the administrator would: exactly one account is made without a login."""
    start = time.time() + 3
    processes = [users_add_at(start, pg_db, i, tmp_path / f"config-{i}") for i in range(8)]
    results = [
        p.communicate(f"wachtwoord-nummer-{i}\n", timeout=180) for i, p in enumerate(processes)
    ]
    codes = [p.returncode for p in processes]
    assert sorted(codes) == [0] + [1] * 7, (codes, results)
    for (_, err), code in zip(results, codes, strict=True):
        if code:
            assert err.startswith("fout: ") and "kit aanmelden" in err, err
    assert len(Store(pg_db).accounts()) == 1


def test_users_add_refuses_a_wrong_role_before_asking_a_password(db_url, home):
    refused = kit(home, "users", "add", "piet", "--rol", "baas", "--db", db_url, stdin="")
    assert refused.exit_code == 2, refused.output
    assert "Wachtwoord" not in refused.output
    assert refused.stderr.strip() == (
        "fout: --rol: onbekende rol 'baas'; kies uit reviewer, toezicht, bibob, inkoop, beheer"
    )


def test_users_add_asks_the_password_twice_in_dutch(db_url, home):
    args = ("users", "add", "piet", "--rol", "beheer", "--db", db_url)
    differ = kit(home, *args, stdin="wachtwoord-een-1\nwachtwoord-twee-2\n")
    assert differ.exit_code == 1 and "Herhaal het wachtwoord" in differ.output
    assert "fout: de twee wachtwoorden verschillen; er is niets aangemaakt" in differ.stderr
    assert Store(db_url).accounts() == []
    same = kit(home, *args, stdin="wachtwoord-een-1\nwachtwoord-een-1\n")
    assert same.exit_code == 0, same.output
    assert [a.name for a in Store(db_url).accounts()] == ["piet"]
