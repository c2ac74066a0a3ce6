"""What a rule change does to the judgements made by criteria (Q12), for `kit rules impact`:
per content-reviewed document whose criteria change, what changes and how many judgements on
record were made against the criteria as they are now. A changed criterion changes no finding
by itself (a judgement stands until a new one is made), so the findings comparison cannot show
it; this says where the reviewers will judge differently from now on.

Layer: views (read from the store and the rule data; nothing is stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kit.kinds.choice import RuleChoice
from kit.kinds.rulesets import shipped_rulesets
from kit.rules.criteria import content_reviewed, criteria_changes
from kit.store import Store


@dataclass(frozen=True)
class CriteriaImpact:
    ruleset: str
    document: str
    changes: list[tuple[str, str, str]]  # (what, was, becomes), as kit rules diff shows them
    judgements: int  # judgements by criteria on record of this document
    submissions: int

    def to_json(self) -> dict[str, Any]:
        return {
            "soort": "criteria",
            "ruleset": self.ruleset,
            "document": self.document,
            "changes": [{"what": w, "was": a, "becomes": b} for w, a, b in self.changes],
            "judgements": self.judgements,
            "submissions": self.submissions,
        }


def criteria_impact(store: Store, choice: RuleChoice) -> list[CriteriaImpact]:
    """Per changed rule set and document: the criteria that change, and the judgements on
    record made against the current ones."""
    current = shipped_rulesets()
    judged = store.judged_criteria()
    found = []
    for new in choice.all():
        old = current.get(new.id)
        if old is None:
            continue
        before = {rule.id: rule for rule in content_reviewed(old.rules)}
        for rule in content_reviewed(new.rules):
            changes = criteria_changes(before[rule.id], rule) if rule.id in before else []
            if not changes:
                continue
            decisions = {d.id: sub for sub, d, _ in judged if d.requirement == rule.document}
            found.append(
                CriteriaImpact(
                    new.id,
                    rule.document,
                    changes,
                    len(decisions),
                    len(set(decisions.values())),
                )
            )
    return found
