"""The checklist a provider holds its documents against before submitting (Q12): per document
whose content a reviewer judges, the criteria the rule set lists, as questions. The same
criteria the reviewer judges by, so nothing in the judgement comes as a surprise.

Layer: views (what the self-check shows), read from the rule data only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kit.rules.criteria import content_reviewed
from kit.vocab.vocabulary import vocabulary


@dataclass(frozen=True)
class ChecklistItem:
    question: str
    required: bool
    may_not_apply: bool


@dataclass(frozen=True)
class Checklist:
    document: str
    label: str  # the document as the provider reads it
    items: list[ChecklistItem]


def checklists(rules: Iterable[object], applying: set[str]) -> list[Checklist]:
    """One checklist per content-reviewed document rule whose id is in `applying` (the rules
    that apply to this submission), in rule-set order."""
    vocab = vocabulary()
    found = []
    for rule in content_reviewed(rules):
        if rule.id not in applying or not rule.criteria:
            continue
        label = vocab.document_label(rule.document)
        found.append(
            Checklist(
                rule.document,
                label[:1].upper() + label[1:],
                [ChecklistItem(c.question, c.required, c.may_not_apply) for c in rule.criteria],
            )
        )
    return found
