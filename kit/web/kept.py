"""Sessions that keep the work: how long the session has left (for the warning the page shows
before it ends, kit/web/static/sessie.js), "aangemeld blijven", and the forms that arrived after
a session had ended, offered again to the same account after it logs in (never to another)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, RedirectResponse, Response

from kit.errors import KitError
from kit.services.desk import (
    cookie_session_left,
    drop_kept_form,
    kept_form,
    stay_logged_in,
)
from kit.timezone import local_time
from kit.web.auth import COOKIE, store_of
from kit.web.deps import LoggedIn, Posted
from kit.web.render import page

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


@router.get("/bewaard/{pk}")
def kept(request: Request, login: LoggedIn, pk: FormPk) -> Response:
    """A form kept when it arrived after the session had ended: what was typed, to send again
    (to where it was going) or to discard. Only the account it was kept for finds it."""
    try:
        row, fields = kept_form(store_of(request), login.actor, pk)
    except KitError:  # gone, or another account's: the same answer
        raise HTTPException(404, "Dit bewaarde formulier bestaat niet (meer).") from None
    kept_at = local_time(row.kept_at).strftime("%Y-%m-%d %H:%M")
    return page(request, "bewaard.html", login=login, row=row, fields=fields, kept_at=kept_at)


@router.post("/bewaard/{pk}/weggooien")
def discard(request: Request, login: Posted, pk: FormPk) -> Response:
    drop_kept_form(store_of(request), login.actor, pk)
    return RedirectResponse("/", status_code=303)
