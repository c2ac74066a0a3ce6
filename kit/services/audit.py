"""Reading the audit trail (`kit audit`): who did what, when. Every role may read it; the details
of a decision on sensitive matters (self-cleaning, a changed self-declaration, a Bibob outcome)
are for toezicht (and the Bibob outcome also for bibob), as the findings themselves are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from kit.case.stored import stored_json
from kit.services.actor import Actor
from kit.store import Store
from kit.timezone import NL, local_time

# Actions whose details only these roles may read.
SENSITIVE: dict[str, tuple[str, ...]] = {
    "beslissing-zelfreiniging": ("toezicht",),
    "beslissing-verklaring": ("toezicht",),
    "bibob-uitkomst": ("toezicht", "bibob"),
}
HIDDEN = "(alleen voor toezicht)"


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    role: str | None = None
    action: str | None = None
    subject: str | None = None
    since: date | None = None  # days in Dutch time, both included
    until: date | None = None
    limit: int | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, NL)


def read_audit(store: Store, reader: Actor, chosen: AuditFilter) -> list[dict[str, Any]]:
    """The audit events, newest first, as `reader` may read them (beheer and toezicht; the
    details of sensitive decisions toezicht only)."""
    reader.may("audit")
    rows = store.audit_log(
        chosen.actor,
        chosen.role,
        chosen.action,
        chosen.subject,
        _start_of(chosen.since) if chosen.since else None,
        _start_of(chosen.until + timedelta(days=1)) if chosen.until else None,
        chosen.limit,
    )
    found = []
    for row in rows:
        allowed = SENSITIVE.get(row.action)
        detail = (
            stored_json(row.detail, f"auditregel {row.id}, veld detail", {})
            if allowed is None or reader.role in allowed
            else HIDDEN
        )
        found.append(
            {
                "at": local_time(row.at).isoformat(timespec="seconds"),
                "actor": row.actor,
                "role": row.role,
                "action": row.action,
                "subject": row.subject,
                "detail": detail,
            }
        )
    return found
