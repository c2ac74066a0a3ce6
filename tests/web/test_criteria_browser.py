"""Issue 27 in a real browser (as tests/web/test_browser.py: chromium, a `kit serve` process): a
reviewer judges Zorgfix's calamiteitenprotocol by its criteria with the keyboard only, confirms,
and beheer reads the consistency report. Screenshots go to KIT_SCREENSHOTS."""

from __future__ import annotations

import os
from pathlib import Path

from support import CHROMIUM_ARGS, PASSWORD, runner

from kit.cli import app as cli
from kit.kinds.rulesets import load_ruleset
from kit.rules.criteria import criteria_of

CRITERIA = criteria_of(load_ruleset("kit-2025").rules, "calamiteitenprotocol")
FAILED = "cp-onderzoek"


def test_a_judgement_by_criteria_with_the_keyboard_and_the_report(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, path = server
    shots = Path(os.environ.get("KIT_SCREENSHOTS") or tmp_path / "schermafdrukken")
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/aanmelden?volgende=/inschrijving/INS-2024-0042")
        page.get_by_label("Naam").fill("J. de Vries")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Uitspraak per perceel")).to_be_visible()
        link = page.get_by_role("link", name="Beoordelen per criterium: calamiteitenprotocol")
        link.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Beoordelen per criterium")).to_be_visible()
        for criterion in CRITERIA:
            outcome = "niet-voldaan" if criterion.code == FAILED else "voldaan"
            radio = page.locator(f'input[name="uitkomst-{criterion.code}"][value="{outcome}"]')
            radio.focus()
            page.keyboard.press("Space")
            expect(radio).to_be_checked()
        page.locator(f'textarea[name="toelichting-{FAILED}"]').focus()
        page.keyboard.type("Geen onderzoeksmethode genoemd.")
        page.screenshot(path=shots / "beoordelen-per-criterium.png", full_page=True)
        page.get_by_role("button", name="Controleren").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Controleer het oordeel")).to_be_visible()
        expect(page.get_by_text("Dit oordeel wordt: onvoldoende.")).to_be_visible()
        page.screenshot(path=shots / "beoordelen-bevestigen.png", full_page=True)
        page.get_by_role("button", name="Ja, oordeel vastleggen").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Oordeel vastgelegd; nieuwe screening")

        # Beheer reads how the reviewers judge each criterion (the server's own database: the
        # fixture's, in this test's temporary directory).
        db_url = f"sqlite:///{tmp_path / 'kit.db'}"
        added = runner.invoke(
            cli,
            [
                *("users", "add", "C. Coördinator", "--rol", "beheer"),
                *("--wachtwoord-stdin", "--db", db_url),
            ],
            input=PASSWORD + "\n",
        )
        assert added.exit_code == 0, added.output
        coordinator = browser.new_page(viewport={"width": 1280, "height": 900})
        coordinator.goto(f"{base}/aanmelden")
        coordinator.get_by_label("Naam").fill("C. Coördinator")
        coordinator.get_by_label("Wachtwoord").fill(PASSWORD)
        coordinator.get_by_role("button", name="Aanmelden").click()
        coordinator.get_by_role("link", name="Consistentie").click()
        expect(
            coordinator.get_by_role("heading", name="Consistentie van oordelen per criterium")
        ).to_be_visible()
        row = coordinator.get_by_role("row").filter(has_text=FAILED)
        expect(row).to_contain_text("1 van 1 (100%)")
        coordinator.screenshot(path=shots / "consistentie.png", full_page=True)
        browser.close()
    assert errors == []
