"""A submission: its latest screening, the judgements and the Bibob outcome recorded on it, a
repair round uploaded, its letters, the difference between rounds, the repair request
confirmed and sent, and notes."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response

from kit.errors import KitError
from kit.kinds.rulesets import shipped_rulesets
from kit.limits import max_file_bytes
from kit.output.letter import FORMATS
from kit.rules.criteria import content_reviewed
from kit.screening.decisions import decidable
from kit.screening.diff import diff_findings
from kit.screening.policy import message_for
from kit.services.assignments import STORED_STATUSES
from kit.services.decisions import grant_extra_round, record_bibob
from kit.services.notes import add_note, read_notes
from kit.services.reads import audit_read
from kit.services.requests import planned, send_repair_request
from kit.services.screening import screen_upload
from kit.timezone import local_time, today
from kit.views.casefiles import categories, category_label, may_add, visible_files
from kit.views.judgements import choices
from kit.views.letters import letter_docx, letter_text
from kit.views.report import outcomes
from kit.views.show import find_screening, stored_result
from kit.views.submission import submission_state
from kit.views.timeline import shown, timeline
from kit.views.workstatus import work_status
from kit.vocab.vocabulary import vocabulary
from kit.web.auth import store_of
from kit.web.deps import LoggedIn, Posted, SubmissionId
from kit.web.limits import LETTER_SLOT, LETTERS
from kit.web.render import page

router = APIRouter()


@router.get("/inschrijving/{submission_id}")
def submission(request: Request, login: LoggedIn, submission_id: SubmissionId) -> Response:

    store = store_of(request)
    latest = find_screening(store, submission_id)
    result = stored_result(store, latest, login.actor.role)
    audit_read(store, login.actor, "screening", result["submission_id"], screening=latest.code)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in result["findings"]:
        if finding["status"] != "voldaan":
            grouped[finding["outcome"] or "herstel"].append(finding)
    order = outcomes()  # most severe first (vocabulary: finding_outcomes)
    sub = store.submission(result["submission_id"])
    current = submission_state(store, sub.submission_id)
    role = login.actor.role
    files = visible_files(store, sub.pk, role)
    asked = {f["requirement"] for f in result["findings"] if f["status"] != "voldaan"}
    rounds = [
        {
            "code": row.code,
            "round": row.round,
            "review": row.review,
            "as_of": row.as_of,
            "known_on": row.known_on or row.as_of,
            "reason": row.reason,
            "stored": local_time(row.created_at),
            "actor": row.actor,
        }
        for row in store.screenings_of(sub.pk)
    ]
    notes = (
        read_notes(store, login.actor, sub.submission_id) if login.actor.role == "toezicht" else []
    )
    return page(
        request,
        "inschrijving.html",
        login=login,
        result=result,
        provider=sub.provider_name,
        groups=[(o, grouped[o]) for o in order if grouped.get(o)],
        rounds=rounds,
        state=_round_state(current),
        today=today(),
        assigned=store.assignment(sub.pk),
        work_status=work_status(store, current, today()),
        reviewers=[a.name for a in store.accounts() if a.active and a.role == "reviewer"],
        stored_statuses=STORED_STATUSES,
        files=files,
        file_kinds=[(c, category_label(c)) for c in categories() if may_add(role, c)],
        done=done_text(request),
        choosable={c.requirement for c in choices(current.ruleset, login.actor.role, asked)},
        timeline=shown(timeline(store, sub.submission_id, login.actor.role)),
        bibob_statuses=vocabulary().bibob_statuses,
        bibob_outcomes=vocabulary().bibob_outcomes,
        judgeable=_judgeable(result["ruleset"]["id"], login.actor.role),
        notes=[{"text": n.text, "author": n.author, "at": local_time(n.created_at)} for n in notes],
    )


def _judgeable(ruleset_id: str, role: str) -> set[str]:
    """The documents this role judges by criteria under the screening's rule set (Q12): those
    findings get the "Beoordelen" action."""

    ruleset = shipped_rulesets().get(ruleset_id)
    if ruleset is None:
        return set()
    return {
        rule.document
        for rule in content_reviewed(ruleset.rules)
        if rule.criteria and role in decidable(ruleset, "inhoud", rule.document).roles
    }


# What a submission page says after a form, by the code the redirect carries: a link cannot put
# words of its own on the page, only one of these with a screening code filled in.
DONE = {
    "oordeel": "Oordeel vastgelegd; nieuwe screening {scr}.",
    "correctie": "Correctie vastgelegd als nieuw oordeel; nieuwe screening {scr}.",
    "extra-ronde": "Extra herstelronde toegekend; stuur het herstelverzoek voor die ronde.",
    "verzoek": "Herstelverzoek vastgelegd als verstuurd; uiterste datum {datum}.",
    "bibob": "Bibob-uitkomst vastgelegd; nieuwe screening {scr}.",
    "ronde": "Gescreend en opgeslagen: {scr}.",
    "al-gescreend": "Al gescreend: {scr} (niets nieuws opgeslagen).",
    "notitie": "Notitie opgeslagen.",
    "opgepakt": "U hebt deze inschrijving opgepakt; ze staat onder Mijn werk.",
    "vrijgegeven": "Vrijgegeven; iedereen kan deze inschrijving nu oppakken.",
    "toegewezen": "Toegewezen.",
    "werkstatus": "Werkstatus vastgelegd.",
    "bestand": "Document toegevoegd.",
    "stukken": "Ontvangen stukken vastgelegd; nieuwe screening {scr}.",
    "niets-nieuw": "Niets nieuws: alles in dit bestand stond al in de laatste casusversie.",
    "steekproef": "Controle vastgelegd; nieuwe screening {scr}.",
}
SCREENING_CODE = re.compile(r"SCR-\d{1,12}")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def back(
    submission_id: str, done: str, screening: str | None = None, day: str | None = None
) -> Response:
    """After a form: back to the submission page (Post/Redirect/Get), with what happened."""
    target = f"/inschrijving/{quote(submission_id)}?gedaan={done}"
    if screening:
        target += f"&scr={quote(screening)}"
    if day:
        target += f"&datum={quote(day)}"
    return RedirectResponse(target, status_code=303)


def done_text(request: Request) -> str:
    text = DONE.get(request.query_params.get("gedaan", ""), "")
    screening = request.query_params.get("scr", "")
    day = request.query_params.get("datum", "")
    if "{scr}" in text:
        return text.format(scr=screening) if SCREENING_CODE.fullmatch(screening) else ""
    if "{datum}" in text:
        return text.format(datum=day) if DAY.fullmatch(day) else ""
    return text


@router.post("/inschrijving/{submission_id}/extra-ronde")
def extra_round(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    reden: Annotated[str, Form(max_length=2000)],
) -> Response:
    grant_extra_round(store_of(request), login.actor, submission_id, reden)
    return back(submission_id, "extra-ronde")


@router.post("/inschrijving/{submission_id}/bibob")
def bibob(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    status: Annotated[str, Form(max_length=50)],
    datum: Annotated[date, Form()],
    kenmerk: Annotated[str, Form(max_length=200)],
    toelichting: Annotated[str, Form(max_length=5000)],
    uitkomst: Annotated[str, Form(max_length=50)] = "",
    stap: Annotated[str, Form(max_length=20)] = "controleren",
) -> Response:
    """A legal act: first the confirmation of what will be recorded (nothing stored), then,
    with stap=vastleggen, the outcome recorded and the submission screened with it."""
    login.actor.may("bibob")
    if stap != "vastleggen":
        return page(
            request,
            "bibob_bevestigen.html",
            login=login,
            sub=store_of(request).submission(submission_id),
            values={
                "status": status,
                "uitkomst": uitkomst,
                "datum": datum.isoformat(),
                "kenmerk": kenmerk,
                "toelichting": toelichting,
            },
        )
    _, outcome = record_bibob(
        store_of(request),
        login.actor,
        submission_id,
        status,
        uitkomst or None,
        datum,
        kenmerk,
        toelichting,
    )
    return back(submission_id, "bibob", outcome.screening_id)


@router.post("/inschrijving/{submission_id}/ronde")
async def upload_round(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    bestand: UploadFile,
) -> Response:
    """A new case version (a repair round) as a YAML or JSON file, screened and stored."""

    content = await bestand.read(max_file_bytes() + 1)
    result = screen_upload(
        store_of(request), login.actor, submission_id, bestand.filename or "", content
    )
    if result.errors:
        raise KitError("; ".join(result.errors))
    if result.existing:
        return back(submission_id, "al-gescreend", result.existing[0][1])
    return back(submission_id, "ronde", result.outcomes[0].screening_id)


@router.get("/inschrijving/{submission_id}/brief/{kind}.{fmt}", dependencies=[LETTER_SLOT])
def letter(
    request: Request,
    login: LoggedIn,
    submission_id: SubmissionId,
    kind: str,
    fmt: str,
    datum: date | None = None,
) -> Response:
    """The repair request (as it would be sent that day; recording it is the confirmation step)
    or the decision letter for the latest screening, today or on `datum`: a Word document from
    the region's template (docx) or its Markdown preview (md)."""

    if fmt not in FORMATS:
        raise KitError(f"brief: onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}")
    store, day, sub = store_of(request), datum or today(), submission_id
    role = login.actor.role  # what the letter may state: kit.output.letter decides by it
    audit_read(store, login.actor, kind, sub, formaat=fmt)
    if fmt == "docx":
        content = LETTERS.run(letter_docx, store, sub, kind, day, role=role)
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = letter_text(store, sub, kind, day, role=role).encode("utf-8")
        media = "text/markdown; charset=utf-8"
    name = quote(f"{kind}-{sub}.{fmt}")
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/inschrijving/{submission_id}/verschil")
def difference(
    request: Request,
    login: LoggedIn,
    submission_id: SubmissionId,
    van: Annotated[str, Query(max_length=40)],
    naar: Annotated[str, Query(max_length=40)],
) -> Response:
    """What changed between two screenings of the submission: new, resolved, changed."""

    store = store_of(request)
    sub = store.submission(submission_id)
    own = {row.code: row for row in store.screenings_of(sub.pk)}
    for code in (van, naar):
        if code not in own:
            raise KitError(f"screening {code!r} hoort niet bij {sub.submission_id}")
    found = diff_findings(store.findings(own[van].pk), store.findings(own[naar].pk))

    def shown(f: Any) -> dict[str, Any]:
        return {
            "rule": f.rule,
            "subject": f.subject,
            "lot": f.lot,
            "outcome": f.outcome,
            "message": message_for(login.actor.role, f),
        }

    return page(
        request,
        "verschil.html",
        login=login,
        sub=sub,
        van=van,
        naar=naar,
        new=[shown(f) for f in found.new],
        resolved=[shown(f) for f in found.resolved],
        changed=[(shown(a), shown(b)) for a, b in found.changed],
    )


def _round_state(state: Any) -> dict[str, Any]:
    """The current review today (kit.screening.rounds): rounds used and allowed, its repair
    requests, the deadline running now, what is still to be sent, and the verdicts with their
    reasons, as the central list and the decision letter say."""
    rounds = state.rounds(today())
    return {
        "review": rounds.review,
        "used": rounds.used,
        "allowed": rounds.allowed,
        "deadline": rounds.deadline,
        "requests": [
            {
                "pk": r.request.pk,
                "round": r.request.round,
                "sent_on": r.request.sent_on,
                "sent_by": r.request.sent_by,
                "deadline": r.request.deadline,
                "status": r.status,
                "named": len(r.request.named),
                "derived": r.request.derived,
            }
            for r in rounds.requests
        ],
        "to_send": len(rounds.keys_to_send()),
        "to_send_lots": list(rounds.to_send),
        "refusal": rounds.refusal(),
        "next_round": rounds.next_round,
        "verdicts": rounds.verdicts,
        "reasons": rounds.reasons,
    }


@router.get("/inschrijving/{submission_id}/herstelverzoek")
def request_confirmation(
    request: Request,
    login: LoggedIn,
    submission_id: SubmissionId,
    verzonden: date | None = None,
) -> Response:
    """The confirmation step of sending a repair request: the round it opens, the findings it
    names and the deadline it gets from the day it is sent (P2), before it is recorded."""

    login.actor.may("repair_request")
    day = verzonden or today()
    store = store_of(request)
    round_no, deadline, named = planned(store, submission_id, day)
    return page(
        request,
        "herstelverzoek.html",
        login=login,
        sub=store.submission(submission_id),
        day=day,
        round_no=round_no,
        deadline=deadline,
        named=named,
    )


@router.post("/inschrijving/{submission_id}/herstelverzoek")
def send_request(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    verzonden: Annotated[date, Form()],
) -> Response:
    """The reviewer confirms: the request is recorded as sent on that day, with its letter (the
    Markdown; the Word document of the confirmation step is the same letter)."""

    sent = send_repair_request(store_of(request), login.actor, submission_id, verzonden)
    return back(submission_id, "verzoek", day=sent.row.deadline.isoformat())


@router.get("/inschrijving/{submission_id}/herstelverzoek/{number}.md")
def sent_letter(
    request: Request,
    login: LoggedIn,
    submission_id: SubmissionId,
    number: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
) -> Response:
    """A repair request's letter as it was sent (Markdown)."""
    store = store_of(request)
    sub = store.submission(submission_id)
    found = [row for row in store.requests_of(sub.pk) if row.id == number]
    if not found or not found[0].letter_md:
        raise KitError(f"herstelverzoek {number} van {sub.submission_id} heeft geen brief")
    name = quote(f"herstelverzoek-{sub.submission_id}-{number}.md")
    return Response(
        found[0].letter_md.encode("utf-8"),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/inschrijving/{submission_id}/notitie")
def note(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    tekst: Annotated[str, Form(max_length=5000)],
) -> Response:
    add_note(store_of(request), login.actor, submission_id, tekst)
    return back(submission_id, "notitie")


# --- werkvoorraad and toezicht ---------------------------------------------------------------
