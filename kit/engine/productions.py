"""What a rule kind compiles into: durable_rules patterns and the finding a firing proposes.

A production is one durable_rules rule (a list of patterns, the end marker always first) and the
Emit that says which finding it proposes, with Refs for the values read from the matched facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kit.engine.conditions import Cond
from kit.rules.model import LotFilter, RuleBase

Pattern = tuple[str, Cond, bool]  # alias, condition, negated


@dataclass(frozen=True)
class Ref:
    """A value read from a matched fact when the production fires."""

    alias: str
    field: str


# The subject of a finding: a constant ("provider"), or a prefix and a value read from a fact
# ("staff", Ref("a", "staff") gives "staff:S03"; an empty prefix takes the value as it is).
Subject = str | tuple[str, Ref]


@dataclass(frozen=True, kw_only=True)
class Emit:
    """The finding a production proposes when it fires."""

    rule: RuleBase
    situation: str
    status: str
    outcome: str | None
    requirement: str | Ref
    subject: Subject = "provider"
    lot: Ref | None = None
    evidence: tuple[Ref, ...] = ()
    due: str | Ref | None = None
    item: str | Ref | None = None
    params: dict[str, Any] = field(default_factory=dict)
    sensitive: bool = False


@dataclass
class Production:
    name: str
    patterns: list[Pattern]
    emit: Emit | None


@dataclass
class Scope:
    """One conjunctive reading of `applies`: conditions on the end marker, lots that must exist."""

    end: list[Cond]
    lots: list[LotFilter]
    own_lot: bool = False  # lots[0] is the rule's own lot filter, not one from an `any` branch
