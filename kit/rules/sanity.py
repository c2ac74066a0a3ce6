"""Checks of `kit rules check` that catch a rule file's own mistakes: a period that ends before
it starts, a message for a situation or with a placeholder its kind does not know, and
parameters no requirement can mean (a negative count, a lookback of centuries).

The kind's situations and placeholders are read from its texts (kit/kinds/<kind>.yaml) as data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache
from string import Formatter
from typing import Any

import yaml

from kit.paths import kind_texts_path
from kit.rules.model import RuleBase

# Sanity limits of the checker, not thresholds of requirements.md: a parameter past them is a
# typo (years for months, a digit too many). By the unit a parameter's name ends in.
MAX_PERIOD = {"_years": 100, "_months": 100 * 12, "_days": 100 * 366}
# Parameters that count or measure, by how their name ends: never below zero (an offset such as
# easter_offset may be).
COUNTS = (*MAX_PERIOD, "min", "max", "count", "rounds")

# Placeholders every message may use besides the kind's own: filled in by kit.engine.messages
# for each finding (the deadline, the lot, a reviewer's note).
COMMON_PLACEHOLDERS = frozenset({"due", "lot_label", "note_clause"})


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name}
    except ValueError:
        return set()  # the rule model refuses such a template already


@cache
def _kind_words(kind: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The situations a kind has texts for and the placeholders its texts use; None for a kind
    without texts of its own (its messages are not overridden by rule files)."""
    path = kind_texts_path(kind)
    if not path.is_file():
        return None
    texts = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    situations = frozenset(texts.get("messages") or {}) | frozenset(texts.get("letter") or {})
    if not situations:
        return None
    names = {name for text in _strings(texts) for name in _placeholders(text)}
    names |= set(texts.get("fragments") or {})  # a fragment fills the placeholder of its name
    return situations, frozenset(names)


def _message_problems(rule: RuleBase) -> Iterator[str]:
    kind = str(getattr(rule, "kind", ""))  # every rule model of a kind has it
    words = _kind_words(kind)
    if words is None:
        return
    situations, names = words
    known = names | COMMON_PLACEHOLDERS | set(type(rule).model_fields)
    for field in ("messages", "letters"):
        for situation, text in getattr(rule, field).items():
            if situation not in situations:
                yield (
                    f"{field}.{situation}: onbekende situatie {situation!r}; de soort "
                    f"{kind} kent: {', '.join(sorted(situations))}"
                )
                continue
            for name in sorted(_placeholders(text) - known):
                yield (
                    f"{field}.{situation}: onbekende invulplek {{{name}}}; deze tekst kan "
                    "die waarde niet invullen"
                )


def _numbers(value: Any, path: str) -> Iterator[tuple[str, int | float]]:
    """Every number in a rule's data with its path (bools are not numbers here)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _numbers(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, f"{path}[{index}]")


def _parameter_problems(rule: RuleBase) -> Iterator[str]:
    data = rule.model_dump(by_alias=True, exclude_none=True)
    for path, number in _numbers(data, ""):
        name = path.rsplit(".", 1)[-1].split("[", 1)[0]
        if number < 0 and name.endswith(COUNTS):
            yield f"{path}: {number} is negatief; een aantal of termijn kan dat niet zijn"
            continue
        for unit, limit in MAX_PERIOD.items():
            if name.endswith(unit) and number > limit:
                yield (
                    f"{path}: {number} is onzinnig groot (meer dan 100 jaar); "
                    "een tikfout in de termijn?"
                )


def reversed_period(field: str, start: date | None, end: date | None) -> str | None:
    """'…from ligt na …until' when a period ends before it starts, else None."""
    if start is None or end is None or start <= end:
        return None
    return (
        f"{field}.until: {end.isoformat()} ligt vóór {field}.from {start.isoformat()}; "
        "de periode is omgedraaid"
    )


def rule_problems(rule: RuleBase) -> list[str]:
    """What is wrong with one rule's own data, each 'field: problem'."""
    problems = []
    reversed_ = reversed_period("applies", rule.applies.from_, rule.applies.until)
    if reversed_:
        problems.append(reversed_)
    problems.extend(_message_problems(rule))
    problems.extend(_parameter_problems(rule))
    return problems
