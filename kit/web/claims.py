"""Work a team shares, on the submission page: claim and release ("oppakken", "vrijgeven"),
assign and reassign by name (replacing someone asks for a confirmation first), the work status,
and "mijn werk": the cases a reviewer holds.

Layer: web. The changes themselves are kit.services.assignments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from kit.services.assignments import Replaces, assign, claim, release, set_work_status
from kit.timezone import today
from kit.views.submission import submission_state
from kit.views.workstatus import work_status
from kit.web.auth import store_of
from kit.web.deps import LoggedIn, Posted, SubmissionId
from kit.web.render import page
from kit.web.submission import back

router = APIRouter()
Name = Annotated[str, Form(max_length=200)]


@router.post("/inschrijving/{submission_id}/oppakken")
def claim_case(request: Request, login: Posted, submission_id: SubmissionId) -> Response:
    claim(store_of(request), login.actor, submission_id)
    return back(submission_id, "opgepakt")


@router.post("/inschrijving/{submission_id}/vrijgeven")
def release_case(request: Request, login: Posted, submission_id: SubmissionId) -> Response:
    release(store_of(request), login.actor, submission_id)
    return back(submission_id, "vrijgegeven")


@router.post("/inschrijving/{submission_id}/toewijzen")
def assign_case(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    reviewer: Name,
    vervangt: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    """Assign; when it replaces the person who holds the case, first a confirmation naming
    both (the form sends who it replaces, so a change in between is refused, not overwritten)."""
    store = store_of(request)
    try:
        assign(store, login.actor, submission_id, reviewer, vervangt)
    except Replaces as asked:
        return page(
            request,
            "toewijzen.html",
            login=login,
            sub=store.submission(submission_id),
            holder=asked.holder,
            reviewer=asked.reviewer,
        )
    return back(submission_id, "toegewezen")


@router.post("/inschrijving/{submission_id}/werkstatus")
def status_of_case(
    request: Request, login: Posted, submission_id: SubmissionId, status: Name
) -> Response:
    set_work_status(store_of(request), login.actor, submission_id, status)
    return back(submission_id, "werkstatus")


@router.get("/mijn-werk")
def my_work(request: Request, login: LoggedIn) -> Response:
    """The cases this account holds, with where each stands."""
    store = store_of(request)
    day = today()
    rows = []
    for sub in store.held_by(login.actor.name):
        state = submission_state(store, sub.submission_id)
        rows.append({"sub": sub, "status": work_status(store, state, day)})
    return page(request, "mijn_werk.html", login=login, rows=rows)
