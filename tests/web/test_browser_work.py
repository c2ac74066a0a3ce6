"""Issue 25 (items 1, 2, 3, 7) in a real browser: every filter of the central list alone and
all together from the empty form as a person fills it in (the form sends its empty fields),
the exports holding the rows the page counts, a saved view; the warning before a session ends
and a judgement typed into an expired session recovered after logging in again; werkvoorraad
and toezicht paged and filtered. Screenshots at 390 and 1280 px go to KIT_SCREENSHOTS."""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import CASES, kit_serve
from support import CHROMIUM_ARGS, required_browser
from typer.testing import CliRunner

from kit.cli import app as cli
from kit.services.actor import Actor
from kit.services.assignments import assign
from kit.store import Store

runner = CliRunner()
ZORGFIX = "INS-2024-0042"
REVIEWER, PASSWORD = "J. de Vries", "browser-wachtwoord-1"
TOEZICHT, TOEZICHT_PASSWORD = "T. Toezicht", "toezicht-wachtwoord-1"


@pytest.fixture
def server(tmp_path):
    """`kit serve` over the shipped cases: a reviewer with Zorgfix assigned, and toezicht."""
    path = required_browser()
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    assert runner.invoke(cli, ["screen", str(CASES), "--db", db_url]).exit_code in (0, 1)
    for name, role, password in (
        (REVIEWER, "reviewer", PASSWORD),
        (TOEZICHT, "toezicht", TOEZICHT_PASSWORD),
    ):
        added = runner.invoke(
            cli,
            ["users", "add", name, "--rol", role, "--wachtwoord-stdin", "--db", db_url],
            input=password + "\n",
        )
        assert added.exit_code == 0, added.output
    assign(Store(db_url), Actor("inkoper", "inkoop"), ZORGFIX, REVIEWER)
    with kit_serve(db_url) as base:
        yield base, path, db_url


def shots_dir(tmp_path: Path) -> Path:
    shots = Path(os.environ.get("KIT_SCREENSHOTS") or tmp_path / "schermafdrukken")
    shots.mkdir(parents=True, exist_ok=True)
    print(f"schermafdrukken: {shots}")
    return shots


def log_in(page, base: str, name: str = REVIEWER, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(f"{base}/")
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Centrale lijst")).to_be_visible()


# How a person sets each filter: (field, what to do on the page); the values narrow the cases.
FILTERS = {
    "aanbieder": lambda page: page.get_by_label("Aanbieder of KvK").fill("zorg"),
    "procedure": lambda page: page.locator("select[name=procedure]").select_option(
        label="Inkoop jeugdhulp en Wmo Twente 2025"
    ),
    "perceel": lambda page: page.locator("select[name=perceel]").select_option("wmo-dagbesteding"),
    "uitspraak": lambda page: page.locator("select[name=uitspraak]").select_option(label="herstel"),
    "risico": lambda page: page.locator("select[name=risico]").select_option(label="groen"),
    "achterstallig": lambda page: page.get_by_label("Achterstallig").check(),
    "toegewezen": lambda page: page.locator("select[name=toegewezen]").select_option(REVIEWER),
    "peildatum": lambda page: page.get_by_label("Peildatum").fill("2024-04-10"),
    "sorteer": lambda page: page.locator("select[name=sorteer]").select_option("termijn"),
}


def show(page) -> None:  # type: ignore[no-untyped-def]
    """Press "Toon" and wait for the list it asks for (every field in the query, the empty
    ones too, as a form sends them)."""
    from playwright.sync_api import expect

    with page.expect_response(lambda r: "peildatum=" in r.url and "toegewezen=" in r.url):
        page.get_by_role("button", name="Toon").click()
    expect(page).to_have_url(re.compile(r"aanbieder=.*toegewezen=.*peildatum="))


def shown_total(page) -> int:  # type: ignore[no-untyped-def]
    text = page.get_by_text(re.compile(r"^\d+ rijen")).inner_text()
    return int(text.split()[0])


def exported(page, name: str, tmp_path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """The submission ids of the CSV or xlsx the page's link downloads."""
    from openpyxl import load_workbook

    with page.expect_download() as download:
        page.get_by_role("link", name=name, exact=True).click()
    target = tmp_path / f"export.{name}"
    download.value.save_as(target)
    if name == "csv":
        rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
        return [row["Inschrijving"] for row in rows]
    sheet = load_workbook(target, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    at = list(values[0]).index("Inschrijving")
    return [str(row[at]) for row in values[1:]]


def choose(page, note: str) -> None:  # type: ignore[no-untyped-def]
    """The judgement form (issue 25): the requirement chosen, an outcome picked, a note."""
    page.get_by_label("Eis (document of uitsluitingsgrond)").select_option(
        "inhoud/calamiteitenprotocol"
    )
    page.get_by_label("voldoende", exact=True).check()
    page.locator("textarea[name=toelichting]").fill(note)


def test_every_filter_alone_and_together_from_the_empty_form(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, path, _db = server
    shots = shots_dir(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        log_in(page, base)
        everything = shown_total(page)
        for name, set_it in FILTERS.items():
            page.goto(f"{base}/")
            set_it(page)
            show(page)
            expect(page.get_by_role("heading", name="Centrale lijst")).to_be_visible()
            expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
            assert page.get_by_role("alert").count() == 0, name
            if name not in ("sorteer", "peildatum"):
                assert shown_total(page) < everything, name
            if name == "toegewezen":
                assert exported(page, "xlsx", tmp_path) == exported(page, "csv", tmp_path)
                assert set(exported(page, "xlsx", tmp_path)) == {ZORGFIX}
        # All together, then fewer: the counts, the CSV and the xlsx agree each time.
        for together in (list(FILTERS), ["aanbieder", "uitspraak", "peildatum", "sorteer"]):
            page.goto(f"{base}/")
            for name in together:
                FILTERS[name](page)
            show(page)
            expect(page.get_by_role("heading", name="Centrale lijst")).to_be_visible()
            assert page.get_by_role("alert").count() == 0
            from_csv = exported(page, "csv", tmp_path)
            assert exported(page, "xlsx", tmp_path) == from_csv
            assert len(from_csv) == shown_total(page)
        assert 0 < shown_total(page) < everything
        # Save the view; it is listed and opens the same filter.
        page.get_by_label("Deze filter bewaren als").fill("Herstel in april")
        page.get_by_role("button", name="Bewaren").click()
        expect(page.get_by_role("status")).to_contain_text("Weergave bewaard")
        kept = shown_total(page)
        page.goto(f"{base}/")
        page.get_by_role("link", name="Herstel in april").click()
        expect(page.get_by_label("Peildatum")).to_have_value("2024-04-10")
        assert shown_total(page) == kept
        assert errors == []  # (the wrong date below is answered 400 on purpose)
        # A wrong date comes back beside its field, the rest as typed, the menu still there.
        page.goto(f"{base}/?aanbieder=zorg&peildatum=2024-13-40")
        expect(page.locator("#fout-peildatum")).to_be_visible()
        expect(page.get_by_label("Aanbieder of KvK")).to_have_value("zorg")
        expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{base}/?uitspraak=herstel-nodig&peildatum=2024-04-10")
            page.screenshot(path=shots / f"lijst-{width}.png", full_page=True)
            page.goto(f"{base}/?aanbieder=zorg&peildatum=2024-13-40")
            page.screenshot(path=shots / f"lijst-fout-{width}.png")
        browser.close()


def set_last_use(db_url: str, ago: timedelta) -> None:
    """Every session's last request `ago` before now (the browser's is the only one)."""
    from sqlmodel import update

    from kit.store.tables import WebSessionRow, utcnow

    store = Store(db_url)
    with store.write() as session, session.begin():
        session.execute(update(WebSessionRow).values(last_seen=utcnow() - ago))


def test_the_session_warns_before_it_ends_and_a_late_judgement_is_recovered(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from kit.services.accounts import IDLE

    base, path, db_url = server
    shots = shots_dir(tmp_path)
    typed = "Meldroute naar de IGJ staat in paragraaf 4; getypt tijdens een lang telefoongesprek."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            page.on(
                "console", lambda m, seen=errors: seen.append(m.text) if m.type == "error" else None
            )
            page.clock.install()
            log_in(page, base)
            page.goto(f"{base}/inschrijving/{ZORGFIX}")
            # 28 minutes of reading later: the warning, read out, the focus on its button.
            set_last_use(db_url, IDLE - timedelta(seconds=90))
            page.clock.fast_forward("28:30")
            warning = page.get_by_role("region", name="Uw sessie verloopt bijna")
            expect(warning).to_be_visible()
            expect(warning).to_contain_text("Uw sessie verloopt over")
            expect(page.get_by_role("button", name="Aangemeld blijven")).to_be_focused()
            page.screenshot(path=shots / f"sessie-waarschuwing-{width}.png")
            page.keyboard.press("Enter")
            expect(warning).to_contain_text("U blijft aangemeld.")
            left = page.evaluate("fetch('/sessie').then(r => r.json())")["seconden"]
            assert left > IDLE.total_seconds() - 60
            page.close()
            assert errors == []

        # Typed into an ended session: kept, offered after logging in, sent, recorded.
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, base)
        page.goto(f"{base}/inschrijving/{ZORGFIX}/oordeel")
        choose(page, typed)
        page.get_by_role("button", name="Controleren").click()
        expect(page.get_by_role("heading", name="Controleer het oordeel")).to_be_visible()
        set_last_use(db_url, IDLE + timedelta(minutes=5))  # checked; then a long phone call
        page.get_by_role("button", name="Ja, oordeel vastleggen").click()
        expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()
        expect(
            page.get_by_text("Wat u verstuurde is niet verwerkt maar wel bewaard")
        ).to_be_visible()
        page.get_by_label("Naam").fill(REVIEWER)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        expect(page.get_by_role("heading", name="Bewaard formulier")).to_be_visible()
        expect(page.locator("textarea[name=toelichting]")).to_have_value(typed)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=shots / f"bewaard-{width}.png", full_page=True)
        # "Weggooien…" asks first (by keyboard); going back keeps everything typed.
        page.get_by_role("button", name="Weggooien…").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Bewaard formulier weggooien")).to_be_visible()
        expect(page.locator("#melding")).to_be_focused()
        expect(page.locator("#melding")).to_contain_text(typed)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=shots / f"bewaard-weggooien-{width}.png", full_page=True)
        page.get_by_role("link", name="Terug naar het formulier, zonder weg te gooien").click()
        expect(page.locator("textarea[name=toelichting]")).to_have_value(typed)
        expect(page.get_by_label("Eis (document of uitsluitingsgrond)")).to_have_value(
            "inhoud/calamiteitenprotocol"
        )
        page.get_by_role("button", name="Opnieuw versturen").click()
        expect(page.get_by_role("status")).to_contain_text("nieuwe screening SCR-")
        browser.close()
    store = Store(db_url)
    assert any(typed == d.note for d in store.decisions(store.submission(ZORGFIX).pk))


def test_werkvoorraad_and_toezicht_a_table_at_a_time_filtered(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, path, _db = server
    shots = shots_dir(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        log_in(page, base)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Werkvoorraad"
        ).click()
        expect(page.get_by_role("heading", name=re.compile("Werkvoorraad per"))).to_be_visible()
        tabs = page.get_by_role("navigation", name="Tabellen")
        tabs.get_by_role("link", name=re.compile("Herstelverzoek te versturen")).click()
        expect(page.locator("caption")).to_have_text("Herstelverzoek te versturen")
        page.get_by_label("Peildatum").fill("2024-04-10")
        with page.expect_response(lambda r: "peildatum=2024-04-10" in r.url):
            page.get_by_role("button", name="Toon").click()
        expect(page.locator("caption")).to_have_text("Herstelverzoek te versturen")
        assert page.get_by_role("alert").count() == 0
        rows = int(page.get_by_text(re.compile(r"^\d+ rijen")).inner_text().split()[0])
        with page.expect_download() as download:
            page.get_by_role("link", name="csv", exact=True).click()
        target = tmp_path / "werk.csv"
        download.value.save_as(target)
        assert len(target.read_text("utf-8-sig").splitlines()) == rows + 1
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=shots / f"werkvoorraad-{width}.png", full_page=True)
        page.get_by_role("button", name="Afmelden").click()
        expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()  # logged out
        log_in(page, base, TOEZICHT, TOEZICHT_PASSWORD)
        page.goto(f"{base}/toezicht")
        expect(page.locator("caption")).to_have_text("Openstaande voorwaarden")
        page.get_by_label("Achterstallig").check()
        with page.expect_response(lambda r: "achterstallig=true" in r.url):
            page.get_by_role("button", name="Toon").click()
        assert page.get_by_role("alert").count() == 0
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=shots / f"toezicht-{width}.png", full_page=True)
        browser.close()
    assert errors == []


def test_a_refused_judgement_comes_back_in_place(server, tmp_path):
    """A wrong date in the judgement form: the page keeps the menu and everything typed, the
    message beside the date; corrected, it is recorded. An unknown submission is a 404."""
    from playwright.sync_api import expect, sync_playwright

    base, path, db_url = server
    shots = shots_dir(tmp_path)
    typed = "Protocol gelezen; de meldroute staat in paragraaf 4."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, base)
        answer = page.goto(f"{base}/inschrijving/INS-BESTAAT-NIET")
        assert answer is not None and answer.status == 404
        expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
        page.goto(f"{base}/inschrijving/{ZORGFIX}/oordeel")
        choose(page, typed)
        # a browser's date field sends nothing wrong; a hand-made request can
        page.locator("input[name=datum]").first.evaluate("e => { e.type = 'text'; }")
        page.locator("input[name=datum]").first.fill("30-02-2024")
        page.get_by_role("button", name="Controleren").click()
        expect(page.get_by_role("alert")).to_contain_text("Niet vastgelegd")
        expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
        expect(page.locator("#fout-veld")).to_contain_text("30-02-2024")
        expect(page.locator("input[name=datum]")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("textarea[name=toelichting]")).to_have_value(typed)
        expect(page.get_by_label("voldoende", exact=True)).to_be_checked()
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=shots / f"fout-in-plaats-{width}.png", full_page=True)
        page.locator("input[name=datum]").fill("2024-04-23")
        page.get_by_role("button", name="Controleren").click()
        page.get_by_role("button", name="Ja, oordeel vastleggen").click()
        expect(page.get_by_role("status")).to_contain_text("nieuwe screening SCR-")
        browser.close()
    store = Store(db_url)
    assert any(typed == d.note for d in store.decisions(store.submission(ZORGFIX).pk))
