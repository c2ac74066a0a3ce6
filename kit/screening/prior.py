"""Reading what earlier screenings of the same submission say to a new one (E7) into a Prior
(kit.case.history): the exclusions they found, the decisions that lifted them since, and the
self-declaration answers of the previous round. A self-declaration answer that changed since
the previous round is put to a judgement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kit.case.history import (
    BIBOB_REQUIREMENT,
    Prior,
    PriorDeclaration,
    PriorExclusion,
    declared,
)
from kit.case.models import Case
from kit.case.stored import stored_json
from kit.engine.messages import answer_text
from kit.timezone import local_time


@dataclass
class Earlier:
    """One earlier screening of the submission, as the store has it."""

    code: str
    round: int
    created_at: datetime
    case: Case
    exclusions: list[tuple[str, str]] = field(default_factory=list)  # (requirement, subject)


def _lift(requirement: str, subject: str, found_at: datetime, decisions: Iterable[Any]) -> str:
    """The latest decision after `found_at` that lifts this exclusion, as a short text."""
    lift = ""
    for decision in decisions:  # in recording order: the latest one counts
        at = decision.decided_at
        if at.tzinfo is None and found_at.tzinfo is not None:
            at = at.replace(tzinfo=found_at.tzinfo)
        if at <= found_at:
            continue
        on = local_time(at).date().isoformat()  # the day as the Netherlands read it
        if decision.kind == "bibob" and requirement == BIBOB_REQUIREMENT:
            lift = f"Bibob-uitkomst vastgelegd door {decision.decided_by} op {on}"
        elif decision.kind == "zelfreiniging" and decision.requirement == requirement:
            covered = {
                pair[0]
                for pair in stored_json(
                    decision.subject, f"besluit {decision.id}, veld subject", []
                )
            }
            if subject in covered:
                lift = (
                    f"zelfreiniging aanvaard door {decision.decided_by} op {on}"
                    if decision.judgement == "voldoende"
                    else ""
                )
    return lift


def build_prior(
    earlier: list[Earlier],
    decisions: Iterable[Any],
    current_round: int,
    compare_declarations: bool = True,
) -> Prior:
    """The history a screening in `current_round` must honour. Exclusions come from every
    earlier screening (the first one that found each is the evidence); declarations from the
    latest screening of the previous round (a board change is not a round: it passes
    `compare_declarations=False`)."""
    decisions = list(decisions)
    first: dict[tuple[str, str], Earlier] = {}
    for screening in earlier:
        for requirement, subject in screening.exclusions:
            first.setdefault((requirement, subject), screening)
    exclusions = tuple(
        PriorExclusion(
            requirement,
            subject,
            screening.code,
            _lift(requirement, subject, screening.created_at, decisions),
            *declared(screening.case, requirement, subject),
        )
        for (requirement, subject), screening in sorted(first.items())
    )
    declarations: tuple[PriorDeclaration, ...] = ()
    previous = [s for s in earlier if s.round < current_round]
    if compare_declarations and previous:
        base = previous[-1]
        board = base.case.submission.provider
        declarations = tuple(
            PriorDeclaration(
                decl.ground,
                decl.subject,
                decl.signature(),
                answer_text(decl),
                base.code,
                board.role_of(decl.subject),
            )
            for decl in base.case.submission.declarations
        )
    return Prior(exclusions, declarations)
