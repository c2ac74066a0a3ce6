"""Screening one case: pick the rule set, apply the round policy and what earlier screenings
and decisions say, evaluate, give verdicts. Pure: the services read the history
(kit.views.history) and keep the outcome (kit.services.outcomes); the change a user makes
(screen these files) is kit.services.screening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kit.case.history import Prior
from kit.case.models import Case
from kit.engine import EngineResult, Finding, engine_for, engine_version
from kit.errors import KitError
from kit.kinds.process import ProcessRule
from kit.kinds.rulesets import shipped_rulesets
from kit.rules.applicability import NotApplicable, not_applicable
from kit.rules.loader import RuleSet, select_ruleset
from kit.screening.decisions import apply_decisions
from kit.screening.prior import Earlier, build_prior
from kit.screening.review import Grant, Mark, Request, Review
from kit.screening.sent_judgements import refuse_sent_judgements
from kit.screening.verdict import lot_verdicts, lots_of, subject_lots, summary
from kit.vocab.vocabulary import vocabulary


@dataclass
class ScreeningOutcome:
    case: Case
    source: str
    as_of: date
    ruleset_id: str
    ruleset_sha256: str
    engine_version: str
    findings: list[Finding]
    lots: dict[str, str]
    risk: str | None
    screening_id: str | None = None
    reason: str = "screening"
    final: bool = False  # the old model's final verdicts (replay of old rows only)
    actor: str = ""
    review: int = 0  # the review it belongs to (M5)
    known_on: date | None = None  # the day it reflects (P6); None: its as-of date
    base_screening_pk: int | None = None
    rerun: list[str] = field(default_factory=list)
    prior: Prior = field(default_factory=Prior)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    # What the lists read, stored with the screening (kit.screening.verdict.summary).
    summary: dict[str, Any] = field(default_factory=dict)
    evaluate_seconds: float = 0.0  # time the evaluation took (stage timings of a batch)

    def to_result(self) -> dict[str, Any]:
        """The result object of spec/case-format.md."""
        sub = self.case.submission
        return {
            "screening_id": self.screening_id,
            "submission_id": sub.id,
            "provider_kvk": sub.provider.kvk,
            "procedure": sub.procedure,
            "round": sub.round,
            "as_of": self.as_of.isoformat(),
            "ruleset": {"id": self.ruleset_id, "sha256": self.ruleset_sha256},
            "lots": self.lots,
            "risk": self.risk,
            **({"rerun": self.rerun} if self.rerun else {}),
            "findings": [f.to_result() for f in self.findings],
            "not_applicable": [n.to_result() for n in self.not_applicable],
        }

    def open_findings(self, lot: str) -> int:
        """Non-satisfied findings that count for `lot` (signals excluded)."""
        active = set(self.case.submission.active_lots())
        by_subject = subject_lots(self.case.submission)
        return sum(
            1
            for f in self.findings
            if f.status != "voldaan"
            and f.outcome != "signaal"
            and lot in lots_of(f, active, by_subject)
        )


@dataclass
class BatchResult:
    """What screening a set of files did: the new screenings, the errors (one Dutch line per
    case, naming its file) and the cases already screened identically, (file, screening code)."""

    outcomes: list[ScreeningOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    existing: list[tuple[str, str]] = field(default_factory=list)


def ruleset_for(day: date, source: str = "", rulesets: dict[str, RuleSet] | None = None) -> RuleSet:
    try:
        return select_ruleset(rulesets or shipped_rulesets(), day)
    except KitError as exc:
        raise type(exc)(f"{source}: {exc.message}" if source else exc.message) from None


def screen_case(
    case: Case,
    as_of: date | None = None,
    source: str = "",
    rulesets: dict[str, RuleSet] | None = None,
    final: bool = False,
    ruleset: RuleSet | None = None,
    prior: Prior | None = None,
) -> ScreeningOutcome:
    """Evaluate one parsed case (nothing stored). The as-of date defaults to its submission date
    and picks the rule-set version, unless `ruleset` is given (replay); `final` gives the
    verdicts after the last repair round (P3); `prior` is what earlier screenings of the same
    submission found (kit.screening.prior, E7)."""
    sub = case.submission
    day = as_of or sub.submitted_on
    ruleset = ruleset or ruleset_for(day, source, rulesets)
    prior = prior or Prior()
    result: EngineResult = engine_for(ruleset).evaluate(sub, day, source, prior)
    return ScreeningOutcome(
        case=case,
        source=source,
        as_of=day,
        ruleset_id=ruleset.id,
        ruleset_sha256=ruleset.sha256,
        engine_version=engine_version(),
        findings=result.findings,
        lots=lot_verdicts(result.findings, sub, ruleset.verdict(), final=final),
        summary=summary(result.findings, sub, ruleset.verdict(), final),
        risk=result.risk,
        final=final,
        prior=prior,
        not_applicable=not_applicable(ruleset, sub, day, result.findings, vocabulary()),
        evaluate_seconds=result.seconds,
    )


@dataclass
class History:
    """What the store knows about a submission: its current review (screenings, repair requests
    and extra rounds, for the round policy), every earlier screening (E7) and the decisions."""

    review: int = 0
    marks: list[Mark] = field(default_factory=list)  # the current review's screenings
    requests: list[Request] = field(default_factory=list)  # ... its repair requests
    grants: list[Grant] = field(default_factory=list)  # ... its extra rounds
    decisions: list[Any] = field(default_factory=list)
    earlier: list[Earlier] = field(default_factory=list)
    # The latest stored screening when this was read: storing re-checks it under the lock.
    latest: int | None = None
    # (case hash, as-of date, rule-set hash) -> code of every stored screening: the same case
    # screened again on the same date under the same rules gives that screening back.
    identities: dict[tuple[str, date, str], str] = field(default_factory=dict)

    def prior(self, round_no: int, compare_declarations: bool = True) -> Prior:
        return build_prior(self.earlier, self.decisions, round_no, compare_declarations)

    def rounds(self, submission: str, process: ProcessRule) -> Review:
        """The current review as kit.screening.rounds reads it."""
        return Review(
            submission,
            self.review,
            tuple(self.marks),
            tuple(self.requests),
            tuple(self.grants),
            process,
        )


def screen_round(
    case: Case,
    day: date,
    source: str,
    past: History,
    actor: str = "",
    again: bool = False,
    round_policy: bool = True,
) -> ScreeningOutcome:
    """Screen one case (its reused documents filled in, kit.screening.reuse) as round N of its
    submission's current review, given the submission's history (`past`, which the services
    read: kit.views.history): the round must answer a repair request in time (P1-P4,
    kit.screening.review.Review.check) and the recorded reviewer decisions apply. The same case
    screened before on the same date under the same rules raises Unchanged with that
    screening's code, unless `again` (a deliberate new screening). `round_policy=False`: a new
    version of the latest screening's case in its own round (kit documents add), which has its
    own check for what arrives late."""
    sub = case.submission
    ruleset = ruleset_for(day, source)
    ruleset.procedure(sub.procedure, source)
    if round_policy:  # kit documents add refuses judgements in its own file
        refuse_sent_judgements(case, past.earlier, source)
    case = apply_decisions(case, past.decisions)
    if not again:
        code = past.identities.get((case.sha256(), day, ruleset.sha256))
        if code is not None:
            raise Unchanged(code)
    try:
        if round_policy:
            past.rounds(sub.id, ruleset.process()).check(sub.round, day)
    except KitError as exc:
        raise type(exc)(f"{source}: {exc.message}" if source else exc.message) from None
    outcome = screen_case(case, day, source, prior=past.prior(sub.round))
    outcome.reason = "herstelronde" if sub.round > 0 else "screening"
    outcome.actor = actor
    outcome.review = past.review
    return outcome


class Unchanged(Exception):
    """The same case on the same date under the same rules was screened before, as `code`."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
