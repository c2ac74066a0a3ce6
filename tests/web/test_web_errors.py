"""Issue 25, item 7: errors in place. A refused form comes back with the message beside the
field, what was typed kept and the menu present; no command-line or data-model language on a
page; roles in the labels file's words; 404 for a submission that does not exist."""

from __future__ import annotations

from test_web import HORST, ZORGFIX, csrf_of, db_url, logged_in  # noqa: F401  (the fixture)

from kit.web.messages import place_text, web_text


def test_messages_speak_the_pages_language():
    assert web_text("--uitkomst: onbekende uitkomst 'x'").startswith("Uitkomst: onbekende")
    said = web_text("inschrijving X: er staat niets open; stuur het besluit (kit letter)")
    assert "(kit" not in said and said.endswith("stuur het besluit")
    wrong = web_text("submission.documents[21].issued_on: ontbreekt")
    assert wrong == "Werkblad Documenten, nr. 22, kolom Afgiftedatum: ontbreekt"
    assert place_text(".provider.kvk") == "werkblad Aanbieder, kolom KvK-nummer"
    role = web_text("notities is voorbehouden aan de rol toezicht (huidige rol: reviewer)")
    assert "beoordelaar" in role and "reviewer" not in role


def test_a_refused_form_comes_back_with_the_input_beside_the_message(db_url):  # noqa: F811
    anna = logged_in(db_url, "anna")
    token = csrf_of(anna.get(f"/inschrijving/{ZORGFIX}").text)
    typed = "Een toelichting die niet verloren mag gaan."
    refused = anna.post(
        f"/inschrijving/{ZORGFIX}/oordeel",
        data={
            "csrf": token,
            "keuze": "inhoud/calamiteitenprotocol",
            "oordeel": "voldoende",
            "toelichting": typed,
            "datum": "gisteren",
        },
    )
    assert refused.status_code == 400
    assert "Hoofdmenu" in refused.text  # the menu stays
    assert typed in refused.text and 'value="gisteren"' in refused.text  # nothing typed lost
    assert 'id="fout-veld"' in refused.text and 'aria-invalid="true"' in refused.text
    assert f'action="/inschrijving/{ZORGFIX}/oordeel"' in refused.text
    assert "--" not in refused.text.split("<main")[1]


def test_an_unknown_submission_is_a_404_with_the_menu(db_url):  # noqa: F811
    rob = logged_in(db_url, "rob")
    for path in ("/inschrijving/INS-BESTAAT-NIET", "/api/inschrijving/INS-BESTAAT-NIET"):
        answer = rob.get(path)
        assert answer.status_code == 404, path
    page = rob.get("/inschrijving/INS-BESTAAT-NIET")
    assert "bestaat niet" in page.text and "Hoofdmenu" in page.text
    assert rob.get(f"/inschrijving/{HORST}").status_code == 200


def test_a_refusal_of_access_names_roles_in_words_with_the_menu(db_url):  # noqa: F811
    rob = logged_in(db_url, "rob")
    page = rob.get("/toezicht")
    assert page.status_code == 403 and "Hoofdmenu" in page.text
    body = page.text.split("<main")[1]
    assert "beoordelaar" in body and "reviewer" not in body


def test_the_accounts_page_names_roles_in_words_and_the_toezicht_page_no_command(db_url):  # noqa: F811
    """Issue 25, item 7: the labels file's words for roles on beheer's accounts page (its form
    still sends the code), and no command line on toezicht's page."""
    from kit.output.labels import role_label

    accounts = logged_in(db_url, "bea").get("/beheer/accounts").text
    body = accounts.split("<main")[1]
    assert f'<option value="reviewer">{role_label("reviewer")}</option>' in body
    assert "<td>reviewer</td>" not in body and f"<td>{role_label('reviewer')}</td>" in body
    toezicht = logged_in(db_url, "anna").get("/toezicht").text
    assert "kit steekproef" not in toezicht.split("<main")[1]


def test_a_refused_form_names_its_fields_as_its_form_does_and_never_shows_a_password(db_url):  # noqa: F811
    """The refused form comes back labelled as the page labels it (kit/output/labels.yaml),
    and a typed password is not written back into the page."""
    bea = logged_in(db_url, "bea")
    token = csrf_of(bea.get("/beheer/accounts").text)
    secret = "kort-geheim"  # under the minimum of 12: refused
    refused = bea.post(
        "/beheer/accounts",
        data={"csrf": token, "naam": "nieuwe", "rol": "reviewer", "wachtwoord": secret},
    )
    assert refused.status_code == 400, refused.text
    assert '<label>Naam <input name="naam" value="nieuwe"' in refused.text
    assert '<label>Rol <input name="rol" value="reviewer"' in refused.text
    assert secret not in refused.text
