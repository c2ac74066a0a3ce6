"""Recording what a provider sends after a screening (`kit documents add`): one library call
that stores the new case version, its screening and the audit event in one transaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kit.diff import diff_findings, finding_key
from kit.documents import PARTS, REASON, NothingNew, Received, judged_documents, load_update, merge
from kit.errors import KitError
from kit.repair import submission_state
from kit.screening import screen_submission, store_outcomes
from kit.services.actor import Actor
from kit.store import Store


def add_documents(
    store: Store, actor: Actor, submission_id: str, path: Path, received_on: date | None = None
) -> Received:
    """Merge what a provider sent into the latest case, re-screen it in the same round on the
    submission's screening date (what arrived is measured on its arrival date, default today),
    store it with its audit event in one transaction, and say which open findings it closed
    with which evidence."""
    actor.may("documents")
    state = submission_state(store, submission_id)
    update = load_update(path)
    judged = sorted(judged_documents(store, state.submission.pk) & update.document_ids())
    if judged:
        raise KitError(
            f"{path}: document {judged[0]!r} is al inhoudelijk beoordeeld; "
            "geef een nieuw of aangepast "
            "document een eigen id, dan wordt het opnieuw beoordeeld"
        )
    arrived = received_on or date.today()
    case, changes = merge(
        state.case(), update, f"{path} (samengevoegd met {state.latest.code})", arrived
    )
    if not any(changes[part]["nieuw"] or changes[part]["vervangen"] for part in PARTS):
        raise NothingNew(
            f"{path}: niets nieuws; alles in dit bestand staat al in de laatste casusversie "
            f"({state.latest.code}). Er is niets opgeslagen."
        )
    outcome = screen_submission(
        case, state.latest.as_of, str(path), store, {}, actor=actor.name, again=True
    )
    outcome.reason = REASON
    store_outcomes(
        store,
        [outcome],
        expected={(state.submission.procedure, submission_id): state.latest.pk},
        force=True,
        audit=lambda codes: actor.event(
            REASON,
            submission_id,
            screening=codes[0],
            file=path.name,
            follows=state.latest.code,
            received_on=arrived.isoformat(),
            **{part: changes[part] for part in PARTS},
        ),
    )
    received = Received(outcome, state.latest, changes)
    before = store.findings(state.latest.pk)
    result = diff_findings(before, outcome.findings)
    now = {finding_key(f): f for f in outcome.findings}
    received.closed = [(f, now.get(finding_key(f))) for f in result.resolved]
    received.opened = result.new + [new for _, new in result.changed]
    received.still_open = result.still_open
    return received
