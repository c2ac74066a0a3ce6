"""Where a stored submission stands: its screenings, rule set, rounds and history, its current
verdicts, and the self-declaration changes its latest screening put to a judgement. The changes
(decisions, extra rounds) are made through kit.services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kit.case import Case
from kit.errors import KitError
from kit.kinds.exclusion_history import CARRIED_ITEM, ExclusionHistoryRule
from kit.rounds import RoundState
from kit.rules.loader import RuleSet
from kit.screening import (
    History,
    ruleset_for,
    stored_history,
)
from kit.store import (
    FindingRow,
    ScreeningRow,
    Store,
    SubmissionRow,
)
from kit.stored import stored_case
from kit.verdict import lot_verdicts


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
        return stored_case(self.latest.case_json, self.latest.code)


def submission_state(store: Store, submission_id: str) -> SubmissionState:
    row = store.submission(submission_id)
    past = stored_history(store, row.pk)
    screenings = store.screenings_of(row.pk)
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
    findings = store.findings(state.latest.pk)
    final = state.latest.final or state.rounds.closed(as_of)
    return lot_verdicts(findings, state.case().submission, state.ruleset.verdict(), final=final)


def open_changes(findings: list[FindingRow], ruleset: RuleSet) -> list[tuple[str, str]]:
    """(ground, subject) of the self-declaration answers the screening put to a judgement (E7)."""
    history_rules = {rule.id for rule in ruleset.of_kind(ExclusionHistoryRule)}
    return [
        (f.item or "", f.subject)
        for f in findings
        if f.rule in history_rules and f.item != CARRIED_ITEM and f.status != "voldaan"
    ]
