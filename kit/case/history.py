"""What earlier screenings of the same submission said, handed in with the case (E7).

An exclusion ground is never repairable: once a screening of a submission finds an
`uitsluiting`, every later screening of that submission keeps it, with that screening as
evidence, until a recorded decision lifts it. `Prior` is the one input of a screening besides
the case itself, built from the history by kit.screening.prior; it is stored with the screening
(as JSON), so a replay sees exactly what the screening saw.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

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
