"""Who screens which submission: purchasing (or beheer) assigns a submission to a reviewer's
account, planning the reviewer hours the region used to plan by hand. An assignment is a new
row each time; the latest counts."""

from __future__ import annotations

from kit.errors import KitError
from kit.services.actor import Actor
from kit.store import Store
from kit.store.tables import AssignmentRow


def assign(store: Store, actor: Actor, submission_id: str, reviewer: str) -> AssignmentRow:
    actor.may("assign")
    account = store.account(reviewer)
    if account is None or not account.active or account.role != "reviewer":
        raise KitError(f"toewijzen: {reviewer!r} is geen actief account met de rol reviewer")
    submission = store.submission(submission_id)
    row = AssignmentRow(submission_pk=submission.pk, reviewer=account.name, assigned_by=actor.name)
    store.add(row, audit=actor.event("toegewezen", submission_id, reviewer=account.name))
    return row
