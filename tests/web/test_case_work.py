"""Issue 25: the work on one submission as a team does it. Judgements chosen from the finding
with a confirmation step and corrections that add, never edit; the history of the case on its
page, read as each role may; claims, assignments and the work status; the provider's document
files beside the judgement."""

from __future__ import annotations

import html
import json
import re

import pytest
from support import PASSWORDS, csrf_of, logged_in, users_add
from test_web import BORNE, ZORGFIX
from test_web import db_url as shared_db_url  # noqa: F401 (fixture)

from kit.kinds.rulesets import shipped_rulesets
from kit.screening.decisions import KINDS, decidable
from kit.services.actor import ROLES
from kit.store import Store
from kit.timezone import today
from kit.views.judgements import JUDGED_HERE, choices
from kit.views.worklist import worklist
from kit.vocab.vocabulary import vocabulary

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
    outcome = {
        "status": "afgerond",
        "uitkomst": "geen-bezwaar",
        "datum": "2024-05-01",
        "kenmerk": "BIB-77",
        "toelichting": "Advies LBB zonder bezwaar.",
    }
    recorded = post(bo, f"/inschrijving/{ZORGFIX}/bibob", outcome)
    assert recorded.status_code == 200 and "Ja, Bibob-uitkomst vastleggen" in recorded.text
    store = Store(db_url)
    assert not [d for d in store.decisions(store.submission(ZORGFIX).pk) if d.kind == "bibob"]
    recorded = post(bo, f"/inschrijving/{ZORGFIX}/bibob", {**outcome, "stap": "vastleggen"})
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


def holder_of(db_url: str, submission_id: str) -> str:
    store = Store(db_url)
    current = store.assignment(store.submission(submission_id).pk)
    return current.reviewer if current else ""


def actions(db_url: str, submission_id: str) -> list[tuple[str, str, dict]]:
    return [
        (e.action, e.actor, json.loads(e.detail))
        for e in Store(db_url).audit_events()
        if e.subject == submission_id and e.action != "aangemeld"
    ]


def test_claim_release_and_reassign_by_name_with_a_confirmation(db_url):
    PASSWORDS["rik"] = ("reviewer", "rik-wachtwoord-12")
    assert users_add(db_url, "rik", *PASSWORDS["rik"]).exit_code == 0
    case = f"/inschrijving/{BORNE}"
    rob, rik, ike = (logged_in(db_url, n) for n in ("rob", "rik", "ike"))
    fresh = rob.get(case).text
    assert "Werkstatus: <strong>nieuw</strong>" in fresh and "Nog van niemand." in fresh
    assert post(rob, f"{case}/oppakken", {}, page=case).status_code == 303
    assert holder_of(db_url, BORNE) == "rob"
    assert BORNE in rob.get("/mijn-werk").text
    assert "Werkstatus: <strong>in behandeling</strong>" in rob.get(case).text
    taken = post(rik, f"{case}/oppakken", {}, page=case)
    assert taken.status_code == 400 and "in handen van rob" in taken.text
    assert holder_of(db_url, BORNE) == "rob"

    page = ike.get(case).text  # a choice of accounts, not a typed name or number
    assert re.search(r'<select name="reviewer"[^>]*>.*<option[^>]*>rik</option>', page, re.S)
    asked = post(ike, f"{case}/toewijzen", {"reviewer": "rik"}, page=case)
    assert asked.status_code == 200 and "rik neemt het over van rob" in asked.text
    assert holder_of(db_url, BORNE) == "rob"  # nothing changed before the confirmation
    confirmed = post(ike, f"{case}/toewijzen", {"reviewer": "rik", "vervangt": "rob"}, page=case)
    assert confirmed.status_code == 303 and holder_of(db_url, BORNE) == "rik"
    assert BORNE not in rob.get("/mijn-werk").text and BORNE in rik.get("/mijn-werk").text
    stale = post(ike, f"{case}/toewijzen", {"reviewer": "rob", "vervangt": "rob"}, page=case)
    assert stale.status_code == 400 and "Ondertussen in handen van rik" in stale.text
    assert holder_of(db_url, BORNE) == "rik"
    mistyped = post(ike, f"{case}/toewijzen", {"reviewer": "ike", "vervangt": "rik"}, page=case)
    assert mistyped.status_code == 400 and holder_of(db_url, BORNE) == "rik"

    assert post(rik, f"{case}/werkstatus", {"status": "klaar"}, page=case).status_code == 303
    assert "Werkstatus: <strong>klaar</strong>" in rik.get(case).text
    assert post(rob, f"{case}/vrijgeven", {}, page=case).status_code == 403  # not his
    assert post(rik, f"{case}/vrijgeven", {}, page=case).status_code == 303
    assert holder_of(db_url, BORNE) == ""
    previous = [d.get("previous") for a, _, d in actions(db_url, BORNE) if a != "werkstatus"]
    assert previous[-3:] == ["", "rob", "rik"]
    done = [(a, who) for a, who, _ in actions(db_url, BORNE)]
    assert done[-4:] == [
        ("opgepakt", "rob"),
        ("toegewezen", "ike"),
        ("werkstatus", "rik"),
        ("vrijgegeven", "rik"),
    ]
    history = rob.get(case).text
    assert "Toegewezen aan rik" in history and "Vrijgegeven" in history


def test_a_new_screening_reopens_work_marked_klaar(db_url, tmp_path):

    from kit.services.actor import Actor
    from kit.services.assignments import set_work_status
    from kit.views.submission import submission_state
    from kit.views.workstatus import work_status

    store = Store(db_url)
    set_work_status(store, Actor("anna", "toezicht"), ZORGFIX, "klaar")
    assert work_status(store, submission_state(store, ZORGFIX), today()) == "klaar"
    rob = logged_in(db_url, "rob")
    decisions = store.decisions(store.submission(ZORGFIX).pk)
    last = [d.id for d in decisions if d.kind == "inhoud"][-1]
    data = {"keuze": JUDGED, "oordeel": "voldoende", "toelichting": "Herzien.", "corrigeert": last}
    path = f"/inschrijving/{ZORGFIX}/oordeel"
    check = post(rob, path, {**data, "stap": "controleren"})
    assert check.status_code == 200, check.text[-800:]
    done = post(rob, path, {**data, "stap": "vastleggen", "verwacht": expected_of(check.text)})
    assert done.status_code == 303
    assert work_status(store, submission_state(store, ZORGFIX), today()) != "klaar"


def test_beheer_switches_an_account_off_after_a_confirmation_on_again_and_resets_it(db_url):
    PASSWORDS["tim"] = ("reviewer", "tim-wachtwoord-12")
    assert users_add(db_url, "tim", *PASSWORDS["tim"]).exit_code == 0
    tim = logged_in(db_url, "tim")
    bea = logged_in(db_url, "bea")
    listing = bea.get("/beheer/accounts").text
    assert 'href="/beheer/accounts/tim/uit"' in listing  # a link to the confirmation first
    asked = bea.get("/beheer/accounts/tim/uit")
    assert asked.status_code == 200 and "Ja, tim uitzetten" in asked.text
    assert Store(db_url).account("tim").active
    # A post without the confirmation (made by hand, a valid token) changes nothing: it is
    # answered with the question.
    forged = post(bea, "/beheer/accounts/tim/uit", {}, page="/beheer/accounts")
    assert forged.status_code == 200 and "Ja, tim uitzetten" in forged.text
    assert 'name="bevestigd" value="ja"' in forged.text
    assert Store(db_url).account("tim").active and tim.get("/").status_code == 200
    for wrong in ("", "nee", "true", "JA"):
        sent = {"bevestigd": wrong}
        refused = post(bea, "/beheer/accounts/tim/uit", sent, page="/beheer/accounts")
        assert refused.status_code == 200 and Store(db_url).account("tim").active
    off = post(bea, "/beheer/accounts/tim/uit", {"bevestigd": "ja"}, page="/beheer/accounts")
    assert off.status_code == 303 and not Store(db_url).account("tim").active
    assert tim.get("/").status_code in (303, 401)  # the session ended
    assert "Weer aanzetten" in bea.get("/beheer/accounts").text
    on = post(bea, "/beheer/accounts/tim/aan", {}, page="/beheer/accounts")
    assert on.status_code == 303 and Store(db_url).account("tim").active
    reset = post(bea, "/beheer/accounts/tim/wachtwoord", {}, page="/beheer/accounts")
    found = re.search(r"<code>([^<]+)</code>", reset.text)
    assert reset.status_code == 200 and found
    PASSWORDS["tim"] = ("reviewer", found.group(1))
    assert logged_in(db_url, "tim").get("/").status_code == 200  # the new password works
    changes = [
        json.loads(d)
        for a, who, d in [
            (e.action, e.actor, e.detail)
            for e in Store(db_url).audit_events()
            if e.subject == "tim"
        ]
        if a == "account-gewijzigd" and who == "bea"
    ]
    assert changes == [{"active": False}, {"active": True}, {"wachtwoord": "nieuw"}]
    assert found.group(1) not in str(changes)
    refused = post(logged_in(db_url, "rob"), "/beheer/accounts/tim/aan", {})
    assert refused.status_code == 403


def word_properties(content: bytes) -> tuple[object, str, str]:
    import io
    import zipfile

    import docx

    properties = docx.Document(io.BytesIO(content)).core_properties
    with zipfile.ZipFile(io.BytesIO(content)) as word:
        styles = word.read("word/styles.xml").decode("utf-8")
        core = word.read("docProps/core.xml").decode("utf-8")
    return properties, styles, core


def test_word_letters_are_dutch_titled_and_written_by_the_region(db_url):
    from kit.output.docx_meta import with_properties
    from kit.output.letter import TEMPLATES, letter_texts

    answer = logged_in(db_url, "rob").get(f"/inschrijving/{ZORGFIX}/brief/besluit.docx")
    assert answer.status_code == 200
    request = (TEMPLATES / "herstelverzoek.docx").read_bytes()
    letters = {
        "besluit": answer.content,
        "herstelverzoek": with_properties(request, "herstelverzoek", ZORGFIX, letter_texts()),
    }
    region = "Regionale inkoop jeugdhulp en Wmo Twente"
    for kind, content in letters.items():
        properties, styles, core = word_properties(content)
        assert (properties.author, properties.last_modified_by) == (region, region)
        assert properties.title == f"{kind.capitalize()} KIT-screening {ZORGFIX}"
        assert properties.language == "nl-NL"
        assert re.findall(r'<w:lang\b[^>]*\bw:val="([^"]+)"', styles) == ["nl-NL"]
        assert "python-docx" not in core and "en-US" not in core


def test_a_reviewer_lands_on_mijn_werk_others_on_the_list_and_an_asked_page_wins(db_url):
    """Issue 25, item 4: "mijn werk" is a reviewer's default view; a page the login was asked
    for (volgende) still comes first, and nobody is sent to another site."""
    from support import client

    def landing(name: str, volgende: str | None = None) -> str:
        browser = client(db_url)
        form = browser.get("/aanmelden" + (f"?volgende={volgende}" if volgende else ""))
        data = {"naam": name, "wachtwoord": PASSWORDS[name][1], "csrf": csrf_of(form.text)}
        if volgende is not None:
            data["volgende"] = volgende
        done = browser.post("/aanmelden", data=data)
        assert done.status_code == 303, done.text
        return done.headers["location"]

    assert landing("rob") == "/mijn-werk"
    assert landing("anna") == "/" and landing("ike") == "/"
    assert landing("rob", f"/inschrijving/{ZORGFIX}") == f"/inschrijving/{ZORGFIX}"
    assert landing("rob", "/") == "/"
    assert landing("rob", "//kwaad.example/") == "/mijn-werk"


def test_every_requirement_a_judgement_can_be_about_is_offered_by_its_dutch_name(db_url):
    """The requirement is chosen by its name in the vocabulary (document_labels or
    exclusion_ground_labels; a missing one refuses the vocabulary, tests/screening/
    test_integrity.py): for every rule set, role and requirement a judgement can be about, and
    on the form itself."""
    vocab = vocabulary()
    offered = 0
    for ruleset in shipped_rulesets().values():
        every = {r for kind in JUDGED_HERE for r in decidable(ruleset, kind).requirements}
        for role in ROLES:
            for choice in choices(ruleset, role, every):
                code = choice.requirement
                name = vocab.document_labels.get(code) or vocab.ground_labels.get(code)
                assert name and name.strip(), (ruleset.id, code)  # some are the code's own word
                assert choice.label == f"{name}: {KINDS[choice.kind]}"
                offered += 1
    assert offered > 40  # documents for reviewer and toezicht, grounds for toezicht
    waiting = worklist(Store(db_url), today(), "reviewer").judgements[0]
    form = logged_in(db_url, "rob").get(f"/inschrijving/{waiting.submission_id}/oordeel").text
    options = re.findall(r'<option value="([a-z]+)/([a-z0-9-]+)"[^>]*>([^<]+)</option>', form)
    assert options
    for kind, code, text in options:
        assert html.unescape(text) == f"{vocab.requirement_label(code)}: {KINDS[kind]}"
