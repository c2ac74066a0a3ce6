"""Repair rounds for a stored submission: status, extra rounds, decisions and their re-screen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from kit.audit import event
from kit.case import Case, parse_case
from kit.decisions import JUDGEMENTS, apply_decisions, bibob_subject, check_role, decision_subject
from kit.errors import KitError
from kit.kinds.exclusion_history import ExclusionHistoryRule
from kit.prior import build_prior
from kit.rounds import RoundState
from kit.rules.loader import RuleSet
from kit.screening import (
    History,
    ScreeningOutcome,
    ruleset_for,
    screen_case,
    store_outcomes,
    stored_history,
)
from kit.store import (
    AuditEventRow,
    DecisionRow,
    ExtraRoundRow,
    FindingRow,
    ScreeningRow,
    Store,
    SubmissionRow,
)
from kit.verdict import lot_verdicts
from kit.vocabulary import vocabulary


@dataclass
class SubmissionState:
    submission: SubmissionRow
    screenings: list[ScreeningRow]
    ruleset: RuleSet
    rounds: RoundState
    history: History

    @property
    def latest(self) -> ScreeningRow:
        return self.screenings[-1]

    def latest_of_round(self, round_no: int) -> ScreeningRow | None:
        matching = [s for s in self.screenings if s.round == round_no]
        return matching[-1] if matching else None

    def case(self) -> Case:
        return parse_case(json.loads(self.latest.case_json), self.latest.code)


def submission_state(store: Store, submission_id: str) -> SubmissionState:
    row = store.submission(submission_id)
    past = stored_history(store, row.id)  # type: ignore[arg-type]
    screenings = store.screenings_of(row.id)  # type: ignore[arg-type]
    if not screenings:
        raise KitError(f"inschrijving {submission_id!r} heeft nog geen screening")
    latest = screenings[-1]
    ruleset = ruleset_for(latest.as_of)
    rounds = RoundState(
        submission_id, past.last_round, past.request_date, past.extra_granted, ruleset.process()
    )
    return SubmissionState(row, screenings, ruleset, rounds, past)


def current_verdicts(store: Store, state: SubmissionState, as_of: date) -> dict[str, str]:
    """The latest verdicts; once the rounds are closed (all used, or the deadline missed),
    open herstel findings make a lot afgewezen (P3)."""
    findings = store.findings(state.latest.id)  # type: ignore[arg-type]
    final = state.latest.final or state.rounds.closed(as_of)
    return lot_verdicts(findings, state.case().submission, state.ruleset.verdict(), final=final)


def grant_extra(store: Store, submission_id: str, reason: str, by: str, role: str) -> ExtraRoundRow:
    """Purchasing grants one more round (P4) for a well-founded reason."""
    state = submission_state(store, submission_id)
    process = state.rounds.process
    if not reason.strip():
        raise KitError("--reason: een extra herstelronde vraagt een gegronde reden")
    if state.rounds.extra_granted >= process.max_extra_rounds:
        raise KitError(
            f"inschrijving {submission_id}: er is al {state.rounds.extra_granted} extra ronde "
            f"toegekend; het maximum is {process.max_extra_rounds}"
        )
    row = ExtraRoundRow(submission_pk=state.submission.id, reason=reason.strip(), granted_by=by)
    store.add(
        row, audit=event(by, role, "extra-herstelronde", submission_id, reason=reason.strip())
    )
    return row


def open_changes(findings: list[FindingRow], ruleset: RuleSet) -> list[tuple[str, str]]:
    """(ground, subject) of the self-declaration answers the screening put to a judgement (E7)."""
    history_rules = {rule.id for rule in ruleset.of_kind(ExclusionHistoryRule)}
    return [
        (f.item or "", f.subject)
        for f in findings
        if f.rule in history_rules and f.requirement == "zelfverklaring" and f.status != "voldaan"
    ]


def _decide(
    store: Store, state: SubmissionState, decision: DecisionRow, audit: AuditEventRow
) -> ScreeningOutcome:
    """Store the decision and a new screening of the latest case with it applied, in one
    transaction; the earlier screening stays as it was."""
    latest = state.latest
    decisions = [*state.history.decisions, decision]
    compare = latest.reason != "bestuurswisseling"  # a board change is not a round (kit.prior)
    prior = build_prior(state.history.earlier, decisions, latest.round, compare)
    outcome = screen_case(
        apply_decisions(state.case(), decisions),
        latest.as_of,
        latest.source,
        final=latest.final,
        prior=prior,
    )
    outcome.reason, outcome.actor = "beslissing", decision.decided_by
    store_outcomes(store, [outcome], also=[decision, audit])  # one transaction: all or nothing
    return outcome


def record_decision(
    store: Store,
    submission_id: str,
    kind: str,
    requirement: str,
    judgement: str,
    note: str,
    by: str,
    role: str,
    shared: bool = False,
) -> tuple[DecisionRow, ScreeningOutcome]:
    """Record a decision on a judgement the screening asked for, and re-screen the latest case
    with it; nothing is edited. `shared`: the note may appear in letters to the provider."""
    if kind == "bibob":
        raise KitError("een Bibob-uitkomst legt u vast met kit bibob record")
    if judgement not in JUDGEMENTS:
        raise KitError(
            f"--judgement: onbekend oordeel {judgement!r}; kies uit {', '.join(JUDGEMENTS)}"
        )
    if not note.strip():
        raise KitError("--note: een beslissing heeft een toelichting")
    state = submission_state(store, submission_id)
    check_role(kind, requirement, role, state.ruleset)
    changes = (
        open_changes(store.findings(state.latest.id), state.ruleset) if kind == "verklaring" else []
    )  # type: ignore[arg-type]
    subject = decision_subject(state.case(), state.ruleset, kind, requirement, changes)
    decision = DecisionRow(
        submission_pk=state.submission.id,
        kind=kind,
        requirement=requirement,
        judgement=judgement,
        note=note.strip(),
        subject=subject,
        decided_by=by,
        role=role,
        shared=shared,
    )
    audit = event(
        by, role, f"beslissing-{kind}", submission_id, requirement=requirement, judgement=judgement
    )
    return decision, _decide(store, state, decision, audit)


def record_bibob(
    store: Store,
    submission_id: str,
    status: str,
    outcome: str | None,
    decided_on: date,
    reference: str,
    note: str,
    by: str,
    role: str,
) -> tuple[DecisionRow, ScreeningOutcome]:
    """The Bibob officials record the outcome of the investigation (E5): a decision record (who,
    when, why) that a new screening applies. What it says is for bibob and toezicht only: the
    audit event names the act, not the outcome."""
    vocab = vocabulary()
    if role != "bibob":
        raise KitError(
            f"een Bibob-uitkomst vastleggen is voorbehouden aan de rol bibob (huidige rol: {role})"
        )
    if status not in vocab.bibob_statuses:
        raise KitError(
            f"--status: onbekende status {status!r}; kies uit {', '.join(vocab.bibob_statuses)}"
        )
    if status == "afgerond" and outcome not in vocab.bibob_outcomes:
        raise KitError(
            f"--outcome: een afgerond onderzoek heeft een uitkomst; kies uit {', '.join(vocab.bibob_outcomes)}"
        )
    if status != "afgerond" and outcome is not None:
        raise KitError(
            f"--outcome: alleen een afgerond onderzoek heeft een uitkomst (status is {status})"
        )
    if not reference.strip():
        raise KitError("--reference: geef het kenmerk van het Bibob-advies of -besluit")
    if not note.strip():
        raise KitError("--note: een beslissing heeft een toelichting")
    state = submission_state(store, submission_id)
    if decided_on > date.today():
        raise KitError(f"--date: {decided_on.isoformat()} ligt in de toekomst")
    decision = DecisionRow(
        submission_pk=state.submission.id,
        kind="bibob",
        requirement="bibob",
        judgement=outcome or status,
        note=note.strip(),
        subject=bibob_subject(status, outcome, decided_on.isoformat(), reference.strip()),
        decided_by=by,
        role=role,
    )
    return decision, _decide(
        store, state, decision, event(by, role, "bibob-uitkomst", submission_id)
    )
