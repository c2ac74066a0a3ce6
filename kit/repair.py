"""Repair rounds for a stored submission: status, extra rounds, decisions and their re-screen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from kit.audit import event
from kit.case import Case, parse_case
from kit.decisions import apply_decisions, decision_subject
from kit.errors import KitError
from kit.rounds import RoundState, round_marks
from kit.rules.loader import RuleSet
from kit.screening import ScreeningOutcome, ruleset_for, screen_case, store_outcomes
from kit.store import DecisionRow, ExtraRoundRow, ScreeningRow, Store, SubmissionRow
from kit.verdict import lot_verdicts


@dataclass
class SubmissionState:
    submission: SubmissionRow
    screenings: list[ScreeningRow]
    ruleset: RuleSet
    rounds: RoundState

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
    screenings = store.screenings_of(row.id)  # type: ignore[arg-type]
    if not screenings:
        raise KitError(f"inschrijving {submission_id!r} heeft nog geen screening")
    latest = screenings[-1]
    ruleset = ruleset_for(latest.as_of)
    last_round, requested = round_marks(screenings)
    rounds = RoundState(submission_id, last_round, requested, len(store.extra_rounds(row.id)),  # type: ignore[arg-type]
                        ruleset.process())
    return SubmissionState(row, screenings, ruleset, rounds)


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
        raise KitError(f"inschrijving {submission_id}: er is al {state.rounds.extra_granted} extra ronde "
                       f"toegekend; het maximum is {process.max_extra_rounds}")
    row = ExtraRoundRow(submission_pk=state.submission.id, reason=reason.strip(), granted_by=by)
    store.add(row, audit=event(by, role, "extra-herstelronde", submission_id, reason=reason.strip()))
    return row


def record_decision(store: Store, submission_id: str, kind: str, requirement: str, judgement: str,
                    note: str, by: str, role: str) -> tuple[DecisionRow, ScreeningOutcome]:
    """Record a reviewer decision and re-screen the latest case with it; nothing is edited."""
    if not note.strip():
        raise KitError("--note: een beslissing heeft een toelichting")
    state = submission_state(store, submission_id)
    case = state.case()
    subject = decision_subject(case, state.ruleset, kind, requirement)
    decision = DecisionRow(submission_pk=state.submission.id, kind=kind, requirement=requirement,
                           judgement=judgement, note=note.strip(), subject=subject, decided_by=by, role=role)
    decisions = store.decisions(state.submission.id) + [decision]  # type: ignore[arg-type]
    outcome = screen_case(apply_decisions(case, decisions), state.latest.as_of, state.latest.source,
                          final=state.latest.final)
    outcome.reason, outcome.actor = "beslissing", by
    audit = event(by, role, f"beslissing-{kind}", submission_id, requirement=requirement, judgement=judgement)
    store_outcomes(store, [outcome], also=[decision, audit])  # one transaction: all or nothing
    return decision, outcome
