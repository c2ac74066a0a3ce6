"""The central list and its exports (CSV, xlsx), as the logged-in role may read them, and the
filters each account saved under a name ("mijn weergaven")."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response

from kit.errors import KitError
from kit.services.accounts import Login
from kit.services.desk import drop_view, save_view, views_of
from kit.services.reads import audit_read
from kit.views.report import outcomes, write_csv, write_xlsx
from kit.views.standing import standings
from kit.web.auth import store_of
from kit.web.deps import (
    PAGE_SIZE,
    SORTS,
    ListQuery,
    LoggedIn,
    Posted,
    filter_choices,
    paged,
)
from kit.web.limits import EXPORT_SLOT
from kit.web.render import page

router = APIRouter()
DONE = {  # what a link may make the list say: fixed texts only, never the link's own words
    "weergave-bewaard": "Weergave bewaard; u vindt hem onder Mijn weergaven.",
    "weergave-verwijderd": "Weergave verwijderd.",
    "formulier-weggegooid": "Het bewaarde formulier is weggegooid.",
}


@router.get("/")
def central_list(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> Response:
    return list_page(request, login, query, done=DONE.get(request.query_params.get("gedaan", "")))


def list_page(
    request: Request, login: Login, query: ListQuery, status: int = 200, **extra: Any
) -> Response:
    """The list under the filters, a page at a time. A field the server cannot use comes back
    beside the field, the rest of the form as typed (400, no rows)."""
    rows = [] if query.errors else query.rows(request)
    shown, number, pages = paged(rows, query.page, PAGE_SIZE)
    store = store_of(request)
    return page(
        request,
        "lijst.html",
        400 if query.errors else status,
        login=login,
        errors=query.errors,
        query=query.query,
        views=views_of(store, login.actor),
        choices=filter_choices(store),
        rows=shown,
        total=len(rows),
        number=number,
        pages=pages,
        values=query.values,
        today=query.day,
        outcomes=outcomes(),
        **extra,
    )


@router.get("/export.csv", dependencies=[EXPORT_SLOT])
def export_csv(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> Response:
    query.refused()
    out = StringIO()
    write_csv(query.rows(request), out)
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="kit-centrale-lijst.csv"'},
    )


@router.get("/export.xlsx", dependencies=[EXPORT_SLOT])
def export_xlsx(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> Response:
    """The same rows as the page and the CSV: every filter, the assignment one too."""
    query.refused()
    store = store_of(request)
    audit_read(store, login.actor, "centrale lijst", "regio", formaat="xlsx")
    today = query.day
    ids = query.assigned_ids(store)
    read = [s for s in standings(store, query.chosen) if ids is None or s.submission_id in ids]
    with tempfile.TemporaryDirectory(prefix="kit-web-") as tmp:
        path = Path(tmp) / "lijst.xlsx"
        role = login.actor.role
        write_xlsx(store, read, path, today, role, query.chosen, order=SORTS[query.sort])
        content = path.read_bytes()
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="kit-centrale-lijst.xlsx"'},
    )


# --- mijn weergaven ---------------------------------------------------------------------------


def _query_of(text: str) -> ListQuery:
    """The list's query from a saved or posted query string (unknown names ignored)."""
    known = set(ListQuery.__init__.__annotations__) - {"return"}
    return ListQuery(**{k: v for k, v in parse_qsl(text) if k in known})


@router.post("/weergaven")
def save(
    request: Request,
    login: Posted,
    naam: Annotated[str, Form(max_length=200)] = "",
    filter: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Save the list's current filter under a name, for this account. A refused name comes back
    on the list beside the field, the name as typed and the filter still applied."""
    query = _query_of(filter)
    try:
        save_view(store_of(request), login.actor, naam, query.query)
    except KitError as exc:
        message = exc.message[:1].upper() + exc.message[1:] + "."
        return list_page(request, login, query, 400, view_error=message, view_name=naam)
    return RedirectResponse(f"/?{query.query}&gedaan=weergave-bewaard", status_code=303)


@router.post("/weergaven/{pk}/verwijderen")
def delete(
    request: Request, login: Posted, pk: Annotated[int, PathParam(ge=1, le=2**31)]
) -> Response:
    drop_view(store_of(request), login.actor, pk)
    return RedirectResponse("/?gedaan=weergave-verwijderd", status_code=303)
