"""Sending a repair request (herstelverzoek, P2) as the legal act it is: the letter for what is
still to be asked, recorded with who sent it, the day it was sent, the findings it names and the
deadline that runs from that day, with its audit event, in one transaction. `kit repair request`
and the web's "Herstelverzoek versturen" call this; `kit repair letter` only previews it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kit.errors import KitError, os_error_text
from kit.paths import claim_partial, put_in_place
from kit.screening.deadlines import deadline_of
from kit.screening.diff import key_parts
from kit.screening.screen import ruleset_for
from kit.services.actor import Actor
from kit.store import Conflict, RepairRequestRow, Store
from kit.timezone import today
from kit.views.letters import letter_docx, letter_text
from kit.views.submission import submission_state

# How often a request is decided again when others stored something for the submission meanwhile.
ATTEMPTS = 5
KIND = "herstelverzoek"


@dataclass(frozen=True)
class Sent:
    """A recorded repair request, with the letter as sent (Markdown, and Word if asked)."""

    row: RepairRequestRow
    text: str
    docx: bytes | None


def planned(store: Store, submission_id: str, sent_on: date) -> tuple[int, date, int]:
    """What a request sent on `sent_on` would be: (round it opens, its deadline, findings it
    names); refused as sending it would be. The web's confirmation step shows this."""
    state = submission_state(store, submission_id)
    rounds = state.rounds(sent_on)
    refusal = rounds.refusal()
    if refusal is not None:
        raise KitError(refusal)
    _check_day(state.latest.known_on or state.latest.as_of, state.latest.code, sent_on)
    deadline = deadline_of(ruleset_for(sent_on).process(), sent_on)
    return rounds.next_round, deadline, len(rounds.keys_to_send())


def _check_day(since: date, code: str, sent_on: date) -> None:
    if sent_on > today():
        raise KitError(
            f"--verzonden {sent_on.isoformat()} ligt in de toekomst; een herstelverzoek wordt "
            "vastgelegd op de dag dat het is verstuurd. Er is niets opgeslagen."
        )
    if sent_on < since:
        raise KitError(
            f"--verzonden {sent_on.isoformat()} ligt voor de screening of het oordeel waarvan het "
            f"de bevindingen noemt ({code}, {since.isoformat()}). Er is niets opgeslagen."
        )


def send_repair_request(
    store: Store,
    actor: Actor,
    submission_id: str,
    sent_on: date,
    word: bool = False,
    out_file: Path | None = None,
) -> Sent:
    """Record the repair request sent on `sent_on` and give its letter (`word`: also as a Word
    document). With `out_file`, the letter (Word when `word`, else Markdown) is written there
    as well: to a temporary file first, renamed into place once the request is recorded, so
    that nothing half-done is left either way."""
    actor.may("repair_request")
    for _ in range(ATTEMPTS):
        # What it is decided on is read after these ids; under the lock they must be unchanged.
        facts = store.facts(store.submission(submission_id).pk)
        state = submission_state(store, submission_id)
        rounds = state.rounds(sent_on)
        refusal = rounds.refusal()
        if refusal is not None:
            raise KitError(refusal)
        latest = state.latest
        _check_day(latest.known_on or latest.as_of, latest.code, sent_on)
        named = rounds.keys_to_send()
        text = letter_text(store, submission_id, KIND, sent_on, role=actor.role)
        docx = letter_docx(store, submission_id, KIND, sent_on, role=actor.role) if word else None
        letter = docx if docx is not None else text.encode("utf-8")
        keys = sorted(key_parts(key) for key in named)  # as finding_key lists
        grant = rounds.grant_for(rounds.next_round)
        row = RepairRequestRow(
            submission_pk=state.submission.pk,
            review=state.review.number,
            round=rounds.next_round,
            screening_pk=latest.pk,
            sent_on=sent_on,
            sent_by=actor.name,
            deadline=deadline_of(ruleset_for(sent_on).process(), sent_on),
            named_json=json.dumps(keys, ensure_ascii=False),
            letter_md=text,
            letter_sha256=hashlib.sha256(letter).hexdigest(),
            extra_round_pk=grant.pk if grant is not None else None,
        )
        audit = actor.event(
            "herstelverzoek",
            submission_id,
            round=row.round,
            sent_on=sent_on.isoformat(),
            deadline=row.deadline.isoformat(),
            named=len(keys),
            screening=latest.code,
        )
        temporary = _prepared(out_file, letter) if out_file is not None else None
        try:
            store.add_repair_request(row, audit, facts, submission_id)
        except Conflict:
            _discard(temporary)
            continue
        except BaseException:
            _discard(temporary)
            raise
        if temporary is not None and out_file is not None:
            _put_in_place(temporary, out_file)
        return Sent(row, text, docx)
    raise KitError(
        f"inschrijving {submission_id}: er werd steeds tegelijk iets opgeslagen; er is niets "
        "vastgelegd, probeer het opnieuw"
    )


def _prepared(out_file: Path, content: bytes) -> Path:
    """`content` in a temporary file beside `out_file` (same directory: the rename is atomic)."""
    partial: Path | None = None
    try:
        partial = claim_partial(out_file, private=True)
        partial.write_bytes(content)
    except OSError as exc:
        _discard(partial)
        raise KitError(
            f"{out_file}: kan het bestand niet schrijven ({os_error_text(exc)}); het "
            "herstelverzoek is niet vastgelegd"
        ) from None
    return partial


def _put_in_place(temporary: Path, out_file: Path) -> None:
    try:
        put_in_place(temporary, out_file)
    except OSError as exc:
        _discard(temporary)
        raise KitError(
            f"{out_file}: het herstelverzoek is vastgelegd, maar de brief kon niet worden "
            f"geschreven ({os_error_text(exc)}); de brief zoals verstuurd staat bij het verzoek "
            "(kit repair status --json, letter_md)"
        ) from None


def _discard(temporary: Path | None) -> None:
    if temporary is not None:
        temporary.unlink(missing_ok=True)
