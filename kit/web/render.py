"""Pages rendered from the Jinja2 templates (kit/web/templates), shared by every router."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from kit.output.labels import (
    detail_text,
    field_label,
    form_of,
    look,
    lot_label,
    role_label,
    typed_label,
)
from kit.screening.verdict import subject_text
from kit.services.desk import session_left
from kit.text import visible_value
from kit.timezone import minute_text
from kit.web.messages import option_field, web_text

HERE = Path(__file__).resolve().parent


def _shown(value: Any) -> Any:
    """A value as a page shows it (kit.text.visible_value); the output of a macro is the
    template's own markup, already escaped, and stays as it is."""
    return value if isinstance(value, Markup) else visible_value(value)


def templates() -> Environment:
    """Jinja2 with autoescaping on: every value a provider wrote is shown as text."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        finalize=_shown,
    )

    env.globals.update(
        lot_label=lot_label,
        look=look,
        subject_text=subject_text,
        detail_text=detail_text,
        minute_text=minute_text,
        role_label=role_label,
        field_label=field_label,
    )
    env.filters["role_label"] = role_label
    return env


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page `name`; without a `login` given, the request's (kit.web.deps), so that an error
    page keeps the menu of the account that was refused something."""
    env: Environment = request.app.state.templates
    login = context.setdefault("login", getattr(request.state, "login", None))
    if login is not None and hasattr(login, "token_hash"):
        left = session_left(request.app.state.store, login.token_hash)
        context.setdefault("session_seconds", int(left.total_seconds()))
    if name == "fout.html":
        _refusal_words(request, context)
    html = env.get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


FORM_ROOM = 64 * 1024  # a form's own fields beside an uploaded case file


def _refusal_words(request: Request, context: dict[str, Any]) -> None:
    """An error page in the page's words (kit.web.messages), and for a refused form what was
    typed, with the message beside the field it names (kit.web.deps keeps the fields)."""

    message = str(context.get("message") or "")
    context["message"] = web_text(message)
    if context.get("lines"):
        context["lines"] = [web_text(str(line)) for line in context["lines"]]
    typed = getattr(request.state, "typed", None)
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    plain_form = kind == "application/x-www-form-urlencoded"  # a file cannot be offered again
    if typed and plain_form and request.method == "POST" and not context.get("lines"):
        wrong = option_field(message)
        fields = labelled(request.url.path, typed)
        shown = {name for name, _, label in fields if label is not None}
        context.setdefault("typed", fields)
        context.setdefault("wrong", wrong if wrong in shown else None)
        context.setdefault("action", request.url.path)


def labelled(path: str, fields: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    """Typed fields with the labels their form shows (None: a hidden field of that form), to
    offer them again (kit/web/templates/_velden.html). A form the labels file does not name
    shows its fields by name, never hides them."""
    form = form_of(path)
    if form is None:
        return [(name, value, name.capitalize().replace("_", " ")) for name, value in fields]
    return [(name, value, typed_label(form, name)) for name, value in fields]
