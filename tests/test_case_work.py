"""Issue 25: the work on one submission as a team does it. Judgements chosen from the finding
with a confirmation step and corrections that add, never edit; the history of the case on its
page, read as each role may; claims, assignments and the work status; the provider's document
files beside the judgement."""

from __future__ import annotations

import json
import re

import pytest
from test_web import ZORGFIX, csrf_of, logged_in
from test_web import db_url as shared_db_url  # noqa: F401 (fixture)

from kit.store import Store

JUDGED = "inhoud/calamiteitenprotocol"


@pytest.fixture(scope="module")
def db_url(shared_db_url):  # noqa: F811
    return shared_db_url


def post(browser, path: str, data: dict, page: str | None = None):
    token = csrf_of(browser.get(page or f"/inschrijving/{ZORGFIX}").text)
    return browser.post(path, data={**data, "csrf": token})


def counts(db_url: str) -> tuple[int, int, int]:
    store = Store(db_url)
    pk = store.submission(ZORGFIX).pk
    return (
        len(store.decisions(pk)),
        len(store.screenings_of(pk)),
        len([e for e in store.audit_events() if e.action != "aangemeld"]),
    )


def expected_of(html: str) -> str:
    found = re.search(r'name="verwacht" value="([^"]+)"', html)
    assert found, html[-2000:]
    return found.group(1).replace("&gt;", ">")


def judge(browser, data: dict, path: str = f"/inschrijving/{ZORGFIX}/oordeel"):
    """The two steps: check (shows what the verdicts become), then confirm."""
    check = post(browser, path, {**data, "stap": "controleren"})
    assert check.status_code == 200, check.text[-1500:]
    assert "Controleer het oordeel" in check.text
    return post(browser, path, {**data, "stap": "vastleggen", "verwacht": expected_of(check.text)})


def test_the_judgement_form_is_reached_from_the_finding_and_chooses_no_outcome(db_url):
    rob = logged_in(db_url, "rob")
    page = rob.get(f"/inschrijving/{ZORGFIX}").text
    assert f"/inschrijving/{ZORGFIX}/oordeel?eis=" in page or "beoordelen/" in page
    form = rob.get(f"/inschrijving/{ZORGFIX}/oordeel?eis=calamiteitenprotocol")
    assert form.status_code == 200
    assert f'value="{JUDGED}" selected' in form.text
    radios = re.findall(r'<input type="radio" name="oordeel"[^>]*>', form.text)
    assert len(radios) == 2 and not any("checked" in r for r in radios)
    assert 'name="eis"' not in form.text  # the requirement is chosen, never typed


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"keuze": JUDGED, "toelichting": "x"}, "Oordeel: kies voldoende of onvoldoende"),
        (
            {"keuze": "inhoud/Calamiteitenprotocol", "oordeel": "voldoende", "toelichting": "x"},
            "Eis: kies",
        ),
        ({"keuze": "inhoud/rie", "oordeel": "voldoende", "toelichting": "test"}, "Eis: kies"),
        ({"keuze": JUDGED, "oordeel": "voldoende", "toelichting": "  "}, "Toelichting"),
    ],
)
def test_an_incomplete_or_typed_judgement_is_refused_and_kept(db_url, data, said):
    before = counts(db_url)
    rob = logged_in(db_url, "rob")
    for step in ("controleren", "vastleggen"):
        answer = post(rob, f"/inschrijving/{ZORGFIX}/oordeel", {**data, "stap": step})
        assert answer.status_code == 400 and said in answer.text, answer.text[-1500:]
        assert 'role="alert"' in answer.text and 'name="csrf"' in answer.text
    assert counts(db_url) == before


def test_checking_stores_nothing_and_a_changed_form_is_checked_again(db_url):
    rob = logged_in(db_url, "rob")
    before = counts(db_url)
    data = {"keuze": JUDGED, "oordeel": "onvoldoende", "toelichting": "Geen meldroute."}
    check = post(rob, f"/inschrijving/{ZORGFIX}/oordeel", {**data, "stap": "controleren"})
    assert "De uitspraak wordt daarmee" in check.text and "→" in check.text
    assert counts(db_url) == before
    changed = {**data, "oordeel": "voldoende", "stap": "vastleggen"}
    again = post(
        rob, f"/inschrijving/{ZORGFIX}/oordeel", {**changed, "verwacht": expected_of(check.text)}
    )
    assert again.status_code == 200 and "Controleer het oordeel" in again.text
    assert counts(db_url) == before


def test_a_correction_is_a_new_judgement_naming_the_one_it_corrects(db_url):
    rob = logged_in(db_url, "rob")
    store = Store(db_url)
    pk = store.submission(ZORGFIX).pk
    first = judge(rob, {"keuze": JUDGED, "oordeel": "onvoldoende", "toelichting": "Eerste lezing."})
    assert first.status_code == 303
    [earlier] = [d for d in store.decisions(pk) if d.note == "Eerste lezing."]
    page = rob.get(f"/inschrijving/{ZORGFIX}").text
    assert "Eerste lezing." in page and f"corrigeert={earlier.id}" in page
    path = f"/inschrijving/{ZORGFIX}/oordeel?corrigeert={earlier.id}"
    form = rob.get(path)
    assert "Oordeel corrigeren" in form.text and "Eerste lezing." in form.text
    data = {
        "keuze": JUDGED,
        "oordeel": "voldoende",
        "toelichting": "Toch goed.",
        "corrigeert": str(earlier.id),
    }
    check = post(
        rob, f"/inschrijving/{ZORGFIX}/oordeel", {**data, "stap": "controleren"}, page=path
    )
    done = post(
        rob,
        f"/inschrijving/{ZORGFIX}/oordeel",
        {**data, "stap": "vastleggen", "verwacht": expected_of(check.text)},
        page=path,
    )
    assert done.status_code == 303 and "gedaan=correctie" in done.headers["location"]
    decisions = store.decisions(pk)
    kept = [d for d in decisions if d.id == earlier.id]
    assert kept and kept[0].note == "Eerste lezing." and kept[0].judgement == "onvoldoende"
    assert decisions[-1].note == "Toch goed." and decisions[-1].judgement == "voldoende"
    event = [e for e in store.audit_events() if e.action == "beslissing-inhoud"][-1]
    assert json.loads(event.detail)["corrects"] == earlier.id
    shown = rob.get(done.headers["location"]).text
    assert "Correctie vastgelegd als nieuw oordeel" in shown
    assert shown.index("Toch goed.") < shown.index("Eerste lezing.")  # newest first


def test_the_history_shows_a_bibob_outcome_and_notes_only_to_their_readers(db_url):
    bo = logged_in(db_url, "bo")
    recorded = post(
        bo,
        f"/inschrijving/{ZORGFIX}/bibob",
        {
            "status": "afgerond",
            "uitkomst": "geen-bezwaar",
            "datum": "2024-05-01",
            "kenmerk": "BIB-77",
            "toelichting": "Advies LBB zonder bezwaar.",
        },
    )
    assert recorded.status_code == 303, recorded.text[-800:]
    anna = logged_in(db_url, "anna")
    noted = post(anna, f"/inschrijving/{ZORGFIX}/notitie", {"tekst": "Let op de bestuurder."})
    assert noted.status_code == 303
    for name, reads_bibob, reads_notes in [
        ("bo", True, False),
        ("anna", True, True),
        ("rob", False, False),
        ("ike", False, False),
        ("bea", False, False),
    ]:
        page = logged_in(db_url, name).get(f"/inschrijving/{ZORGFIX}").text
        history = page[page.index('id="geschiedenis"') :]
        assert ("Bibob-uitkomst: geen-bezwaar" in history) is reads_bibob, name
        assert ("Advies LBB zonder bezwaar." in page) is reads_bibob, name
        assert ("Let op de bestuurder." in history) is reads_notes, name
        assert "Screening SCR-" in history


def test_the_checklist_starts_unchosen_and_refuses_an_incomplete_one(db_url):
    rob = logged_in(db_url, "rob")
    path = f"/inschrijving/{ZORGFIX}/beoordelen/calamiteitenprotocol"
    form = rob.get(path)
    assert form.status_code == 200
    radios = re.findall(r'<input type="radio"[^>]*>', form.text)
    assert radios and not any(" checked" in r for r in radios)
    before = counts(db_url)
    codes = sorted(set(re.findall(r'name="uitkomst-([^"]+)"', form.text)))
    half = {f"uitkomst-{code}": "voldaan" for code in codes[:-1]}
    answer = post(rob, path, {**half, "stap": "vastleggen"}, page=path)
    assert answer.status_code == 400 and "ontbreekt" in answer.text
    assert counts(db_url) == before
