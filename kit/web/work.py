"""The worklists: the werkvoorraad (with assignments), toezicht's page and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from kit.services.accounts import Login
from kit.services.audit import AuditFilter, read_audit
from kit.timezone import local_time
from kit.views.standing import Filter, standings
from kit.vocab.vocabulary import vocabulary
from kit.web.auth import store_of
from kit.web.deps import NEAR, LoggedIn, Posted
from kit.web.render import page
from kit.web.submission import done_text

router = APIRouter()


@router.get("/werkvoorraad")
def work(request: Request, login: LoggedIn) -> Response:
    """What waits: the submissions assigned to me, the documents awaiting a content judgement
    (oldest first) and deadlines within a week; inkoop and beheer assign submissions here."""
    from kit.views.worklist import worklist

    store = store_of(request)
    today = date.today()
    assigned = store.assignments()
    by_pk = {s.submission_pk: s for s in standings(store)}
    mine = [
        by_pk[pk] for pk, a in assigned.items() if a.reviewer == login.actor.name and pk in by_pk
    ]
    reviewers = [a.name for a in store.accounts() if a.role == "reviewer" and a.active]
    return page(
        request,
        "werkvoorraad.html",
        login=login,
        mine=mine,
        work=worklist(store, today, login.actor.role, NEAR, Filter()),
        today=today,
        reviewers=reviewers,
        assigned={by_pk[pk].submission_id: a.reviewer for pk, a in assigned.items() if pk in by_pk},
    )


@router.post("/werkvoorraad/toewijzen")
def assign_form(
    request: Request,
    login: Posted,
    inschrijving: Annotated[str, Form(max_length=100)],
    reviewer: Annotated[str, Form(max_length=200)],
) -> Response:
    from kit.services.assignments import assign

    assign(store_of(request), login.actor, inschrijving, reviewer)
    return RedirectResponse("/werkvoorraad", status_code=303)


@router.get("/toezicht")
def supervision(request: Request, login: LoggedIn) -> Response:
    """Open conditions by due date (overdue marked), staff who may not be declared, the
    verification sample and the restricted notes: toezicht only."""
    return supervision_page(request, login)


def supervision_page(request: Request, login: Login, status: int = 200, **extra: Any) -> Response:
    """The toezicht page; `extra`: what a form that was refused shows again (kit.web.sample)."""
    from kit.services.notes import recent_notes
    from kit.services.sample import read_sample
    from kit.views.monitor import monitor

    login.actor.require("toezicht", what="de toezichtpagina")
    store = store_of(request)
    today = date.today()
    return page(
        request,
        "toezicht.html",
        status,
        login=login,
        sample=read_sample(store, login.actor),
        verification_outcomes=vocabulary().verification_outcomes,
        done=done_text(request),
        **extra,
        report=monitor(store, today, login.actor.role),
        notes=[
            {
                "text": n.text,
                "author": n.author,
                "at": local_time(n.created_at),
                "sub": sub,
                "name": name,
            }
            for n, sub, name in recent_notes(store, login.actor)
        ],
        today=today,
    )


# --- audit and accounts -------------------------------------------------------------------------


@router.get("/audit")
def audit(
    request: Request,
    login: LoggedIn,
    door: Annotated[str | None, Query(max_length=200)] = None,
    actie: Annotated[str | None, Query(max_length=100)] = None,
    onderwerp: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    chosen = AuditFilter(
        actor=door or None, action=actie or None, subject=onderwerp or None, limit=500
    )
    events = read_audit(store_of(request), login.actor, chosen)
    values = {"door": door or "", "actie": actie or "", "onderwerp": onderwerp or ""}
    return page(request, "audit.html", login=login, events=events, values=values)
