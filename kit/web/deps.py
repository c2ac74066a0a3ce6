"""What the pages and the API share: the logged-in account as a dependency, a form post with
its CSRF token checked, a submission id from the path, and the central list's query."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi import Path as PathParam

from kit.errors import KitError
from kit.services.accounts import Login
from kit.views.report import ReportRow, narrowed
from kit.views.standing import Filter
from kit.web.auth import current_login, form_login, store_of
from kit.web.cache import ListCache

PAGE_SIZE = 50
NEAR = 7  # days: the werkvoorraad lists the repair deadlines within a week
SORTS = {
    "aanbieder": lambda row: (row.provider_name.casefold(), row.submission_id, row.lot),
    "termijn": lambda row: (
        (row.repair_deadline or row.next_due or date.max),
        row.provider_name.casefold(),
    ),
    "uitspraak": lambda row: (row.verdict, row.provider_name.casefold()),
}
LoggedIn = Annotated[Login, Depends(current_login)]
Posted = Annotated[Login, Depends(form_login)]  # a form post: logged in, CSRF token checked
SubmissionId = Annotated[str, PathParam(max_length=100)]


def _filter(
    procedure: str | None,
    perceel: str | None,
    uitspraak: str | None,
    risico: str | None,
    aanbieder: str | None,
    achterstallig: bool,
) -> Filter:
    """The list's filters, checked against the vocabulary (a Dutch error for a wrong code, naming
    the field as the page does, not the command line's option)."""
    chosen = Filter(
        procedure or None,
        perceel or None,
        uitspraak or None,
        risico or None,
        aanbieder or None,
        achterstallig,
    )
    try:
        return chosen.checked()
    except KitError as exc:
        raise KitError(exc.message.removeprefix("--")) from None


class ListQuery:
    """The central list's query string: filters, sort order and page."""

    def __init__(
        self,
        procedure: Annotated[str | None, Query(max_length=100)] = None,
        perceel: Annotated[str | None, Query(max_length=100)] = None,
        uitspraak: Annotated[str | None, Query(max_length=100)] = None,
        risico: Annotated[str | None, Query(max_length=100)] = None,
        aanbieder: Annotated[str | None, Query(max_length=200)] = None,
        achterstallig: bool = False,
        sorteer: Annotated[str, Query(max_length=20)] = "aanbieder",
        pagina: Annotated[int, Query(ge=1, le=100_000)] = 1,
        peildatum: date | None = None,
        toegewezen: Annotated[str | None, Query(max_length=200)] = None,
    ):
        self.day = peildatum or date.today()
        self.assigned = toegewezen or None
        self.chosen = _filter(procedure, perceel, uitspraak, risico, aanbieder, achterstallig)
        self.sort = sorteer if sorteer in SORTS else "aanbieder"
        self.page = pagina
        self.values = {
            "procedure": procedure or "",
            "perceel": perceel or "",
            "uitspraak": uitspraak or "",
            "risico": risico or "",
            "aanbieder": aanbieder or "",
            "achterstallig": achterstallig,
            "sorteer": self.sort,
            "peildatum": peildatum.isoformat() if peildatum else "",
            "toegewezen": toegewezen or "",
        }

    def rows(self, request: Request) -> list[ReportRow]:
        store = store_of(request)
        cache: ListCache = request.app.state.lists
        rows = narrowed(cache.rows(store, self.day), self.chosen, self.day)
        if self.assigned:
            pks = {pk for pk, a in store.assignments().items() if a.reviewer == self.assigned}
            ids = {sub.submission_id for sub in store.submissions_by_pk(pks)}
            rows = [row for row in rows if row.submission_id in ids]
        return sorted(rows, key=SORTS[self.sort])
