"""Issue 26, item 1: abuse limits that protect the logged-in. Guessing is slowed per address and
per name and never keeps the right password from another address out; password checks,
exports and letters each have a small pool of their own and a flood beyond it gets a Dutch 429
at once; logging in does not throw the central list away; Word letters are rendered on their
own few threads (memory stays flat); failed logins are audited, stale sessions and failures
removed, predictable passwords refused; cookies are `__Host-` over https; the Markdown letter
shows a provider's text literally."""

from __future__ import annotations

import json
import os
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from conftest import BASE_CASE, load_raw
from databases import cli_env
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kit.cli import app as cli
from kit.errors import KitError
from kit.services.accounts import (
    FREE_TRIES,
    IDLE,
    WINDOW,
    LoginRefused,
    add_account,
    forget_stale,
    log_in,
    session_of,
    wait_after,
)
from kit.services.actor import Actor
from kit.store import Store
from kit.store.tables import AuditEventRow, utcnow
from kit.web import limits
from kit.web.app import create_app

runner = CliRunner()
INSTALLER = Actor("installateur", "beheer")
PASSWORD = "rob-wachtwoord-12"
SUBMISSION = "INS-2024-0042"  # the base case's (Zorgfix)


def with_account(db_url: str, name: str = "rob", role: str = "reviewer") -> Store:
    store = Store(db_url)
    add_account(store, INSTALLER, name, role, PASSWORD if name == "rob" else f"{name}-wachtw-12")
    return store


def refused(store: Store, password: str, address: str, when: object) -> str:
    with pytest.raises(LoginRefused) as answer:
        log_in(store, "rob", password, when, address)  # type: ignore[arg-type]
    return answer.value.message


# --- throttling instead of a lock ------------------------------------------------------------


def test_guessing_from_one_address_never_keeps_the_right_password_from_another_out(any_db):
    store = with_account(any_db)
    start = utcnow()
    for _ in range(FREE_TRIES):
        message = refused(store, "geraden-wachtwoord", "203.0.113.9", start)
        assert message == "onbekende naam of verkeerd wachtwoord"
    # The guesser now waits, even with the right password …
    then = start + wait_after(FREE_TRIES) / 2
    assert "te veel mislukte pogingen" in refused(store, PASSWORD, "203.0.113.9", then)
    # … the reviewer at their own desk does not, at the same moment.
    assert session_of(store, log_in(store, "rob", PASSWORD, then, "192.0.2.20"), then)
    # And an address that never failed for the name is not held up by the name's failures.
    assert log_in(store, "rob", PASSWORD, then, "192.0.2.21")


def test_the_wait_grows_with_each_failure_and_then_the_address_may_try_again(any_db):
    store = with_account(any_db)
    waits = [wait_after(n).total_seconds() for n in range(FREE_TRIES + 4)]
    assert waits == [0] * FREE_TRIES + [30, 60, 120, 240]
    assert wait_after(10_000) == timedelta(minutes=15)
    moment = utcnow()
    for failures in range(FREE_TRIES + 3):  # each try as soon as it is let through
        moment += wait_after(failures)
        refused(store, "fout-wachtwoord-x", "203.0.113.9", moment)
    total = FREE_TRIES + 3
    waiting = refused(store, PASSWORD, "203.0.113.9", moment + wait_after(total) / 2)
    assert re.search(r"probeer het over \d+ (seconden|minuten) opnieuw", waiting)
    assert log_in(store, "rob", PASSWORD, moment + wait_after(total), "203.0.113.9")


def test_one_address_guessing_many_names_is_slowed_too(any_db):
    store = with_account(any_db)
    now = utcnow()
    for number in range(FREE_TRIES):
        with pytest.raises(LoginRefused):
            log_in(store, f"naam-{number}", "fout-wachtwoord-x", now, "203.0.113.7")
    with pytest.raises(LoginRefused, match="te veel mislukte pogingen"):
        log_in(store, "nog-een-naam", "fout-wachtwoord-x", now, "203.0.113.7")


def test_a_failed_login_is_audited_with_the_name_and_address_never_the_password(any_db):
    store = with_account(any_db)
    refused(store, "geheim-fout-wachtwoord", "198.51.100.4", utcnow())
    events = [e for e in store.audit_events() if e.action == "aanmelden-mislukt"]
    assert [(e.actor, e.subject, json.loads(e.detail)) for e in events] == [
        ("rob", "rob", {"adres": "198.51.100.4"})
    ]
    assert "geheim-fout-wachtwoord" not in repr(store.audit_events())


def test_stale_sessions_and_old_failures_are_removed(any_db):
    store = with_account(any_db)
    start = utcnow()
    old = log_in(store, "rob", PASSWORD, start, "192.0.2.1")
    refused(store, "fout-wachtwoord-x", "192.0.2.1", start)
    later = start + max(IDLE, WINDOW) + timedelta(minutes=1)
    fresh = log_in(store, "rob", PASSWORD, later, "192.0.2.1")  # logging in cleans up
    assert store.login_failures("rob", "192.0.2.1", start - WINDOW).by_address.times == 0
    assert session_of(store, old, later) is None and session_of(store, fresh, later)
    assert forget_stale(store, later + IDLE + timedelta(minutes=1)) == 1  # the fresh one, idle


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "abababababab",
        "abcabcabcabc",
        "abcdefghijklm",
        "987654321098",
        "Welkom123456",
    ],
)
def test_predictable_passwords_are_refused(db_url, password):
    with pytest.raises(KitError, match="wachtwoord: "):
        add_account(Store(db_url), INSTALLER, "piet", "reviewer", password)


def test_a_long_password_of_the_persons_own_is_accepted(db_url):
    assert add_account(Store(db_url), INSTALLER, "piet", "reviewer", "paars-fietsje-in-hengelo")


# --- the web: pools, 429, cache, letters, cookies ------------------------------------------------


def client(db_url: str, base: str = "http://testserver") -> TestClient:
    return TestClient(create_app(db_url), base_url=base, follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def login(browser: TestClient, name: str = "rob", password: str = PASSWORD) -> object:
    form = browser.get("/aanmelden")
    return browser.post(
        "/aanmelden", data={"naam": name, "wachtwoord": password, "csrf": csrf_of(form.text)}
    )


@pytest.fixture
def screened(tmp_path: Path, any_db: str) -> str:
    """A database with the base case screened and the reviewer rob."""
    args = ["screen", str(BASE_CASE), "--db", any_db]
    done = runner.invoke(cli, args, env=cli_env(any_db, args))
    assert done.exit_code in (0, 1), done.output
    Store(any_db).submission(SUBMISSION)  # screened
    with_account(any_db)
    return any_db


def test_a_login_flood_beyond_the_password_pool_gets_a_429_at_once(db_url, monkeypatch):
    with_account(db_url)
    browser = client(db_url)
    pool = limits.PASSWORDS
    held = [pool.slot("") for _ in range(pool.at_once + pool.waiting)]
    for slot in held:
        next(slot)  # every place taken, as by a flood of logins in progress
    try:
        answer = login(browser)
        assert answer.status_code == 429 and answer.headers["Retry-After"].isdigit()
        assert "te druk" in answer.text
    finally:
        for slot in held:
            slot.close()
    assert login(browser).status_code == 303


def test_password_checks_do_not_run_on_the_threads_pages_use(db_url, monkeypatch):
    import kit.web.login as web_login

    with_account(db_url)
    threads = []
    checked = web_login.log_in

    def spied(*args, **kwargs):
        me = threading.current_thread()
        threads.append((me.name, os.getpriority(os.PRIO_PROCESS, me.native_id)))
        return checked(*args, **kwargs)

    monkeypatch.setattr(web_login, "log_in", spied)
    assert login(client(db_url)).status_code == 303
    assert threads and all(name.startswith("kit-aanmeldingen") for name, _ in threads)
    # Below the pages (argon2's own threads inherit it): a flood of checks takes only the CPU
    # the pages leave.
    assert all(priority == limits.PASSWORDS.nice for _, priority in threads)


def test_exports_are_limited_per_user_with_a_dutch_429(screened):
    browser = client(screened)
    assert login(browser).status_code == 303
    busy = limits.EXPORTS.slot("rob")  # an export of rob's still running
    next(busy)
    try:
        for path in ("/export.csv", "/export.xlsx"):
            answer = browser.get(path)
            assert answer.status_code == 429, path
            assert "tegelijk" in answer.text and answer.headers["Retry-After"]
    finally:
        busy.close()
    assert browser.get("/export.csv").status_code == 200
    assert limits.EXPORTS.admitted == 0


def test_exports_and_letters_are_limited_for_everyone_together(screened):
    browser = client(screened)
    assert login(browser).status_code == 303
    for pool, path in (
        (limits.EXPORTS, "/export.csv"),
        (limits.LETTERS, f"/inschrijving/{SUBMISSION}/brief/herstelverzoek.md"),
    ):
        others = [pool.slot(f"ander-{n}") for n in range(pool.at_once)]
        for slot in others:
            next(slot)
        try:
            answer = browser.get(path)
            assert answer.status_code == 429 and "te druk" in answer.text, path
        finally:
            for slot in others:
                slot.close()
        assert browser.get(path).status_code == 200, path


def test_word_letters_are_rendered_on_the_letter_pools_own_threads(screened, monkeypatch):
    """Rendered on ever other threads of the framework's forty, each Word letter left memory
    behind (issue 26): they run on the few threads of their own pool."""
    import kit.web.submission as pages

    threads = set()
    render = pages.letter_docx

    def spied(*args, **kwargs):
        threads.add(threading.current_thread().name)
        return render(*args, **kwargs)

    monkeypatch.setattr(pages, "letter_docx", spied)  # what the letter route calls
    browser = client(screened)
    assert login(browser).status_code == 303
    for _ in range(6):
        answer = browser.get(f"/inschrijving/{SUBMISSION}/brief/herstelverzoek.docx")
        assert answer.status_code == 200 and answer.content.startswith(b"PK")
    assert threads and all(name.startswith("kit-brieven") for name in threads)
    assert len(threads) <= limits.LETTERS.at_once


def test_logging_in_does_not_throw_the_central_list_away_a_change_does(screened, monkeypatch):
    import kit.web.cache as cache

    builds = []
    build = cache.build_report

    def counted(*args, **kwargs):
        builds.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(cache, "build_report", counted)
    with_account(screened, "anna", "toezicht")
    server = create_app(screened)
    browser, other = (TestClient(server, follow_redirects=False) for _ in range(2))
    assert login(browser).status_code == 303
    assert browser.get("/").status_code == 200 and len(builds) == 1
    assert login(other, "anna", "anna-wachtw-12").status_code == 303
    assert login(other, "anna", "fout-wachtwoord").status_code == 401
    assert browser.get("/").status_code == 200 and len(builds) == 1
    Store(screened).add(audit=AuditEventRow(actor="x", role="beheer", action="iets", subject="y"))
    assert browser.get("/").status_code == 200 and len(builds) == 2


def test_over_https_the_cookies_are_host_only(db_url):
    with_account(db_url)
    browser = client(db_url, "https://kit.example")
    form = browser.get("/aanmelden")
    set_cookie = form.headers["set-cookie"]
    assert set_cookie.startswith("__Host-kit_aanmelden=") and "Secure" in set_cookie
    assert "Path=/" in set_cookie and "Domain" not in set_cookie
    # A plain cookie of the same name (planted by a subdomain or over http) is not read.
    browser.cookies.set("kit_aanmelden", "geplant")
    done = browser.post(
        "/aanmelden",
        data={"naam": "rob", "wachtwoord": PASSWORD, "csrf": csrf_of(form.text)},
    )
    assert done.status_code == 303
    assert done.headers["set-cookie"].startswith("__Host-kit_sessie=")
    assert browser.get("/").status_code == 200
    planted = client(db_url, "https://kit.example")
    planted.cookies.set("kit_aanmelden", "geplant")
    forged = planted.post(
        "/aanmelden", data={"naam": "rob", "wachtwoord": PASSWORD, "csrf": "geplant"}
    )
    assert forged.status_code == 403


def test_the_markdown_letter_shows_a_providers_text_literally(tmp_path, db_url):
    from datetime import date

    from kit.views.letters import letter_text

    raw = load_raw()
    raw["submission"]["provider"]["name"] = "Zorg <img src=x> [klik](https://kwaad.example) *B*"
    case = tmp_path / "naam.yaml"
    case.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert runner.invoke(cli, ["screen", str(case), "--db", db_url]).exit_code in (0, 1)
    text = letter_text(
        Store(db_url), SUBMISSION, "herstelverzoek", date(2024, 4, 3), role="toezicht"
    )
    assert "Zorg \\<img src=x\\> \\[klik\\](https://kwaad.example) \\*B\\*" in text
    assert not re.search(r"(?<!\\)(\[klik\]|<img)", text)  # no link, no HTML


def test_anonymous_requests_beyond_their_share_are_refused_the_logged_in_are_not(
    db_url, monkeypatch
):
    from kit.web.auth import COOKIE

    store = with_account(db_url)
    token = log_in(store, "rob", PASSWORD)
    monkeypatch.setattr(limits, "ANONYMOUS_AT_ONCE", 0)  # as when a flood has them all
    browser = client(db_url)
    refused_page = browser.get("/aanmelden")
    assert refused_page.status_code == 429 and refused_page.headers["Retry-After"].isdigit()
    assert "te druk" in refused_page.text
    browser.cookies.set(COOKIE, token)
    assert browser.get("/").status_code == 200


def test_the_server_frees_each_word_letter_under_the_commands_collector_settings(screened):
    """Each Word letter's document lives in reference cycles; under the `kit` command's raised
    collector thresholds (kept by `kit serve` before) none was ever freed: 5 MB a letter."""
    import gc

    from docx.opc.package import OpcPackage

    from kit.cli import GC_THRESHOLDS

    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)  # as main() sets them for every kit command
    try:
        browser = client(screened)
        assert login(browser).status_code == 303
        gc.collect()
        for _ in range(30):
            answer = browser.get(f"/inschrijving/{SUBMISSION}/brief/herstelverzoek.docx")
            assert answer.status_code == 200, answer.text[-600:]
        alive = sum(isinstance(thing, OpcPackage) for thing in gc.get_objects())
        assert alive <= 5, f"{alive} of 30 letters' documents still in memory"
    finally:
        gc.set_threshold(*before)
