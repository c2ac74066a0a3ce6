"""Who works on which submission. Purchasing (or beheer) assigns a submission to a reviewer's
account, planning the reviewer hours the region used to plan by hand; a reviewer claims a free
one ("oppakken") and releases it again ("vrijgeven"); a person sets the work status that is a
decision (kit.views.workstatus derives the rest). Every change is a new row with its audit
event; the latest counts. A change is made only if the case is still held by whom the person
saw holding it, so replacing someone is always a confirmed choice, never a silent overwrite."""

from __future__ import annotations

from kit.errors import KitError
from kit.services.actor import Actor
from kit.store import Store
from kit.store.tables import AssignmentRow, WorkStatusRow

CLAIMERS = ("reviewer", "toezicht")  # who claims a case to judge it (JUDGES["inhoud"])
STORED_STATUSES = ("in behandeling", "klaar")  # what a person decides; the rest is derived


class Replaces(KitError):
    """The assignment would replace the person who holds the case: confirm first."""

    def __init__(self, holder: str, reviewer: str):
        super().__init__(
            f"toewijzen: deze inschrijving is in handen van {holder}; bevestig dat {reviewer} "
            "het overneemt. Er is niets opgeslagen."
        )
        self.holder, self.reviewer = holder, reviewer


def holder(store: Store, submission_pk: int) -> str:
    """Who holds the case now ("" for nobody)."""
    current = store.assignment(submission_pk)
    return current.reviewer if current is not None else ""


def assign(
    store: Store, actor: Actor, submission_id: str, reviewer: str, replacing: str | None = None
) -> AssignmentRow:
    """Give the case to an active reviewer account. `replacing`: who the person saw holding it
    and confirmed to replace ("" for nobody); without it, a case someone else holds is refused
    with Replaces, for the confirmation."""
    actor.may("assign")
    account = store.account(reviewer)
    if account is None or not account.active or account.role != "reviewer":
        raise KitError(f"toewijzen: {reviewer!r} is geen actief account met de rol reviewer")
    submission = store.submission(submission_id)
    now = holder(store, submission.pk)
    if replacing is None:
        if now and now != account.name:
            raise Replaces(now, account.name)
        replacing = now
    row = AssignmentRow(submission_pk=submission.pk, reviewer=account.name, assigned_by=actor.name)
    audit = actor.event("toegewezen", submission_id, reviewer=account.name, previous=replacing)
    store.hand_over(row, replacing, audit)
    return row


def claim(store: Store, actor: Actor, submission_id: str) -> AssignmentRow:
    """A reviewer takes a free case (or one already theirs) to work on."""
    actor.require(*CLAIMERS, what="een inschrijving oppakken")
    submission = store.submission(submission_id)
    now = holder(store, submission.pk)
    if now and now != actor.name:
        raise KitError(
            f"oppakken: {submission_id} is in handen van {now}; vraag inkoop of beheer om het "
            "opnieuw toe te wijzen. Er is niets opgeslagen."
        )
    row = AssignmentRow(submission_pk=submission.pk, reviewer=actor.name, assigned_by=actor.name)
    store.hand_over(row, now, actor.event("opgepakt", submission_id, previous=now))
    return row


def release(store: Store, actor: Actor, submission_id: str) -> AssignmentRow:
    """The holder gives the case back (or purchasing/beheer takes it from them)."""
    submission = store.submission(submission_id)
    now = holder(store, submission.pk)
    if not now:
        raise KitError(f"vrijgeven: {submission_id} is van niemand. Er is niets opgeslagen.")
    if now != actor.name:
        actor.may("assign")
    row = AssignmentRow(submission_pk=submission.pk, reviewer="", assigned_by=actor.name)
    store.hand_over(row, now, actor.event("vrijgegeven", submission_id, previous=now))
    return row


def set_work_status(store: Store, actor: Actor, submission_id: str, status: str) -> WorkStatusRow:
    """A person says where the work stands (in behandeling, klaar); a newer screening reopens
    it (kit.views.workstatus)."""
    actor.require(*CLAIMERS, "inkoop", what="de werkstatus zetten")
    if status not in STORED_STATUSES:
        raise KitError(f"werkstatus: kies {' of '.join(STORED_STATUSES)}, niet {status!r}")
    submission = store.submission(submission_id)
    row = WorkStatusRow(submission_pk=submission.pk, status=status, set_by=actor.name)
    store.add(row, audit=actor.event("werkstatus", submission_id, status=status))
    return row
