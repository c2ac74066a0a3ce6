"""Decisions by people, each one library call that stores the decision, its audit event and the
screening it causes in one transaction: a content or comply-or-explain judgement, a judgement of
self-cleaning or of a changed self-declaration, a Bibob outcome, an extra repair round."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from kit.errors import KitError
from kit.limits import plain_text
from kit.screening.decisions import (
    JUDGEMENTS,
    apply_decisions,
    bibob_subject,
    check_role,
    decision_subject,
)
from kit.screening.prior import build_prior
from kit.screening.screen import ScreeningOutcome, screen_case
from kit.services.actor import Actor
from kit.services.outcomes import store_outcomes
from kit.store import DecisionRow, ExtraRoundRow, Store
from kit.timezone import today
from kit.views.submission import SubmissionState, open_changes, submission_state
from kit.vocab.vocabulary import vocabulary


def _rescreened(state: SubmissionState, decision: DecisionRow) -> ScreeningOutcome:
    """A new screening of the latest case with the decision applied (not stored). It reflects
    the decision's day (P6: a judgement after a deadline changes nothing of what that deadline
    rejected)."""
    latest = state.latest
    decisions = [*state.history.decisions, decision]
    compare = (
        latest.reason != "bestuurswisseling"
    )  # a board change is not a round (kit.screening.prior)
    prior = build_prior(state.history.earlier, decisions, latest.round, compare)
    outcome = screen_case(
        apply_decisions(state.case(), decisions), latest.as_of, latest.source, prior=prior
    )
    outcome.reason, outcome.actor = "beslissing", decision.decided_by
    outcome.review = latest.review
    since = latest.known_on or latest.as_of
    outcome.known_on = max(decision.decided_on or since, since)
    return outcome


def _decide(
    store: Store,
    actor: Actor,
    state: SubmissionState,
    decision: DecisionRow,
    action: str,
    rows: list[Any] | None = None,
    **detail: Any,
) -> ScreeningOutcome:
    """Store the decision, a new screening of the latest case with it applied and the audit event
    (naming that screening) in one transaction; the earlier screening stays as it was."""
    latest = state.latest
    outcome = _rescreened(state, decision)
    subject = state.submission.submission_id
    store_outcomes(
        store,
        [outcome],
        also=[decision, *(rows or [])],
        audit=lambda codes: actor.event(action, subject, screening=codes[0], **detail),
        expected={(state.submission.procedure, subject): latest.pk},  # decided on this one
        force=True,  # a decision is stored even when the case comes out the same
    )
    return outcome


def record_decision(
    store: Store,
    actor: Actor,
    submission_id: str,
    kind: str,
    requirement: str,
    judgement: str,
    note: str,
    shared: bool = False,
    decided_on: date | None = None,
    attached: Callable[[DecisionRow], list[Any]] | None = None,
    **detail: Any,
) -> tuple[DecisionRow, ScreeningOutcome]:
    """Record a judgement the screening asked for, and re-screen the latest case with it; nothing
    is edited. `shared`: the note may appear in letters to the provider. `decided_on`: the day of
    the judgement (default today), not in the future and not before the latest screening's.
    `attached`: rows stored with the decision (its criteria, Q12); `detail`: for the audit
    (`corrects`: the id of the earlier judgement this one corrects; that one stays stored)."""
    state, decision = _judgement(
        store, actor, submission_id, kind, requirement, judgement, note, shared, decided_on
    )
    return decision, _decide(
        store,
        actor,
        state,
        decision,
        f"beslissing-{kind}",
        attached(decision) if attached else [],
        requirement=requirement,
        judgement=judgement,
        **detail,
    )


def preview_decision(
    store: Store,
    actor: Actor,
    submission_id: str,
    kind: str,
    requirement: str,
    judgement: str,
    note: str,
    decided_on: date | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """What a judgement would make of the verdicts, before it is recorded (the confirmation
    step): the verdict per lot now and after it; checked as record_decision checks, nothing
    stored."""
    state, decision = _judgement(
        store, actor, submission_id, kind, requirement, judgement, note, False, decided_on
    )
    after = _rescreened(state, decision).summary.get("lots", {})
    return state.verdicts(), {lot: str(v.get("verdict")) for lot, v in after.items()}


def _judgement(
    store: Store,
    actor: Actor,
    submission_id: str,
    kind: str,
    requirement: str,
    judgement: str,
    note: str,
    shared: bool,
    decided_on: date | None,
) -> tuple[SubmissionState, DecisionRow]:
    """The checked decision row of a judgement, not yet stored."""
    if kind == "bibob":
        raise KitError("een Bibob-uitkomst legt u vast met kit bibob record")
    if judgement not in JUDGEMENTS:
        raise KitError(
            f"--oordeel: onbekend oordeel {judgement!r}; kies uit {', '.join(JUDGEMENTS)}"
        )
    note = plain_text(note, "--toelichting")
    if not note:
        raise KitError("--toelichting: een beslissing heeft een toelichting")
    state = submission_state(store, submission_id)
    check_role(kind, requirement, actor.role, state.ruleset)
    day = judged_on(state, decided_on)
    changes = (
        open_changes(store.findings(state.latest.pk), state.ruleset) if kind == "verklaring" else []
    )
    subject = decision_subject(state.case(), state.ruleset, kind, requirement, changes)
    decision = DecisionRow(
        submission_pk=state.submission.pk,
        kind=kind,
        requirement=requirement,
        judgement=judgement,
        note=note.strip(),
        subject=subject,
        decided_by=actor.name,
        role=actor.role,
        shared=shared,
        decided_on=day,
    )
    return state, decision


def judged_on(state: SubmissionState, decided_on: date | None) -> date:
    """The day of a judgement: given, or today (Europe/Amsterdam); never in the future, nor
    before the day the latest screening reflects (what was judged was not there yet)."""
    day = decided_on or today()
    if day > today():
        raise KitError(f"--datum {day.isoformat()} ligt in de toekomst; er is niets opgeslagen")
    latest = state.latest
    since = latest.known_on or latest.as_of
    if day < since:
        raise KitError(
            f"--datum {day.isoformat()} ligt voor de laatste screening {latest.code} "
            f"({since.isoformat()}); een oordeel gaat over wat er toen lag. Er is niets opgeslagen."
        )
    return day


def record_bibob(
    store: Store,
    actor: Actor,
    submission_id: str,
    status: str,
    outcome: str | None,
    decided_on: date,
    reference: str,
    note: str,
) -> tuple[DecisionRow, ScreeningOutcome]:
    """The Bibob officials record the outcome of the investigation (E5): a decision record (who,
    when, why) that a new screening applies. What it says is for bibob and toezicht only: the
    audit event names the act, not the outcome."""
    actor.require("bibob", what="een Bibob-uitkomst vastleggen")
    vocab = vocabulary()
    if status not in vocab.bibob_statuses:
        raise KitError(
            f"--status: onbekende status {status!r}; kies uit {', '.join(vocab.bibob_statuses)}"
        )
    if status == "afgerond" and outcome not in vocab.bibob_outcomes:
        raise KitError(
            "--uitkomst: een afgerond onderzoek heeft een uitkomst; kies uit "
            f"{', '.join(vocab.bibob_outcomes)}"
        )
    if status != "afgerond" and outcome is not None:
        raise KitError(
            f"--uitkomst: alleen een afgerond onderzoek heeft een uitkomst (status is {status})"
        )
    reference = plain_text(reference, "--kenmerk")
    note = plain_text(note, "--toelichting")
    if not reference:
        raise KitError("--kenmerk: geef het kenmerk van het Bibob-advies of -besluit")
    if not note:
        raise KitError("--toelichting: een beslissing heeft een toelichting")
    if decided_on > today():
        raise KitError(f"--date: {decided_on.isoformat()} ligt in de toekomst")
    state = submission_state(store, submission_id)
    decision = DecisionRow(
        submission_pk=state.submission.pk,
        kind="bibob",
        requirement="bibob",
        judgement=outcome or status,
        note=note.strip(),
        subject=bibob_subject(status, outcome, decided_on.isoformat(), reference.strip()),
        decided_by=actor.name,
        role=actor.role,
        decided_on=decided_on,
    )
    return decision, _decide(store, actor, state, decision, "bibob-uitkomst")


def grant_extra_round(store: Store, actor: Actor, submission_id: str, reason: str) -> ExtraRoundRow:
    """Purchasing grants one more repair round (P4) for a well-founded reason, also after the
    rounds have closed: it opens a new round, with a repair request of its own. Refused when
    nothing is open to repair in the current review."""
    actor.may("extra_round")
    state = submission_state(store, submission_id)
    process = state.review.process
    reason = plain_text(reason, "--reden")
    if not reason:
        raise KitError("--reden: een extra herstelronde vraagt een gegronde reden")
    if not state.rounds(today()).open_keys:
        raise KitError(
            f"inschrijving {submission_id}: er staat niets open om te herstellen in de huidige "
            "beoordeling; een extra herstelronde opent een nieuw herstelverzoek en heeft dan "
            "niets te vragen. Er is niets opgeslagen."
        )
    row = ExtraRoundRow(
        submission_pk=state.submission.pk,
        review=state.review.number,
        reason=reason,
        granted_by=actor.name,
    )
    # Counted again under the submission's lock: two grants at once cannot both pass the maximum.
    store.add_extra_round(
        row,
        process.max_extra_rounds,
        actor.event("extra-herstelronde", submission_id, reason=reason),
        submission_id,
    )
    return row
