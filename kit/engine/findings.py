"""Findings, and the hit policy that turns the engine's candidate findings into one per key.

Several facts can match one rule (two KvK extracts, three diplomas), so a rule may propose
more than one finding for the same (rule, requirement, subject, lot, item). Requirements take
the best candidate (one valid document satisfies), prohibitions the worst (one recent
conviction excludes). Ties merge their evidence. The result does not depend on the order in
which the engine fired, which is what makes it comparable and reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kit.engine.messages import neutral, render_message
from kit.vocab.vocabulary import Vocabulary

# Least to most severe; `voldaan` means no outcome at all.
SEVERITY = {
    "voldaan": 0,
    "signaal": 1,
    "voorwaardelijk": 2,
    "beoordeling": 3,
    "herstel": 4,
    "uitsluiting": 5,
}


@dataclass(frozen=True)
class Finding:
    rule: str
    requirement: str
    subject: str
    lot: str | None
    status: str
    outcome: str | None
    message: str
    basis: str
    evidence: tuple[str, ...] = ()
    due: str | None = None
    item: str | None = None
    sensitive: bool = False
    neutral: str = ""
    # What a provider's letter prints (kit.engine.messages.render_message): a sentence for the
    # provider, a reviewer's note only when shared; "" for a sensitive finding with no sentence
    # of its own (the letter prints a neutral one), None when not known (a finding read back
    # from a row stored before letters had their own text).
    letter: str | None = ""
    order: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.rule, self.requirement, self.subject, self.lot or "", self.item or "")

    @property
    def severity(self) -> int:
        return 0 if self.status == "voldaan" else SEVERITY[self.outcome or "herstel"]

    def to_result(self) -> dict[str, Any]:
        """The finding as spec/case-format.md prints it."""
        return {
            "rule": self.rule,
            "requirement": self.requirement,
            "subject": self.subject,
            "lot": self.lot,
            "status": self.status,
            "outcome": self.outcome,
            "message": self.message,
            "basis": self.basis,
            "evidence": list(self.evidence),
            "due": self.due,
        }


def propose(
    rule: Any,
    situation: str,
    status: str,
    outcome: str | None,
    requirement: str,
    *,
    vocab: Vocabulary,
    subject: str = "provider",
    lot: str | None = None,
    evidence: Iterable[Any] = (),
    due: str | None = None,
    item: str | None = None,
    params: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    sensitive: bool = False,
    order: int = 0,
    render: bool = True,
) -> Finding:
    """A candidate finding of `rule` in `situation`, with its Dutch message (messages.py).
    `render=False` leaves the messages empty, for a comparison that never shows a finding
    (`kit rules impact`): rendering is a fifth of an evaluation, and nothing that decides a
    status, an outcome or a verdict reads a message."""
    message, letter = (
        render_message(rule, situation, params or {}, data or {}, vocab, lot, due, sensitive)
        if render
        else ("", "")
    )
    return Finding(
        rule=rule.id,
        requirement=requirement,
        subject=subject,
        lot=lot,
        status=status,
        outcome=None if status == "voldaan" else outcome,
        message=message,
        basis=rule.basis,
        evidence=tuple(str(e) for e in evidence if e),
        due=due,
        item=item,
        sensitive=sensitive,
        neutral=neutral(status, getattr(rule, "kind", None)) if sensitive else message,
        letter=letter,
        order=order,
    )


def resolve(candidates: list[Finding], prohibitive: set[str]) -> list[Finding]:
    """One finding per key: the least severe for requirements, the most severe for prohibitions."""
    groups: dict[tuple[str, ...], list[Finding]] = {}
    for cand in candidates:
        groups.setdefault(cand.key, []).append(cand)
    out = []
    for group in groups.values():
        if len(group) == 1:  # the usual case: one fact, one candidate
            only = group[0]
            evidence = tuple(sorted({e for e in only.evidence if e}))
            out.append(
                only
                if evidence == only.evidence and only.due != ""
                else replace(only, evidence=evidence, due=only.due or None)
            )
            continue
        pick = max if group[0].rule in prohibitive else min
        target = pick(c.severity for c in group)
        tied = sorted(
            (c for c in group if c.severity == target),
            key=lambda c: (c.status, c.message, c.evidence, c.due or ""),
        )
        best = tied[0]
        evidence = tuple(sorted({e for c in tied for e in c.evidence if e}))
        dues = sorted(c.due for c in tied if c.due)
        out.append(replace(best, evidence=evidence, due=dues[0] if dues else None))
    out.sort(key=lambda f: (f.order, f.subject, f.lot or "", f.item or "", f.requirement))
    return out


def prohibitive(rules: list[Any]) -> set[str]:
    """Ids of the rules whose kind keeps the most severe candidate (exclusions)."""
    return {rule.id for rule in rules if rule.kind_spec.prohibitive}
