"""The pages: log in and out, the central list (with its exports), a submission, the audit
trail and the accounts. Every page reads through the library as the logged-in account's role;
every change goes through kit.services, which checks that role again."""

from __future__ import annotations

import re
import secrets
import tempfile
from collections import defaultdict
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response

from kit.errors import KitError
from kit.report import ReportRow, narrowed, outcomes, write_csv, write_xlsx
from kit.services.accounts import Login, LoginRefused, add_account, change_account, log_in, log_out
from kit.services.actor import ROLES
from kit.services.audit import AuditFilter, read_audit
from kit.services.decisions import grant_extra_round, record_bibob, record_decision
from kit.services.notes import add_note, read_notes
from kit.standing import Filter, standings
from kit.timezone import local_time
from kit.vocabulary import vocabulary
from kit.web.app import page
from kit.web.auth import COOKIE, LOGIN_COOKIE, current_login, form_login, store_of
from kit.web.cache import ListCache

router = APIRouter()
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


def _cookie(response: Response, request: Request, name: str, value: str) -> None:
    """A cookie scripts cannot read and other sites do not get; Secure over https."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another site after logging in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# --- logging in and out ---------------------------------------------------------------------


@router.get("/aanmelden")
def login_form(request: Request, volgende: str = "/") -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = page(request, "aanmelden.html", csrf=token, volgende=_safe_next(volgende))
    _cookie(response, request, LOGIN_COOKIE, token)
    return response


@router.post("/aanmelden")
def login(
    request: Request,
    naam: Annotated[str, Form(max_length=200)],
    wachtwoord: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(max_length=200)],
    volgende: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf):
        return page(
            request,
            "aanmelden.html",
            403,
            csrf=expected or "",
            volgende=_safe_next(volgende),
            message="Het formulier was verlopen; probeer het opnieuw.",
        )
    try:
        token = log_in(store_of(request), naam, wachtwoord)
    except LoginRefused as exc:
        return page(
            request,
            "aanmelden.html",
            401,
            csrf=expected,
            volgende=_safe_next(volgende),
            message=exc.message,
            naam=naam,
        )
    response = RedirectResponse(_safe_next(volgende), status_code=303)
    _cookie(response, request, COOKIE, token)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/afmelden")
def logout(request: Request, login: Posted) -> Response:
    log_out(store_of(request), login)
    response = RedirectResponse("/aanmelden", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


# --- the central list -------------------------------------------------------------------------


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


@router.get("/")
def central_list(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> Response:
    rows = query.rows(request)
    pages = max((len(rows) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    number = min(query.page, pages)
    shown = rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    words = vocabulary()
    reviewers = [a.name for a in store_of(request).accounts() if a.role == "reviewer"]
    return page(
        request,
        "lijst.html",
        login=login,
        reviewers=reviewers,
        rows=shown,
        total=len(rows),
        number=number,
        pages=pages,
        values=query.values,
        today=query.day,
        lots=list(words.lots),
        verdicts=words.lot_verdicts,
        risks=words.risk_lights,
        outcomes=outcomes(),
    )


@router.get("/export.csv")
def export_csv(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> Response:
    out = StringIO()
    write_csv(query.rows(request), out)
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="kit-centrale-lijst.csv"'},
    )


@router.get("/export.xlsx")
def export_xlsx(
    request: Request, login: LoggedIn, query: Annotated[ListQuery, Depends()]
) -> Response:
    store = store_of(request)
    today = query.day
    read = standings(store, query.chosen)
    with tempfile.TemporaryDirectory(prefix="kit-web-") as tmp:
        path = Path(tmp) / "lijst.xlsx"  # not forked: a server's worker has threads
        role = login.actor.role
        write_xlsx(store, read, path, today, role, query.chosen, order=SORTS[query.sort])
        content = path.read_bytes()
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="kit-centrale-lijst.xlsx"'},
    )


# --- a submission ---------------------------------------------------------------------------


@router.get("/inschrijving/{submission_id}")
def submission(request: Request, login: LoggedIn, submission_id: SubmissionId) -> Response:
    from kit.show import find_screening, stored_result

    store = store_of(request)
    latest = find_screening(store, submission_id)
    result = stored_result(store, latest, login.actor.role)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in result["findings"]:
        if finding["status"] != "voldaan":
            grouped[finding["outcome"] or "herstel"].append(finding)
    order = outcomes()  # most severe first (vocabulary: finding_outcomes)
    sub = store.submission(result["submission_id"])
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
        state=_round_state(store, sub.submission_id),
        today=date.today(),
        assigned=store.assignment(sub.pk),
        done=_done_text(request),
        requirements=sorted(
            {f["requirement"] for f in result["findings"] if f["status"] != "voldaan"}
        ),
        bibob_statuses=vocabulary().bibob_statuses,
        bibob_outcomes=vocabulary().bibob_outcomes,
        judgeable=_judgeable(result["ruleset"]["id"], login.actor.role),
        notes=[{"text": n.text, "author": n.author, "at": local_time(n.created_at)} for n in notes],
    )


def _judgeable(ruleset_id: str, role: str) -> set[str]:
    """The documents this role judges by criteria under the screening's rule set (Q12): those
    findings get the "Beoordelen" action."""
    from kit.decisions import decidable
    from kit.rules.criteria import content_reviewed
    from kit.rules.loader import shipped_rulesets

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
    "extra-ronde": "Extra herstelronde toegekend; stuur het herstelverzoek voor die ronde.",
    "verzoek": "Herstelverzoek vastgelegd als verstuurd; uiterste datum {datum}.",
    "bibob": "Bibob-uitkomst vastgelegd; nieuwe screening {scr}.",
    "ronde": "Gescreend en opgeslagen: {scr}.",
    "al-gescreend": "Al gescreend: {scr} (niets nieuws opgeslagen).",
    "notitie": "Notitie opgeslagen.",
    "steekproef": "Controle vastgelegd; nieuwe screening {scr}.",
}
SCREENING_CODE = re.compile(r"SCR-\d{1,12}")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _back(
    submission_id: str, done: str, screening: str | None = None, day: str | None = None
) -> Response:
    """After a form: back to the submission page (Post/Redirect/Get), with what happened."""
    target = f"/inschrijving/{quote(submission_id)}?gedaan={done}"
    if screening:
        target += f"&scr={quote(screening)}"
    if day:
        target += f"&datum={quote(day)}"
    return RedirectResponse(target, status_code=303)


def _done_text(request: Request) -> str:
    text = DONE.get(request.query_params.get("gedaan", ""), "")
    screening = request.query_params.get("scr", "")
    day = request.query_params.get("datum", "")
    if "{scr}" in text:
        return text.format(scr=screening) if SCREENING_CODE.fullmatch(screening) else ""
    if "{datum}" in text:
        return text.format(datum=day) if DAY.fullmatch(day) else ""
    return text


@router.post("/inschrijving/{submission_id}/oordeel")
def judgement(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    soort: Annotated[str, Form(max_length=20)],
    eis: Annotated[str, Form(max_length=200)],
    oordeel: Annotated[str, Form(max_length=20)],
    toelichting: Annotated[str, Form(max_length=5000)],
    voor_aanbieder: Annotated[bool, Form()] = False,
    datum: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """A reviewer's content judgement or comply-or-explain decision (toezicht: self-cleaning,
    a changed declaration), on the day it was made (default today); the service checks who may
    record which."""
    if soort not in ("inhoud", "uitleg", "zelfreiniging", "verklaring"):
        raise KitError(f"soort: onbekend {soort!r}")
    try:
        day = date.fromisoformat(datum) if datum else None
    except ValueError:
        raise KitError(f"datum: ongeldige datum {datum!r}, verwacht JJJJ-MM-DD") from None
    _, outcome = record_decision(
        store_of(request),
        login.actor,
        submission_id,
        soort,
        eis,
        oordeel,
        toelichting,
        shared=voor_aanbieder,
        decided_on=day,
    )
    return _back(submission_id, "oordeel", outcome.screening_id)


@router.post("/inschrijving/{submission_id}/extra-ronde")
def extra_round(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    reden: Annotated[str, Form(max_length=2000)],
) -> Response:
    grant_extra_round(store_of(request), login.actor, submission_id, reden)
    return _back(submission_id, "extra-ronde")


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
) -> Response:
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
    return _back(submission_id, "bibob", outcome.screening_id)


@router.post("/inschrijving/{submission_id}/ronde")
async def upload_round(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    bestand: UploadFile,
) -> Response:
    """A new case version (a repair round) as a YAML or JSON file, screened and stored."""
    from kit.limits import max_file_bytes
    from kit.services.screening import screen_upload

    content = await bestand.read(max_file_bytes() + 1)
    result = screen_upload(
        store_of(request), login.actor, submission_id, bestand.filename or "", content
    )
    if result.errors:
        raise KitError("; ".join(result.errors))
    if result.existing:
        return _back(submission_id, "al-gescreend", result.existing[0][1])
    return _back(submission_id, "ronde", result.outcomes[0].screening_id)


@router.get("/inschrijving/{submission_id}/brief/{kind}.{fmt}")
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
    from kit.letter import FORMATS, letter_docx, letter_text

    if fmt not in FORMATS:
        raise KitError(f"brief: onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}")
    store, today, sub = store_of(request), datum or date.today(), submission_id
    role = login.actor.role  # what the letter may state: kit.letter decides by it
    if fmt == "docx":
        content = letter_docx(store, sub, kind, today, role=role)
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = letter_text(store, sub, kind, today, role=role).encode("utf-8")
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
    from kit.diff import diff_findings
    from kit.roles import message_for

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


def _round_state(store: Any, submission_id: str) -> dict[str, Any]:
    """The current review today (kit.rounds): rounds used and allowed, its repair requests, the
    deadline running now, what is still to be sent, and the verdicts with their reasons, as
    the central list and the decision letter say."""
    from kit.repair import submission_state

    state = submission_state(store, submission_id)
    rounds = state.rounds(date.today())
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
    from kit.services.requests import planned

    login.actor.may("repair_request")
    day = verzonden or date.today()
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
    from kit.services.requests import send_repair_request

    sent = send_repair_request(store_of(request), login.actor, submission_id, verzonden)
    return _back(submission_id, "verzoek", day=sent.row.deadline.isoformat())


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
    return _back(submission_id, "notitie")


# --- werkvoorraad and toezicht ---------------------------------------------------------------


@router.get("/werkvoorraad")
def work(request: Request, login: LoggedIn) -> Response:
    """What waits: the submissions assigned to me, the documents awaiting a content judgement
    (oldest first) and deadlines within a week; inkoop and beheer assign submissions here."""
    from kit.worklist import worklist

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
    from kit.monitor import monitor
    from kit.services.notes import recent_notes
    from kit.services.sample import read_sample

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
        done=_done_text(request),
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


@router.get("/beheer/accounts")
def accounts(request: Request, login: LoggedIn) -> Response:
    login.actor.may("accounts")
    return page(
        request, "accounts.html", login=login, accounts=store_of(request).accounts(), roles=ROLES
    )


@router.post("/beheer/accounts")
def create_account(
    request: Request,
    login: Posted,
    naam: Annotated[str, Form(max_length=200)],
    rol: Annotated[str, Form(max_length=20)],
    wachtwoord: Annotated[str, Form(max_length=1024)],
) -> Response:
    add_account(store_of(request), login.actor, naam, rol, wachtwoord)
    return RedirectResponse("/beheer/accounts", status_code=303)


@router.post("/beheer/accounts/{name}/uit")
def switch_off(
    request: Request, login: Posted, name: Annotated[str, PathParam(max_length=200)]
) -> Response:
    change_account(store_of(request), login.actor, name, active=False)
    return RedirectResponse("/beheer/accounts", status_code=303)
