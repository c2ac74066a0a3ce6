"""Two rule-set versions compared rule by rule (`kit rules diff`), in the words of
`kit rules show`: which rules were added or removed, and per changed rule what it was and what
it becomes (scope, requirements, outcome, basis, title)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kit.rules.criteria import criteria_changes
from kit.rules.describe import HEADER_FIELDS, basis_text, outcomes_text, scope_text, value_text
from kit.rules.loader import RuleSet

# What `kit rules show` prints of a rule, by its label there.
_SHOWN = {
    "Titel": lambda rule: rule.title,
    "Voor": lambda rule: scope_text(rule.applies),
    "Uitkomst": outcomes_text,
    "Grondslag": basis_text,
}


@dataclass
class RuleChange:
    """One rule that differs: `soort` toegevoegd, verwijderd or gewijzigd; for a changed rule
    each difference as (what, was, becomes)."""

    soort: str
    rule: str
    title: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "soort": self.soort,
            "rule": self.rule,
            "title": self.title,
            "changes": [{"what": w, "was": a, "becomes": b} for w, a, b in self.changes],
        }


def _parameters(rule: Any) -> dict[str, str]:
    data = rule.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return {key: value_text(value) for key, value in data.items() if key not in HEADER_FIELDS}


def _rule_changes(old: Any, new: Any) -> list[tuple[str, str, str]]:
    changes = []
    if old.kind != new.kind:
        changes.append(("Soort", old.kind, new.kind))
    for label, text in _SHOWN.items():
        was, becomes = text(old), text(new)
        if was != becomes:
            changes.append((label, was, becomes))
    changes += [
        (f"Eis {key}", was, becomes)
        for key, was, becomes in _differences(_parameters(old), _parameters(new))
    ]
    changes += criteria_changes(old, new)
    if not changes and old.model_dump() != new.model_dump():  # e.g. refs or a message text
        changes += [
            (key, value_text(was), value_text(becomes))
            for key, was, becomes in _differences(
                old.model_dump(mode="json"), new.model_dump(mode="json")
            )
        ]
    return changes


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(key, was, becomes) of every key whose value differs ("-": absent), by key."""
    return [
        (key, before.get(key, "-"), after.get(key, "-"))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]


def ruleset_changes(old: RuleSet, new: RuleSet) -> list[tuple[str, str, str]]:
    """What differs in the versions themselves: period in force, procedures, re-screening."""
    changes = []
    if old.period_text().split(" ", 1)[1] != new.period_text().split(" ", 1)[1]:
        changes.append(("Van kracht", old.period_text(), new.period_text()))
    for label, was, becomes in (
        (
            "Procedures",
            {c: p.model_dump(mode="json") for c, p in old.procedures.items()},
            {c: p.model_dump(mode="json") for c, p in new.procedures.items()},
        ),
        ("Zorgfuncties", old.care_functions, new.care_functions),
        ("Herscreening", old.rescreen, new.rescreen),
    ):
        if was != becomes:
            changes.append((label, value_text(was), value_text(becomes)))
    return changes


def diff_rulesets(old: RuleSet, new: RuleSet) -> list[RuleChange]:
    """Every rule added, removed or changed from `old` to `new`, in the order of `new` (the
    removed ones after)."""
    before = {rule.id: rule for rule in old.rules}
    after = {rule.id: rule for rule in new.rules}
    found = []
    for rule_id, rule in after.items():
        if rule_id not in before:
            found.append(RuleChange("toegevoegd", rule_id, rule.title))
            continue
        changes = _rule_changes(before[rule_id], rule)
        if changes:
            found.append(RuleChange("gewijzigd", rule_id, rule.title, changes))
    found += [
        RuleChange("verwijderd", rule_id, rule.title)
        for rule_id, rule in before.items()
        if rule_id not in after
    ]
    return found
