"""The web application: `create_app(db_url)` gives the FastAPI app `kit serve` runs."""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.case.stored import DamagedStore, database_trouble
from kit.errors import AccessDenied, KitError, Lines
from kit.limits import max_file_bytes
from kit.services import open_store
from kit.services.accounts import forget_stale
from kit.web import (
    api,
    beheer,
    claims,
    criteria,
    files,
    judging,
    kept,
    lists,
    login,
    sample,
    submission,
    voorcontrole,
    work,
)
from kit.web.auth import NotLoggedIn
from kit.web.cache import ListCache
from kit.web.limits import RETRY_AFTER, AnonymousLimit, TooBusy
from kit.web.render import FORM_ROOM, page, templates

HERE = Path(__file__).resolve().parent

# What a page may load and where a form may post: this server only; no frames, no inline script.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class _TooLarge(Exception):
    """More body arrived than BodyLimit allows."""


class BodyLimit:
    """No request body larger than the largest case file kit reads (KIT_MAX_FILE_MB) plus the
    form around it: refused on its Content-Length before a byte is read, and counted as it
    arrives, so a body that claims less (or is sent in chunks) is cut off at the limit too.
    Refusals are the usual Dutch page (411, 413)."""

    def __init__(self, app: ASGIApp, templates: Environment) -> None:
        self.app = app
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return

        limit = max_file_bytes() + FORM_ROOM
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length")
        if length is None or "transfer-encoding" in headers:
            await self._refuse(411, "Het verzoek zegt niet hoe groot het is.", scope, receive, send)
            return
        if not length.isdigit() or int(length) > limit:
            await self._refuse(413, _too_large(), scope, receive, send)
            return
        received = 0
        exceeded = False

        async def counted() -> Message:
            nonlocal received, exceeded
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                exceeded = True
                raise _TooLarge
            return message

        async def unless_exceeded(message: Message) -> None:
            if not exceeded:  # the application's answer to a cut-off body is replaced below
                await send(message)

        try:
            await self.app(scope, counted, unless_exceeded)
        except _TooLarge:
            pass
        if exceeded:
            await self._refuse(413, _too_large(), scope, receive, send)

    async def _refuse(
        self, status: int, message: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        await _refusal(self.templates, status, message)(scope, receive, send)


def _refusal(templates: Environment, status: int, message: str) -> HTMLResponse:
    """The Dutch error page a middleware answers with, before any route has run."""
    html = templates.get_template("fout.html").render(
        request=None, login=None, title="Niet gelukt", message=message
    )
    return HTMLResponse(html, status, headers=SECURITY_HEADERS)


# Text a form may hold besides printable characters: a note's tab and line breaks.
_LAYOUT = frozenset("\t\n\r")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_control(text: str) -> bool:
    """Whether `text` holds a control character (NUL, ESC, DEL, C1 …) other than layout."""
    return any(unicodedata.category(char) == "Cc" and char not in _LAYOUT for char in text)


class PlainParameters:
    """No control character in any request parameter: the path, the query, and every field of
    a form (the login name too; an uploaded file's content is the case reader's to judge, its
    name is checked here). Refused with a Dutch 400 page before a route runs, so such a value
    never reaches the database (PostgreSQL refuses a NUL in text with an error) nor a log.
    Sits inside BodyLimit, so the form it reads is already within the size limit."""

    def __init__(self, app: ASGIApp, templates: Environment) -> None:
        self.app = app
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("utf-8", "replace")
        texts = [scope["path"], *(part for pair in parse_qsl(query, True) for part in pair)]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind in _FORMS and scope["method"] in ("POST", "PUT", "PATCH"):
            body = await _whole_body(receive)
            receive = _replay(body)
            texts += await _form_texts(scope, body)
        if any(_has_control(text) for text in texts):
            message = (
                "Het verzoek bevat een stuurteken (zoals een nulteken) in een adres of "
                "formulierveld; dat kan kit niet verwerken. Er is niets opgeslagen."
            )
            await _refusal(self.templates, 400, message)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _whole_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    """A receive that gives `body` once, then waits as the server's would (for a disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _form_texts(scope: Scope, body: bytes) -> list[str]:
    """Every field name and text value of a form, and the names of its files; [] for a form
    that cannot be read (the route then refuses it in its own words)."""
    try:
        form = await Request(scope, _replay(body)).form()
    except Exception:  # a broken form: FastAPI's own 400 follows in the route
        return []
    try:
        texts = []
        for name, value in form.multi_items():
            texts.append(name)
            texts.append(value if isinstance(value, str) else value.filename or "")
        return texts
    finally:
        await form.close()


def _too_large() -> str:

    return f"Te groot: hoogstens {max_file_bytes() // 2**20} MB per bestand."


# Python's own thresholds of the cyclic garbage collector. The `kit` command raises them for
# its one-shot commands (kit.cli.GC_THRESHOLDS), under which a full collection almost never
# runs: in a server that runs for weeks, every Word letter's document (python-docx objects in
# cycles, holding megabytes of XML trees) then stayed in memory, 5 MB a letter. The server
# collects at Python's usual pace.
SERVER_GC_THRESHOLDS = (700, 10, 10)


# Over 60 lines: the application's middleware and error handlers, which close over its store,
# registered in the order requests pass through them.
def create_app(db_url: str | None = None) -> FastAPI:
    gc.set_threshold(*SERVER_GC_THRESHOLDS)
    store = open_store(db_url, create=True)
    forget_stale(store)  # sessions and failed logins of before are of no more use

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()  # SQLite folds its write-ahead log back: the database file stays whole

    app = FastAPI(
        title="KIT-screening",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.templates = templates()
    app.state.lists = ListCache()
    app.add_middleware(PlainParameters, templates=app.state.templates)
    app.add_middleware(BodyLimit, templates=app.state.templates)  # outside: limits it too
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def secured(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if request.url.scheme == "https":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    # Outermost, before even the headers above: a refused request costs next to nothing.
    app.add_middleware(AnonymousLimit, headers=SECURITY_HEADERS)

    @app.exception_handler(NotLoggedIn)
    async def to_login(request: Request, exc: NotLoggedIn) -> Response:
        wanted = getattr(exc, "wanted", None) or (  # a kept form (kit.web.deps.FormKept)
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
        return RedirectResponse(f"/aanmelden?volgende={quote(wanted)}", status_code=303)

    @app.exception_handler(AccessDenied)
    async def denied(request: Request, exc: AccessDenied) -> Response:
        return page(request, "fout.html", 403, title="Geen toegang", message=exc.message)

    @app.exception_handler(TooBusy)
    async def too_busy(request: Request, exc: TooBusy) -> Response:
        response = page(request, "fout.html", 429, title="Even geduld", message=exc.message)
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @app.exception_handler(DamagedStore)
    async def damaged(request: Request, exc: DamagedStore) -> Response:
        return page(request, "fout.html", 500, title="Database beschadigd", message=exc.message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        """The last resort: a Dutch page, never the framework's English one. A value the
        database layer could not read, or a database out of reach, is named as `kit` names it
        (kit.case.stored.database_trouble); anything else is a bug, whose traceback goes to the
        server's log (the framework raises it again after this page)."""
        trouble = database_trouble(exc)
        title = "Database beschadigd" if trouble and "beschadigd" in trouble else "Fout"
        message = trouble or "Er ging iets mis; de beheerder vindt de details in het log."
        return page(request, "fout.html", 500, title=title, message=message)

    @app.exception_handler(KitError)
    async def refused(request: Request, exc: KitError) -> Response:
        # The command line names the database a message is about; a web page does not.
        where = store.shown_url
        message = exc.message.replace(f" in {where}", "").replace(where, "de database")
        lines = exc.message.lines if isinstance(exc.message, Lines) else None
        return page(request, "fout.html", 400, title="Niet gelukt", message=message, lines=lines)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        titles = {403: "Geen toegang", 404: "Niet gevonden", 405: "Niet toegestaan"}
        message = exc.detail if isinstance(exc.detail, str) else "Dat gaat niet."
        if exc.status_code == 404 and message == "Not Found":
            message = "Deze pagina bestaat niet."
        if exc.status_code == 405:
            message = "Deze handeling kan zo niet."
        if message == "There was an error parsing the body":  # FastAPI's, for a broken form
            message = "Het formulier kon niet worden gelezen."
        return page(
            request,
            "fout.html",
            exc.status_code,
            title=titles.get(exc.status_code, "Fout"),
            message=message,
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, _exc: RequestValidationError) -> Response:
        return page(
            request,
            "fout.html",
            400,
            title="Niet gelukt",
            message="Een veld ontbreekt of klopt niet.",
        )

    for pages in (
        login,
        beheer,
        lists,
        submission,
        judging,
        claims,
        files,
        work,
        voorcontrole,
        criteria,
        sample,
        kept,
    ):
        app.include_router(pages.router, include_in_schema=False)
    app.include_router(api.router)
    return app
