"""Issue 25, item 2: sessions that keep the work. The page knows how long its session has left
(for the warning, kit/web/static/sessie.js) and can stay logged in; a form posted after the
session ended is kept for that session's account, offered again after logging in, and never
shown to another account."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlmodel import update
from test_web import ZORGFIX, client, csrf_of, db_url, logged_in  # noqa: F401  (the fixture)

from kit.services.accounts import IDLE, _token_hash
from kit.store import Store
from kit.store.tables import WebSessionRow, utcnow
from kit.web.auth import COOKIE

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
    assert anna.post(f"{kept_path}/weggooien", data={"csrf": anna_token}).status_code == 303
    # The same account, logged in again, finds it as typed and sends it again.
    back = log_in_again(rob, "rob", kept_path)
    assert back.status_code == 303 and back.headers["location"] == kept_path
    offered = rob.get(kept_path)
    assert offered.status_code == 200 and TYPED in offered.text
    assert f'action="/inschrijving/{ZORGFIX}/oordeel"' in offered.text
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
