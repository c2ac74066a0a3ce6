"""Recording what a provider sends after a screening (`kit documents add`): one library call
that stores the new case version, its screening and the audit event in one transaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kit.errors import KitError
from kit.screening.diff import diff_findings, finding_key
from kit.screening.screen import ScreeningOutcome
from kit.services.actor import Actor
from kit.services.outcomes import screen_submission, store_outcomes
from kit.services.updates import (
    PARTS,
    REASON,
    NothingNew,
    Received,
    judged_documents,
    load_update,
    merge,
)
from kit.store import Store
from kit.timezone import today
from kit.views.submission import SubmissionState, submission_state


def _lots(lots: list[str]) -> str:
    return f"perceel {lots[0]} is" if len(lots) == 1 else f"percelen {', '.join(lots)} zijn"


def _refuse_late_repair(
    state: SubmissionState, outcome: ScreeningOutcome, arrived: date, path: Path
) -> None:
    """A lot afgewezen on the day the stukken arrived stays afgewezen (P3, P6), and for the
    reasons it was: stukken can neither admit it nor change the repair findings that rejected
    it (the decision letter names them; an objection against one of them must not admit a lot
    whose other repair came late). That holds for a lot a passed deadline rejected, and for one
    the last round left open once that round's deadline has passed too (until then, stukken are
    part of the round). Stukken that close a condition of an admitted lot still count."""
    rounds = state.rounds(arrived)
    last = [s.request.deadline for s in rounds.requests if s.request.round == rounds.used]
    late = {
        lot for lot in rounds.reasons if lot in rounds.sticky or not last or arrived > max(last)
    }
    if not late:
        return
    before = state.repairs(state.latest.pk)
    was = state.verdicts()
    after = outcome.summary["lots"]
    saved = sorted(
        lot
        for lot in late
        if set(before.get(lot, ())) != set(after.get(lot, {}).get("repair", ()))
        or after.get(lot, {}).get("verdict") != was.get(lot)
    )
    if saved:
        why = "; ".join(dict.fromkeys(rounds.reasons[lot] for lot in saved))
        raise KitError(
            f"{path}: {_lots(saved)} afgewezen: {why}, voor deze stukken binnenkwamen "
            f"(ontvangen {arrived.isoformat()}); na de termijn veranderen stukken die uitspraak "
            "en haar redenen niet meer (P3, P6). Er is niets opgeslagen; stukken voor een "
            "voorwaarde van een toegelaten perceel kunnen in een eigen bestand."
        )


# Over 60 lines: the checks before anything is stored (judged documents, late stukken after a
# rejection, the arrival date), then one re-screen and one transaction, in that order.
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
    arrived = received_on or today()
    if arrived > today():
        raise KitError(
            f"--ontvangen {arrived.isoformat()} ligt in de toekomst; geef de dag waarop de stukken "
            "binnenkwamen. Er is niets opgeslagen."
        )
    first = state.screenings[0]
    if arrived < first.as_of:  # before the submission was screened at all: no such arrival
        raise KitError(
            f"--ontvangen {arrived.isoformat()} ligt voor de eerste screening {first.code} van "
            f"deze inschrijving ({first.as_of.isoformat()}); wat eerder binnenkwam, hoort bij de "
            "inschrijving zelf. Er is niets opgeslagen."
        )
    case, changes = merge(
        state.case(), update, f"{path} (samengevoegd met {state.latest.code})", arrived
    )
    if not any(changes[part]["nieuw"] or changes[part]["vervangen"] for part in PARTS):
        raise NothingNew(
            f"{path}: niets nieuws; alles in dit bestand staat al in de laatste casusversie "
            f"({state.latest.code}). Er is niets opgeslagen."
        )
    outcome = screen_submission(
        case,
        state.latest.as_of,
        str(path),
        store,
        {},
        actor=actor.name,
        again=True,
        round_policy=False,
    )
    outcome.reason = REASON
    outcome.known_on = arrived  # what arrived is measured on its arrival day (P6)
    _refuse_late_repair(state, outcome, arrived, path)
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
