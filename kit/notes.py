"""Restricted toezicht notes on a provider (NoteRow): only supervisors write or read them.

The audit event records who wrote a note and when, never its text, so the audit trail does
not leak what only toezicht may read.
"""

from __future__ import annotations

from kit.audit import event
from kit.errors import KitError
from kit.roles import may_read_notes
from kit.store import NoteRow, Store


def _refuse(role: str) -> None:
    if not may_read_notes(role):
        raise KitError(f"notities zijn voorbehouden aan toezicht (huidige rol: {role})")


def add_note(store: Store, submission_id: str, text: str, by: str, role: str) -> NoteRow:
    """Store a note on the submission's provider, with its audit event, in one transaction."""
    _refuse(role)
    if not text.strip():
        raise KitError("een notitie mag niet leeg zijn")
    submission = store.submission(submission_id)
    row = NoteRow(submission_pk=submission.id, text=text.strip(), author=by)  # type: ignore[arg-type]
    store.add(row, audit=event(by, role, "notitie", submission_id, chars=len(row.text)))
    return row


def notes_of(store: Store, submission_id: str, role: str) -> list[NoteRow]:
    _refuse(role)
    return store.notes(store.submission(submission_id).id)  # type: ignore[arg-type]
