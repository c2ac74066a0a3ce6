"""Issue 13 (first part): the web application behind a real login. Tried as an attacker
would: no page without a session, no form without its CSRF token, the role from the account
and never from the request, throttled guessing, no sensitive value for a role that may not see
it, no script from a provider's name."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from conftest import CASES, SERVED, kit_serve, send_request
from fastapi.testclient import TestClient
from support import (
    PASSWORDS,
    REG_NUMBERS,
    SELF_CLEANING,
    client,
    csrf_of,
    logged_in,
    sensitive_case,
    sensitive_values,
    users_add,
)
from typer.testing import CliRunner

from kit.cli import app as cli
from kit.services.accounts import FREE_TRIES, IDLE, log_in, session_of
from kit.services.actor import Actor
from kit.store import Store
from kit.store.tables import utcnow
from kit.timezone import today
from kit.web.app import create_app
from kit.web.auth import COOKIE

runner = CliRunner()
ZORGFIX = "INS-2024-0042"
BORNE = "INS-2024-0276"  # herstel in 2024, its repair deadline long past
EXAMPLES = CASES.parent / "examples"
HORST = "INS-2024-0521"
PAGES = ["/", f"/inschrijving/{HORST}", "/audit", "/beheer/accounts", "/export.csv", "/export.xlsx"]


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    """The shipped cases plus the sensitive variant of De Horst, and three accounts."""
    tmp = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{tmp / 'kit.db'}"
    cases = tmp / "cases"
    cases.mkdir()
    for path in CASES.glob("*.yaml"):
        if "horst" not in path.name:
            (cases / path.name).write_bytes(path.read_bytes())
    (cases / "horst.yaml").write_text(yaml.safe_dump(sensitive_case(), allow_unicode=True))
    done = runner.invoke(cli, ["screen", str(cases), "--db", url], env={"KIT_USER": "tester"})
    assert done.exit_code in (0, 1), done.output
    # Zorgfix was sent its repair request on 24 April (as in the user guide), Borne the day it was
    # screened (P2).
    send_request(url, ZORGFIX, "2024-04-24")
    send_request(url, BORNE, "2024-05-02")
    for name, (role, password) in PASSWORDS.items():
        added = users_add(url, name, role, password)
        assert added.exit_code == 0, added.output
    return url


def screen_provider(db_url: str, folder: Path, number: str, name: str | None = None) -> None:
    """Zorgfix's case as another provider (INS-2024-<number>, KvK <number> x 2), screened into
    the database through the command line."""
    raw = yaml.safe_load((CASES / "zorgfix-bv.yaml").read_text(encoding="utf-8"))
    raw["submission"]["id"] = f"INS-2024-{number}"
    raw["submission"]["provider"]["kvk"] = number * 2
    if name is not None:
        raw["submission"]["provider"]["name"] = name
    case = folder / f"aanbieder-{number}.yaml"
    case.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    done = runner.invoke(cli, ["screen", str(case), "--db", db_url])
    assert done.exit_code in (0, 1), done.output


def test_every_page_asks_for_a_login_first(db_url):
    browser = client(db_url)
    for path in PAGES:
        answer = browser.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/aanmelden?volgende=")
    answer = browser.post(f"/inschrijving/{HORST}/notitie", data={"tekst": "x", "csrf": "x"})
    assert answer.status_code == 303
    assert Store(db_url).notes(Store(db_url).submission(HORST).pk) == []


def test_a_forged_or_stale_cookie_is_no_session(db_url):
    browser = client(db_url)
    browser.cookies.set(COOKIE, "a" * 43)
    assert browser.get("/").status_code == 303


def test_the_logged_in_account_sees_the_list_with_labels_beside_colours(db_url):
    browser = logged_in(db_url, "rob")
    page = browser.get("/?uitspraak=herstel-nodig&peildatum=2024-04-10")
    assert page.status_code == 200
    assert "Centrale lijst" in page.text and "rob (beoordelaar)" in page.text
    # Colour is a class; the verdict is written out beside it.
    assert re.search(r'class="uitspraak v-herstel-nodig">herstel<', page.text)
    assert "v-toegelaten" not in page.text  # the filter holds
    bad = browser.get("/?uitspraak=bogus")
    assert bad.status_code == 400 and "Onbekende waarde &#39;bogus&#39;" in bad.text
    assert 'id="fout-uitspraak"' in bad.text  # beside the field (issue 25, item 7)
    assert "--uitspraak" not in bad.text


def test_wrong_password_and_unknown_name_get_the_same_answer(db_url):
    browser = client(db_url)
    token = csrf_of(browser.get("/aanmelden").text)
    wrong = browser.post("/aanmelden", data={"naam": "rob", "wachtwoord": "fout", "csrf": token})
    nobody = browser.post(
        "/aanmelden", data={"naam": "niemand", "wachtwoord": "fout", "csrf": token}
    )
    assert wrong.status_code == nobody.status_code == 401
    assert "onbekende naam of verkeerd wachtwoord" in wrong.text
    assert "onbekende naam of verkeerd wachtwoord" in nobody.text
    assert COOKIE not in wrong.cookies


def test_guessing_is_throttled(db_url):
    store = Store(db_url)
    users_add(db_url, "gok", "inkoop", "gok-wachtwoord-12")
    # A guesser's address of its own: the wait binds it, not the other tests' browsers.
    browser = TestClient(create_app(db_url), follow_redirects=False, client=("203.0.113.5", 1))
    token = csrf_of(browser.get("/aanmelden").text)
    for _ in range(FREE_TRIES):
        browser.post("/aanmelden", data={"naam": "gok", "wachtwoord": "raden", "csrf": token})
    right = browser.post(
        "/aanmelden", data={"naam": "gok", "wachtwoord": "gok-wachtwoord-12", "csrf": token}
    )
    assert right.status_code == 401 and "te veel mislukte pogingen" in right.text
    # Others are not kept out by it.
    assert log_in(store, "rob", PASSWORDS["rob"][1])  # tests/web/test_abuse.py: the rules in full


def test_the_login_form_needs_its_own_token(db_url):
    browser = client(db_url)
    answer = browser.post(
        "/aanmelden", data={"naam": "rob", "wachtwoord": PASSWORDS["rob"][1], "csrf": "geraden"}
    )
    assert answer.status_code == 403 and COOKIE not in answer.cookies


def test_after_logging_in_only_a_path_on_this_site(db_url):
    for target, expected in (
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/audit", "/audit"),
    ):
        browser = client(db_url)
        token = csrf_of(browser.get("/aanmelden").text)
        done = browser.post(
            "/aanmelden",
            data={
                "naam": "anna",
                "wachtwoord": PASSWORDS["anna"][1],
                "csrf": token,
                "volgende": target,
            },
        )
        assert done.headers["location"] == expected, target


def test_a_form_without_the_sessions_token_is_refused_and_stores_nothing(db_url):
    browser = logged_in(db_url, "anna")
    store = Store(db_url)
    before = len(store.notes(store.submission(HORST).pk))
    answer = browser.post(f"/inschrijving/{HORST}/notitie", data={"tekst": "x", "csrf": "vals"})
    assert answer.status_code == 403
    assert len(store.notes(store.submission(HORST).pk)) == before


def test_a_toezicht_note_from_the_web_names_the_account_in_the_audit(db_url):
    browser = logged_in(db_url, "anna")
    page = browser.get(f"/inschrijving/{HORST}")
    answer = browser.post(
        f"/inschrijving/{HORST}/notitie",
        data={"tekst": "Signaal van het wijkteam", "csrf": csrf_of(page.text)},
    )
    assert answer.status_code == 303
    assert "Signaal van het wijkteam" in browser.get(f"/inschrijving/{HORST}").text
    [event] = [e for e in Store(db_url).audit_events() if e.action == "notitie"][-1:]
    assert (event.actor, event.role) == ("anna", "toezicht")
    audit = browser.get("/audit").text  # the details in Dutch, as kit audit prints them
    assert "tekens: 24" in audit and "chars:" not in audit
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d</td>", audit)  # as kit audit: to the minute


def test_the_role_is_the_accounts_not_what_the_browser_claims(db_url):
    browser = logged_in(db_url, "rob")
    page = browser.get(f"/inschrijving/{HORST}")
    assert "Notities" not in page.text
    # A reviewer who copies a toezicht form (with his own valid token) is still a reviewer.
    store = Store(db_url)
    before = len(store.notes(store.submission(HORST).pk))
    token = csrf_of(browser.get("/").text)
    answer = browser.post(
        f"/inschrijving/{HORST}/notitie",
        data={"tekst": "ik ben toezicht", "csrf": token, "rol": "toezicht"},
        headers={"X-Kit-Role": "toezicht"},
    )
    assert answer.status_code == 403 and "voorbehouden aan de rol toezicht" in answer.text
    assert len(store.notes(store.submission(HORST).pk)) == before
    assert browser.get("/audit").status_code == 403
    assert browser.get("/beheer/accounts").status_code == 403


def test_sensitive_values_reach_toezicht_only(db_url):
    """The CLI role test's values (registration numbers, VOG and event dates, the diploma field,
    the self-cleaning text) and the full sensitive messages: on no page, export, letter or API
    answer for reviewer, bibob, inkoop or beheer; toezicht sees them."""
    import io

    import openpyxl

    from kit.screening.policy import may_see

    store = Store(db_url)
    horst = store.screenings_of(store.submission(HORST).pk)[-1]
    sensitive = [
        f for f in store.findings(horst.pk) if f.sensitive and f.message != f.neutral_message
    ]
    full = {f.message for f in sensitive}
    assert full
    toezicht = logged_in(db_url, "anna").get(f"/inschrijving/{HORST}").text
    assert any(message in toezicht for message in full)
    assert any(value in toezicht for value in sensitive_values())
    paths = [
        f"/inschrijving/{HORST}",
        f"/?aanbieder={HORST}",
        f"/?aanbieder={HORST}&peildatum=2024-07-16",
        "/export.csv",
        "/werkvoorraad",
        f"/inschrijving/{HORST}/brief/besluit.md",
        f"/api/inschrijving/{HORST}",
        "/api/werkvoorraad",
        f"/api/lijst?aanbieder={HORST}",
    ]
    for name in ("rob", "bo", "ike", "bea"):
        browser = logged_in(db_url, name)
        texts = {path: browser.get(path).text for path in paths}
        book = openpyxl.load_workbook(io.BytesIO(browser.get("/export.xlsx").content))
        texts["/export.xlsx"] = " ".join(
            str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c
        )
        role = PASSWORDS[name][0]
        # The Bibob officials read the Bibob outcome itself (kit.screening.policy.may_see); nothing
        # else.
        hidden = [*sensitive_values(), *(f.message for f in sensitive if not may_see(role, f))]
        for path, text in texts.items():
            for value in hidden:
                assert value not in text, (name, path, value)


def test_a_providers_name_is_shown_as_text_never_as_markup(db_url, tmp_path):
    screen_provider(db_url, tmp_path, "7777", '<script>alert("x")</script> B.V.')
    browser = logged_in(db_url, "rob")
    for path in ("/?aanbieder=77777777", "/inschrijving/INS-2024-7777"):
        page = browser.get(path)
        assert "<script>" not in page.text
        assert "&lt;script&gt;" in page.text
        assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self'
        assert page.headers["x-frame-options"] == "DENY"


def test_beheer_manages_accounts_in_the_app(db_url):
    browser = logged_in(db_url, "bea")
    page = browser.get("/beheer/accounts")
    token = csrf_of(page.text)
    short = browser.post(
        "/beheer/accounts",
        data={"naam": "kort", "rol": "inkoop", "wachtwoord": "kort", "csrf": token},
    )
    assert short.status_code == 400 and "minstens 12 tekens" in short.text
    made = browser.post(
        "/beheer/accounts",
        data={"naam": "ina", "rol": "inkoop", "wachtwoord": "ina-wachtwoord-12", "csrf": token},
    )
    assert made.status_code == 303
    again = browser.post(
        "/beheer/accounts",
        data={"naam": "ina", "rol": "beheer", "wachtwoord": "ander-wachtwoord", "csrf": token},
    )
    assert again.status_code == 400 and "bestaat al" in again.text
    account = Store(db_url).account("ina")
    assert account is not None and account.role == "inkoop"
    assert (
        account.password_hash.startswith("$argon2")
        and "ina-wachtwoord" not in account.password_hash
    )
    # Switched off: her session ends at once and she cannot log in again.
    ina = client(db_url)
    ina_form = ina.get("/aanmelden")
    assert (
        ina.post(
            "/aanmelden",
            data={"naam": "ina", "wachtwoord": "ina-wachtwoord-12", "csrf": csrf_of(ina_form.text)},
        ).status_code
        == 303
    )
    assert ina.get("/").status_code == 200
    assert browser.post("/beheer/accounts/ina/uit", data={"csrf": token}).status_code == 200
    assert ina.get("/").status_code == 200  # not confirmed: nothing changed
    confirmed = {"csrf": token, "bevestigd": "ja"}
    assert browser.post("/beheer/accounts/ina/uit", data=confirmed).status_code == 303
    assert ina.get("/").status_code == 303
    events = [(e.actor, e.action) for e in Store(db_url).audit_events()]
    assert ("bea", "account-aangemaakt") in events and ("bea", "account-gewijzigd") in events


def test_a_session_ends_after_idle_time_and_at_logout(db_url):
    store = Store(db_url)
    token = log_in(store, "rob", PASSWORDS["rob"][1])
    assert session_of(store, token) is not None
    assert session_of(store, token, utcnow() + IDLE + timedelta(minutes=1)) is None
    assert session_of(store, token) is None  # removed, not just skipped
    browser = logged_in(db_url, "rob")
    token = csrf_of(browser.get("/").text)
    assert browser.post("/afmelden", data={"csrf": token}).status_code == 303
    assert browser.get("/").status_code == 303


def test_users_add_refuses_a_name_in_use_and_a_short_password(db_url):
    again = users_add(db_url, "rob", "beheer", "nog-een-wachtwoord")
    assert again.exit_code == 1 and "account 'rob' bestaat al" in again.stderr
    short = users_add(db_url, "kees", "reviewer", "kort")
    assert short.exit_code == 1 and "minstens 12 tekens" in short.stderr
    account = Store(db_url).account("rob")
    assert account is not None and account.role == "reviewer"


def test_the_service_checks_the_role_too(db_url):
    from kit.errors import KitError
    from kit.services.accounts import add_account

    with pytest.raises(KitError, match="voorbehouden aan de rol beheer"):
        add_account(Store(db_url), Actor("rob", "reviewer"), "x", "beheer", "x" * 20)


def test_pages_and_messages_are_dutch(db_url):
    browser = logged_in(db_url, "rob")
    missing = browser.get("/bestaat-niet")
    assert missing.status_code == 404 and "Deze pagina bestaat niet." in missing.text
    assert '<html lang="nl">' in missing.text


def test_kit_serve_answers_on_its_port(tmp_path):
    """The command a region runs: a real server process, asked over HTTP, stopped by Ctrl-C."""
    import signal
    import subprocess
    import sys
    import urllib.request

    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    subprocess.run(
        [sys.executable, "-m", "kit", "screen", str(CASES / "zorgfix-bv.yaml"), "--db", db_url],
        capture_output=True,
        check=False,
    )
    with kit_serve(db_url, stop=signal.SIGINT) as base:
        with urllib.request.urlopen(f"{base}/aanmelden") as answer:
            assert answer.status == 200
            assert "Aanmelden" in answer.read().decode("utf-8")
            assert answer.headers["X-Frame-Options"] == "DENY"
            assert "server" not in {k.lower() for k in answer.headers}
    # Ctrl-C is a normal stop: said so, exit 0, and the database file left whole (no WAL files).
    code, output = SERVED[base]
    assert code == 0 and "KIT-screening gestopt." in output and "onderbroken" not in output
    assert (tmp_path / "kit.db").is_file()
    assert not list(tmp_path.glob("*.db-wal")) and not list(tmp_path.glob("*.db-shm"))


def form(browser: TestClient, submission_id: str, action: str, data: dict, **kw):
    token = csrf_of(browser.get(f"/inschrijving/{submission_id}").text)
    return browser.post(
        f"/inschrijving/{submission_id}/{action}", data={**data, "csrf": token}, **kw
    )


def test_a_reviewer_records_a_judgement_and_sees_the_new_screening(db_url):
    browser = logged_in(db_url, "rob")
    before = len(Store(db_url).screenings_of(Store(db_url).submission(ZORGFIX).pk))
    data = {
        "keuze": "inhoud/calamiteitenprotocol",
        "oordeel": "voldoende",
        "toelichting": "Meldprocedure richting IGJ nu beschreven.",
    }
    check = form(browser, ZORGFIX, "oordeel", {**data, "stap": "controleren"})
    assert check.status_code == 200 and "Controleer het oordeel" in check.text
    assert len(Store(db_url).screenings_of(Store(db_url).submission(ZORGFIX).pk)) == before
    expected = re.search(r'name="verwacht" value="([^"]+)"', check.text)
    assert expected, check.text
    confirmed = {**data, "stap": "vastleggen", "verwacht": expected.group(1).replace("&gt;", ">")}
    done = form(browser, ZORGFIX, "oordeel", confirmed)
    assert done.status_code == 303, done.text
    page = browser.get(done.headers["location"])
    assert "Oordeel vastgelegd; nieuwe screening SCR-" in page.text
    assert "herstelronde(s) gebruikt" in page.text
    store = Store(db_url)
    assert len(store.screenings_of(store.submission(ZORGFIX).pk)) == before + 1
    [event] = [e for e in store.audit_events() if e.action == "beslissing-inhoud"][-1:]
    assert (event.actor, event.role) == ("rob", "reviewer")


def test_actions_outside_the_role_are_refused_and_store_nothing(db_url):
    attempts = [
        (
            "ike",
            "bibob",
            {
                "status": "afgerond",
                "uitkomst": "geen-bezwaar",
                "datum": "2024-05-01",
                "kenmerk": "B-2",
                "toelichting": "x",
            },
        ),
        (
            "rob",
            "bibob",
            {
                "status": "afgerond",
                "uitkomst": "geen-bezwaar",
                "datum": "2024-05-01",
                "kenmerk": "B-1",
                "toelichting": "x",
            },
        ),
        ("rob", "extra-ronde", {"reden": "x"}),
        ("bo", "notitie", {"tekst": "x"}),
        (
            "ike",
            "oordeel",
            {"keuze": "uitleg/rie", "oordeel": "voldoende", "toelichting": "x"},
        ),
    ]
    store = Store(db_url)
    sub = store.submission(ZORGFIX)

    def counts() -> tuple[int, ...]:
        changes = [e for e in store.audit_events() if e.action not in ("aangemeld", "inzage")]
        return (
            len(store.decisions(sub.pk)),
            len(store.notes(sub.pk)),
            len(store.screenings_of(sub.pk)),
            len(changes),
        )

    before = counts()
    for name, action, data in attempts:
        answer = form(logged_in(db_url, name), ZORGFIX, action, data)
        assert answer.status_code == 403, (name, action, answer.text[-500:])
        assert "voorbehouden aan de rol" in answer.text
    assert counts() == before


def test_bibob_and_inkoop_do_their_own_part(db_url):
    bo = logged_in(db_url, "bo")
    done = form(
        bo,
        ZORGFIX,
        "bibob",
        {
            "status": "afgerond",
            "uitkomst": "geen-bezwaar",
            "datum": "2024-05-01",
            "kenmerk": "BIB-2024-17",
            "toelichting": "Geen aanwijzingen.",
            "stap": "vastleggen",
        },
    )
    assert (
        done.status_code == 303
        and "Bibob-uitkomst vastgelegd" in bo.get(done.headers["location"]).text
    )
    ike = logged_in(db_url, "ike")
    granted = form(ike, ZORGFIX, "extra-ronde", {"reden": "Calamiteit bij de aanbieder"})
    assert granted.status_code == 303
    store = Store(db_url)
    assert any(e.action == "extra-herstelronde" and e.actor == "ike" for e in store.audit_events())


def test_a_new_round_is_uploaded_checked_and_screened(db_url):
    browser = logged_in(db_url, "rob")
    text = (EXAMPLES / "zorgfix-ronde-1.yaml").read_bytes()
    done = form(browser, ZORGFIX, "ronde", {}, files={"bestand": ("zorgfix-ronde-1.yaml", text)})
    assert done.status_code == 303
    assert "Gescreend en opgeslagen: SCR-" in browser.get(done.headers["location"]).text
    store = Store(db_url)
    assert (
        store.screenings_of(store.submission(ZORGFIX).pk)[-1].source == "web: zorgfix-ronde-1.yaml"
    )
    other = form(browser, HORST, "ronde", {}, files={"bestand": ("zorgfix.yaml", text)})
    assert other.status_code == 400 and "hoort bij inschrijving" in other.text
    wrong = form(browser, ZORGFIX, "ronde", {}, files={"bestand": ("brief.exe", b"MZ")})
    assert wrong.status_code == 400 and "YAML- of JSON-bestand" in wrong.text
    broken = form(browser, ZORGFIX, "ronde", {}, files={"bestand": ("kapot.yaml", b"a: [")})
    assert broken.status_code == 400 and "kapot.yaml" in broken.text and "/tmp" not in broken.text


def test_letters_and_differences_can_be_read(db_url):
    browser = logged_in(db_url, "rob")
    page = browser.get(f"/inschrijving/{ZORGFIX}")  # who a finding is about, in words
    assert "medewerker S03" in page.text and "staff:S03" not in page.text
    letter = browser.get(f"/inschrijving/{ZORGFIX}/brief/besluit.md")
    assert letter.status_code == 200 and letter.headers["content-type"].startswith("text/markdown")
    assert "Zorgfix" in letter.text
    word = browser.get(f"/inschrijving/{ZORGFIX}/brief/besluit.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    import io

    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    # The Word document opens as the Markdown letter does ("Besluit" once a lot is decided,
    # "Stand van de" before: kit.screening.rounds decides that, tests/output/test_letters.py what
    # each says).
    heading = letter.text.splitlines()[0].removeprefix("# ")
    assert heading.endswith("KIT-screening — Zorgfix B.V.") and heading in text
    assert "{{" not in text
    assert browser.get(f"/inschrijving/{ZORGFIX}/brief/iets.md").status_code == 400
    assert browser.get(f"/inschrijving/{ZORGFIX}/brief/besluit.pdf").status_code == 400
    store = Store(db_url)
    codes = [row.code for row in store.screenings_of(store.submission(ZORGFIX).pk)]
    diff = browser.get(f"/inschrijving/{ZORGFIX}/verschil?van={codes[0]}&naar={codes[-1]}")
    assert diff.status_code == 200 and "Opgelost" in diff.text
    foreign = browser.get(f"/inschrijving/{HORST}/verschil?van={codes[0]}&naar={codes[-1]}")
    assert foreign.status_code == 400


def test_a_decision_that_states_the_declaration_is_served_to_toezicht_only(db_url):
    """Zorggroep Vitaal's decision names its board member's conviction from the self-declaration:
    the web serves it to toezicht and refuses it (403, one Dutch line) to every other role."""
    vitaal = "/inschrijving/INS-2024-0519/brief/besluit"
    conviction = "uw bestuurder B2 op 14 september 2021 onherroepelijk veroordeeld voor fraude"
    for name in ("rob", "bo", "ike", "bea"):
        browser = logged_in(db_url, name)
        for fmt in ("md", "docx"):
            answer = browser.get(f"{vitaal}.{fmt}?datum=2024-06-04")
            assert answer.status_code == 403, (name, fmt)
            assert "het besluit schrijft toezicht" in answer.text
            assert "14 september 2021" not in answer.text and "fraude" not in answer.text
    served = logged_in(db_url, "anna").get(f"{vitaal}.md?datum=2024-06-04")
    assert served.status_code == 200 and conviction in served.text


def test_inkoop_assigns_and_the_reviewer_finds_it_in_his_werkvoorraad(db_url):
    ike = logged_in(db_url, "ike")
    page = ike.get("/werkvoorraad")
    assert page.status_code == 200 and "Toewijzen" in page.text
    token = csrf_of(page.text)
    done = ike.post(
        "/werkvoorraad/toewijzen", data={"inschrijving": HORST, "reviewer": "rob", "csrf": token}
    )
    assert done.status_code == 303
    nobody = ike.post(
        "/werkvoorraad/toewijzen", data={"inschrijving": HORST, "reviewer": "anna", "csrf": token}
    )
    assert (
        nobody.status_code == 400 and "geen actief account met de rol beoordelaar" in nobody.text
    )  # issue 25, item 7
    rob = logged_in(db_url, "rob")
    mine = rob.get("/werkvoorraad").text
    assert "Aan mij toegewezen (1)" in mine and HORST in mine
    assert "Toewijzen</h2>" not in mine
    refused = rob.post(
        "/werkvoorraad/toewijzen",
        data={"inschrijving": ZORGFIX, "reviewer": "rob", "csrf": csrf_of(mine)},
    )
    assert refused.status_code == 403
    assert "Wacht op een inhoudelijk oordeel" in mine
    # The list filtered on the reviewer it is assigned to, and the submission page says so.
    listed = rob.get("/?toegewezen=rob")
    assert HORST in listed.text and ZORGFIX not in listed.text
    assert "In handen van <strong>rob</strong>." in rob.get(f"/inschrijving/{HORST}").text


def test_the_werkvoorraad_holds_the_judgements_the_accounts_role_records(db_url):
    everything = logged_in(db_url, "ike").get("/api/werkvoorraad").json()  # inkoop: all
    judgements = [i for i in everything if i["soort"] == "beoordeling"]
    assert {r for i in judgements for r in i["judged_by"]} == {"reviewer", "toezicht", "bibob"}
    for name, role in (("rob", "reviewer"), ("anna", "toezicht"), ("bo", "bibob")):
        mine = [i for i in logged_in(db_url, name).get("/api/werkvoorraad").json()]
        listed = [i for i in mine if i["soort"] == "beoordeling"]
        assert listed and all(role in i["judged_by"] for i in listed), name
        expected = [i for i in judgements if role in i["judged_by"]]
        assert [i["rule"] for i in listed] == [i["rule"] for i in expected], name
    page = logged_in(db_url, "rob").get("/werkvoorraad").text
    assert "andere wachten op een oordeel van een andere rol" in page
    assert "(door toezicht)" in logged_in(db_url, "ike").get("/werkvoorraad").text


def test_the_toezicht_page_is_toezichts_alone(db_url):
    anna = logged_in(db_url, "anna")
    page = anna.get("/toezicht")
    assert page.status_code == 200
    assert "Openstaande voorwaarden" in page.text and "Niet-declarabele medewerkers" in page.text
    for name in ("rob", "bo", "ike", "bea"):
        answer = logged_in(db_url, name).get("/toezicht")
        assert answer.status_code == 403, name


def test_the_api_answers_in_json_under_the_same_login_and_roles(db_url):
    assert client(db_url).get("/api/lijst").status_code == 303  # not logged in
    assert client(db_url).get("/api/openapi.json").status_code == 303
    rob = logged_in(db_url, "rob")
    rows = rob.get("/api/lijst?peildatum=2024-04-10&uitspraak=herstel-nodig").json()
    assert rows and {row["verdict"] for row in rows} == {"herstel-nodig"}
    result = rob.get(f"/api/inschrijving/{HORST}").json()
    assert result["submission_id"] == HORST
    text = str(result)
    for value in (SELF_CLEANING, *REG_NUMBERS[:3]):
        assert value not in text
    full = str(logged_in(db_url, "anna").get(f"/api/inschrijving/{HORST}").json())
    assert any(value in full for value in (SELF_CLEANING, *REG_NUMBERS[:3]))
    described = rob.get("/api/openapi.json").json()
    assert set(described["paths"]) == {
        "/api/lijst",
        "/api/inschrijving/{submission_id}",
        "/api/werkvoorraad",
    }


def test_the_kept_list_is_the_list_build_report_gives_for_every_filter(db_url):
    """The web application keeps the region's rows between requests and narrows them: for
    each filter exactly the rows build_report reads from the store with that filter."""
    from datetime import date

    from kit.views.report import build_report, narrowed
    from kit.views.standing import Filter

    store = Store(db_url)
    for day in (date(2024, 4, 10), date(2026, 1, 5)):
        every = build_report(store, day)
        for chosen in (
            Filter(),
            Filter(verdict="herstel-nodig"),
            Filter(lot="wmo-dagbesteding", verdict="toegelaten"),
            Filter(risk="groen"),
            Filter(provider="zorg"),
            Filter(provider="12345678"),
            Filter(procedure="inkoop-2025", overdue=True),
        ):
            assert narrowed(every, chosen, day) == build_report(store, day, chosen), chosen


def test_the_list_follows_a_change_made_elsewhere(db_url):
    """A screening stored by another process (the command line) shows at the next request."""
    rob = logged_in(db_url, "rob")
    assert "INS-2024-8888" not in rob.get("/?aanbieder=88888888").text
    screen_provider(db_url, Path(db_url.removeprefix("sqlite:///")).parent, "8888")
    assert "INS-2024-8888" in rob.get("/?aanbieder=88888888").text


def test_letters_as_word_documents_on_the_command_line(db_url, tmp_path):
    import docx

    screen_provider(db_url, tmp_path, "6666", "Zorg & Co <Twente> {{ geen sjabloon }}")
    # A request whose deadline passed: its lot is decided (afgewezen, P3), so the letter is one.
    send_request(db_url, "INS-2024-6666", "2024-04-02")
    out = tmp_path / "besluit.docx"
    done = runner.invoke(
        cli,
        ["letter", "INS-2024-6666", "--formaat", "docx", "--uitvoer", str(out), "--db", db_url],
    )
    assert done.exit_code == 0, done.output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Besluit KIT-screening — Zorg & Co <Twente> {{ geen sjabloon }}" in text
    assert "Bent u het niet eens met dit besluit?" in text
    bare = runner.invoke(cli, ["letter", "INS-2024-6666", "--formaat", "docx", "--db", db_url])
    assert bare.exit_code == 2 and "--uitvoer" in bare.stderr


def test_a_body_larger_than_a_case_file_is_refused_before_it_is_read(db_url, monkeypatch):
    monkeypatch.setenv("KIT_MAX_FILE_MB", "1")
    browser = logged_in(db_url, "rob")
    token = csrf_of(browser.get(f"/inschrijving/{ZORGFIX}").text)
    huge = b"a: b\n" * (300 * 1024)  # 1.5 MB
    answer = browser.post(
        f"/inschrijving/{ZORGFIX}/ronde",
        data={"csrf": token},
        files={"bestand": ("groot.yaml", huge)},
    )
    assert answer.status_code == 413 and "hoogstens 1 MB" in answer.text
    assert answer.headers["x-frame-options"] == "DENY"


def test_a_link_cannot_put_its_own_words_on_a_page(db_url):
    browser = logged_in(db_url, "rob")
    page = browser.get(f"/inschrijving/{ZORGFIX}?gedaan=Uw+account+is+geblokkeerd,+bel+0900")
    assert "geblokkeerd" not in page.text
    forged = browser.get(f"/inschrijving/{ZORGFIX}?gedaan=oordeel&scr=bel+0900")
    assert "bel 0900" not in forged.text and "Oordeel vastgelegd" not in forged.text
    real = browser.get(f"/inschrijving/{ZORGFIX}?gedaan=oordeel&scr=SCR-000042")
    assert "Oordeel vastgelegd; nieuwe screening SCR-000042." in real.text


def test_a_chunked_body_is_refused_whatever_its_headers_claim(db_url):
    """Content-Length beside Transfer-Encoding: chunked would let a body past the length check."""
    browser = client(db_url)
    answer = browser.post(
        f"/inschrijving/{HORST}/ronde",
        content=b"x" * 10,
        headers={"Transfer-Encoding": "chunked", "Content-Type": "multipart/form-data"},
    )
    assert answer.status_code == 411


def test_logins_at_the_same_time_cannot_pass_the_throttle_together(db_url):
    """Twenty wrong passwords at once for one name: no more than FREE_TRIES are checked."""
    from concurrent.futures import ThreadPoolExecutor

    from kit.services.accounts import LoginRefused

    store = Store(db_url)
    users_add(db_url, "race", "inkoop", "race-wachtwoord-12")

    def attempt(_: int) -> str:
        try:
            log_in(store, "race", "fout-wachtwoord", address="198.51.100.9")
        except LoginRefused as exc:
            return exc.message
        return "binnen"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(attempt, range(20)))
    checked = [a for a in answers if a == "onbekende naam of verkeerd wachtwoord"]
    assert len(checked) <= FREE_TRIES and "binnen" not in answers
    assert sum("te veel mislukte pogingen" in a for a in answers) >= 20 - FREE_TRIES


def test_a_session_ends_after_its_maximum_age_however_busy(db_url):
    from kit.services.accounts import MAX_AGE

    store = Store(db_url)
    start = utcnow()
    token = log_in(store, "rob", PASSWORDS["rob"][1], start)
    moment = start
    while moment - start < MAX_AGE - IDLE:  # a request every 20 minutes keeps it from idling
        moment += timedelta(minutes=20)
        assert session_of(store, token, moment) is not None
    assert session_of(store, token, start + MAX_AGE + timedelta(minutes=1)) is None


def test_an_error_page_does_not_name_the_database(db_url):
    page = logged_in(db_url, "rob").get("/inschrijving/INS-BESTAAT-NIET")
    assert page.status_code == 404 and "bestaat niet" in page.text  # issue 25, item 7
    assert "sqlite" not in page.text and "kit.db" not in page.text


def test_a_body_that_claims_less_than_it_sends_is_cut_off_at_the_limit(db_url, monkeypatch):
    """Counted as it arrives: a client whose Content-Length lies still sends no more than the
    limit before the Dutch 413."""
    import asyncio

    monkeypatch.setenv("KIT_MAX_FILE_MB", "1")
    application = create_app(db_url)
    chunk = b"x" * 65536
    sent: list[dict] = []
    pulled = 0

    head = (
        b'--b\r\nContent-Disposition: form-data; name="bestand"; filename="a.yaml"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n"
    )

    async def receive() -> dict:
        nonlocal pulled
        pulled += 1
        body = head if pulled == 1 else chunk
        return {"type": "http.request", "body": body, "more_body": pulled < 10_000}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/inschrijving/{HORST}/ronde",
        "raw_path": f"/inschrijving/{HORST}/ronde".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-length", b"100"),
            (b"content-type", b"multipart/form-data; boundary=b"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    asyncio.run(application(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled * len(chunk) <= 1024 * 1024 + 64 * 1024 + len(chunk)
    assert "hoogstens 1 MB" in b"".join(m.get("body", b"") for m in sent).decode("utf-8")


def test_a_broken_form_gets_a_dutch_answer(db_url):
    browser = logged_in(db_url, "rob")
    answer = browser.post(
        f"/inschrijving/{ZORGFIX}/ronde",
        content=b"--b\r\nkapot",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert answer.status_code == 400
    assert "There was an error" not in answer.text and 'lang="nl"' in answer.text


def test_the_submission_page_shows_the_verdicts_as_they_stand_today(db_url):
    """Once the deadline of the request that named them has passed, what still needed repair is
    afgewezen: the page says what the central list and the decision letter say, with the
    reason, not the screening's verdict of before; and it lists the requests."""

    from kit.views.submission import submission_state

    store = Store(db_url)
    state = submission_state(store, BORNE)
    rounds = state.rounds(today())
    assert rounds.reasons and rounds.verdicts != store.verdicts(state.latest.pk)
    page = logged_in(db_url, "rob").get(f"/inschrijving/{BORNE}").text
    for lot, verdict in rounds.verdicts.items():
        assert f'({lot}): <span class="uitspraak v-{verdict}">' in page
    assert "verstreek op 17 mei 2024" in page
    assert "<td>2024-05-02</td><td>J. de Vries</td><td>1</td>" in page and "verlopen" in page


def test_a_reviewer_sends_a_repair_request_after_a_confirmation(db_url, tmp_path):
    """The submission page's "Herstelverzoek versturen": the date, then a confirmation step that
    shows the deadline it gets (P2), then it is recorded with its letter; only a reviewer."""
    screen_provider(db_url, tmp_path, "5555")
    sub = "INS-2024-5555"
    rob = logged_in(db_url, "rob")
    page = rob.get(f"/inschrijving/{sub}").text
    assert "Herstelverzoek versturen" in page and "Te versturen: 2 bevinding(en)" in page
    waiting = rob.get("/api/werkvoorraad").json()
    assert sub in {i["submission_id"] for i in waiting if i["soort"] == "verzoek"}
    assert "Herstelverzoek te versturen" in rob.get("/werkvoorraad").text
    confirm = rob.get(f"/inschrijving/{sub}/herstelverzoek?verzonden=2024-04-25")
    assert confirm.status_code == 200
    assert "<strong>2024-05-10</strong>" in confirm.text and "herstelronde 1" in confirm.text
    store = Store(db_url)
    assert store.requests_of(store.submission(sub).pk) == []  # looking records nothing
    for name in ("anna", "ike", "bo"):
        other = logged_in(db_url, name)
        assert other.get(f"/inschrijving/{sub}/herstelverzoek").status_code == 403
        token = csrf_of(other.get(f"/inschrijving/{sub}").text)
        refused = other.post(
            f"/inschrijving/{sub}/herstelverzoek", data={"verzonden": "2024-04-25", "csrf": token}
        )
        assert refused.status_code == 403
    assert (
        "Herstelverzoek versturen" not in logged_in(db_url, "ike").get(f"/inschrijving/{sub}").text
    )
    no_token = rob.post(f"/inschrijving/{sub}/herstelverzoek", data={"verzonden": "2024-04-25"})
    assert no_token.status_code in (400, 403, 422)
    done = rob.post(
        f"/inschrijving/{sub}/herstelverzoek",
        data={"verzonden": "2024-04-25", "csrf": csrf_of(confirm.text)},
    )
    assert done.status_code == 303
    shown = rob.get(done.headers["location"]).text
    assert "Herstelverzoek vastgelegd als verstuurd; uiterste datum 2024-05-10." in shown
    [request] = store.requests_of(store.submission(sub).pk)
    assert (request.sent_on.isoformat(), request.deadline.isoformat(), request.sent_by) == (
        "2024-04-25",
        "2024-05-10",
        "rob",
    )
    letter = rob.get(f"/inschrijving/{sub}/herstelverzoek/{request.id}.md")
    assert letter.status_code == 200 and letter.text == request.letter_md
    api = rob.get(f"/api/inschrijving/{sub}").json()
    assert [(r["sent_on"], r["deadline"], r["round"]) for r in api["requests"]] == [
        ("2024-04-25", "2024-05-10", 1)
    ]
    work = rob.get("/api/werkvoorraad").json()
    assert sub not in {i["submission_id"] for i in work if i["soort"] == "verzoek"}
    assert "10 mei 2024" in letter.text
    again = rob.post(
        f"/inschrijving/{sub}/herstelverzoek",
        data={"verzonden": "2024-04-26", "csrf": csrf_of(confirm.text)},
    )
    assert again.status_code == 400 and "loopt nog" in again.text
    assert len(store.requests_of(store.submission(sub).pk)) == 1


def test_an_unreadable_stored_date_is_a_dutch_page_too(db_url, tmp_path):
    import sqlite3

    copy = tmp_path / "kit.db"
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as to:
        source.backup(to)
    with sqlite3.connect(copy) as damaged:
        damaged.execute("UPDATE screenings SET as_of = 'gisteren'")
    browser = TestClient(create_app(f"sqlite:///{copy}"), raise_server_exceptions=False)
    form = browser.get("/aanmelden")
    browser.post(
        "/aanmelden",
        data={"naam": "rob", "wachtwoord": PASSWORDS["rob"][1], "csrf": csrf_of(form.text)},
    )
    page = browser.get("/")
    assert page.status_code == 500 and "Database beschadigd" in page.text
    assert "een opgeslagen datum of getal is onleesbaar" in page.text and "gisteren" in page.text
    assert "Internal Server Error" not in page.text and "Traceback" not in page.text


def test_a_damaged_record_is_a_dutch_page_naming_it(db_url, tmp_path):
    import sqlite3

    copy = tmp_path / "kit.db"
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as to:
        source.backup(to)
    store = Store(f"sqlite:///{copy}")
    row = store.screenings_of(store.submission("INS-2024-0042").pk)[-1]
    with sqlite3.connect(copy) as damaged:
        damaged.execute("UPDATE screenings SET case_json = '{kapot' WHERE id = ?", (row.pk,))
    page = logged_in(f"sqlite:///{copy}", "rob").get("/inschrijving/INS-2024-0042")
    assert page.status_code == 500 and "Database beschadigd" in page.text
    assert f"screening {row.code}, veld case_json is geen geldige JSON" in page.text
