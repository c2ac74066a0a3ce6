"""Restricted toezicht notes on a provider: only supervisors write or read them. The audit event
records who wrote a note and when, never its text, so the audit trail does not leak it."""

from __future__ import annotations

from kit.errors import KitError
from kit.limits import plain_text
from kit.services.actor import Actor
from kit.services.reads import audit_list_read, audit_read
from kit.store import NoteRow, Store


def add_note(store: Store, actor: Actor, submission_id: str, text: str) -> NoteRow:
    """Store a note on the submission's provider, with its audit event, in one transaction."""
    actor.require("toezicht", what="notities")
    text = plain_text(text, "notitie")
    if not text:
        raise KitError("een notitie mag niet leeg zijn")
    submission = store.submission(submission_id)
    assert submission.id is not None
    row = NoteRow(submission_pk=submission.id, text=text.strip(), author=actor.name)
    store.add(row, audit=actor.event("notitie", submission_id, chars=len(row.text)))
    return row


def read_notes(store: Store, actor: Actor, submission_id: str) -> list[NoteRow]:
    actor.require("toezicht", what="notities")
    submission = store.submission(submission_id)
    assert submission.id is not None
    found = store.notes(submission.id)
    audit_read(store, actor, "notities", submission_id, count=len(found))
    return found


def recent_notes(store: Store, actor: Actor, limit: int = 200) -> list[tuple[NoteRow, str, str]]:
    """The newest notes over all providers, with submission id and provider name (toezicht)."""
    actor.require("toezicht", what="notities")
    found = store.all_notes(limit)
    audit_list_read(store, actor, "notities", (sub for _, sub in found))
    return [(note, sub.submission_id, sub.provider_name) for note, sub in found]
