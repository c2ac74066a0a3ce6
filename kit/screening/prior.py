"""What earlier screenings of the same submission say to a new one (E7).

An exclusion ground is never repairable: once a screening of a submission finds an
`uitsluiting`, every later screening of that submission keeps it, with that screening as
evidence, until a recorded decision lifts it (accepted self-cleaning for that ground, or a Bibob
outcome recorded by the Bibob officials for the Bibob exclusion). A self-declaration answer that
changed since the previous round is put to a judgement. This module reads the history into a
`Prior`, the one input of a screening besides the case itself; it is stored with the screening
(as JSON), so a replay sees exactly what the screening saw.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from kit.case.models import Case
from kit.case.stored import stored_json

BIBOB_REQUIREMENT = "bibob-ernstig-gevaar"


@dataclass(frozen=True)
class PriorExclusion:
    """An exclusion an earlier screening found: the ground (requirement), who it concerns, the
    screening that found it first, and the decision that lifted it since (empty: it stands).
    What the provider's letter names of it, as that screening's case had it: the date of the
    conviction or event (of the Bibob conclusion), and the board role of whom it concerns ("":
    unknown, as in a history stored before they were kept)."""

    requirement: str
    subject: str
    screening: str
    lifted_by: str = ""
    event_date: str = ""
    role: str = ""


@dataclass(frozen=True)
class PriorDeclaration:
    """A self-declaration answer as the latest screening of the previous round had it, with
    the board role of whom it concerns ("": the provider itself, or unknown)."""

    ground: str
    subject: str
    signature: str
    text: str
    screening: str
    role: str = ""


@dataclass(frozen=True)
class Prior:
    exclusions: tuple[PriorExclusion, ...] = ()
    declarations: tuple[PriorDeclaration, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Prior:
        if not text:
            return cls()
        data = stored_json(text, "de voorgeschiedenis van een screening (veld prior_json)", {})
        return cls(
            tuple(PriorExclusion(**e) for e in data.get("exclusions", [])),
            tuple(PriorDeclaration(**d) for d in data.get("declarations", [])),
        )

    def __bool__(self) -> bool:
        return bool(self.exclusions or self.declarations)

    def after(
        self, code: str, exclusions: Iterable[tuple[str, str]], case: Case | None = None
    ) -> Prior:
        """The history for a re-screen of screening `code` in its own round: what `code` saw,
        plus the exclusions `code` found itself (the first screening that found one stays its
        evidence), with what `case`, the case `code` screened, says of them."""
        known = {(e.requirement, e.subject) for e in self.exclusions}
        added = tuple(
            PriorExclusion(requirement, subject, code, "", *declared(case, requirement, subject))
            for requirement, subject in dict.fromkeys(exclusions)
            if (requirement, subject) not in known
        )
        return Prior(
            tuple(sorted(self.exclusions + added, key=lambda e: (e.requirement, e.subject))),
            self.declarations,
        )


@dataclass
class Earlier:
    """One earlier screening of the submission, as the store has it."""

    code: str
    round: int
    created_at: datetime
    case: Case
    exclusions: list[tuple[str, str]] = field(default_factory=list)  # (requirement, subject)


def answer_text(decl: Any) -> str:
    """A declaration answer as a reader says it: 'ja, 12 mei 2021' (sensitive: toezicht only)."""
    from kit.dates import dutch_date
    from kit.kinds.base import shared_texts

    words = shared_texts()["answers"]
    parts = [str(words["true" if decl.answer else "false"])]
    if decl.event_date is not None:
        parts.append(dutch_date(decl.event_date.isoformat()))
    if decl.sanction:
        parts.append(decl.sanction)
    if decl.paid_or_arranged is not None:
        parts.append(str(words["paid" if decl.paid_or_arranged else "unpaid"]))
    return ", ".join(parts)


def declared(case: Case | None, requirement: str, subject: str) -> tuple[str, str]:
    """(date, board role) of an exclusion as `case` declared it: the date of the conviction or
    event of the ground (of the conclusion, for the Bibob exclusion) and the role of the board
    member it concerns; "" where the case does not say."""
    if case is None:
        return "", ""
    sub = case.submission
    day = None
    if requirement == BIBOB_REQUIREMENT:
        day = sub.bibob.decided_on if sub.bibob else None
    else:
        day = next(
            (
                d.event_date
                for d in sub.declarations
                if d.ground == requirement and d.subject == subject and d.answer
            ),
            None,
        )
    return (day.isoformat() if day else ""), sub.provider.role_of(subject)


def _lift(requirement: str, subject: str, found_at: datetime, decisions: Iterable[Any]) -> str:
    """The latest decision after `found_at` that lifts this exclusion, as a short text."""
    lift = ""
    for decision in decisions:  # in recording order: the latest one counts
        at = decision.decided_at
        if at.tzinfo is None and found_at.tzinfo is not None:
            at = at.replace(tzinfo=found_at.tzinfo)
        if at <= found_at:
            continue
        if decision.kind == "bibob" and requirement == BIBOB_REQUIREMENT:
            lift = (
                f"Bibob-uitkomst vastgelegd door {decision.decided_by} op {at.date().isoformat()}"
            )
        elif decision.kind == "zelfreiniging" and decision.requirement == requirement:
            covered = {
                pair[0]
                for pair in stored_json(
                    decision.subject, f"besluit {decision.id}, veld subject", []
                )
            }
            if subject in covered:
                lift = (
                    f"zelfreiniging aanvaard door {decision.decided_by} op {at.date().isoformat()}"
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
