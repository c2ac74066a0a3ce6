"""The JSON API for tooling (`/api`): the same reads as the pages and the command line's
--json, under the same login and roles; the OpenAPI description at /api/openapi.json (logged in
too). Reads only: changes go through the pages' forms with their CSRF tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from kit.services.reads import audit_list_read, audit_read
from kit.timezone import today
from kit.views.show import find_screening, standing_now, stored_result
from kit.views.standing import Filter
from kit.views.submission import submission_state
from kit.views.worklist import worklist
from kit.web.auth import store_of
from kit.web.deps import NEAR, ListQuery, LoggedIn, SubmissionId
from kit.web.limits import EXPORT_SLOT

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/lijst", dependencies=[EXPORT_SLOT])  # the whole list: an export
def central_list(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> list[dict[str, Any]]:
    """The central list under the filters (all rows, not paged): as `kit report --json`."""
    return [row.to_json() for row in query.rows(request)]


@router.get("/inschrijving/{submission_id}")
def submission(request: Request, login: LoggedIn, submission_id: SubmissionId) -> dict[str, Any]:
    """The latest screening's result (spec/case-format.md), messages as the role may read, with
    how its verdicts stand today (`standing`, as `kit show --json`) and the current review's
    repair requests (`requests`, as `kit repair status --json`)."""

    store = store_of(request)
    row = find_screening(store, submission_id)
    result = stored_result(store, row, login.actor.role)
    audit_read(store, login.actor, "screening", result["submission_id"], screening=row.code)
    day = today()
    result["standing"] = standing_now(store, row, result["submission_id"], day)
    rounds = submission_state(store, result["submission_id"]).rounds(day)
    result["requests"] = [
        {
            "review": rounds.review,
            "round": r.request.round,
            "sent_on": r.request.sent_on.isoformat(),
            "sent_by": r.request.sent_by,
            "deadline": r.request.deadline.isoformat(),
            "status": r.status,
            "derived": r.request.derived,
        }
        for r in rounds.requests
    ]
    return result


@router.get("/werkvoorraad")
def work(request: Request, login: LoggedIn) -> list[dict[str, Any]]:
    """Documents awaiting a judgement, repair requests still to be sent and deadlines within a
    week: as `kit werkvoorraad --json`, and audited as it is."""
    store = store_of(request)
    work = worklist(store, today(), login.actor.role, NEAR, Filter())
    audit_list_read(store, login.actor, "werkvoorraad", work.rows)
    return work.to_json()


@router.get("/openapi.json", include_in_schema=False)
def description(request: Request, login: LoggedIn) -> dict[str, Any]:
    schema: dict[str, Any] = request.app.openapi()
    return schema
