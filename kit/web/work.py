"""The worklists: the werkvoorraad (with assignments), toezicht's page and the audit trail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from kit.services.accounts import Login
from kit.services.assignments import assign
from kit.services.audit import AuditFilter, read_audit
from kit.services.notes import recent_notes
from kit.services.reads import audit_list_read
from kit.services.sample import read_sample
from kit.timezone import local_time
from kit.vocab.vocabulary import vocabulary
from kit.web.auth import store_of
from kit.web.deps import ListQuery, LoggedIn, Posted, filter_choices, paged
from kit.web.render import page
from kit.web.submission import done_text
from kit.web.worklists import (
    DUE_ORDERS,
    ORDERS,
    SUPERVISION_KINDS,
    WORK_KINDS,
    Kind,
    Narrowing,
    chosen_rows,
    csv_response,
    kept_monitor,
    kept_worklist,
    region,
)

router = APIRouter()


WORK_PAGE = 50  # rows per page of a worklist table


class TableChoice:
    """Which table of a worklist page (`soort`) and in which order (`volgorde`)."""

    def __init__(
        self,
        soort: Annotated[str | None, Query(max_length=20)] = None,
        volgorde: Annotated[str | None, Query(max_length=20)] = None,
    ):
        self.kind = soort
        self.order = volgorde


def _export(
    request: Request,
    login: Login,
    query: ListQuery,
    whole: Any,
    kinds: dict[str, Kind],
    table: TableChoice,
    name: str,
) -> Response:
    """A worklist page's table under the filters, every row (not a page), as CSV; the read is
    audited for the roles that read sensitive messages in it."""
    query.refused()
    key = table.kind if table.kind in kinds else next(iter(kinds))
    store = store_of(request)
    rows = chosen_rows(whole, kinds[key], Narrowing(store, query), table.order or "")
    audit_list_read(store, login.actor, name, rows)
    return csv_response(kinds[key], rows, f"kit-{name}-{key}.csv")


def _work_table(
    request: Request,
    login: Login,
    query: ListQuery,
    whole: Any,
    kinds: dict[str, Kind],
    wanted: str | None,
    order: str | None,
) -> dict[str, Any]:
    """One table of a worklist page: the kind asked for (else the first), its rows under the
    filters in the chosen order, a page of them, and every kind's count for the tabs."""
    store = store_of(request)
    shown = wanted if wanted in kinds else next(iter(kinds))
    orders = ORDERS if kinds is WORK_KINDS else DUE_ORDERS
    order = order if order in dict(orders) else "wacht"
    narrowing = Narrowing(store, query)
    counts: dict[str, int] = {}
    rows: list[Any] = []
    if not query.errors:
        for key, kind in kinds.items():
            found = chosen_rows(whole, kind, narrowing, order)
            counts[key] = len(found)
            rows = found if key == shown else rows
    page_rows, number, pages = paged(rows, query.page, WORK_PAGE)
    audit_list_read(
        store, login.actor, "toezicht" if kinds is SUPERVISION_KINDS else "werkvoorraad", page_rows
    )
    base = query.query + f"&soort={shown}&volgorde={order}"
    return {
        "kinds": kinds,
        "shown": shown,
        "order": order,
        "orders": orders,
        "counts": counts,
        "rows": page_rows,
        "total": len(rows),
        "number": number,
        "pages": pages,
        "query": query.query,
        "base": base.lstrip("&"),
        "values": query.values,
        "errors": query.errors,
        "choices": filter_choices(store),
        "today": query.day,
    }


@router.get("/werkvoorraad")
def work(
    request: Request,
    login: LoggedIn,
    query: Annotated[ListQuery, Depends()],
    table: Annotated[TableChoice, Depends()],
) -> Response:
    """What waits, a table at a time (judgements, repair requests to send, near deadlines), under
    the central list's filters, sorted and paged; the submissions assigned to me above it;
    inkoop and beheer assign submissions here."""
    store = store_of(request)
    whole = kept_worklist(store, query.day, login.actor.role)
    shown = _work_table(request, login, query, whole, WORK_KINDS, table.kind, table.order)
    by_pk = region(store).by_pk
    assigned = store.assignments()
    mine = [
        by_pk[pk] for pk, a in assigned.items() if a.reviewer == login.actor.name and pk in by_pk
    ]
    reviewers = [a.name for a in store.accounts() if a.role == "reviewer" and a.active]
    return page(
        request,
        "werkvoorraad.html",
        400 if query.errors else 200,
        login=login,
        mine=mine,
        others=whole.others,
        later=whole.later,
        reviewers=reviewers,
        assigned={by_pk[pk].submission_id: a.reviewer for pk, a in assigned.items() if pk in by_pk},
        **shown,
    )


@router.get("/werkvoorraad.csv")
def work_export(
    request: Request,
    login: LoggedIn,
    query: Annotated[ListQuery, Depends()],
    table: Annotated[TableChoice, Depends()],
) -> Response:
    whole = kept_worklist(store_of(request), query.day, login.actor.role)
    return _export(request, login, query, whole, WORK_KINDS, table, "werkvoorraad")


@router.post("/werkvoorraad/toewijzen")
def assign_form(
    request: Request,
    login: Posted,
    inschrijving: Annotated[str, Form(max_length=100)],
    reviewer: Annotated[str, Form(max_length=200)],
) -> Response:

    assign(store_of(request), login.actor, inschrijving, reviewer)
    return RedirectResponse("/werkvoorraad", status_code=303)


@router.get("/toezicht")
def supervision(
    request: Request,
    login: LoggedIn,
    query: Annotated[ListQuery, Depends()],
    table: Annotated[TableChoice, Depends()],
) -> Response:
    """Open conditions by due date (overdue marked) and staff who may not be declared, a table
    at a time under the central list's filters, paged; the verification sample and the
    restricted notes: toezicht only."""
    return supervision_page(request, login, query=query, table=table)


@router.get("/toezicht.csv")
def supervision_export(
    request: Request,
    login: LoggedIn,
    query: Annotated[ListQuery, Depends()],
    table: Annotated[TableChoice, Depends()],
) -> Response:
    login.actor.require("toezicht", what="de toezichtpagina")
    whole = kept_monitor(store_of(request), query.day, login.actor.role)
    return _export(request, login, query, whole, SUPERVISION_KINDS, table, "toezicht")


def supervision_page(
    request: Request,
    login: Login,
    status: int = 200,
    query: ListQuery | None = None,
    table: TableChoice | None = None,
    **extra: Any,
) -> Response:
    """The toezicht page; `extra`: what a form that was refused shows again (kit.web.sample)."""

    login.actor.require("toezicht", what="de toezichtpagina")
    store = store_of(request)
    query, table = query or ListQuery(), table or TableChoice()
    whole = kept_monitor(store, query.day, login.actor.role)
    shown = _work_table(request, login, query, whole, SUPERVISION_KINDS, table.kind, table.order)
    return page(
        request,
        "toezicht.html",
        400 if query.errors else status,
        login=login,
        sample=read_sample(store, login.actor),
        verification_outcomes=vocabulary().verification_outcomes,
        done=done_text(request),
        **extra,
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
        **shown,
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
