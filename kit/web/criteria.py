"""The checklist form of a content judgement by criteria (Q12), reached from the finding's
"Beoordelen" action on the submission page: one question per criterion with its outcome and the
reviewer's remark; checking it shows what the judgement will be and asks for confirmation before
anything is recorded; an error shows the form again with everything typed still in it.

Layer: web. The judgement itself is kit.screening.criteria and kit.services.criteria."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.datastructures import FormData

from kit.errors import KitError
from kit.rules.criteria import Criterion, criteria_of
from kit.screening.criteria import NOTE_KEY, OUTCOME_KEY, CriteriaJudgement, judge, outcome_words
from kit.screening.decisions import check_role
from kit.services.accounts import Login
from kit.services.actor import Actor
from kit.services.criteria import read_consistency, record_criteria_judgement
from kit.timezone import today
from kit.views.casefiles import visible_files
from kit.views.submission import submission_state
from kit.vocab.vocabulary import vocabulary
from kit.web.auth import store_of
from kit.web.deps import LoggedIn, Posted, SubmissionId
from kit.web.render import page
from kit.web.submission import back

router = APIRouter()
Document = Annotated[str, PathParam(max_length=100)]
SOURCE = "formulier"
CHECK, RECORD = "controleren", "vastleggen"


def _criteria(request: Request, actor: Actor, submission_id: str, document: str) -> Any:
    """The submission's state and the document's criteria, for a role that may judge it."""
    state = submission_state(store_of(request), submission_id)
    check_role("inhoud", document, actor.role, state.ruleset)
    criteria = criteria_of(state.ruleset.rules, document)
    if not criteria:
        raise KitError(f"{document}: de regelset {state.ruleset.id} noemt geen criteria")
    return state, criteria


def _answers(form: FormData, criteria: list[Criterion]) -> dict[str, Any]:
    """What the form says per criterion; an unanswered criterion is left out (and refused)."""
    failed = outcome_words()[1]
    answers: dict[str, Any] = {}
    for criterion in criteria:
        outcome = form.get(f"uitkomst-{criterion.code}")
        note = str(form.get(f"toelichting-{criterion.code}") or "")
        if outcome is None:
            continue
        if outcome == failed or note.strip():
            answers[criterion.code] = {OUTCOME_KEY: str(outcome), NOTE_KEY: note}
        else:
            answers[criterion.code] = str(outcome)
    return answers


def _summary(result: CriteriaJudgement) -> str:
    """What the confirmation showed, so a changed form is shown again before recording."""
    return f"{result.judgement}:{','.join(result.not_met())}"


def _form(
    request: Request,
    login: Login,
    state: Any,
    document: str,
    criteria: list[Criterion],
    values: dict[str, str],
    status: int = 200,
    **more: Any,
) -> Response:
    return page(
        request,
        "beoordelen.html",
        status,
        login=login,
        sub=state.submission,
        document=document,
        label=vocabulary().document_label(document),
        criteria=criteria,
        outcomes=outcome_words(),
        values=values,
        today=today(),
        files=[
            f
            for f in visible_files(store_of(request), state.submission.pk, login.actor.role)
            if f["category"] == document
        ],
        **more,
    )


@router.get("/inschrijving/{submission_id}/beoordelen/{document}")
def checklist(
    request: Request, login: LoggedIn, submission_id: SubmissionId, document: Document
) -> Response:
    state, criteria = _criteria(request, login.actor, submission_id, document)
    return _form(request, login, state, document, criteria, {})


@router.post("/inschrijving/{submission_id}/beoordelen/{document}")
async def judge_by_checklist(
    request: Request, login: Posted, submission_id: SubmissionId, document: Document
) -> Response:
    state, criteria = _criteria(request, login.actor, submission_id, document)
    form = await request.form()
    values = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    values.pop("csrf", None)
    for_provider = values.get("voor_aanbieder") == "true"
    try:
        result = judge(document, criteria, _answers(form, criteria), SOURCE, for_provider)
        day = date.fromisoformat(values["datum"]) if values.get("datum") else None
    except ValueError:
        error = f"datum: ongeldige datum {values.get('datum')!r}, verwacht JJJJ-MM-DD"
        return _form(request, login, state, document, criteria, values, 400, error=error)
    except KitError as exc:
        return _form(request, login, state, document, criteria, values, 400, error=exc.message)
    if values.get("stap") != RECORD or values.get("verwacht") != _summary(result):
        return _form(
            request,
            login,
            state,
            document,
            criteria,
            values,
            preview=result,
            expected=_summary(result),
            not_met=[c for c in criteria if c.code in result.not_met()],
        )
    try:
        _, _, outcome = record_criteria_judgement(
            store_of(request),
            login.actor,
            submission_id,
            document,
            _answers(form, criteria),
            SOURCE,
            for_provider,
            day,
        )
    except KitError as exc:
        return _form(request, login, state, document, criteria, values, 400, error=exc.message)
    return back(submission_id, "oordeel", outcome.screening_id)


@router.get("/consistentie")
def consistency_page(request: Request, login: LoggedIn) -> Response:
    """How often each criterion is judged not met, per reviewer: for beheer and toezicht."""

    report = read_consistency(store_of(request), login.actor)
    reviewers = [r.reviewer for r in report.reviewers]
    return page(request, "consistentie.html", login=login, report=report, reviewers=reviewers)
