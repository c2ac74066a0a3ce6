"""The central list and its exports (CSV, xlsx), as the logged-in role may read them."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kit.views.report import outcomes, write_csv, write_xlsx
from kit.views.standing import standings
from kit.vocab.vocabulary import vocabulary
from kit.web.auth import store_of
from kit.web.deps import PAGE_SIZE, SORTS, ListQuery, LoggedIn
from kit.web.limits import EXPORT_SLOT
from kit.web.render import page

router = APIRouter()


@router.get("/")
def central_list(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> Response:
    rows = query.rows(request)
    pages = max((len(rows) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    number = min(query.page, pages)
    shown = rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    words = vocabulary()
    reviewers = [a.name for a in store_of(request).accounts() if a.role == "reviewer"]
    return page(
        request,
        "lijst.html",
        login=login,
        reviewers=reviewers,
        rows=shown,
        total=len(rows),
        number=number,
        pages=pages,
        values=query.values,
        today=query.day,
        lots=list(words.lots),
        verdicts=words.lot_verdicts,
        risks=words.risk_lights,
        outcomes=outcomes(),
    )


@router.get("/export.csv", dependencies=[EXPORT_SLOT])
def export_csv(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> Response:
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
    store = store_of(request)
    today = query.day
    read = standings(store, query.chosen)
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


# --- a submission ---------------------------------------------------------------------------
