"""The types of fact the engine asserts, each with the fields its builder makes.

Every fact builder (kit/engine/case_facts.py, kit/engine/staff_facts.py) declares its fact
type and fields with `builds`. durable_rules matches nothing on a field a fact lacks, silently;
`kit rules check` therefore refuses a rule whose patterns read a field no builder makes
(kit.engine.facts.fields_made), and a test holds every fact built from the shipped cases to its
declaration. A kind that needs a new input adds the field to a builder and declares it there
(docs/rules.md, "Add a rule kind").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

Fact = dict[str, Any]
F = TypeVar("F", bound=Callable[..., Any])

# Fact type (`t`) -> every field its builder may make. `t` and `key` are on every fact (a
# unique `key`, never `id`: durable_rules treats that as identity).
FIELDS: dict[str, frozenset[str]] = {}
COMMON = frozenset({"t", "key"})


def builds(fact_type: str, fields: Iterable[str]) -> Callable[[F], F]:
    """Declare the builder of `fact_type` and the fields it makes (besides `t` and `key`)."""

    def declare(builder: F) -> F:
        if fact_type in FIELDS:
            raise ValueError(f"two builders of fact type {fact_type!r}")
        FIELDS[fact_type] = COMMON | frozenset(fields)
        return builder

    return declare


@dataclass(frozen=True)
class Counter:
    """A count the rule set needs on the provider fact: the active lots among `lots` (in one of
    `roles`, when given), or with `workers` the declarable care workers serving one of them."""

    name: str
    lots: frozenset[str]
    roles: frozenset[str] | None = None
    workers: bool = True


def months_between(start: date, end: date) -> int:
    """kit.dates.months_between in closed form (no month arithmetic per candidate month): the
    months from start's month to end's, plus one when start's day of the month is earlier than
    end's (a day clamped to a month's end is never below end's day). Facts measure several ages
    each; the differential test holds this to the reference's use of kit.dates."""
    if end <= start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + (start.day < end.day)


def yes_no(value: bool | None) -> str:
    return "onbekend" if value is None else ("ja" if value else "nee")


def future(issued_on: date | None, day: date) -> str:
    """A document, VOG or diploma dated after the day it is measured on is no evidence."""
    return "ja" if issued_on is not None and issued_on > day else "nee"
