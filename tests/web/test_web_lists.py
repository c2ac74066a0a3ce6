"""Issue 25, item 1: the central list's filters as a real form sends them (every field, the
empty ones too), every combination of them, the exports holding exactly the rows the page
shows, and the filters each account saves under a name ("mijn weergaven")."""

from __future__ import annotations

import csv
import io
import itertools
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook
from test_web import ZORGFIX, csrf_of, db_url, logged_in  # noqa: F401  (db_url: the fixture)

from kit.services.actor import Actor
from kit.services.assignments import assign
from kit.store import Store

EMPTY_FORM = {
    "aanbieder": "",
    "procedure": "",
    "perceel": "",
    "uitspraak": "",
    "risico": "",
    "sorteer": "aanbieder",
    "toegewezen": "",
    "peildatum": "",
}
# One value per filter that narrows the shipped cases (each alone is checked to narrow).
CHOSEN = {
    "aanbieder": "zorg",
    "procedure": "inkoop-2025",
    "perceel": "wmo-dagbesteding",
    "uitspraak": "herstel-nodig",
    "risico": "groen",
    "achterstallig": "true",
    "toegewezen": "rob",
    "peildatum": "2024-04-10",
}


@pytest.fixture(scope="module")
def assigned(db_url):  # noqa: F811
    """Zorgfix assigned to rob, so the "Toegewezen aan" filter has something to find."""
    assign(Store(db_url), Actor("ike", "inkoop"), ZORGFIX, "rob")
    return db_url


def ids_in(html: str) -> list[str]:
    import re

    return re.findall(r"<small>([A-Z0-9-]+) · KvK", html)


def csv_ids(body: bytes) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    return [row["Inschrijving"] for row in rows]


def xlsx_ids(body: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    header = None
    found = []
    for values in sheet.iter_rows(values_only=True):
        if header is None:
            header = list(values)
            continue
        found.append(values[header.index("Inschrijving")])
    return found


def test_an_empty_form_as_a_browser_sends_it_shows_the_whole_list(assigned):
    rob = logged_in(assigned, "rob")
    plain = rob.get("/")
    empty = rob.get("/?" + urlencode(EMPTY_FORM))
    assert empty.status_code == 200, empty.text
    assert ids_in(empty.text) == ids_in(plain.text) and ids_in(plain.text)
    assert "Hoofdmenu" in empty.text
    for export in ("/export.csv", "/export.xlsx"):
        assert rob.get(export + "?" + urlencode(EMPTY_FORM)).status_code == 200


def test_each_filter_alone_narrows_the_list(assigned):
    rob = logged_in(assigned, "rob")
    every = set(csv_ids(rob.get("/export.csv?" + urlencode(EMPTY_FORM)).content))
    for name, value in CHOSEN.items():
        if name == "peildatum":
            continue
        query = urlencode({**EMPTY_FORM, name: value})
        shown = set(csv_ids(rob.get("/export.csv?" + query).content))
        assert shown < every, name
        assert shown or name == "achterstallig", name


@pytest.mark.parametrize(
    "names",
    [
        # singles and pairs in the quick loop; all 255 combinations in the full suite
        pytest.param(c, id="+".join(c), marks=[pytest.mark.slow] if n > 2 else [])
        for n in range(1, len(CHOSEN) + 1)
        for c in itertools.combinations(sorted(CHOSEN), n)
    ],
)
def test_every_combination_of_filters_gives_the_same_rows_on_page_csv_and_xlsx(assigned, names):
    """From the empty form with some fields filled: the page answers (no error), and the CSV and
    the xlsx hold exactly the page's rows, in its order."""
    rob = _rob(assigned)
    form = {**EMPTY_FORM, **{name: CHOSEN[name] for name in names}}
    query = urlencode(form)
    listed = rob.get("/?" + query)
    assert listed.status_code == 200, listed.text
    assert "Een veld ontbreekt" not in listed.text
    from_csv = csv_ids(rob.get("/export.csv?" + query).content)
    from_xlsx = xlsx_ids(rob.get("/export.xlsx?" + query).content)
    assert from_xlsx == from_csv
    assert ids_in(listed.text) == from_csv[:50]  # the first page, in the same order
    if "toegewezen" in names:
        assert set(from_csv) <= {ZORGFIX}


_CLIENTS: dict[str, object] = {}


def _rob(url: str):  # type: ignore[no-untyped-def]
    """One logged-in client for the parametrized tests (a login costs an argon2 hash)."""
    if url not in _CLIENTS:
        _CLIENTS[url] = logged_in(url, "rob")
    return _CLIENTS[url]


def test_the_xlsx_holds_only_the_assigned_submissions(assigned):
    rob = logged_in(assigned, "rob")
    query = urlencode({**EMPTY_FORM, "toegewezen": "rob"})
    assert set(xlsx_ids(rob.get("/export.xlsx?" + query).content)) == {ZORGFIX}


def test_a_wrong_value_comes_back_beside_its_field_with_the_menu_and_the_input(assigned):
    rob = logged_in(assigned, "rob")
    typed = {**EMPTY_FORM, "peildatum": "2024-13-45", "aanbieder": "zorg"}
    answer = rob.get("/?" + urlencode(typed))
    assert answer.status_code == 400
    assert 'id="fout-peildatum"' in answer.text and 'aria-invalid="true"' in answer.text
    assert 'value="2024-13-45"' in answer.text and 'value="zorg"' in answer.text
    assert "Hoofdmenu" in answer.text
    wrong = rob.get("/?" + urlencode({**EMPTY_FORM, "uitspraak": "misschien"}))
    assert wrong.status_code == 400 and 'id="fout-uitspraak"' in wrong.text
    assert "--uitspraak" not in wrong.text
    export = rob.get("/export.csv?uitspraak=misschien")
    assert export.status_code == 400 and "Uitspraak: Onbekende waarde" in export.text
    assert "--uitspraak" not in export.text and "Hoofdmenu" in export.text


def test_the_filters_offer_the_labels_words_not_the_codes(assigned):
    html = logged_in(assigned, "rob").get("/").text
    assert '<option value="herstel-nodig" >herstel</option>' in html
    assert ">herstel-nodig<" not in html
    assert '<option value="inkoop-2025" >' in html and '<input name="procedure"' not in html


def test_a_saved_view_is_the_accounts_own(assigned):
    rob = logged_in(assigned, "rob")
    page = rob.get("/?" + urlencode({**EMPTY_FORM, "uitspraak": "herstel-nodig"}))
    token = csrf_of(page.text)
    filter_text = "uitspraak=herstel-nodig"
    saved = rob.post("/weergaven", data={"csrf": token, "naam": "Herstel", "filter": filter_text})
    assert saved.status_code == 303 and "uitspraak=herstel-nodig" in saved.headers["location"]
    listed = rob.get("/").text
    assert ">Herstel</a>" in listed and 'href="/?uitspraak=herstel-nodig"' in listed
    again = rob.post("/weergaven", data={"csrf": token, "naam": "Herstel", "filter": "risico=rood"})
    assert again.status_code == 400 and 'id="fout-weergave"' in again.text
    assert 'value="Herstel"' in again.text and "Hoofdmenu" in again.text
    # Another account does not see it, and cannot delete it.
    anna = logged_in(assigned, "anna")
    assert ">Herstel</a>" not in anna.get("/").text
    pk = Store(assigned).saved_views(Store(assigned).account("rob").id)[0].id  # type: ignore[arg-type]
    anna_token = csrf_of(anna.get("/").text)
    refused = anna.post(f"/weergaven/{pk}/verwijderen", data={"csrf": anna_token})
    assert refused.status_code == 400
    assert ">Herstel</a>" in rob.get("/").text
    gone = rob.post(f"/weergaven/{pk}/verwijderen", data={"csrf": token})
    assert gone.status_code == 303
    assert ">Herstel</a>" not in rob.get("/").text
