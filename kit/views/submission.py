"""Where a stored submission stands: its screenings, rule set, current review and history, its
verdicts on a day (kit.screening.rounds), and the self-declaration changes its latest screening put
to a judgement. The changes (decisions, repair requests, extra rounds) are made through
kit.services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kit.case.models import Case
from kit.case.stored import stored_case
from kit.errors import KitError
from kit.kinds.exclusion_history import CARRIED_ITEM, ExclusionHistoryRule
from kit.rules.loader import RuleSet
from kit.screening.review import Review
from kit.screening.rounds import Ladder, LotRepairs, Rounds, judge
from kit.screening.screen import History, ruleset_for
from kit.store import FindingRow, ScreeningRow, Store, SubmissionRow
from kit.views.history import stored_history
from kit.views.standing import kept_summary, ladder_verdicts, lot_repairs


@dataclass
class SubmissionState:
    submission: SubmissionRow
    screenings: list[ScreeningRow]
    ruleset: RuleSet
    history: History
    review: Review  # the current review, as kit.screening.rounds reads it
    store: Store
    _rounds: dict[date, Rounds] = field(default_factory=dict, repr=False)

    @property
    def latest(self) -> ScreeningRow:
        return self.screenings[-1]

    def latest_of_round(self, round_no: int) -> ScreeningRow | None:
        matching = [
            s for s in self.screenings if s.round == round_no and s.review == self.review.number
        ]
        return matching[-1] if matching else None

    def case(self) -> Case:
        return stored_case(self.latest.case_json, self.latest.code)

    @property
    def ladder(self) -> Ladder:
        return Ladder.of(self.ruleset.verdict())

    def repairs(self, pk: int) -> LotRepairs:
        """The open herstel findings per lot of one of its screenings
        (kit.screening.verdict.summary)."""
        row = next(s for s in self.screenings if s.pk == pk)
        return lot_repairs(kept_summary(self.store, pk, row.summary_json, row.final))

    def verdicts(self) -> dict[str, str]:
        """The latest screening's verdict per lot as its own findings give them (the ladder)."""
        latest = self.latest
        kept = kept_summary(self.store, latest.pk, latest.summary_json, latest.final)
        return ladder_verdicts(kept, latest.final, self.ladder)

    def rounds(self, as_of: date) -> Rounds:
        """The current review on `as_of` (kit.screening.rounds.judge): verdicts, requests, what to
        send."""
        if as_of not in self._rounds:
            verdicts = self.verdicts()
            self._rounds[as_of] = judge(self.review, as_of, self.ladder, verdicts, self.repairs)
        return self._rounds[as_of]


def submission_state(store: Store, submission_id: str) -> SubmissionState:
    row = store.submission(submission_id)
    past = stored_history(store, row.pk)
    screenings = store.screenings_of(row.pk)
    if not screenings:
        raise KitError(f"inschrijving {submission_id!r} heeft nog geen screening")
    ruleset = ruleset_for(screenings[-1].as_of)
    review = past.rounds(submission_id, ruleset.process())
    return SubmissionState(row, screenings, ruleset, past, review, store)


def current_verdicts(store: Store, state: SubmissionState, as_of: date) -> dict[str, str]:
    """The verdicts of the latest screening as they stand on `as_of`: afgewezen where a repair
    request that named an open herstel finding ran out, or the last round left it open (P3)."""
    return dict(state.rounds(as_of).verdicts)


def open_changes(findings: list[FindingRow], ruleset: RuleSet) -> list[tuple[str, str]]:
    """(ground, subject) of the self-declaration answers the screening put to a judgement (E7)."""
    history_rules = {rule.id for rule in ruleset.of_kind(ExclusionHistoryRule)}
    return [
        (f.item or "", f.subject)
        for f in findings
        if f.rule in history_rules and f.item != CARRIED_ITEM and f.status != "voldaan"
    ]
