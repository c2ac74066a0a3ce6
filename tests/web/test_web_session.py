"""Issue 25, item 2: sessions that keep the work. The page knows how long its session has left
(for the warning, kit/web/static/sessie.js) and can stay logged in; a form posted after the
session ended is kept for that session's account, offered again after logging in, and never
shown to another account."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import yaml
from sqlmodel import update
from test_web import ZORGFIX, client, csrf_of, db_url, logged_in  # noqa: F401  (the fixture)

import kit.web
from kit.output.labels import LABELS, field_label, form_of, typed_label
from kit.services.accounts import IDLE, _token_hash
from kit.store import Store
from kit.store.tables import WebSessionRow, utcnow
from kit.web.auth import COOKIE

CASE = f"/inschrijving/{ZORGFIX}"
TYPED = "Het protocol beschrijft de meldroute naar de IGJ; getypt vlak voor de sessie verliep."


def expire(db_url: str, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The browser's session last used longer ago than IDLE, as after a long phone call."""
    store = Store(db_url)
    with store.write() as session, session.begin():
        session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.token_hash == _token_hash(browser.cookies[COOKIE]))
            .values(last_seen=utcnow() - IDLE - timedelta(minutes=1))
        )


def judgement_form(token: str, **confirmed: str) -> dict[str, str]:
    """The judgement form as sent; `confirmed`: its confirmation step's stap and verwacht."""
    return {
        "csrf": token,
        "keuze": "inhoud/calamiteitenprotocol",
        "oordeel": "voldoende",
        "toelichting": TYPED,
        **confirmed,
    }


def confirmation_of(browser, token: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The confirmation step's fields ("Controleren" shows what the verdicts become)."""
    check = browser.post(f"/inschrijving/{ZORGFIX}/oordeel", data=judgement_form(token))
    assert check.status_code == 200 and "Controleer het oordeel" in check.text, check.text
    expected = re.search(r'name="verwacht" value="([^"]+)"', check.text)
    assert expected, check.text
    return {"stap": "vastleggen", "verwacht": expected.group(1).replace("&gt;", ">")}


def log_in_again(browser, name: str, volgende: str):  # type: ignore[no-untyped-def]
    from test_web import PASSWORDS

    form = browser.get(f"/aanmelden?volgende={volgende}")
    assert "Wat u verstuurde is niet verwerkt maar wel bewaard" in form.text
    return browser.post(
        "/aanmelden",
        data={
            "naam": name,
            "wachtwoord": PASSWORDS[name][1],
            "csrf": csrf_of(form.text),
            "volgende": volgende,
        },
    )


def test_the_page_says_how_long_the_session_has_and_it_can_be_extended(db_url):  # noqa: F811
    rob = logged_in(db_url, "rob")
    page = rob.get("/").text
    seconds = int(re.search(r'data-seconden="(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert IDLE.total_seconds() - 120 < seconds <= IDLE.total_seconds()
    assert 'src="/static/sessie.js"' in page and 'aria-live="assertive"' in page
    assert rob.get("/static/sessie.js").status_code == 200
    expire(db_url, rob)
    assert rob.get("/sessie").json() == {"seconden": 0}
    # Asking did not end nor use the session; a form of this session is still kept (below).
    nobody = client(db_url)
    assert nobody.get("/sessie").json() == {"seconden": 0}
    fresh = logged_in(db_url, "rob")
    token = csrf_of(fresh.get("/").text)
    stayed = fresh.post("/sessie/verlengen", data={"csrf": token})
    assert stayed.status_code == 200 and stayed.json()["seconden"] > IDLE.total_seconds() - 5
    assert fresh.post("/sessie/verlengen", data={"csrf": "vals"}).status_code == 403


def test_a_judgement_posted_after_the_session_ended_is_kept_and_offered_again(db_url):  # noqa: F811
    store = Store(db_url)
    before = len(store.screenings_of(store.submission(ZORGFIX).pk))
    rob = logged_in(db_url, "rob")
    token = csrf_of(rob.get(f"/inschrijving/{ZORGFIX}").text)
    confirmed = confirmation_of(rob, token)  # checked; then the session ends before "Ja"
    expire(db_url, rob)
    sent = rob.post(f"/inschrijving/{ZORGFIX}/oordeel", data=judgement_form(token, **confirmed))
    assert sent.status_code == 303
    target = sent.headers["location"]
    match = re.fullmatch(r"/aanmelden\?volgende=(/bewaard/\d+)", target.replace("%2F", "/"))
    assert match, target
    kept_path = match.group(1)
    assert len(store.screenings_of(store.submission(ZORGFIX).pk)) == before  # nothing done
    # Another account never sees it, whatever it asks.
    anna = logged_in(db_url, "anna")
    refused = anna.get(kept_path)
    assert refused.status_code == 404 and TYPED not in refused.text
    anna_token = csrf_of(anna.get("/").text)
    assert anna.post(f"{kept_path}/weggooien", data={"csrf": anna_token}).status_code == 404
    confirmed = {"csrf": anna_token, "bevestigd": "ja"}
    assert anna.post(f"{kept_path}/weggooien", data=confirmed).status_code == 404  # not hers
    # The same account, logged in again, finds it as typed and sends it again.
    back = log_in_again(rob, "rob", kept_path)
    assert back.status_code == 303 and back.headers["location"] == kept_path
    offered = rob.get(kept_path)
    assert offered.status_code == 200 and TYPED in offered.text
    assert f'action="/inschrijving/{ZORGFIX}/oordeel"' in offered.text
    # Labelled as the judgement form labels them; its hidden fields stay hidden.
    assert "<label>Eis (document of uitsluitingsgrond) <input" in offered.text
    assert "<label>Toelichting <textarea" in offered.text
    assert ">Keuze <" not in offered.text and ">Stap <" not in offered.text
    assert '<input type="hidden" name="stap" value="vastleggen">' in offered.text
    fields = re.findall(r'name="([a-z_]+)" value="([^"]*)"', offered.text)
    fields += re.findall(r'<textarea name="([a-z_]+)"[^>]*>(.*?)</textarea>', offered.text, re.S)
    again = {name: html.unescape(value) for name, value in fields}
    again["toelichting"] = TYPED
    done = rob.post(f"/inschrijving/{ZORGFIX}/oordeel", data=again)
    assert done.status_code == 303 and "gedaan=oordeel" in done.headers["location"]
    assert len(store.screenings_of(store.submission(ZORGFIX).pk)) == before + 1
    assert rob.get(kept_path).status_code == 404  # sent: no longer offered
    actions = [e.action for e in store.audit_events()]
    assert "formulier-bewaard" in actions
    assert all(TYPED not in (e.detail or "") for e in store.audit_events())


def test_a_form_without_the_ended_sessions_token_is_not_kept(db_url):  # noqa: F811
    rob = logged_in(db_url, "rob")
    rob.get("/")
    expire(db_url, rob)
    forged = rob.post(f"/inschrijving/{ZORGFIX}/oordeel", data=judgement_form("vals"))
    assert forged.status_code == 303
    assert "bewaard" not in forged.headers["location"]
    account = Store(db_url).account("rob")
    assert account is not None and account.id is not None
    assert all(TYPED not in row.fields for row in Store(db_url).kept_forms(account.id))


def kept_after_expiry(db_url: str, name: str, path: str, page: str = CASE, **sent):  # type: ignore[no-untyped-def]  # noqa: F811
    """`sent` (requests' data= and files=) posted to `path` after the session of `name` ended,
    and the account logged in again: (browser, the kept form's path, its page)."""
    browser = logged_in(db_url, name)
    token = csrf_of(browser.get(page).text)
    expire(db_url, browser)
    data = {**sent.pop("data", {}), "csrf": token}
    answer = browser.post(path, data=data, **sent)
    assert answer.status_code == 303, answer.text
    kept_path = answer.headers["location"].replace("%2F", "/").split("volgende=")[1]
    assert kept_path.startswith("/bewaard/"), answer.headers["location"]
    assert log_in_again(browser, name, kept_path).status_code == 303
    return browser, kept_path, browser.get(kept_path)


def test_a_kept_form_is_discarded_only_after_its_confirmation(db_url):  # noqa: F811
    rob, kept_path, page = kept_after_expiry(
        db_url,
        "rob",
        f"{CASE}/oordeel",
        data=judgement_form(""),
    )
    offered, token = page.text, csrf_of(page.text)
    assert f'action="{kept_path}/weggooien"' in offered and "Weggooien…" in offered
    # The button asks first; so does any post without the confirmation's own field.
    for sent in ({}, {"bevestigd": ""}, {"bevestigd": "nee"}, {"bevestigd": "true"}):
        asked = rob.post(f"{kept_path}/weggooien", data={"csrf": token, **sent})
        assert asked.status_code == 200, asked.text
        assert "Ja, formulier weggooien" in asked.text and 'id="melding"' in asked.text
        assert 'name="bevestigd" value="ja"' in asked.text and TYPED in asked.text
        assert rob.get(kept_path).status_code == 200  # still kept
    # The confirmation itself discards it, with a status saying so.
    done = rob.post(f"{kept_path}/weggooien", data={"csrf": token, "bevestigd": "ja"})
    assert done.status_code == 303 and rob.get(kept_path).status_code == 404
    assert "Het bewaarde formulier is weggegooid." in rob.get(done.headers["location"]).text
    assert "formulier-weggegooid" in [e.action for e in Store(db_url).audit_events()]


def test_every_label_a_form_asks_for_is_in_the_labels_file_and_each_form_uses_its_own():
    """The pages and a kept or refused form read one set of labels (kit/output/labels.yaml):
    each label a template asks for is there, and every form named there is one a page sends."""
    asked = set()
    for template in (Path(kit.web.__file__).parent / "templates").glob("*.html"):
        for form, name in re.findall(r'field_label\("([^"]+)", "([^"]+)"\)', template.read_text()):
            assert field_label(form, name).strip(), (template.name, form, name)
            asked.add(form)
    assert asked == set(yaml.safe_load(LABELS.read_text(encoding="utf-8"))["form_fields"])
    assert typed_label("/inschrijving/{submission_id}/beoordelen/{document}", "uitkomst-vog-1")
    assert form_of("/inschrijving/INS-2024-0042/oordeel") == "/inschrijving/{submission_id}/oordeel"
    assert form_of("/inschrijving/INS-2024-0042/x/oordeel") is None


def test_a_file_chosen_in_an_ended_session_is_named_and_chosen_again_never_kept(db_url):  # noqa: F811
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\nverlopen"
    rob, kept_path, offered = kept_after_expiry(
        db_url,
        "rob",
        f"{CASE}/bestand",
        data={"soort": "calamiteitenprotocol"},
        files={"bestand": ("protocol-mei.pdf", pdf, "application/pdf")},
    )
    text = offered.text
    assert offered.status_code == 200
    assert "Het bestand <strong>protocol-mei.pdf</strong> (Documentbestand (PDF, PNG of JPEG))" in (
        text
    )
    assert "is niet bewaard. Kies het hieronder opnieuw." in text
    assert 'enctype="multipart/form-data"' in text
    assert re.search(
        r'<input type="file" name="bestand" required aria-describedby="niet-bewaard-1"', text
    )
    assert '<label>Soort document <input name="soort" value="calamiteitenprotocol">' in text
    store = Store(db_url)
    account = store.account("rob")
    assert account is not None and account.id is not None
    (row,) = [r for r in store.kept_forms(account.id) if r.action.endswith("/bestand")]
    assert "verlopen" not in row.fields and "%PDF" not in row.fields  # the content: not kept
    # Chosen again on the kept form: stored as any upload, and the kept form is gone.
    before = len(store.case_files(store.submission(ZORGFIX).pk))
    token = csrf_of(text)
    sent = {"csrf": token, "bewaard": kept_path.rsplit("/", 1)[1], "soort": "calamiteitenprotocol"}
    done = rob.post(
        f"/inschrijving/{ZORGFIX}/bestand",
        data=sent,
        files={"bestand": ("protocol-mei.pdf", pdf, "application/pdf")},
    )
    assert done.status_code == 303 and "gedaan=bestand" in done.headers["location"]
    assert len(store.case_files(store.submission(ZORGFIX).pk)) == before + 1
    assert rob.get(kept_path).status_code == 404


def test_a_form_with_only_a_file_is_kept_too_and_a_password_never(db_url):  # noqa: F811
    # Before, a form whose only field was a file counted as "nothing typed" and went unsaid.
    _, _, offered = kept_after_expiry(
        db_url,
        "rob",
        f"{CASE}/ronde",
        files={"bestand": ("ronde-2.yaml", b"documents: []\n", "application/yaml")},
    )
    assert "Het bestand <strong>ronde-2.yaml</strong> (Casusbestand" in offered.text
    secret = "geheim-wachtwoord-12345"
    _, _, offered = kept_after_expiry(
        db_url,
        "bea",
        "/beheer/accounts",
        page="/beheer/accounts",
        data={"naam": "nieuw", "rol": "reviewer", "wachtwoord": secret},
    )
    assert secret not in offered.text and "een wachtwoord wordt niet bewaard" in offered.text
    assert '<input type="password" name="wachtwoord" required' in offered.text
    assert '<label>Naam <input name="naam" value="nieuw">' in offered.text
    store = Store(db_url)
    assert all(
        secret not in row.fields
        for account in store.accounts()
        if account.id is not None
        for row in store.kept_forms(account.id)
    )
