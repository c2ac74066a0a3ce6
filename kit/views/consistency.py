"""Consistency between reviewers (issue 27): how often each criterion of a content judgement is
judged not met, in total and per reviewer, so a coordinator sees where reviewers apply a
criterion differently. Counted over each reviewer's latest judgement of a document of a
submission (a correction replaces the reviewer's own earlier judgement; another reviewer's
judgement of the same document counts as theirs).

Layer: views (a report read from the store; kit.cli and kit.web print it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kit.rules.criteria import Criterion
from kit.store.records import Judged
from kit.vocab.vocabulary import vocabulary


@dataclass
class Tally:
    judged: int = 0
    not_met: int = 0
    not_applicable: int = 0

    @property
    def share_not_met(self) -> float | None:
        """Of the judgements where the criterion applied, the share not met."""
        applied = self.judged - self.not_applicable
        return round(self.not_met / applied, 3) if applied else None

    def to_json(self) -> dict[str, Any]:
        return {
            "judged": self.judged,
            "not_met": self.not_met,
            "not_applicable": self.not_applicable,
            "share_not_met": self.share_not_met,
        }


@dataclass
class CriterionRow:
    document: str
    criterion: str
    question: str
    total: Tally = field(default_factory=Tally)
    by_reviewer: dict[str, Tally] = field(default_factory=dict)

    @property
    def spread(self) -> float | None:
        """The largest difference in share not met between two reviewers (None: fewer than
        two reviewers judged it where it applied)."""
        shares = [t.share_not_met for t in self.by_reviewer.values()]
        known = [s for s in shares if s is not None]
        return round(max(known) - min(known), 3) if len(known) > 1 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "soort": "criterium",
            "document": self.document,
            "criterion": self.criterion,
            "question": self.question,
            **self.total.to_json(),
            "spread": self.spread,
            "by_reviewer": [
                {"reviewer": name, **tally.to_json()}
                for name, tally in sorted(self.by_reviewer.items())
            ],
        }


@dataclass
class ReviewerRow:
    reviewer: str
    judgements: int = 0
    criteria: Tally = field(default_factory=Tally)
    insufficient: int = 0  # judgements that came out onvoldoende

    def to_json(self) -> dict[str, Any]:
        return {
            "soort": "beoordelaar",
            "reviewer": self.reviewer,
            "judgements": self.judgements,
            "insufficient": self.insufficient,
            **self.criteria.to_json(),
        }


@dataclass
class Consistency:
    criteria: list[CriterionRow]
    reviewers: list[ReviewerRow]

    def to_json(self) -> list[dict[str, Any]]:
        return [row.to_json() for row in self.criteria] + [r.to_json() for r in self.reviewers]


def consistency(judged: Iterable[Judged], questions: dict[str, Criterion]) -> Consistency:
    """The report of the criterion outcomes on record; `questions` gives each code's wording."""
    _, failed, not_applicable = vocabulary().criterion_outcomes
    latest: dict[tuple[str, str, str], int] = {}
    rows = list(judged)
    for sub, decision, _ in rows:
        key = (sub, decision.requirement, decision.decided_by)
        latest[key] = max(decision.id or 0, latest.get(key, 0))
    by_criterion: dict[tuple[str, str], CriterionRow] = {}
    reviewers: dict[str, ReviewerRow] = {}
    counted: set[int] = set()
    for sub, decision, outcome in rows:
        if latest[(sub, decision.requirement, decision.decided_by)] != decision.id:
            continue
        name = decision.decided_by
        reviewer = reviewers.setdefault(name, ReviewerRow(name))
        if decision.id not in counted:
            counted.add(decision.id or 0)
            reviewer.judgements += 1
            reviewer.insufficient += decision.judgement == "onvoldoende"
        where = (decision.requirement, outcome.criterion)
        known = questions.get(outcome.criterion)
        row = by_criterion.setdefault(
            where,
            CriterionRow(decision.requirement, outcome.criterion, known.question if known else ""),
        )
        for tally in (row.total, row.by_reviewer.setdefault(name, Tally()), reviewer.criteria):
            tally.judged += 1
            tally.not_met += outcome.outcome == failed
            tally.not_applicable += outcome.outcome == not_applicable
    position = {code: i for i, code in enumerate(questions)}  # the rule set's order
    ordered = sorted(
        by_criterion.values(),
        key=lambda r: (r.document, position.get(r.criterion, len(position)), r.criterion),
    )
    return Consistency(ordered, sorted(reviewers.values(), key=lambda r: r.reviewer))
