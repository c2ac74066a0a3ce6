"""A judgement recorded from the finding it answers: the requirement and the kind of judgement
are chosen from what the latest screening asks of this role (never typed), the outcome has no
default, and a confirmation step shows what the verdicts will become before anything is
stored. A correction is a new judgement that names the one it corrects; nothing is edited.

Layer: web. The judgement itself is kit.services.decisions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from kit.errors import AccessDenied, KitError
from kit.screening.decisions import JUDGEMENTS
from kit.screening.policy import JUDGES
from kit.services.accounts import Login
from kit.services.decisions import preview_decision, record_decision
from kit.timezone import today
from kit.views.casefiles import visible_files
from kit.views.judgements import JUDGED_HERE, Choice, choices, open_requirements
from kit.views.submission import submission_state
from kit.views.timeline import may_read_decision
from kit.web.auth import store_of
from kit.web.deps import LoggedIn, Posted, SubmissionId
from kit.web.messages import option_field
from kit.web.render import page
from kit.web.submission import back

router = APIRouter()
CHECK, RECORD = "controleren", "vastleggen"


def _context(request: Request, login: Login, submission_id: str, corrects: int | None) -> Any:
    """The submission, the choices, and the judgement a correction corrects (if any)."""
    store = store_of(request)
    state = submission_state(store, submission_id)
    wanted = open_requirements(store, state.latest.pk)
    earlier = None
    if corrects is not None:
        found = [d for d in store.decisions(state.submission.pk) if d.id == corrects]
        if not found or found[0].kind not in JUDGED_HERE:
            raise KitError(f"oordeel {corrects} van {submission_id} bestaat niet")
        earlier = found[0]
        if not may_read_decision(login.actor.role, earlier.kind, earlier.requirement):
            raise AccessDenied("dit oordeel is voorbehouden aan een andere rol")
        wanted.add(earlier.requirement)
    options = choices(state.ruleset, login.actor.role, wanted)
    if not options and login.actor.role in JUDGES["inhoud"]:
        raise KitError(f"op {submission_id} staat nu niets open dat u kunt beoordelen")
    if not options:
        raise AccessDenied(
            f"een oordeel op {submission_id} is nu voorbehouden aan de rol "
            f"{' of '.join(JUDGES['inhoud'])} (huidige rol: {login.actor.role})"
        )
    if earlier is not None:
        options = [c for c in options if c.value == f"{earlier.kind}/{earlier.requirement}"]
    return state, options, earlier


def _form(
    request: Request,
    login: Login,
    state: Any,
    options: list[Choice],
    earlier: Any,
    values: dict[str, str],
    status: int = 200,
    **more: Any,
) -> Response:
    return page(
        request,
        "oordeel.html",
        status,
        login=login,
        sub=state.submission,
        options=options,
        earlier=earlier,
        judgements=JUDGEMENTS,
        values=values,
        today=today(),
        files=[
            f
            for f in visible_files(store_of(request), state.submission.pk, login.actor.role)
            if f["category"] in {c.requirement for c in options}
        ],
        **more,
    )


@router.get("/inschrijving/{submission_id}/oordeel")
def judgement_form(
    request: Request,
    login: LoggedIn,
    submission_id: SubmissionId,
    eis: Annotated[str, Query(max_length=200)] = "",
    corrigeert: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    state, options, earlier = _context(request, login, submission_id, corrigeert)
    picked = next((c.value for c in options if c.requirement == eis), "")
    if earlier is not None or len(options) == 1:
        picked = options[0].value
    return _form(request, login, state, options, earlier, {"keuze": picked})


def _expected(keuze: str, oordeel: str, after: dict[str, str]) -> str:
    """What the confirmation showed; a changed form is shown again before it is recorded."""
    return f"{keuze}|{oordeel}|" + ",".join(f"{lot}={v}" for lot, v in sorted(after.items()))


@router.post("/inschrijving/{submission_id}/oordeel")
def judgement(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    keuze: Annotated[str, Form(max_length=250)] = "",
    oordeel: Annotated[str, Form(max_length=20)] = "",
    toelichting: Annotated[str, Form(max_length=5000)] = "",
    voor_aanbieder: Annotated[bool, Form()] = False,
    datum: Annotated[str, Form(max_length=10)] = "",
    corrigeert: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
    stap: Annotated[str, Form(max_length=20)] = CHECK,
    verwacht: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Check (stap=controleren: what the verdicts become, nothing stored) or record
    (stap=vastleggen, with the confirmation's summary unchanged)."""

    state, options, earlier = _context(request, login, submission_id, corrigeert)
    values = {
        "keuze": keuze,
        "oordeel": oordeel,
        "toelichting": toelichting,
        "datum": datum,
        "voor_aanbieder": "true" if voor_aanbieder else "",
    }

    def again(error: str, field: str | None = None) -> Response:
        """The form as typed, the message beside the field it is about (`field`)."""
        return _form(request, login, state, options, earlier, values, 400, error=error, field=field)

    chosen = next((c for c in options if c.value == keuze), None)
    if chosen is None:
        return again("Eis: kies wat u beoordeelt uit de lijst", "keuze")
    if oordeel not in JUDGEMENTS:
        return again(f"Oordeel: kies {' of '.join(JUDGEMENTS)}", "oordeel")
    try:
        day = date.fromisoformat(datum) if datum else None
    except ValueError:
        return again(
            f"Datum van het oordeel: ongeldige datum {datum!r}, verwacht JJJJ-MM-DD", "datum"
        )
    store = store_of(request)
    args = (store, login.actor, submission_id, chosen.kind, chosen.requirement, oordeel)
    try:
        before, after = preview_decision(*args, toelichting, day)
    except AccessDenied:
        raise
    except KitError as exc:
        return again(
            exc.message.replace("--toelichting", "Toelichting").replace("--datum", "Datum"),
            option_field(exc.message),
        )
    summary = _expected(keuze, oordeel, after)
    if stap != RECORD or verwacht != summary:
        lots = sorted(set(before) | set(after))
        changes = [(lot, before.get(lot), after.get(lot)) for lot in lots]
        return _form(
            request, login, state, options, earlier, values, preview=changes, expected=summary
        )
    detail = {"corrects": earlier.id} if earlier is not None else {}
    _, outcome = record_decision(
        *args, toelichting, shared=voor_aanbieder, decided_on=day, **detail
    )
    return back(submission_id, "correctie" if earlier else "oordeel", outcome.screening_id)
