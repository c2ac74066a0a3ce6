"""The criteria a content-reviewed document is judged against (Q12), as rule data.

A document rule with `content_review: true` lists its criteria: a code, the short question a
reviewer answers, the sentence the provider reads when the criterion is not met, its legal
basis, whether it is required (only required criteria decide `voldoende`) and whether it may be
judged not applicable. A new rule-set version may change them like any other rule data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field

from kit.rules.model import Strict

CRITERION_CODE = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


class Criterion(Strict):
    code: str = Field(pattern=CRITERION_CODE, max_length=60)
    question: str = Field(min_length=1)
    # What the provider reads in the repair request and the decision letter when it is not met.
    when_not_met: str = Field(min_length=1)
    basis: str = Field(min_length=1)
    assumed: bool = True
    required: bool = True
    may_not_apply: bool = False


def content_reviewed(rules: Iterable[Any]) -> list[Any]:
    """The document rules whose content a reviewer judges (by criteria)."""
    return [rule for rule in rules if getattr(rule, "content_review", False)]


def criteria_of(rules: Iterable[Any], document: str) -> list[Criterion]:
    """The criteria the rule set lists for a document type (empty: none, or not reviewed)."""
    for rule in content_reviewed(rules):
        if getattr(rule, "document", None) == document and rule.criteria:
            return list(rule.criteria)
    return []


def criteria_problems(rules: Iterable[Any], sources: dict[str, str]) -> list[str]:
    """What `kit rules check` refuses: a content-reviewed document without criteria, and a
    criterion code used twice within one document's list."""
    problems = []
    for rule in content_reviewed(rules):
        where = f"{sources.get(rule.id, '?')}: regel {rule.id}"
        if not rule.criteria:
            problems.append(
                f"{where}: criteria: een inhoudelijk beoordeeld document (content_review) heeft "
                "criteria nodig om tegen te beoordelen (Q12)"
            )
        seen: set[str] = set()
        for index, criterion in enumerate(rule.criteria):
            if criterion.code in seen:
                problems.append(
                    f"{where}: criteria[{index}].code: {criterion.code!r} komt twee keer voor"
                )
            seen.add(criterion.code)
    return problems


def criterion_line(criterion: Criterion) -> str:
    """One criterion as `kit rules show` prints it."""
    marks = [] if criterion.required else ["niet verplicht"]
    if criterion.may_not_apply:
        marks.append("kan n.v.t. zijn")
    if criterion.assumed:  # the rule's own mark is "(aanname)": one per rule
        marks.append("inhoud aangenomen")
    extra = f" [{', '.join(marks)}]" if marks else ""
    return f"{criterion.code}: {criterion.question}{extra} Grondslag: {criterion.basis}."


def criteria_changes(old: Any, new: Any) -> list[tuple[str, str, str]]:
    """Per criterion (code) what differs between two versions of a rule, for `kit rules diff`:
    (what, was, becomes), "-" where it is absent."""
    before = {c.code: c for c in getattr(old, "criteria", [])}
    after = {c.code: c for c in getattr(new, "criteria", [])}
    changes = []
    for code in [*after, *(c for c in before if c not in after)]:
        was = criterion_line(before[code]) if code in before else "-"
        becomes = criterion_line(after[code]) if code in after else "-"
        if before.get(code) != after.get(code):
            if was == becomes:  # the provider's sentence differs
                was, becomes = before[code].when_not_met, after[code].when_not_met
            changes.append((f"Criterium {code}", was, becomes))
    return changes
