"""Reads of sensitive data, audited: when toezicht or bibob (the roles that read sensitive
values: kit.screening.policy.may_see) are shown a screening, a letter, an export or notes, an
audit event records who read what about whom; never the values themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kit.screening.policy import SUPERVISOR
from kit.services.actor import Actor
from kit.store import Store
from kit.store.accounts import READ_ACTION

READERS = (SUPERVISOR, "bibob")
ACTION = READ_ACTION


def audit_read(store: Store, actor: Actor, what: str, subject: str, **about: Any) -> None:
    """Record that `actor` read `what` (screening, brief, lijst, notities …) about `subject`
    (a submission id, or what the read covered), if their role reads sensitive values."""
    if actor.role in READERS:
        store.add(audit=actor.event(ACTION, subject, wat=what, **about))


def audit_list_read(store: Store, actor: Actor, what: str, rows: Iterable[Any]) -> None:
    """Record that `actor` read a worklist (`what`: monitor, werkvoorraad, steekproef …) and
    about which submissions: those of the `rows` shown (each with a `submission_id`, as an
    attribute or a key), so that an AVG request about one provider finds this read too. An
    empty list read nothing."""
    shown = sorted(
        {row["submission_id"] if isinstance(row, Mapping) else row.submission_id for row in rows}
    )
    if shown:
        audit_read(store, actor, what, "regio", inschrijvingen=shown)
