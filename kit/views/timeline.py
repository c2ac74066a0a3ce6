"""The history of one submission as one list, newest first: screenings, judgements with their
text, repair requests and their letters, extra rounds, Bibob outcomes, assignments, toezicht's
notes and the provider's document files. What a role may not read is left out here, where the
page gets it: a Bibob outcome for bibob and toezicht, a judgement of sensitive material and the
notes for toezicht (kit.screening.policy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kit.screening.policy import JUDGES, SUPERVISOR
from kit.store import Store
from kit.timezone import local_time
from kit.views.casefiles import may_open as may_open_file
from kit.vocab.vocabulary import vocabulary

BIBOB_READERS = (*JUDGES["bibob"], SUPERVISOR)
SENSITIVE_KINDS = ("zelfreiniging", "verklaring", "steekproef")


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: (
        str  # screening, oordeel, bibob, herstelverzoek, extra-ronde, toewijzing, notitie, document
    )
    title: str
    text: str = ""
    who: str = ""
    decision_pk: int | None = None  # a judgement that can be corrected by a new one
    link: str = ""


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def may_read_decision(role: str, kind: str, requirement: str) -> bool:
    """Whether `role` reads this judgement at all (its outcome and its text)."""
    if kind == "bibob":
        return role in BIBOB_READERS
    if kind in SENSITIVE_KINDS or vocabulary().is_sensitive_document(requirement):
        return role == SUPERVISOR
    return True


def timeline(store: Store, submission_id: str, role: str) -> list[Event]:
    sub = store.submission(submission_id)
    pk = sub.pk
    base = f"/inschrijving/{submission_id}"
    events: list[Event] = []
    for row in store.screenings_of(pk):
        title = f"Screening {row.code}: {row.reason}, ronde {row.round}"
        events.append(Event(_utc(row.created_at), "screening", title, who=row.actor))
    for d in store.decisions(pk):
        if not may_read_decision(role, d.kind, d.requirement):
            continue
        day = d.decided_on.isoformat() if d.decided_on else ""
        if d.kind == "bibob":
            title = f"Bibob-uitkomst: {d.judgement} ({day})"
            events.append(Event(_utc(d.decided_at), "bibob", title, d.note, d.decided_by))
            continue
        title = f"Oordeel {d.requirement}: {d.judgement} ({d.kind}, {day})"
        events.append(
            Event(_utc(d.decided_at), "oordeel", title, d.note, d.decided_by, decision_pk=d.id)
        )
    for r in store.requests_of(pk):
        title = (
            f"Herstelverzoek ronde {r.round} verstuurd op {r.sent_on.isoformat()}, "
            f"uiterste datum {r.deadline.isoformat()}"
        )
        link = f"{base}/herstelverzoek/{r.id}.md" if r.letter_md and not r.derived else ""
        events.append(Event(_utc(r.recorded_at), "herstelverzoek", title, who=r.sent_by, link=link))
    for x in store.extra_rounds(pk):
        events.append(
            Event(_utc(x.granted_at), "extra-ronde", "Extra herstelronde", x.reason, x.granted_by)
        )
    for a in store.assignments_of(pk):
        title = f"Toegewezen aan {a.reviewer}" if a.reviewer else "Vrijgegeven"
        events.append(Event(_utc(a.at), "toewijzing", title, who=a.assigned_by))
    if role == SUPERVISOR:
        for n in store.notes(pk):
            events.append(Event(_utc(n.created_at), "notitie", "Notitie", n.text, n.author))
    for f in store.case_files(pk):
        if may_open_file(role, f.category):
            title = f"Document {f.filename} ({f.category}, ronde {f.round}) toegevoegd"
            link = f"{base}/bestand/{f.id}"
            events.append(Event(_utc(f.at), "document", title, who=f.added_by, link=link))
    return sorted(events, key=lambda e: e.at, reverse=True)


def shown(events: list[Event]) -> list[dict[str, Any]]:
    """The events as the page shows them, in local time."""
    return [{**e.__dict__, "at": local_time(e.at)} for e in events]
