"""Sessions that keep the work: how long the session has left (for the warning the page shows
before it ends, kit/web/static/sessie.js), "aangemeld blijven", and the forms that arrived after
a session had ended, offered again to the same account after it logs in (never to another)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, RedirectResponse, Response

from kit.errors import KitError
from kit.services.accounts import Login
from kit.services.desk import (
    cookie_session_left,
    drop_kept_form,
    kept_form,
    stay_logged_in,
)
from kit.timezone import local_time
from kit.web.auth import COOKIE, store_of
from kit.web.deps import CONFIRMED, LoggedIn, Posted
from kit.web.render import labelled, page

router = APIRouter()
FormPk = Annotated[int, PathParam(ge=1, le=2**31)]


@router.get("/sessie")
def time_left(request: Request) -> Response:
    """Seconds the session has left, read without using it up (the warning asks this)."""
    left = cookie_session_left(store_of(request), request.cookies.get(COOKIE))
    return JSONResponse({"seconden": int(left.total_seconds())})


@router.post("/sessie/verlengen")
def stay(request: Request, login: Posted) -> Response:
    """ "Aangemeld blijven": the session's idle time starts again."""
    left = stay_logged_in(store_of(request), login)
    return JSONResponse({"seconden": int(left.total_seconds())})


def _gone() -> HTTPException:
    """Gone, or another account's: the same answer."""
    return HTTPException(404, "Dit bewaarde formulier bestaat niet (meer).")


def _own(request: Request, login: Login, pk: int) -> Any:
    """One of this account's kept forms; gone, or another account's: the same 404."""
    try:
        return kept_form(store_of(request), login.actor, pk)
    except KitError:
        raise _gone() from None


@router.get("/bewaard/{pk}")
def kept(request: Request, login: LoggedIn, pk: FormPk) -> Response:
    """A form kept when it arrived after the session had ended: what was typed, to send again
    (to where it was going) or to discard. Only the account it was kept for finds it."""
    row, fields, not_kept = _own(request, login, pk)
    kept_at = local_time(row.kept_at).strftime("%Y-%m-%d %H:%M")
    names = labelled(row.action, [(name, name) for name, _, _ in not_kept])
    missing = [
        {"name": name, "label": label or shown, "file": file, "kind": kind}
        for (name, file, kind), (_, shown, label) in zip(not_kept, names, strict=True)
    ]
    return page(
        request,
        "bewaard.html",
        login=login,
        row=row,
        fields=labelled(row.action, fields),
        missing=missing,
        kept_at=kept_at,
    )


@router.post("/bewaard/{pk}/weggooien")
def discard(
    request: Request,
    login: Posted,
    pk: FormPk,
    bevestigd: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Discarding typed work is asked first: without the confirmation's `bevestigd=ja` (a
    button on that page, not a value any form sends) this answers with the confirmation page
    and nothing is discarded."""
    if bevestigd != CONFIRMED:
        row, fields, _ = _own(request, login, pk)
        shown = [f for f in labelled(row.action, fields) if f[2] is not None]
        return page(request, "bewaard_weggooien.html", login=login, row=row, fields=shown)
    if not drop_kept_form(store_of(request), login.actor, pk):
        raise _gone()
    return RedirectResponse("/?gedaan=formulier-weggegooid", status_code=303)
