"""Issue 25, item 6: the provider's document files on the case. Uploaded with the submission,
typed by their first bytes, stored once by SHA-256; opened as a download that cannot render in
the app's origin; sensitive ones only for toezicht (Bibob material also bibob); hostile uploads
refused in Dutch with nothing stored. Toezicht records arrived stukken as the command line does."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from support import csrf_of, logged_in
from test_web import ZORGFIX, screen_provider
from test_web import db_url as shared_db_url  # noqa: F401 (fixture)

from kit.store import Store
from kit.store.tables import BlobRow

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CASE = f"/inschrijving/{ZORGFIX}"


@pytest.fixture(scope="module")
def db_url(shared_db_url):  # noqa: F811
    return shared_db_url


def upload(browser, name: str, content: bytes, kind: str, case: str = CASE):
    token = csrf_of(browser.get(case).text)
    return browser.post(
        f"{case}/bestand",
        data={"csrf": token, "soort": kind},
        files={"bestand": (name, content, "application/pdf")},
    )


def files(db_url: str) -> list:
    store = Store(db_url)
    return store.case_files(store.submission(ZORGFIX).pk)


def blobs(db_url: str) -> int:
    store = Store(db_url)
    with store.session() as session:
        return len(list(session.exec(__import__("sqlmodel").select(BlobRow))))


def test_a_document_is_uploaded_opened_from_the_finding_and_served_as_a_download(db_url):
    rob = logged_in(db_url, "rob")
    done = upload(rob, "calamiteitenprotocol v2.pdf", PDF, "calamiteitenprotocol")
    assert done.status_code == 303, done.text[-800:]
    [row] = [f for f in files(db_url) if f.filename == "calamiteitenprotocol v2.pdf"]
    page = rob.get(CASE).text
    link = f"{CASE}/bestand/{row.id}"
    assert f'href="{link}"' in page and "Document openen: calamiteitenprotocol v2.pdf" in page
    checklist = rob.get(f"{CASE}/beoordelen/calamiteitenprotocol").text
    assert f'href="{link}"' in checklist  # beside the judgement form too
    for name in ("rob", "anna", "ike"):
        answer = logged_in(db_url, name).get(link)
        assert answer.status_code == 200 and answer.content == PDF
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["content-disposition"].startswith("attachment;")
        assert "sandbox" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
    event = [e for e in Store(db_url).audit_events() if e.action == "document-bestand"][-1]
    assert (event.actor, json.loads(event.detail)["category"]) == ("rob", "calamiteitenprotocol")
    before = blobs(db_url)
    assert upload(rob, "kopie.pdf", PDF, "calamiteitenprotocol").status_code == 303
    assert blobs(db_url) == before  # the same bytes are stored once


def test_a_vog_is_opened_by_toezicht_and_refused_to_a_reviewer(db_url):
    anna, rob, bo = (logged_in(db_url, n) for n in ("anna", "rob", "bo"))
    assert upload(anna, "vog-S01.pdf", PDF + b"vog", "vog").status_code == 303
    [vog] = [f for f in files(db_url) if f.filename == "vog-S01.pdf"]
    link = f"{CASE}/bestand/{vog.id}"
    audited = [e for e in Store(db_url).audit_events() if e.action == "document-bestand"][-1]
    assert "vog-S01" not in audited.detail and json.loads(audited.detail)["category"] == "vog"
    assert anna.get(link).status_code == 200 and "vog-S01.pdf" in anna.get(CASE).text
    for other in (rob, bo, logged_in(db_url, "ike"), logged_in(db_url, "bea")):
        refused = other.get(link)
        assert refused.status_code == 403 and "voorbehouden aan toezicht" in refused.text
        assert PDF not in refused.content
        assert "vog-S01.pdf" not in other.get(CASE).text
    before = (len(files(db_url)), blobs(db_url))
    forwarded = upload(rob, "vog-S02.pdf", PDF + b"vog2", "vog")
    assert forwarded.status_code == 403 and (len(files(db_url)), blobs(db_url)) == before
    # Bibob material: the Bibob officials and toezicht.
    assert upload(bo, "bibob-advies.pdf", PDF + b"bibob", "bibob").status_code == 303
    [advice] = [f for f in files(db_url) if f.filename == "bibob-advies.pdf"]
    assert bo.get(f"{CASE}/bestand/{advice.id}").status_code == 200
    assert anna.get(f"{CASE}/bestand/{advice.id}").status_code == 200
    assert rob.get(f"{CASE}/bestand/{advice.id}").status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("protocol.pdf", b"<html><script>alert(1)</script></html>", "geen PDF, PNG of JPEG"),
        ("protocol.pdf", b"MZ\x90\x00" + PDF, "geen PDF, PNG of JPEG"),
        ("protocol.html", PDF, "de inhoud is PDF, maar de naam eindigt niet op .pdf"),
        ("plaatje.pdf", PNG, "de inhoud is PNG"),
        ("../../etc/protocol.pdf", PDF, "is een pad"),
        ("..\\..\\protocol.pdf", PDF, "is een pad"),
        (".protocol.pdf", PDF, "is een pad"),
        ("proto<col>.pdf", PDF, "mag geen tekens"),
        ("x" * 200 + ".pdf", PDF, "hoogstens 120 tekens"),
    ],
)
def test_hostile_uploads_are_refused_in_dutch_and_store_nothing(db_url, name, content, said):
    rob = logged_in(db_url, "rob")
    before = (len(files(db_url)), blobs(db_url))
    answer = upload(rob, name, content, "calamiteitenprotocol")
    assert answer.status_code == 400 and said in answer.text, answer.text[-600:]
    assert (len(files(db_url)), blobs(db_url)) == before


def test_a_windows_path_never_reaches_the_store(db_url):
    """The form parser may cut a Windows path to its last part; what is stored is a name."""
    upload(logged_in(db_url, "rob"), "C:\\temp\\win.pdf", PDF, "calamiteitenprotocol")
    assert all("/" not in f.filename and "\\" not in f.filename for f in files(db_url))


def test_an_oversized_upload_is_refused(db_url, monkeypatch):
    monkeypatch.setenv("KIT_MAX_FILE_MB", "0.01")  # 10 kB; the form around it has 64 kB room
    rob = logged_in(db_url, "rob")
    before = (len(files(db_url)), blobs(db_url))
    for size in (11 * 1024, 200 * 1024):  # past the file limit; past the request limit too
        answer = upload(rob, "groot.pdf", PDF + b"0" * size, "calamiteitenprotocol")
        assert answer.status_code in (400, 413) and "Te groot" in answer.text.replace(
            "te groot", "Te groot"
        )
    assert (len(files(db_url)), blobs(db_url)) == before


def test_an_unknown_kind_of_document_is_refused(db_url):
    answer = upload(logged_in(db_url, "rob"), "a.pdf", PDF, "geheim")
    assert answer.status_code == 400 and "Soort document: onbekend" in answer.text


def test_toezicht_records_arrived_stukken_in_the_web_app(db_url, tmp_path):
    screen_provider(db_url, tmp_path, "4321")
    case = "/inschrijving/INS-2024-4321"
    anna = logged_in(db_url, "anna")
    update = {"documents": [{"id": "D40", "type": "privacyreglement", "issued_on": "2024-04-08"}]}
    token = csrf_of(anna.get(case).text)
    done = anna.post(
        f"{case}/stukken",
        data={"csrf": token, "ontvangen": "2024-04-10"},
        files={"bestand": ("stukken.yaml", yaml.safe_dump(update).encode(), "text/yaml")},
    )
    assert done.status_code == 303, done.text[-800:]
    assert "gedaan=stukken" in done.headers["location"]
    store = Store(db_url)
    latest = store.screenings_of(store.submission("INS-2024-4321").pk)[-1]
    assert latest.known_on.isoformat() == "2024-04-10" and latest.actor == "anna"
    event = [e for e in store.audit_events() if e.subject == "INS-2024-4321"][-1]
    assert (event.actor, json.loads(event.detail)["file"]) == ("anna", "stukken.yaml")
    again = anna.post(
        f"{case}/stukken",
        data={"csrf": token, "ontvangen": "2024-04-10"},
        files={"bestand": ("stukken.yaml", yaml.safe_dump(update).encode(), "text/yaml")},
    )
    assert "gedaan=niets-nieuw" in again.headers["location"]
    broken = anna.post(
        f"{case}/stukken",
        data={"csrf": token, "ontvangen": "2024-04-10"},
        files={"bestand": ("kapot.yaml", b"documents: [{id: D41}]", "text/yaml")},
    )
    assert broken.status_code == 400 and "kapot.yaml" in broken.text and "/tmp" not in broken.text
    refused = logged_in(db_url, "ike").post(
        f"{case}/stukken",
        data={"csrf": csrf_of(logged_in(db_url, "ike").get(case).text), "ontvangen": "2024-04-10"},
        files={"bestand": ("stukken.yaml", b"documents: []", "text/yaml")},
    )
    assert refused.status_code == 403


def test_each_role_is_offered_only_the_kinds_it_may_add(db_url):
    def offered(name: str) -> set[str]:
        page = logged_in(db_url, name).get(CASE).text
        if 'name="soort"' not in page:
            return set()
        form = page[
            page.index('name="soort"') : page.index("</select>", page.index('name="soort"'))
        ]
        return set(re.findall(r'<option value="([^"]+)"', form))

    assert {"vog", "diploma", "bibob"} <= offered("anna")
    assert "calamiteitenprotocol" in offered("rob") and not {"vog", "bibob"} & offered("rob")
    assert offered("bo") == {"bibob-vragenlijst", "bibob"}
    assert offered("ike") == set() and offered("bea") == set()
    refused = upload(logged_in(db_url, "bo"), "p.pdf", PDF, "calamiteitenprotocol")
    assert refused.status_code == 403 and "voorbehouden aan reviewer of toezicht" in refused.text
