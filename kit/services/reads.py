"""Reads of sensitive data, audited: when toezicht or bibob (the roles that read sensitive
values: kit.screening.policy.may_see) are shown a screening, a letter, an export or notes, an
audit event records who read what about whom; never the values themselves."""

from __future__ import annotations

from typing import Any

from kit.screening.policy import SUPERVISOR
from kit.services.actor import Actor
from kit.store import Store

READERS = (SUPERVISOR, "bibob")
ACTION = "inzage"


def audit_read(store: Store, actor: Actor, what: str, subject: str, **about: Any) -> None:
    """Record that `actor` read `what` (screening, brief, lijst, notities …) about `subject`
    (a submission id, or what the read covered), if their role reads sensitive values."""
    if actor.role in READERS:
        store.add(audit=actor.event(ACTION, subject, wat=what, **about))
