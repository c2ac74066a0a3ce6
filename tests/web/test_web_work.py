"""Issue 25, item 3: the werkvoorraad and toezicht's page at region scale: a table at a time,
paged, under the central list's filters, sorted, exported as CSV with exactly the filtered
rows; only what is still open to act on; the waiting time counted from the day the finding
or document arrived, not the day it was stored."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from urllib.parse import urlencode

from test_web import BORNE, ZORGFIX, db_url, logged_in  # noqa: F401  (db_url: the fixture)

from kit.store import Store
from kit.timezone import today
from kit.views.standing import standings
from kit.views.worklist import worklist

EMPTY = {
    "aanbieder": "",
    "procedure": "",
    "perceel": "",
    "uitspraak": "",
    "risico": "",
    "toegewezen": "",
    "peildatum": "",
}


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_waiting_time_counts_from_the_day_the_finding_arrived(db_url):  # noqa: F811
    """The shipped cases were screened today, but their documents arrived in 2024: a judgement
    waits since then, not "0 d"."""
    store = Store(db_url)
    work = worklist(store, today(), "inkoop")
    assert work.judgements
    for j in work.judgements:
        assert j.waiting_since.year <= 2024 and j.days_waiting > 300, j
    rob = logged_in(db_url, "rob")
    page = rob.get("/werkvoorraad?soort=oordeel").text
    assert "(0 d)" not in page and re.search(r"\((\d{3,}) d\)", page)


def test_the_werkvoorraad_is_one_table_at_a_time_under_the_lists_filters(db_url):  # noqa: F811
    ike = logged_in(db_url, "ike")
    every = ike.get("/werkvoorraad?" + urlencode({**EMPTY, "soort": "oordeel"}))
    assert every.status_code == 200, every.text
    assert "Hoofdmenu" in every.text and "<caption>Wacht op een inhoudelijk oordeel" in every.text
    all_rows = csv_rows(ike.get("/werkvoorraad.csv?soort=oordeel").content)
    assert len(all_rows) > 1
    # a filter narrows page and CSV alike; the empty fields a form sends change nothing
    name = all_rows[0]["Aanbieder"]
    query = urlencode({**EMPTY, "aanbieder": name, "soort": "oordeel"})
    narrowed = csv_rows(ike.get("/werkvoorraad.csv?" + query).content)
    assert narrowed and all(r["Aanbieder"] == name for r in narrowed)
    assert len(narrowed) < len(all_rows)
    page = ike.get("/werkvoorraad?" + query).text
    assert f"{len(narrowed)} rijen" in page
    # sorted by provider on request
    by_name = csv_rows(ike.get("/werkvoorraad.csv?soort=oordeel&volgorde=aanbieder").content)
    names = [r["Aanbieder"].casefold() for r in by_name]
    assert names == sorted(names)
    oldest = [r["Wacht sinds"] for r in all_rows]
    assert oldest == sorted(oldest)
    # every kind answers, with its count in the tabs
    for kind in ("oordeel", "verzoek", "termijn"):
        answer = ike.get(f"/werkvoorraad?soort={kind}&peildatum=2024-05-06")
        assert answer.status_code == 200
        assert re.search(r"Herstelverzoek te versturen \(\d+\)", answer.text)
    wrong = ike.get("/werkvoorraad?peildatum=morgen")
    assert wrong.status_code == 400 and 'id="fout-peildatum"' in wrong.text


def test_a_worklist_is_paged(db_url, monkeypatch):  # noqa: F811
    import kit.web.work

    monkeypatch.setattr(kit.web.work, "WORK_PAGE", 1)
    ike = logged_in(db_url, "ike")
    first = ike.get("/werkvoorraad?soort=oordeel").text
    total = len(csv_rows(ike.get("/werkvoorraad.csv?soort=oordeel").content))
    assert f"pagina 1 van {total}" in first
    second = ike.get("/werkvoorraad?soort=oordeel&pagina=2").text
    assert f"pagina 2 van {total}" in second and "vorige" in second


def test_only_what_is_still_open_to_act_on(db_url):  # noqa: F811
    """Borne's repair deadline passed long ago: its lots are rejected, so nothing about it is
    listed to judge or to send, though the central list still shows it."""
    store = Store(db_url)
    day = today()
    borne = next(s for s in standings(store) if s.submission_id == BORNE)
    assert {borne.verdict(lot, day) for lot in borne.lots} == {"afgewezen"}
    work = worklist(store, day, "inkoop")
    assert BORNE not in {j.submission_id for j in work.judgements}
    assert BORNE not in {r.submission_id for r in work.requests}
    ike = logged_in(db_url, "ike")
    assert BORNE not in ike.get("/werkvoorraad.csv?soort=oordeel").text
    assert BORNE in ike.get("/export.csv").text


def test_toezicht_pages_filters_and_exports_its_own_tables(db_url):  # noqa: F811
    anna = logged_in(db_url, "anna")
    page = anna.get("/toezicht?" + urlencode({**EMPTY, "soort": "voorwaarden"}))
    assert page.status_code == 200 and "<caption>Openstaande voorwaarden" in page.text
    rows = csv_rows(anna.get("/toezicht.csv?soort=voorwaarden").content)
    assert f"{len(rows)} rijen" in page.text
    late = csv_rows(anna.get("/toezicht.csv?soort=voorwaarden&achterstallig=true").content)
    assert all(r["Verlopen"] == "ja" for r in late) and len(late) <= len(rows)
    staff = anna.get("/toezicht?soort=medewerkers")
    assert staff.status_code == 200 and "<caption>Niet-declarabele medewerkers" in staff.text
    assert "Steekproef" in staff.text  # the rest of the page stays
    rob = logged_in(db_url, "rob")
    assert rob.get("/toezicht.csv").status_code == 403
    assert rob.get("/toezicht").status_code == 403


def test_the_werkvoorraad_names_roles_in_words(db_url):  # noqa: F811
    rob = logged_in(db_url, "rob")
    page = rob.get("/werkvoorraad").text
    assert "rob (beoordelaar)" in page
    assert ZORGFIX  # the fixture's cases are loaded


def test_at_a_past_peildatum_only_what_had_arrived_waiting_counted_to_that_day(db_url):  # noqa: F811
    """The shipped judgements arrived between May and August 2024. On 1 July 2024 those that
    arrived later were not there to act on: not listed (before, they were, at "0 d"), and the
    rest wait the days up to 1 July, not up to today."""
    day = date(2024, 7, 1)
    store = Store(db_url)
    now = worklist(store, today(), "inkoop")
    later = {j.submission_id for j in now.judgements if j.waiting_since > day}
    earlier = {j.submission_id for j in now.judgements if j.waiting_since <= day}
    assert later and earlier  # the shipped cases have both
    ike = logged_in(db_url, "ike")
    for kind in ("oordeel", "verzoek"):
        query = urlencode({**EMPTY, "peildatum": day.isoformat(), "soort": kind})
        rows = csv_rows(ike.get("/werkvoorraad.csv?" + query).content)
        assert rows, kind
        for row in rows:
            since = date.fromisoformat(row["Wacht sinds"])
            assert since <= day and int(row["Dagen"]) == (day - since).days, row
        if kind == "oordeel":
            assert not later & {r["Inschrijving"] for r in rows}
            assert earlier <= {r["Inschrijving"] for r in rows}
    then = worklist(store, day, "inkoop")
    # Exactly the findings that arrived after the day (inkoop sees every role's judgements).
    assert then.later == sum(1 for j in now.judgements if j.waiting_since > day)
    page = ike.get("/werkvoorraad?" + urlencode({**EMPTY, "peildatum": day.isoformat()})).text
    assert not any(f"<td>{sid}" in page or f">{sid}<" in page for sid in later), page
    assert f"{then.later} te beoordelen bevindingen kwamen pas na de peildatum 2024-07-01" in page
