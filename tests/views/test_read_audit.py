"""Issue 26, item 6: reads of sensitive data are audited. When toezicht or bibob are shown a
screening, a letter, the central list or notes, an audit event names who read what about whom,
never a value; other roles' reads (which never show sensitive values) leave none."""

from __future__ import annotations

import json

import pytest
from conftest import CASES
from databases import kit_env
from support import kit as kit_cli
from typer.testing import CliRunner

from kit.cli import app
from kit.services.actor import Actor
from kit.services.notes import add_note, recent_notes
from kit.store import Store

runner = CliRunner()
SUB = "INS-2024-0042"


def run(db_url: str, *args: str, role: str = "toezicht"):
    return kit_cli(db_url, *args, role=role, user="lezer")


def reads(db_url: str) -> list[tuple[str, str, str, dict]]:
    return [
        (e.actor, e.role, e.subject, json.loads(e.detail))
        for e in Store(db_url).audit_events()
        if e.action == "inzage"
    ]


@pytest.fixture
def screened(db_url):
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml"), role="reviewer").exit_code == 0
    return db_url


@pytest.mark.parametrize(
    ("command", "what", "subject"),
    [
        (["show", SUB], "screening", SUB),
        (["show", SUB, "--json"], "screening", SUB),
        (["letter", SUB], "besluit", SUB),
        (["repair", "letter", SUB], "herstelverzoek", SUB),
        (["report", "--formaat", "csv"], "centrale lijst", "regio"),
        (["notes", SUB], "notities", SUB),
    ],
)
def test_a_toezicht_read_is_audited_without_values(screened, command, what, subject):
    result = run(screened, *command)
    assert result.exit_code == 0, result.output
    [(actor, role, about, detail)] = reads(screened)
    assert (actor, role, about, detail["wat"]) == ("lezer", "toezicht", subject, what)
    messages = [
        f.message for s in Store(screened).screenings() for f in Store(screened).findings(s.pk)
    ]
    assert not any(m and m in json.dumps(detail, ensure_ascii=False) for m in messages)


def test_reads_by_roles_that_see_no_sensitive_values_leave_no_event(screened):
    for command in (["show", SUB], ["report", "--formaat", "csv"], ["letter", SUB]):
        assert run(screened, *command, role="reviewer").exit_code == 0
    assert reads(screened) == []


def test_a_bibob_read_is_audited(screened):
    assert run(screened, "show", SUB, role="bibob").exit_code == 0
    assert [(r, s) for _, r, s, _ in reads(screened)] == [("bibob", SUB)]


PASSWORD = "Toezicht-leest-7Q!vandaag"


def web_as(db_url: str, name: str, role: str):
    import re

    from fastapi.testclient import TestClient

    from kit.web.app import create_app

    args = ["users", "add", name, "--rol", role, "--wachtwoord-stdin", "--db", db_url]
    added = runner.invoke(
        app, args, input=PASSWORD + "\n", env=kit_env(args, {"KIT_USER": "installateur"})
    )
    assert added.exit_code == 0, added.output
    browser = TestClient(create_app(db_url), follow_redirects=False)
    form = browser.get("/aanmelden").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    done = browser.post(
        "/aanmelden", data={"naam": name, "wachtwoord": PASSWORD, "csrf": csrf.group(1)}
    )
    assert done.status_code == 303, done.text
    return browser


@pytest.mark.parametrize(
    ("path", "what", "subject"),
    [
        (f"/inschrijving/{SUB}", "screening", SUB),
        (f"/api/inschrijving/{SUB}", "screening", SUB),
        (f"/inschrijving/{SUB}/brief/besluit.md", "besluit", SUB),
        ("/export.xlsx", "centrale lijst", "regio"),
    ],
)
def test_a_toezicht_read_on_the_web_is_audited(screened, path, what, subject):
    browser = web_as(screened, "t.toezicht", "toezicht")
    before = len(reads(screened))
    answer = browser.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    found = reads(screened)[before:]
    assert [(a, s, d["wat"]) for a, _, s, d in found if d["wat"] == what] == [
        ("t.toezicht", subject, what)
    ]
    reviewer = web_as(screened, "r.reviewer", "reviewer")
    count = len(reads(screened))
    assert reviewer.get(path).status_code == 200
    assert len(reads(screened)) == count


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """The shipped cases, screened: worklists with rows for several providers."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('region') / 'kit.db'}"
    assert run(db_url, "screen", str(CASES), role="reviewer").exit_code == 0
    return db_url


@pytest.mark.parametrize(
    ("command", "what"),
    [(["monitor", "--json"], "monitor"), (["werkvoorraad", "--json"], "werkvoorraad")],
)
def test_a_toezicht_worklist_read_names_the_submissions_it_showed(region, command, what):
    """The monitor and the werkvoorraad show toezicht sensitive messages: the read is audited
    with the submissions shown, so an AVG request about one provider finds it."""
    before = len(reads(region))
    result = run(region, *command)
    assert result.exit_code in (0, 3), result.output
    shown = sorted({row["submission_id"] for row in json.loads(result.stdout)})
    assert shown, "the shipped cases give this worklist rows"
    [(actor, role, about, detail)] = reads(region)[before:]
    assert (actor, role, about, detail) == (
        "lezer",
        "toezicht",
        "regio",
        {"wat": what, "inschrijvingen": shown},
    )
    count = len(reads(region))
    assert run(region, *command, role="reviewer").exit_code in (0, 3)
    assert len(reads(region)) == count


def test_a_read_keeps_the_cached_lists(screened):
    """A read's audit event changes nothing a list shows: the list cache's marker stays."""
    store = Store(screened)
    marker = store.version()
    assert run(screened, "show", SUB).exit_code == 0
    assert len(reads(screened)) == 1 and store.version() == marker


def test_toezichts_recent_notes_are_an_audited_read(screened):
    """The toezicht page lists the newest notes over all providers: that read is audited too."""
    store, supervisor = Store(screened), Actor("t.toezicht", "toezicht")
    assert recent_notes(store, supervisor) == [] and reads(screened) == []
    add_note(store, supervisor, SUB, "Bestuurder in onderzoek bij gemeente Almelo")
    [(note, sub, _)] = recent_notes(store, supervisor)
    assert sub == SUB
    [(actor, _, about, detail)] = reads(screened)
    assert (actor, about, detail) == (
        "t.toezicht",
        "regio",
        {"wat": "notities", "inschrijvingen": [SUB]},
    )
    assert note.text not in json.dumps(detail)


def test_an_access_request_finds_the_worklist_reads_about_the_provider(region):
    """AVG art. 15: the provider's export holds the monitor read that showed its submission."""
    store = Store(region)
    before = {e.id for e in store.audit_events()}
    result = run(region, "monitor", "--json")
    shown = json.loads(result.stdout)[0]
    kvk = store.submission(shown["submission_id"]).provider_kvk
    events = store.provider_records(kvk)["audit_events"]
    [own] = [e for e in events if e["id"] not in before]  # this read's event, none older
    assert own["action"] == "inzage" and json.loads(own["detail"])["wat"] == "monitor"


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/api/werkvoorraad", "werkvoorraad"),
        ("/toezicht", "toezicht"),
        ("/toezicht.csv", "toezicht"),
        ("/werkvoorraad", "werkvoorraad"),
        ("/werkvoorraad.csv", "werkvoorraad"),
    ],
)
def test_a_toezicht_worklist_page_read_names_the_submissions_on_it(tmp_path, path, what):
    """The web's worklists show toezicht sensitive messages: each page or export read is an
    audited read naming the submissions it showed; a reviewer's read leaves none."""
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    assert run(db_url, "screen", str(CASES), role="reviewer").exit_code == 0
    browser = web_as(db_url, "t.toezicht", "toezicht")
    answer = browser.get(path)
    assert answer.status_code == 200, answer.text
    [(actor, _, about, detail)] = [r for r in reads(db_url) if r[3]["wat"] == what]
    assert (actor, about) == ("t.toezicht", "regio") and detail["inschrijvingen"]
    assert all(sub in answer.text for sub in detail["inschrijvingen"])
    reviewer = web_as(db_url, "r.reviewer", "reviewer")
    count = len(reads(db_url))
    assert reviewer.get(path.replace("toezicht", "werkvoorraad")).status_code == 200
    assert len(reads(db_url)) == count


def test_reading_the_verification_sample_is_an_audited_read(screened):
    """The sample lists staff members' diplomas, VOGs and registrations: toezicht's read of it
    names the submissions it showed."""
    assert run(screened, "steekproef", "trek", "--seed", "twente").exit_code == 0
    before = len(reads(screened))
    shown = run(screened, "steekproef", "toon")
    assert shown.exit_code == 0, shown.output
    [(actor, _, about, detail)] = reads(screened)[before:]
    assert (actor, about, detail) == (
        "lezer",
        "regio",
        {"wat": "steekproef", "inschrijvingen": [SUB]},
    )
