"""Toezicht records the check of a sampled credential at its source (C2) from the toezicht page;
a refused check shows the page again with what was typed and why.

Layer: web. The check itself is kit.services.sample."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kit.errors import KitError
from kit.services.sample import record_check
from kit.web.auth import store_of
from kit.web.deps import Posted
from kit.web.work import supervision_page

router = APIRouter()
Text = Annotated[str, Form(max_length=200)]


@router.post("/toezicht/steekproef")
def record(
    request: Request,
    login: Posted,
    inschrijving: Text,
    medewerker: Text,
    bewijs: Text,
    uitkomst: Text,
    bron: Text,
    toelichting: Annotated[str, Form(max_length=5000)] = "",
    datum: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    typed = {
        "inschrijving": inschrijving,
        "medewerker": medewerker,
        "bewijs": bewijs,
        "uitkomst": uitkomst,
        "bron": bron,
        "toelichting": toelichting,
        "datum": datum,
    }
    try:
        day = date.fromisoformat(datum) if datum else None
        _, screened = record_check(
            store_of(request),
            login.actor,
            inschrijving,
            medewerker,
            bewijs,
            uitkomst,
            bron,
            toelichting,
            day,
        )
    except ValueError:
        error = f"datum: ongeldige datum {datum!r}, verwacht JJJJ-MM-DD"
        return supervision_page(request, login, 400, error=error, typed=typed)
    except KitError as exc:
        return supervision_page(request, login, 400, error=exc.message, typed=typed)
    code = quote(screened.screening_id or "")
    target = f"/toezicht?gedaan=steekproef&scr={code}#steekproef"
    return RedirectResponse(target, status_code=303)
