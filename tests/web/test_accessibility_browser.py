"""Issue 25, item 8, in a real browser: axe-core (vendored in tests/vendor/axe-core, MPL-2.0)
checks every page each role reaches, and the test fails on any violation of WCAG 2.1 A/AA or
axe's best practices. The same pass drives the team's work on a case (claim, reassign with its
confirmation, release), a document uploaded, opened by toezicht and refused to a reviewer, and
the keyboard basics (skip link, focus on the status message). Screenshots of the pages at 390 and
1280 px go to KIT_SCREENSHOTS."""

from __future__ import annotations

import os
from pathlib import Path

from support import CHROMIUM_ARGS, PASSWORD, runner

from kit.cli import app as cli
from kit.services.desk import keep_form
from kit.store import Store

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
ZORGFIX = "INS-2024-0042"
CASE = f"/inschrijving/{ZORGFIX}"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ACCOUNTS = {
    "T. Toezicht": "toezicht",
    "B. Bibob": "bibob",
    "I. Inkoop": "inkoop",
    "C. Beheer": "beheer",
    "K. Tweede": "reviewer",
}
PAGES = {  # what each role reaches from the menu and the submission page
    "reviewer": [
        "/",
        "/werkvoorraad",
        "/mijn-werk",
        CASE,
        f"{CASE}/oordeel?eis=calamiteitenprotocol",
        f"{CASE}/beoordelen/calamiteitenprotocol",
        f"{CASE}/herstelverzoek",
    ],
    "toezicht": ["/", "/werkvoorraad", "/toezicht", "/audit", "/consistentie", CASE, "/mijn-werk"],
    "bibob": ["/", "/werkvoorraad", CASE],
    "inkoop": ["/", "/werkvoorraad", CASE],
    "beheer": ["/", "/audit", "/consistentie", "/beheer/accounts", CASE],
}
WIDER = """width => document.documentElement.scrollWidth <= width ? [] :
  [...document.querySelectorAll("main *")].filter(e => e.getBoundingClientRect().right > width
    && !e.closest(".tabel")).slice(0, 3).map(e => e.tagName + "." + e.className + ": " +
    (e.textContent || "").slice(0, 60))"""
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    return list(page.evaluate(RUN_AXE))


def log_in(browser, base: str, name: str, width: int = 1280):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # The app's CSP forbids inline scripts; only the test's own axe is let in this way.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/aanmelden")
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    return page


def test_every_page_in_every_role_passes_axe_and_the_team_works_a_case(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, path = server
    shots = Path(os.environ.get("KIT_SCREENSHOTS") or tmp_path / "schermafdrukken")
    shots.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    for name, role in ACCOUNTS.items():
        added = runner.invoke(
            cli,
            ["users", "add", name, "--rol", role, "--wachtwoord-stdin", "--db", db_url],
            input=PASSWORD + "\n",
        )
        assert added.exit_code == 0, added.output
    who = {role: name for name, role in ACCOUNTS.items()} | {"reviewer": "J. de Vries"}
    found: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        anonymous = browser.new_context(bypass_csp=True).new_page()
        for url in ("/aanmelden", "/voorcontrole"):
            anonymous.goto(f"{base}{url}")
            found[f"- {url}"] = violations(anonymous)
        # The check itself works: an image without a text alternative is a violation.
        anonymous.evaluate("document.querySelector('main').append(document.createElement('img'))")
        assert any(v.startswith("image-alt") for v in violations(anonymous))

        # The team's work: the reviewer claims the case, inkoop gives it to another reviewer
        # after a confirmation naming both, the other releases it.
        reviewer = log_in(browser, base, who["reviewer"])
        reviewer.goto(f"{base}{CASE}")
        reviewer.keyboard.press("Tab")  # the first Tab reaches the skip link
        expect(reviewer.get_by_role("link", name="Naar de inhoud")).to_be_focused()
        reviewer.get_by_role("button", name="Oppakken").click()
        status = reviewer.get_by_role("status")
        expect(status).to_contain_text("U hebt deze inschrijving opgepakt")
        expect(status).to_be_focused()  # focus moved to what happened
        expect(reviewer.get_by_text("In handen van J. de Vries")).to_be_visible()
        inkoop = log_in(browser, base, who["inkoop"])
        inkoop.goto(f"{base}{CASE}")
        inkoop.get_by_label("Toewijzen aan").select_option("K. Tweede")
        inkoop.get_by_role("button", name="Toewijzen…").click()
        expect(
            inkoop.get_by_role("heading", name="K. Tweede neemt het over van J. de Vries")
        ).to_be_visible()
        found["inkoop toewijzen-bevestigen"] = violations(inkoop)
        for width in (390, 1280):
            inkoop.set_viewport_size({"width": width, "height": 900})
            inkoop.screenshot(path=shots / f"toewijzen-bevestigen-{width}.png", full_page=True)
        inkoop.get_by_role("button", name="Ja, toewijzen aan K. Tweede").click()
        expect(inkoop.get_by_text("In handen van K. Tweede")).to_be_visible()
        second = log_in(browser, base, "K. Tweede")
        second.goto(f"{base}/mijn-werk")
        second.get_by_role("link", name=ZORGFIX).click()
        second.get_by_role("button", name="Vrijgeven").click()
        expect(second.get_by_role("status")).to_contain_text("Vrijgegeven")

        # A document: the reviewer adds the protocol, toezicht a VOG; the reviewer cannot open it.
        pdf = tmp_path / "calamiteitenprotocol-v2.pdf"
        pdf.write_bytes(PDF)
        reviewer.goto(f"{base}{CASE}")
        reviewer.get_by_label("Soort document").select_option("calamiteitenprotocol")
        reviewer.get_by_label("Documentbestand (PDF, PNG of JPEG)").set_input_files(pdf)
        reviewer.get_by_role("button", name="Document toevoegen").click()
        expect(reviewer.get_by_role("status")).to_contain_text("Document toegevoegd")
        toezicht = log_in(browser, base, who["toezicht"])
        vog = tmp_path / "vog-S01.pdf"
        vog.write_bytes(PDF + b"vog")
        toezicht.goto(f"{base}{CASE}")
        toezicht.get_by_label("Soort document").select_option("vog")
        toezicht.get_by_label("Documentbestand (PDF, PNG of JPEG)").set_input_files(vog)
        toezicht.get_by_role("button", name="Document toevoegen").click()
        expect(toezicht.get_by_role("status")).to_contain_text("Document toegevoegd")
        with toezicht.expect_download() as download:
            toezicht.get_by_role("link", name="vog-S01.pdf").first.click()
        assert download.value.suggested_filename == "vog-S01.pdf"
        link = toezicht.get_by_role("link", name="vog-S01.pdf").first.get_attribute("href")
        reviewer.goto(f"{base}{CASE}")
        expect(reviewer.get_by_text("vog-S01.pdf")).to_have_count(0)
        refused = reviewer.request.get(f"{base}{link}")
        assert refused.status == 403 and b"%PDF" not in refused.body()

        # The Bibob outcome: a confirmation first, then the history shows it.
        bibob = log_in(browser, base, who["bibob"])
        bibob.goto(f"{base}{CASE}")
        bibob.get_by_label("Status").select_option("afgerond")
        bibob.get_by_label("Uitkomst (bij afgerond)").select_option("geen-bezwaar")
        bibob.get_by_label("Datum", exact=True).fill("2024-05-01")
        bibob.get_by_label("Kenmerk van het advies").fill("BIB-2024-17")
        bibob.get_by_label("Toelichting").fill("Advies zonder bezwaar.")
        bibob.get_by_role("button", name="Uitkomst controleren…").click()
        expect(bibob.get_by_role("heading", name="Controleer wat wordt vastgelegd")).to_be_visible()
        found["bibob bibob-bevestigen"] = violations(bibob)
        bibob.get_by_role("button", name="Ja, Bibob-uitkomst vastleggen").click()
        expect(bibob.get_by_role("status")).to_contain_text("Bibob-uitkomst vastgelegd")
        expect(bibob.locator("#geschiedenis + ol")).to_contain_text("Bibob-uitkomst: geen-bezwaar")

        # A form kept after the session ended, with a file that was not kept; its discarding
        # asks first.
        store = Store(db_url)
        account = store.account(who["reviewer"])
        assert account is not None
        typed = [("soort", "calamiteitenprotocol")]
        kept = keep_form(
            store, account, f"{CASE}/bestand", typed, [("bestand", "p.pdf", "bestand")]
        )
        reviewer.goto(f"{base}/bewaard/{kept.id}")
        expect(reviewer.locator("#niet-bewaard-1")).to_contain_text("Het bestand p.pdf")
        found["reviewer bewaard"] = violations(reviewer)
        reviewer.get_by_role("button", name="Weggooien…").click()
        expect(reviewer.get_by_role("heading", name="Bewaard formulier weggooien")).to_be_visible()
        found["reviewer bewaard-weggooien"] = violations(reviewer)
        reviewer.get_by_role("button", name="Ja, formulier weggooien").click()
        expect(reviewer.get_by_role("status")).to_contain_text("formulier is weggegooid")

        # Every page of every role, after all that happened on the case.
        pages = {"reviewer": reviewer, "toezicht": toezicht, "bibob": bibob, "inkoop": inkoop}
        pages["beheer"] = log_in(browser, base, who["beheer"])
        for role, urls in PAGES.items():
            page = pages[role]
            for url in urls:
                page.goto(f"{base}{url}")
                found[f"{role} {url}"] = violations(page)
        beheer = pages["beheer"]
        beheer.goto(f"{base}/beheer/accounts/K.%20Tweede/uit")
        found["beheer account-uit"] = violations(beheer)
        for width in (390, 1280):
            for role, url, name in [
                ("reviewer", CASE, "inschrijving-reviewer"),
                ("toezicht", CASE, "inschrijving-toezicht"),
                ("reviewer", f"{CASE}/oordeel?eis=calamiteitenprotocol", "oordeel"),
                ("reviewer", "/mijn-werk", "mijn-werk"),
                ("beheer", "/beheer/accounts", "accounts"),
                ("beheer", "/beheer/accounts/K.%20Tweede/uit", "account-uit"),
            ]:
                page = pages[role]
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{base}{url}")
                wide = page.evaluate(WIDER, width)
                if wide:
                    found[f"{role} {url} {width}px: wider than the screen"] = wide
                page.screenshot(path=shots / f"{name}-{width}.png", full_page=True)
        browser.close()
    assert {where: v for where, v in found.items() if v} == {}
    assert len(found) >= 25
