"""Issue 13: the web application in a real browser. Debian's chromium (KIT_TEST_BROWSER, else
`chromium` on the PATH) driven by Playwright against a `kit serve` process: log in, filter the
list, open a submission, and the reviewer's 2024 flow (issue 22): judge, send the repair
request after its confirmation step, receive round 1, judge, send the next request, download
the decision letter.
Screenshots of the main pages go to KIT_SCREENSHOTS (default: a folder in the test's temporary
directory, printed). Without a browser the test is skipped, unless KIT_TEST_REQUIRE_BROWSER is
set (as .ci/run does): then it fails."""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import CASES
from support import CHROMIUM_ARGS, PASSWORD
from typer.testing import CliRunner

runner = CliRunner()
ZORGFIX = "INS-2024-0042"
EXAMPLES = CASES.parent / "examples"


def judge(page, judgement: str, note: str, day: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # Issue 25: the requirement chosen from what is open, no outcome until we pick one, and a
    # confirmation that shows the verdict it will give before anything is stored.
    page.get_by_role("link", name="Een ander oordeel vastleggen…").click()
    expect(page.get_by_role("heading", name="Oordeel vastleggen")).to_be_visible()
    choice = page.get_by_label("Eis (document of uitsluitingsgrond)")
    choice.select_option("inhoud/calamiteitenprotocol")
    for outcome in ("voldoende", "onvoldoende"):
        expect(page.get_by_label(outcome, exact=True)).not_to_be_checked()
    page.get_by_label(judgement, exact=True).check()
    page.locator("textarea[name=toelichting]").fill(note)
    page.get_by_label("Datum van het oordeel").fill(day)
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("heading", name="Controleer het oordeel")).to_be_visible()
    expect(page.get_by_text("De uitspraak wordt daarmee")).to_be_visible()
    page.get_by_role("button", name="Ja, oordeel vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("nieuwe screening SCR-")
    expect(page.locator("#geschiedenis + ol")).to_contain_text(note)


def send(page, day: str, deadline: str) -> None:  # type: ignore[no-untyped-def]
    """The page's "Herstelverzoek versturen": the day, the confirmation step showing the
    deadline, and the request recorded."""
    from playwright.sync_api import expect

    page.get_by_label("Verstuurd op").fill(day)
    page.get_by_role("button", name="Herstelverzoek versturen").click()
    expect(page.get_by_role("heading", name="Herstelverzoek versturen")).to_be_visible()
    expect(page.get_by_text(f"Uiterste datum voor de aanbieder: {deadline}")).to_be_visible()
    page.get_by_role("button", name=f"Ja, vastleggen als verstuurd op {day}").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Herstelverzoek vastgelegd als verstuurd; uiterste datum {deadline}."
    )


def test_a_reviewers_round_in_the_browser(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, path = server
    shots = Path(os.environ.get("KIT_SCREENSHOTS") or tmp_path / "schermafdrukken")
    shots.mkdir(parents=True, exist_ok=True)
    print(f"schermafdrukken: {shots}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        errors: list[str] = []  # a blocked script or style (CSP) shows as a console error
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/")
        expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()
        page.screenshot(path=shots / "aanmelden.png")
        page.get_by_label("Naam").fill("J. de Vries")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        expect(page.get_by_role("heading", name="Centrale lijst")).to_be_visible()
        assert page.evaluate("typeof window.htmx") == "object"  # the shipped htmx, no CDN

        # Filter: the list as it stood on 10 April 2024, what needed repair.
        page.locator("select[name=uitspraak]").select_option("herstel-nodig")
        page.get_by_label("Peildatum").fill("2024-04-10")
        page.get_by_role("button", name="Toon").click()
        expect(page).to_have_url(re.compile(r"uitspraak=herstel-nodig.*peildatum=2024-04-10"))
        expect(page.get_by_role("heading", name="Centrale lijst per 2024-04-10")).to_be_visible()
        assert all(
            label == "herstel" for label in page.locator("tbody .uitspraak").all_inner_texts()
        )
        page.screenshot(path=shots / "centrale-lijst.png", full_page=False)

        # Open a submission and record a content judgement, dated as it was made.
        page.get_by_role("link", name="Zorgfix B.V.").first.click()
        expect(page.get_by_role("heading", name="Uitspraak per perceel")).to_be_visible()
        page.screenshot(path=shots / "inschrijving.png", full_page=True)
        judge(page, "onvoldoende", "Geen meldprocedure richting IGJ.", "2024-04-23")
        page.screenshot(path=shots / "oordeel-vastgelegd.png")

        # Send the repair request: the day it went out, then the confirmation with its deadline.
        send(page, "2024-04-24", "2024-05-08")
        page.screenshot(path=shots / "herstelverzoek-vastgelegd.png", full_page=True)

        # Round 1 comes in on 6 May: a new protocol, judged sufficient; the next request.
        page.get_by_label("Casusbestand (YAML, JSON of de ingevulde werkmap)").set_input_files(
            EXAMPLES / "zorgfix-ronde-1.yaml"
        )
        page.get_by_role("button", name="Screenen en opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("Gescreend en opgeslagen: SCR-")
        judge(page, "voldoende", "Meldprocedure richting IGJ beschreven.", "2024-05-08")
        send(page, "2024-05-08", "2024-05-24")
        expect(page.locator("table").filter(has_text="Verstuurd")).to_contain_text("beantwoord")

        # The decision letter as a Word document.
        with page.expect_download() as download:
            page.get_by_role("link", name="Word").last.click()
        letter = tmp_path / "besluit.docx"
        download.value.save_as(letter)
        assert letter.read_bytes()[:2] == b"PK"
        assert download.value.suggested_filename == f"besluit-{ZORGFIX}.docx"
        browser.close()
    assert errors == []
    assert {p.name for p in shots.glob("*.png")} >= {"centrale-lijst.png", "inschrijving.png"}


def test_a_provider_checks_its_workbook_in_the_browser(server, tmp_path):
    """Issue 23: /voorcontrole without an account, on a phone (390 px) and a desktop (1280)."""
    from playwright.sync_api import expect, sync_playwright
    from workbook_fill import fill

    from kit.case.reading import load_case
    from kit.kinds.rulesets import shipped_rulesets
    from kit.output.template import template_bytes

    base, path = server
    shots = Path(os.environ.get("KIT_SCREENSHOTS") or tmp_path / "schermafdrukken")
    shots.mkdir(parents=True, exist_ok=True)
    workbook = tmp_path / "inschrijving.xlsx"
    data = load_case(CASES / "zorgfix-bv.yaml").model_dump(by_alias=True, exclude_none=True)
    workbook.write_bytes(fill(template_bytes(shipped_rulesets()["kit-2025"]), data))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        errors: list[str] = []
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/aanmelden")
            page.get_by_role("link", name="voorcontrole").click()
            expect(
                page.get_by_role("heading", name="Voorcontrole van uw inschrijving")
            ).to_be_visible()
            expect(page.get_by_text("Dit is een voorcontrole, geen besluit.")).to_be_visible()
            page.get_by_label("Uw ingevulde werkmap (.xlsx)").set_input_files(workbook)
            page.get_by_role("button", name="Controleren").click()
            expect(page.get_by_role("heading", name="Uitkomst voor Zorgfix B.V.")).to_be_visible()
            expect(
                page.get_by_role(
                    "heading", name="Jeugd Ambulant – begeleiding: verwacht herstel nodig"
                )
            ).to_be_visible()
            expect(page.get_by_text("Geen meldprocedure richting IGJ beschreven")).to_be_visible()
            # nothing wider than the screen: the page never scrolls sideways
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=shots / f"voorcontrole-{width}.png", full_page=True)
            page.close()
        browser.close()
    assert errors == []
