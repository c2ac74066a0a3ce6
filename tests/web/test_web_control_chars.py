"""Control characters in web request parameters (issue 26, item 4): a NUL or another control
character in the path, the query, a form field or the login name is a Dutch 400 page before any
route runs, on SQLite and PostgreSQL (where a NUL in text used to give a 500), and no request
parameter ends up in a log line, nor do the database layer's errors carry the values."""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import BASE_CASE, SERVED, kit_serve
from databases import cli_env
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from kit.cli import app as cli
from kit.store.connect import engines
from kit.web.app import create_app

runner = CliRunner()
SECRET = "geheim-waarde-7"  # what a request carries; never in a log line


@pytest.fixture
def site(any_db: str) -> TestClient:
    args = ["screen", str(BASE_CASE), "--db", any_db]
    done = runner.invoke(cli, args, env=cli_env(any_db, args, {"KIT_USER": "t"}))
    assert done.exit_code in (0, 1), done.output
    args = ["users", "add", "rob", "--rol", "reviewer", "--wachtwoord-stdin", "--db", any_db]
    added = runner.invoke(
        cli, args, input="rob-wachtwoord-12\n", env=cli_env(any_db, args, {"KIT_USER": "i"})
    )
    assert added.exit_code == 0, added.output
    return TestClient(create_app(any_db), follow_redirects=False, raise_server_exceptions=False)


def _csrf(browser: TestClient) -> str:
    page = browser.get("/aanmelden").text
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def _refused(response) -> None:
    assert response.status_code == 400, response.text
    assert "stuurteken" in response.text and "Niet gelukt" in response.text
    assert response.headers["X-Frame-Options"] == "DENY"  # the site's headers, as on any page


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_the_login_name(site, char):
    response = site.post(
        "/aanmelden",
        data={"naam": f"rob{char}", "wachtwoord": "rob-wachtwoord-12", "csrf": _csrf(site)},
    )
    _refused(response)


def _logged_in(site: TestClient) -> TestClient:
    done = site.post(
        "/aanmelden",
        data={"naam": "rob", "wachtwoord": "rob-wachtwoord-12", "csrf": _csrf(site)},
    )
    assert done.status_code == 303, done.text
    return site


@pytest.mark.parametrize(
    "address",
    [
        "/inschrijving/INS-2024-0042%00",
        "/api/inschrijving/INS%00X",
        "/?aanbieder=Zorg%00fix",
        "/?perceel=%01",
        f"/export.csv?aanbieder={SECRET}%00",
        "/%00",
    ],
)
def test_a_control_character_in_the_address(site, address):
    _refused(_logged_in(site).get(address))


def test_a_control_character_in_a_form_field_and_in_an_upload(site):
    browser = _logged_in(site)
    csrf = _csrf(browser)
    _refused(browser.post("/voorcontrole", data={"csrf": csrf, "x": "a\x00b"}))
    _refused(
        browser.post(
            "/inschrijving/INS-2024-0042/ronde",
            data={"csrf": f"{csrf}\x00"},
            files={"bestand": ("ronde.yaml", b"submission: {}\n", "application/x-yaml")},
        )
    )


def test_layout_in_a_form_is_no_control_character(site):
    """A note's tab and line breaks stay allowed: only the login form is answered here."""
    response = site.post(
        "/aanmelden",
        data={"naam": "rob", "wachtwoord": "fout\twachtwoord\r\n", "csrf": _csrf(site)},
    )
    assert response.status_code != 400 or "stuurteken" not in response.text


class _Browser:
    """A plain client of a running `kit serve`: cookies kept, redirects not followed."""

    def __init__(self, base: str) -> None:
        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.base = base
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar, Stay)

    def send(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode()

    def csrf(self) -> str:
        page = self.send("/aanmelden")[1]
        return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_no_request_parameter_in_a_log_line(site, any_db):
    """`kit serve` as a region runs it: what it logs (errors, tracebacks) after requests that
    carry a value, with and without a NUL, names none of them."""
    with kit_serve(any_db) as base:
        browser = _Browser(base)
        login = {"naam": "rob", "wachtwoord": "rob-wachtwoord-12", "csrf": browser.csrf()}
        assert browser.send("/aanmelden", login)[0] == 303
        answers = [
            browser.send(f"/inschrijving/{SECRET}%00")[0],
            browser.send(f"/?aanbieder={SECRET}%00")[0],
            browser.send(f"/inschrijving/{SECRET}")[0],
            browser.send(f"/aanmelden?volgende=/{SECRET}%00")[0],
        ]
        stranger = _Browser(base)
        hostile = {"naam": f"{SECRET}\x00", "wachtwoord": SECRET, "csrf": stranger.csrf()}
        answers.append(stranger.send("/aanmelden", hostile)[0])
    assert 500 not in answers, answers
    _code, printed = SERVED[base]
    assert SECRET not in printed, printed


def test_database_errors_do_not_carry_the_values(any_db):
    """A failing statement's error names the SQL, never the values bound to it: a traceback
    of the server then shows no request parameter."""
    engine = engines(any_db).read
    with pytest.raises(Exception) as info, engine.connect() as connection:
        connection.execute(
            text("SELECT naam FROM bestaat_niet WHERE naam = :naam"), {"naam": SECRET}
        )
    assert "bestaat_niet" in str(info.value)
    assert SECRET not in str(info.value)
