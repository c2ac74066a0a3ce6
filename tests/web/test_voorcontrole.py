"""Issue 23: the provider's self-check, `kit check FILE` and the public page `/voorcontrole`.
What the provider reads (per lot the expected verdict, per finding what to send, in the letters'
words), that it stores nothing and writes no audit event (the database is the same byte for
byte), the page's rate limit per address and its size limit."""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from contextlib import closing
from typing import Any

import pytest
from conftest import CASES
from databases import cli_env
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner
from workbook_fill import fill

from kit.case.reading import load_case
from kit.cli import app
from kit.kinds.rulesets import shipped_rulesets
from kit.output.template import template_bytes
from kit.web.app import create_app
from kit.web.voorcontrole import RATE_LIMIT, RateLimiter

runner = CliRunner()
ZORGFIX = CASES / "zorgfix-bv.yaml"
BORNE = CASES / "ambulant-team-borne-vog-te-oud.yaml"


@pytest.fixture(scope="module")
def workbook() -> bytes:
    """Zorgfix's data in the region's workbook, as the provider fills it in."""
    data = load_case(ZORGFIX).model_dump(by_alias=True, exclude_none=True)
    return fill(template_bytes(shipped_rulesets()["kit-2025"]), data)


def contents(url: str) -> Any:
    """The whole database as it is: SQLite's full dump (schema, indexes and every row), or every
    row of every PostgreSQL table. The dump, not the file's bytes: a connection the in-process
    `kit screen` left behind may fold the write-ahead log back into the file at any moment
    (when it is collected), which changes the bytes and the files beside it but stores nothing."""
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            return list(connection.iterdump())
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(
                    map(repr, connection.execute(text(f'SELECT * FROM "{table}"')).fetchall())
                )
                for table in sorted(inspect(connection).get_table_names())
            }
    finally:
        engine.dispose()


@pytest.fixture
def stored(any_db: str) -> str:
    """A database holding the shipped cases' screenings and their audit events."""
    args = ["screen", str(CASES), "--db", any_db]
    result = runner.invoke(app, args, env=cli_env(any_db, args, {"KIT_USER": "t"}))
    assert result.exit_code == 0, result.output
    return any_db


def test_kit_check_prints_what_the_provider_would_read(tmp_path, workbook):
    path = tmp_path / "inschrijving.xlsx"
    path.write_bytes(workbook)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Dit is een voorcontrole, geen besluit" in out
    assert "Jeugd Ambulant – begeleiding: verwacht herstel nodig" in out
    assert "Wmo dagbesteding: verwacht herstel nodig" in out
    # per finding what to send, in the provider's words of the letters (a reviewer's note only
    # when shared; zorgfix's note on D2 is the portal's, shared)
    assert (
        "Calamiteitenprotocol, inhoudelijk beoordeeld: Calamiteitenprotocol (D2) is inhoudelijk "
        "beoordeeld als onvoldoende: Geen meldprocedure richting IGJ beschreven. Stuur een "
        "aangepaste versie." in out
    )
    # A staff finding in the letter's sentence: what is wrong, addressed to the provider.
    assert (
        "(medewerker S03): Medewerker S03 heeft geen diploma op het niveau dat perceel Jeugd "
        "Ambulant – begeleiding vraagt." in out
    )


def test_kit_check_reads_a_yaml_case_too_and_names_a_staff_finding():
    result = runner.invoke(app, ["check", str(BORNE)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert (
        "De VOG van medewerker S02 is meer dan 3 maanden voor de startdatum van de medewerker "
        "afgegeven." in out
    )
    assert "5 maanden" not in out  # the reviewers' message; the preview says what letters say


def test_kit_check_leaves_the_database_as_it_was(stored, workbook, tmp_path, monkeypatch):
    path = tmp_path / "inschrijving.xlsx"
    path.write_bytes(workbook)
    monkeypatch.setenv("KIT_DATABASE_URL", stored)
    before = contents(stored)
    for target in (path, ZORGFIX):
        assert runner.invoke(app, ["check", str(target)]).exit_code == 0
    assert contents(stored) == before


def _post(client: TestClient, content: bytes, name: str = "inschrijving.xlsx") -> Any:
    return client.post("/voorcontrole", files={"bestand": (name, content, "application/xlsx")})


def test_the_page_is_public_and_says_it_is_a_preview(tmp_path):
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'kit.db'}"))
    page = client.get("/voorcontrole", follow_redirects=False)
    assert page.status_code == 200
    assert "Dit is een voorcontrole, geen besluit." in page.text
    assert 'action="/voorcontrole"' in page.text and "Afmelden" not in page.text
    login = client.get("/aanmelden")
    assert 'href="/voorcontrole"' in login.text


def test_the_page_shows_the_result_and_stores_nothing(stored, workbook):
    application = create_app(stored)
    client = TestClient(application)
    before = contents(stored)
    answer = _post(client, workbook)
    assert answer.status_code == 200
    assert 'verwacht <span class="uitspraak v-herstel-nodig">herstel nodig</span>' in answer.text
    assert "Geen meldprocedure richting IGJ beschreven. Stuur een aangepaste versie." in answer.text
    broken = _post(client, workbook[:500])
    assert broken.status_code == 200 and "de werkmap is beschadigd" in broken.text
    assert contents(stored) == before
    assert application.state.self_checks == 2  # a count, and nothing else


def test_the_page_names_every_wrong_cell(workbook, tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(workbook))
    book["Personeel"]["H3"] = "hbo-sph"
    book["Personeel"]["F4"] = "morgen"
    out = io.BytesIO()
    book.save(out)
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'kit.db'}"))
    answer = _post(client, out.getvalue())
    assert (
        "<li>inschrijving.xlsx: Personeel, rij 3, kolom Diploma-niveau: &#39;hbo-sph&#39; is geen"
        in answer.text
    )
    assert "<li>inschrijving.xlsx: Personeel, rij 4, kolom Startdatum:" in answer.text


def test_the_eleventh_upload_in_a_minute_from_one_address_is_refused(tmp_path, workbook):
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'kit.db'}"))
    for _ in range(RATE_LIMIT):  # refused workbooks count as well: each was read
        assert "geen zip-archief" in _post(client, b"geen werkmap").text
    refused = _post(client, workbook)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert "Probeer het over een minuut opnieuw." in refused.text
    other = TestClient(create_app(f"sqlite:///{tmp_path / 'kit.db'}"), client=("10.9.8.7", 50000))
    assert _post(other, workbook).status_code == 200  # a fresh server: its own count


def test_the_rate_limit_is_per_address_and_slides():
    limiter = RateLimiter(limit=2, window=60, addresses=2)
    assert limiter.allow("a", 0) and limiter.allow("a", 1)
    assert not limiter.allow("a", 2)
    assert limiter.allow("b", 2)  # another address has its own count
    assert limiter.allow("a", 60.5)  # the first check has left the window
    limiter.allow("c", 61)
    assert set(limiter.seen) == {"a", "c"}  # the least recently seen address is forgotten


def test_the_page_refuses_a_file_over_the_size_limit(tmp_path, monkeypatch, workbook):
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'kit.db'}"))
    # a body over the limit (plus the form's room) is cut off before it is read: 413
    monkeypatch.setenv("KIT_MAX_FILE_MB", "0.005")  # 5 KB, and 64 KB for the form
    too_large = _post(client, workbook)
    assert too_large.status_code == 413 and "Te groot" in too_large.text
    # a file over the limit within the form's room: refused by the page itself
    monkeypatch.setenv("KIT_MAX_FILE_MB", "0.05")  # 50 KB < the workbook's 77 KB
    assert len(workbook) > 0.05 * 2**20
    refused = _post(client, workbook)
    assert refused.status_code == 400 and "te groot (meer dan" in refused.text


def test_the_upload_is_read_in_memory(tmp_path, monkeypatch, workbook):
    """A workbook larger than starlette's default spool (1 MB) still never reaches a file."""
    from tempfile import SpooledTemporaryFile

    def no_disk(self: Any) -> None:
        raise AssertionError("the upload was written to a temporary file")

    monkeypatch.setattr(SpooledTemporaryFile, "rollover", no_disk)
    padded = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(padded, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/foto.bin", os.urandom(2 * 1024 * 1024))
    assert len(padded.getvalue()) > 2 * 1024 * 1024
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'kit.db'}"))
    answer = _post(client, padded.getvalue())
    assert answer.status_code == 200
    assert "verwacht <span" in answer.text
