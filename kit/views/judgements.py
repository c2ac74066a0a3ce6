"""The judgements a role can record on a submission now, chosen rather than typed: each a kind
of judgement (kit.screening.decisions.KINDS) and the requirement it is about, offered for the
latest screening's open findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kit.screening.decisions import KINDS, decidable
from kit.vocab.vocabulary import vocabulary

JUDGED_HERE = ("inhoud", "uitleg", "zelfreiniging", "verklaring")  # bibob: its own form


@dataclass(frozen=True)
class Choice:
    """One judgement this role can record now: its kind and requirement, as one form value."""

    kind: str
    requirement: str

    @property
    def value(self) -> str:
        return f"{self.kind}/{self.requirement}"

    @property
    def label(self) -> str:
        return f"{vocabulary().requirement_label(self.requirement)}: {KINDS[self.kind]}"


def choices(ruleset: Any, role: str, requirements: set[str]) -> list[Choice]:
    """The judgements `role` may record about `requirements` under the rule set."""
    found = []
    for requirement in sorted(requirements):
        for kind in JUDGED_HERE:
            allowed = decidable(ruleset, kind, requirement)
            if requirement in allowed.requirements and role in allowed.roles:
                found.append(Choice(kind, requirement))
    return found


def open_requirements(store: Any, screening_pk: int) -> set[str]:
    """The requirements of the latest screening's open findings: those a `beoordeling` finding
    waits for, and a document found wanting that a judgement of its content may settle."""
    return {f.requirement for f in store.findings(screening_pk) if f.status != "voldaan"}
