"""Where the work on a submission stands: nieuw, in behandeling, wacht op aanbieder, klaar.
Derived where the facts say it: a repair request whose deadline still runs means the provider
must act; a case nobody has touched is new; a case someone holds is being worked on. What is a
person's decision (in behandeling, klaar) is stored (kit.services.assignments) and counts until
a newer screening (a round, stukken, a judgement) reopens the work."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from kit.store import Store

STATUSES = ("nieuw", "in behandeling", "wacht op aanbieder", "klaar")


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def work_status(store: Store, state: Any, today: date) -> str:
    """The status of the submission in `state` (kit.views.submission.SubmissionState)."""
    pk = state.submission.pk
    rounds = state.rounds(today)
    if any(r.status == "loopt" for r in rounds.requests):
        return "wacht op aanbieder"
    stored = store.work_status(pk)
    if stored is not None and _utc(stored.at) >= _utc(state.latest.created_at):
        return stored.status
    held = store.assignment(pk)
    if (held is not None and held.reviewer) or len(state.screenings) > 1:
        return "in behandeling"
    return "nieuw"
