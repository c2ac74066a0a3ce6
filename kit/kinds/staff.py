"""What the staff kinds (registration, diploma_level, gedragswetenschapper) share: their
parameter models, and how an EVC trajectory defers a failure (S2)."""

from __future__ import annotations

from pydantic import Field

from kit.engine import conditions as C
from kit.rules.model import LotFilter, Strict
from kit.vocab.codes import Register, RegisterKindCode


class Accepted(Strict):
    # `register` is also a method pydantic models inherit: the alias keeps the field required.
    register_: Register = Field(alias="register")
    kinds: list[RegisterKindCode] = Field(min_length=1)


class LevelFor(LotFilter):
    min_level: str


def evc_variants(evc_defers: bool) -> list[tuple[list[C.Cond], bool]]:
    """(assignment conditions, deferred): an EVC trajectory makes a failure conditional (S2)."""
    if not evc_defers:
        return [([], False)]
    return [([C.neq("evc", "lopend")], False), ([C.eq("evc", "lopend")], True)]


def accepted_cond(accepted: list[Accepted]) -> C.Cond:
    return C.either(
        [
            {"$and": [C.eq("register", a.register_), C.one_of("kind", list(a.kinds))]}
            for a in accepted
        ]
    )


def evc_outcomes(outcome: str, evc_defers: bool) -> str:
    """The outcome of a staff rule as a reviewer reads it, with the conditional one of staff in
    an EVC trajectory where the rule defers to it (kit.rules.describe)."""
    return f"{outcome}; in EVC-traject: voorwaardelijk" if evc_defers else outcome
