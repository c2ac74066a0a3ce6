"""Recording what a provider sends after a screening (`kit documents add`): one library call
that stores the new case version, its screening and the audit event in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from kit.diff import diff_findings, finding_key
from kit.documents import PARTS, REASON, NothingNew, Received, judged_documents, load_update, merge
from kit.errors import KitError
from kit.repair import SubmissionState, current_verdicts, submission_state
from kit.screening import ScreeningOutcome, screen_submission, store_outcomes
from kit.services.actor import Actor
from kit.store import Store
from kit.verdict import REPAIR, lot_verdicts


def _lots(lots: list[str]) -> str:
    return f"perceel {lots[0]} is" if len(lots) == 1 else f"percelen {', '.join(lots)} zijn"


def _refuse_late_repair(
    store: Store, state: SubmissionState, outcome: ScreeningOutcome, arrived: date, path: Path
) -> None:
    """Once the rounds are closed (all used, or the repair deadline passed before the stukken
    arrived), a lot that was refused (afgewezen: the verdict rule's final verdict) stays refused
    (P3), and for the reasons it was refused: late stukken can neither admit it nor close one of
    the repair findings that refused it (the decision letter names them; an objection against
    one of them must not admit a lot whose other repair came late). Stukken that close a
    condition of an admitted lot still count."""
    rounds = state.rounds
    if not (state.latest.final or rounds.closed(arrived)):
        return
    rule = state.ruleset.verdict()
    refused = {step.final_verdict for step in rule.ladder if step.final_verdict}  # afgewezen
    was = current_verdicts(store, state, arrived)
    becomes = lot_verdicts(outcome.findings, outcome.case.submission, rule, final=True)
    before = store.findings(state.latest.pk)

    def repairs(findings: Iterable[Any], lot: str) -> set[tuple[str, ...]]:
        return {
            finding_key(f)
            for f in findings
            if f.status != "voldaan" and f.outcome == REPAIR and f.lot in (lot, None)
        }

    saved = sorted(
        lot
        for lot, v in was.items()
        if v in refused
        and (becomes.get(lot) != v or repairs(before, lot) != repairs(outcome.findings, lot))
    )
    if saved:
        deadline = rounds.deadline()
        why = (
            f"de hersteltermijn verstreek op {deadline.isoformat()}"
            if deadline is not None and rounds.deadline_missed(arrived)
            else "de herstelrondes zijn gebruikt"
        )
        raise KitError(
            f"{path}: {_lots(saved)} afgewezen: {why}, voor deze stukken binnenkwamen "
            f"(ontvangen {arrived.isoformat()}); na de termijn veranderen stukken die uitspraak "
            "en haar redenen niet meer (P3). Er is niets opgeslagen; stukken voor een voorwaarde "
            "van een toegelaten perceel kunnen in een eigen bestand."
        )


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
    if arrived > date.today():
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
        case, state.latest.as_of, str(path), store, {}, actor=actor.name, again=True
    )
    outcome.reason = REASON
    _refuse_late_repair(store, state, outcome, arrived, path)
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
