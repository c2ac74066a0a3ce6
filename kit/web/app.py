"""The web application: `create_app(db_url)` gives the FastAPI app `kit serve` runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException

from kit.errors import AccessDenied, KitError
from kit.store import Store
from kit.text import visible
from kit.web.auth import NotLoggedIn
from kit.web.cache import ListCache

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


def templates() -> Environment:
    """Jinja2 with autoescaping on: every value a provider wrote is shown as text."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        finalize=lambda value: visible(value) if isinstance(value, str) else value,
    )
    from kit.labels import look, lot_label

    env.globals.update(lot_label=lot_label, look=look)
    return env


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


FORM_ROOM = 64 * 1024  # a form's own fields beside an uploaded case file


def _body_refused(request: Request) -> tuple[int, str] | None:
    """A request body the server will not read: larger than the largest case file kit reads
    (KIT_MAX_FILE_MB) plus the form around it, or of unannounced length. Refused before a byte
    of it is spooled to disk."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    from kit.limits import max_file_bytes

    length = request.headers.get("content-length")
    if length is None:
        return 411, "Het verzoek zegt niet hoe groot het is (Content-Length ontbreekt)."
    if not length.isdigit() or int(length) > max_file_bytes() + FORM_ROOM:
        return 413, f"Te groot: hoogstens {max_file_bytes() // 2**20} MB per bestand."
    return None


def create_app(db_url: str | None = None) -> FastAPI:
    store = Store(db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()  # SQLite folds its write-ahead log back: the database file stays whole

    app = FastAPI(
        title="KIT-screening", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.store = store
    app.state.templates = templates()
    app.state.lists = ListCache()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def secured(request: Request, call_next: Any) -> Response:
        refused = _body_refused(request)
        if refused is not None:
            status, message = refused
            answer = page(request, "fout.html", status, title="Niet gelukt", message=message)
            answer.headers.update(SECURITY_HEADERS)
            return answer
        response: Response = await call_next(request)
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response

    @app.exception_handler(NotLoggedIn)
    async def to_login(request: Request, _exc: NotLoggedIn) -> Response:
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/aanmelden?volgende={quote(wanted)}", status_code=303)

    @app.exception_handler(AccessDenied)
    async def denied(request: Request, exc: AccessDenied) -> Response:
        return page(request, "fout.html", 403, title="Geen toegang", message=exc.message)

    @app.exception_handler(KitError)
    async def refused(request: Request, exc: KitError) -> Response:
        return page(request, "fout.html", 400, title="Niet gelukt", message=exc.message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        titles = {403: "Geen toegang", 404: "Niet gevonden", 405: "Niet toegestaan"}
        message = exc.detail if isinstance(exc.detail, str) else "Dat gaat niet."
        if exc.status_code == 404 and message == "Not Found":
            message = "Deze pagina bestaat niet."
        if exc.status_code == 405:
            message = "Deze handeling kan zo niet."
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

    from kit.web import api, pages

    app.include_router(pages.router, include_in_schema=False)
    app.include_router(api.router)
    return app
