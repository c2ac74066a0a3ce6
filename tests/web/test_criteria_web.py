"""Q12 on the web: the finding's "Beoordelen" action opens the checklist of the document's
criteria; checking shows the judgement it gives and asks for confirmation, recording happens
only then; an error keeps everything typed; only the roles that judge content reach it."""

from __future__ import annotations

import re

import pytest
from conftest import CASES
from support import csrf_of, logged_in, users_add
from typer.testing import CliRunner

from kit.cli import app as cli
from kit.kinds.rulesets import load_ruleset
from kit.rules.criteria import criteria_of
from kit.store import Store

runner = CliRunner()
ZORGFIX = "INS-2024-0042"
PROTOCOL = "calamiteitenprotocol"
CRITERIA = criteria_of(load_ruleset("kit-2025").rules, PROTOCOL)
FORM = f"/inschrijving/{ZORGFIX}/beoordelen/{PROTOCOL}"
FAILED = "cp-onderzoek"


@pytest.fixture
def db_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'kit.db'}"
    done = runner.invoke(cli, ["screen", str(CASES / "zorgfix-bv.yaml"), "--db", url])
    assert done.exit_code == 0, done.output
    for name, role, password in (
        ("rob", "reviewer", "rob-wachtwoord-12"),
        ("ike", "inkoop", "ike-wachtwoord-12"),
    ):
        assert users_add(url, name, role, password).exit_code == 0
    return url


def filled(csrf: str, **changes: str) -> dict[str, str]:
    data = {f"uitkomst-{c.code}": "voldaan" for c in CRITERIA}
    data[f"uitkomst-{FAILED}"] = "niet-voldaan"
    data[f"toelichting-{FAILED}"] = "Geen methode genoemd & geen verslag"
    data |= {"csrf": csrf, "datum": "2024-04-23", "stap": "controleren"} | changes
    return data


def test_the_finding_offers_beoordelen_and_the_form_asks_every_criterion(db_url):
    browser = logged_in(db_url, "rob")
    submission = browser.get(f"/inschrijving/{ZORGFIX}")
    assert f'href="{FORM}"' in submission.text and ">Beoordelen</a>" in submission.text
    form = browser.get(FORM)
    assert form.status_code == 200
    for criterion in CRITERIA:
        assert criterion.question in form.text
        assert f'name="uitkomst-{criterion.code}" value="voldaan"' in form.text
    assert "<legend>" in form.text and "Terug zonder vast te leggen" in form.text


def test_checking_shows_the_judgement_and_records_only_on_confirmation(db_url):
    browser = logged_in(db_url, "rob")
    token = csrf_of(browser.get(FORM).text)
    checked = browser.post(FORM, data=filled(token))
    assert checked.status_code == 200
    assert (
        "Controleer het oordeel" in checked.text and "<strong>onvoldoende</strong>" in checked.text
    )
    unmet = next(c for c in CRITERIA if c.code == FAILED)
    assert unmet.when_not_met in checked.text
    assert "Geen methode genoemd &amp; geen verslag" in checked.text  # kept, as text
    with Store(db_url, create=False) as store:
        assert store.judged_criteria() == []
    expected = re.search(r'name="verwacht" value="([^"]+)"', checked.text).group(1)
    # A form changed after the check is shown again, not recorded.
    changed = filled(token, stap="vastleggen", verwacht="voldoende:")
    assert "Controleer het oordeel" in browser.post(FORM, data=changed).text
    with Store(db_url, create=False) as store:
        assert store.judged_criteria() == []
    done = browser.post(FORM, data=filled(token, stap="vastleggen", verwacht=expected))
    assert done.status_code == 303 and "gedaan=oordeel" in done.headers["location"]
    with Store(db_url, create=False) as store:
        judged = store.judged_criteria()
        events = [e for e in store.audit_events() if e.action == "beslissing-inhoud"]
    assert {row.criterion: row.outcome for _, _, row in judged}[FAILED] == "niet-voldaan"
    assert {d.decided_by for _, d, _ in judged} == {"rob"}
    assert len(events) == 1 and events[0].actor == "rob"


def test_an_error_shows_the_form_again_with_everything_typed(db_url):
    browser = logged_in(db_url, "rob")
    token = csrf_of(browser.get(FORM).text)
    data = filled(token)
    del data["uitkomst-cp-gemeente"]
    data[f"toelichting-{FAILED}"] = "Mijn lange toelichting die niet verloren mag gaan"
    answer = browser.post(FORM, data=data)
    assert answer.status_code == 400
    assert 'role="alert"' in answer.text and "formulier: cp-gemeente: ontbreekt" in answer.text
    assert "Mijn lange toelichting die niet verloren mag gaan" in answer.text
    assert f'name="uitkomst-{FAILED}" value="niet-voldaan" checked' in answer.text
    no_remark = filled(token) | {f"toelichting-{FAILED}": ""}
    refused = browser.post(FORM, data=no_remark)
    assert refused.status_code == 400 and f"{FAILED}.toelichting" in refused.text
    with Store(db_url, create=False) as store:
        assert store.judged_criteria() == []


def test_only_a_role_that_judges_content_reaches_the_checklist(db_url):
    browser = logged_in(db_url, "ike")
    assert browser.get(FORM).status_code == 403
    assert ">Beoordelen</a>" not in browser.get(f"/inschrijving/{ZORGFIX}").text
    token = csrf_of(browser.get("/").text)
    refused = browser.post(FORM, data=filled(token, stap="vastleggen"))
    assert refused.status_code == 403
    with Store(db_url, create=False) as store:
        assert store.judged_criteria() == []
