"""The kinds that read the findings of other rules rather than facts of the case.

S7 (each lot has at least one qualified, declarable care worker) is only knowable once the
per-staff findings exist; the risk light (R3) counts the indicator signals (R2). They run after
the evaluation, on its resolved findings, in the order of their kind's stage. Before them, a
kind that folds its findings into another rule's does so (E7: one exclusion is one finding).
The engine and the reference evaluator share this step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kit.case.models import Submission
from kit.engine.findings import Finding
from kit.vocab.vocabulary import Vocabulary

if TYPE_CHECKING:
    from kit.rules.loader import RuleSet


@dataclass(frozen=True)
class Aggregated:
    """What an aggregate kind reads: the resolved findings of the other rules of a submission."""

    ruleset: RuleSet
    sub: Submission
    findings: list[Finding]
    vocab: Vocabulary
    order: int


def aggregate_steps(ruleset: RuleSet) -> list[tuple[Any, Any]]:
    """The aggregate kinds' steps of a rule set, in stage order (then rule order), found once."""
    key = (ruleset.id, ruleset.sha256)
    if key not in _STEPS:
        steps = [
            (rule.kind_spec.stage, i, rule.kind_spec.aggregate, rule)
            for i, rule in enumerate(ruleset.rules)
        ]
        _STEPS[key] = [
            (step, rule) for _, _, step, rule in sorted(steps, key=lambda t: (t[0], t[1])) if step
        ]
    return _STEPS[key]


_STEPS: dict[tuple[str, str], list[tuple[Any, Any]]] = {}


def fold_steps(ruleset: RuleSet) -> list[tuple[Any, Any]]:
    """The folding kinds' steps of a rule set, in rule order, found once."""
    key = (ruleset.id, ruleset.sha256)
    if key not in _FOLDS:
        _FOLDS[key] = [(r.kind_spec.fold, r) for r in ruleset.rules if r.kind_spec.fold]
    return _FOLDS[key]


_FOLDS: dict[tuple[str, str], list[tuple[Any, Any]]] = {}


def complete(
    ruleset: RuleSet,
    sub: Submission,
    findings: list[Finding],
    vocab: Vocabulary,
    order: dict[str, int],
) -> tuple[list[Finding], str | None]:
    """Add the aggregate kinds' findings to the resolved findings of a submission; return them
    in result order, with the risk light."""
    findings = list(findings)
    for fold, rule in fold_steps(ruleset):
        findings = fold(rule, findings)
    risk = None
    for step, rule in aggregate_steps(ruleset):
        added, light = step(rule, Aggregated(ruleset, sub, findings, vocab, order[rule.id]))
        findings += added
        risk = light if light is not None else risk
    findings.sort(key=lambda f: (f.order, f.subject, f.lot or "", f.item or "", f.requirement))
    return findings, risk
