"""Screening one case: pick the rule set, apply the round policy and what earlier screenings
and decisions say, evaluate, give verdicts, and keep the outcome in the store. The change a user
makes (screen these files) is kit.services.screening, which calls this per case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kit.case.history import Prior
from kit.case.models import Case
from kit.case.stored import stored_case
from kit.engine import EngineResult, Finding, engine_for, engine_version
from kit.errors import CaseError, KitError
from kit.kinds.process import ProcessRule
from kit.kinds.rulesets import shipped_rulesets
from kit.rules.applicability import NotApplicable, not_applicable
from kit.rules.loader import RuleSet, select_ruleset
from kit.screening.decisions import apply_decisions
from kit.screening.prior import Earlier, build_prior
from kit.screening.reuse import resolve_reuse
from kit.screening.rounds import Grant, Mark, Request, Review, grant_of, request_of
from kit.screening.verdict import lot_verdicts, summary
from kit.store import Expected, Identical, Store
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
        from kit.screening.verdict import lots_of, subject_lots

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


def stored_history(store: Store, submission_pk: int) -> History:
    """The history of a stored submission."""
    screenings = store.screenings_of(submission_pk)
    pks = [s.id for s in screenings if s.id is not None]
    exclusions = store.exclusions(pks)
    review = max((s.review for s in screenings), default=0)
    found = History(
        review=review,
        marks=[
            Mark(s.pk, s.round, s.known_on or s.as_of) for s in screenings if s.review == review
        ],
        requests=[request_of(r) for r in store.requests_of(submission_pk) if r.review == review],
        grants=[grant_of(g) for g in store.extra_rounds(submission_pk) if g.review == review],
        decisions=store.decisions(submission_pk),
        latest=max(pks, default=None),
        identities={(s.case_sha256, s.as_of, s.ruleset_sha256): s.code for s in screenings},
    )
    found.earlier = [
        Earlier(
            s.code,
            s.round,
            s.created_at,
            stored_case(s.case_json, s.code),
            exclusions.get(s.id or 0, []),
        )
        for s in screenings
    ]
    return found


def history(
    store: Store | None, case: Case, seen: dict[tuple[str, str], History], source: str = ""
) -> History:
    """The submission's history from the store; `seen` holds histories already known (a batch
    of new submissions passes an empty one for each). A case of another provider (KvK) than the
    one the submission is stored for is refused: it cannot take over that submission."""
    sub = case.submission
    key = (sub.procedure, sub.id)
    if key in seen:
        return seen[key]
    row = store.find_submission(sub.procedure, sub.id) if store is not None else None
    if row is not None and row.provider_kvk != sub.provider.kvk:
        where = f"{source}: " if source else ""
        raise CaseError(
            f"{where}submission.provider.kvk: inschrijving {sub.id} is opgeslagen voor KvK "
            f"{row.provider_kvk}; deze casus noemt {sub.provider.kvk}. Een inschrijving hoort bij "
            "één aanbieder: geef deze casus een eigen inschrijvingsnummer"
        )
    found = (
        stored_history(store, row.pk)
        if store is not None and row is not None and row.id
        else History()
    )
    seen[key] = found
    return found


def screen_submission(
    case: Case,
    as_of: date | None,
    source: str,
    store: Store | None,
    seen: dict[tuple[str, str], History],
    actor: str = "",
    again: bool = False,
    round_policy: bool = True,
) -> ScreeningOutcome:
    """Screen one case as round N of its submission's current review: the round must answer a
    repair request in time (P1-P4, kit.screening.rounds.Review.check) and the recorded reviewer
    decisions apply. The same case screened before on the same date under the same rules raises
    Identical with that screening's code, unless `again` (a deliberate new screening).
    `round_policy=False`: a new version of the latest screening's case in its own round (kit
    documents add), which has its own check for what arrives late."""
    sub = case.submission
    day = as_of or sub.submitted_on
    ruleset = ruleset_for(day, source)
    ruleset.procedure(sub.procedure, source)
    past = history(store, case, seen, source)
    case = apply_decisions(resolve_reuse(case, store, source), past.decisions)
    if not again:
        code = past.identities.get((case.sha256(), day, ruleset.sha256))
        if code is not None:
            raise Identical(code)
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


def keep_snapshots(db: Store, outcomes: list[ScreeningOutcome]) -> None:
    """Keep the content of the shipped rule sets the outcomes used (replay needs it)."""
    from kit.rules.snapshot import snapshot_content

    rulesets = shipped_rulesets()
    used = {o.ruleset_sha256: o.ruleset_id for o in outcomes}
    db.keep_snapshots(
        {
            sha: (rid, snapshot_content(rulesets[rid]))
            for sha, rid in used.items()
            if rid in rulesets and rulesets[rid].sha256 == sha
        }
    )


def store_outcomes(
    db: Store,
    outcomes: list[ScreeningOutcome],
    also: Iterable[Any] = (),
    audit: Callable[[list[str]], Any] | None = None,
    expected: Expected | None = None,
    force: bool = False,
) -> list[str]:
    """Keep the rule-set snapshots the outcomes used, then the outcomes themselves with the rows
    that caused them and their audit event (made from the new screening ids), in one transaction.
    `expected` and `force` as in Store.save: Conflict when another screening of a submission
    came in after its history was read, Identical when the same screening is stored."""
    keep_snapshots(db, outcomes)
    return db.save(outcomes, also, audit, expected, force)


def expected_latest(seen: dict[tuple[str, str], History]) -> Expected:
    """What storing must find as each submission's latest screening: what its history saw."""
    return {key: past.latest for key, past in seen.items()}
