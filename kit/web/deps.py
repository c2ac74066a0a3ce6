"""What the pages and the API share: the logged-in account as a dependency, a form post with
its CSRF token checked, a submission id from the path, and the central list's query."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request
from fastapi import Path as PathParam

from kit.errors import KitError
from kit.kinds.rulesets import shipped_rulesets
from kit.services import Store
from kit.services.accounts import Login
from kit.services.desk import drop_kept_form, former_account, keep_form, session_owner
from kit.timezone import today
from kit.views.report import ReportRow, narrowed
from kit.views.standing import Filter
from kit.vocab.vocabulary import vocabulary
from kit.web.auth import COOKIE, NotLoggedIn, current_login, form_login, store_of
from kit.web.cache import ListCache

PAGE_SIZE = 50
SECRETS = ("wachtwoord",)  # typed, never kept after a session ended (kit.services.desk)
CONFIRMED = "ja"  # the `bevestigd` a confirmation page sends before an act that cannot wait
T = TypeVar("T")
NEAR = 7  # days: the werkvoorraad lists the repair deadlines within a week
SORTS = {
    "aanbieder": lambda row: (row.provider_name.casefold(), row.submission_id, row.lot),
    "termijn": lambda row: (
        (row.repair_deadline or row.next_due or date.max),
        row.provider_name.casefold(),
    ),
    "uitspraak": lambda row: (row.verdict, row.provider_name.casefold()),
}


def _known(request: Request, login: Login) -> Login:
    """The login, also kept on the request: an error page shown for this request (a refusal
    raised anywhere) still has the menu and the account."""
    request.state.login = login
    return login


def logged_in(request: Request) -> Login:
    return _known(request, current_login(request))


class FormKept(NotLoggedIn):
    """A form arrived after its session had ended and was kept for that session's account:
    after logging in, the browser goes to it (kit.web.kept)."""

    def __init__(self, pk: int):
        super().__init__()
        self.wanted = f"/bewaard/{pk}"


async def posted_login(request: Request) -> Login:
    """form_login, and what keeps a form's work: a form posted after its session ended is kept
    for the account whose session it was (when it carries that session's CSRF token) and
    offered again after logging in; a kept form sent again is then discarded."""

    store = store_of(request)
    owner = session_owner(store, request.cookies.get(COOKIE))
    try:
        login = _known(request, await form_login(request))
    except NotLoggedIn:
        form = await request.form()
        account = former_account(owner, form.get("csrf"))
        if account is None:
            raise
        fields = [
            (k, v)
            for k, v in form.multi_items()
            if isinstance(v, str) and k != "csrf" and k not in SECRETS
        ]
        not_kept = [
            (k, "", "wachtwoord") if isinstance(v, str) else (k, v.filename or "", "bestand")
            for k, v in form.multi_items()
            if not isinstance(v, str) or (k in SECRETS and v)
        ]
        if not fields and not not_kept:  # nothing typed (logging out, "aangemeld blijven")
            raise
        row = keep_form(store, account, request.url.path, fields, not_kept)
        assert row.id is not None
        raise FormKept(row.id) from None
    form = await request.form()
    # What was typed (no token, no file, no password): a refusal shows it again
    # (kit.web.render), and a password is never written back into a page.
    request.state.typed = [
        (name, value)
        for name, value in form.multi_items()
        if isinstance(value, str) and name != "csrf" and name not in SECRETS
    ]
    sent_again = form.get("bewaard")
    if isinstance(sent_again, str) and sent_again.isdigit():
        drop_kept_form(store, login.actor, int(sent_again))
    return login


LoggedIn = Annotated[Login, Depends(logged_in)]
Posted = Annotated[Login, Depends(posted_login)]  # a form post: logged in, CSRF token checked


def existing_submission(
    request: Request, submission_id: Annotated[str, PathParam(max_length=100)]
) -> str:
    """A submission id from the path: one the store does not hold is a 404, not a refusal."""
    if not submission_id.upper().startswith("SCR-"):
        try:
            store_of(request).submission(submission_id)
        except KitError:
            raise HTTPException(404, f"Inschrijving {submission_id!r} bestaat niet.") from None
    return submission_id


SubmissionId = Annotated[str, Depends(existing_submission)]


def procedures() -> dict[str, str]:
    """Every procedure of the shipped rule sets with its label (the filter's choices)."""

    found: dict[str, str] = {}
    for ruleset in shipped_rulesets().values():
        for code, procedure in ruleset.procedures.items():
            found.setdefault(code, procedure.label)
    return dict(sorted(found.items()))


def _day(text: str | None) -> date | None:
    """A date as a date field sends it; empty (a form always sends the field): None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise KitError(f"geen datum: {text!r}; schrijf jjjj-mm-dd, zoals 2024-04-10") from None


class ListQuery:
    """The central list's query string: filters, sort order and page. A form sends every field,
    empty ones too: empty means "no narrowing". A value that is not one of the choices is kept
    with a Dutch message for its field (`errors`), so the page can show it beside the field."""

    def __init__(
        self,
        procedure: Annotated[str | None, Query(max_length=100)] = None,
        perceel: Annotated[str | None, Query(max_length=100)] = None,
        uitspraak: Annotated[str | None, Query(max_length=100)] = None,
        risico: Annotated[str | None, Query(max_length=100)] = None,
        aanbieder: Annotated[str | None, Query(max_length=200)] = None,
        achterstallig: Annotated[str | None, Query(max_length=10)] = None,
        sorteer: Annotated[str | None, Query(max_length=20)] = None,
        pagina: Annotated[str | None, Query(max_length=10)] = None,
        peildatum: Annotated[str | None, Query(max_length=20)] = None,
        toegewezen: Annotated[str | None, Query(max_length=200)] = None,
    ):
        self.errors: dict[str, str] = {}
        words = vocabulary()
        choices = {
            "procedure": list(procedures()),
            "perceel": list(words.lots),
            "uitspraak": words.lot_verdicts,
            "risico": words.risk_lights,
        }
        given = {"procedure": procedure, "perceel": perceel, "uitspraak": uitspraak}
        given["risico"] = risico
        picked: dict[str, str | None] = {}
        for name, value in given.items():
            value = (value or "").strip() or None
            if value is not None and value not in choices[name]:
                self.errors[name] = f"Onbekende waarde {value!r}; kies er een uit de lijst."
                value = None
            picked[name] = value
        day: date | None = None
        try:
            day = _day(peildatum)
        except KitError as exc:
            self.errors["peildatum"] = exc.message[:1].upper() + exc.message[1:] + "."
        self.day = day or today()
        self.assigned = (toegewezen or "").strip() or None
        overdue = (achterstallig or "").strip().lower() in ("true", "1", "on", "ja")
        self.chosen = Filter(
            picked["procedure"],
            picked["perceel"],
            picked["uitspraak"],
            picked["risico"],
            (aanbieder or "").strip() or None,
            overdue,
        )
        self.sort = sorteer if sorteer in SORTS else "aanbieder"
        self.page = int(pagina) if pagina and pagina.isdigit() and 0 < int(pagina) < 100_000 else 1
        self.values = {
            "procedure": procedure or "",
            "perceel": perceel or "",
            "uitspraak": uitspraak or "",
            "risico": risico or "",
            "aanbieder": aanbieder or "",
            "achterstallig": overdue,
            "sorteer": self.sort,
            "peildatum": peildatum or "",
            "toegewezen": toegewezen or "",
        }

    @property
    def query(self) -> str:
        """The filter as a query string (empty fields left out): for the export links, the
        pages and a saved view."""
        kept = {
            name: value
            for name, value in self.values.items()
            if value and not (name == "sorteer" and value == "aanbieder")
        }
        kept.update({"achterstallig": "true"} if self.values["achterstallig"] else {})
        return urlencode(kept)

    def refused(self) -> None:
        """A Dutch error naming the first wrong field (the exports have no form to show it)."""
        if self.errors:
            name, message = next(iter(self.errors.items()))
            raise KitError(f"{FIELD_LABELS[name]}: {message}")

    def assigned_ids(self, store: Store) -> set[str] | None:
        """The submissions assigned to the chosen reviewer (None: no such filter)."""
        if not self.assigned:
            return None
        pks = {pk for pk, a in store.assignments().items() if a.reviewer == self.assigned}
        return {sub.submission_id for sub in store.submissions_by_pk(pks)}

    def rows(self, request: Request) -> list[ReportRow]:
        store = store_of(request)
        cache: ListCache = request.app.state.lists
        rows = narrowed(cache.rows(store, self.day), self.chosen, self.day)
        ids = self.assigned_ids(store)
        if ids is not None:
            rows = [row for row in rows if row.submission_id in ids]
        return sorted(rows, key=SORTS[self.sort])


FIELD_LABELS = {
    "aanbieder": "Aanbieder of KvK",
    "procedure": "Procedure",
    "perceel": "Perceel",
    "uitspraak": "Uitspraak",
    "risico": "Risico",
    "peildatum": "Peildatum",
    "toegewezen": "Toegewezen aan",
}


def paged(rows: list[T], wanted: int, size: int) -> tuple[list[T], int, int]:
    """The rows of page `wanted` (the last page if it lies beyond), its number, the page count."""
    pages = max((len(rows) + size - 1) // size, 1)
    number = min(max(wanted, 1), pages)
    return rows[(number - 1) * size : number * size], number, pages


def filter_choices(store: Store) -> dict[str, object]:
    """What the filters offer (kit/web/templates/_filters.html): procedures with their labels,
    the lots, verdicts and risks of the vocabulary (shown as the labels file's words), and the
    reviewers."""
    words = vocabulary()
    return {
        "procedures": procedures(),
        "lots": list(words.lots),
        "verdicts": words.lot_verdicts,
        "risks": words.risk_lights,
        "reviewers": [a.name for a in store.accounts() if a.role == "reviewer"],
    }
