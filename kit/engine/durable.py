"""The only module that knows durable_rules exists: a safe, synchronous session runner.

Measured constraints (durable-rules.md) this wrapper honours: use the low-level C API and run
the actions ourselves (no Host, no timer threads); one session per submission, always
deleted, and a sentinel rule so every session has fired before deletion (else it segfaults);
never assert an empty batch; never use `id`/`sid` as data; one lock per process because the
library is not thread-safe; ensure_ascii=False on rules and facts alike.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
import threading
from decimal import Decimal
from typing import Any

import durable_rules_engine as _dre

_LOCK = threading.Lock()
_NAMES = itertools.count()


class DurableRuleset:
    """One compiled ruleset handle; `run` evaluates one submission in a fresh session."""

    def __init__(
        self,
        definition: dict[str, Any],
        needs: dict[str, tuple[frozenset[str], frozenset[str] | None]] | None = None,
    ):
        """`needs` (compiler.needs): per kind of fact, the fields the rules read and the `type`
        values they name; other facts and fields are left out of the session."""
        self.needs = needs
        self.name = f"kit{next(_NAMES)}"
        with _LOCK:
            self._handle = _dre.create_ruleset(
                self.name, json.dumps(definition, ensure_ascii=False)
            )
        self._sessions = itertools.count()

    def run(
        self, facts: list[dict[str, Any]], end: dict[str, Any]
    ) -> list[tuple[str, dict[str, Any]]]:
        """Assert facts, then the end marker; return every (rule name, matched facts) that fired.
        The facts get this run's session id."""
        sid = f"s{next(self._sessions)}"
        if self.needs is not None:
            facts, end = self.slim(facts), self.slim([end])[0]
        for number, fact in enumerate(facts):  # the caller's facts are made for this one run
            fact["key"], fact["sid"] = number, sid  # key: a unique identity in the session
        batch = encode(facts)
        messages: list[str] = []
        with _LOCK:
            if facts:
                _dre.assert_facts(self._handle, batch)
            result = _dre.assert_fact(self._handle, encode(dict(end, key="end", sid=sid)))
            state = result[1]
            try:
                action = _dre.start_action_for_state(self._handle, state)
                message = action[1] if action else None
                while message:
                    messages.append(message)
                    message = _dre.complete_and_start_action(self._handle, state)
            finally:
                _dre.delete_state(self._handle, sid)
        return [
            fired for action in json.loads(f"[{','.join(messages)}]") for fired in action.items()
        ]

    def slim(self, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert self.needs is not None
        out = []
        for fact in facts:
            need = self.needs.get(fact["t"])
            if need is None or (need[1] is not None and fact.get("type") not in need[1]):
                continue
            out.append({name: fact[name] for name in need[0] if name in fact})
        return out


# How Python writes the numbers durable_rules cannot read: 1e-05, 1.5e-120, NaN, Infinity.
_UNREADABLE = ("e-0", "e-1", "e-2", "e-3", "NaN", "Infinity")


def encode(data: dict[str, Any] | list[dict[str, Any]]) -> str:
    """JSON for flat facts as durable_rules' own parser reads it. That parser fails on a number in
    exponent notation with a negative exponent (error 204, then the whole assert fails), and
    Python writes floats below 1e-4 that way (a profit margin of -0.000002 is -2e-06). Floats
    are written positionally instead (the same double), infinities as the largest double, and a
    NaN field is left out (no comparison holds for it, as for a missing field)."""
    text = json.dumps(data, ensure_ascii=False)
    if not any(mark in text for mark in _UNREADABLE):  # the usual case; a string that merely
        return text  # looks like one only costs time

    facts = data if isinstance(data, list) else [data]
    parts = [_encode_fact(fact) for fact in facts]
    return f"[{', '.join(parts)}]" if isinstance(data, list) else parts[0]


def _encode_fact(fact: dict[str, Any]) -> str:
    fields = []
    for key, value in fact.items():
        if type(value) is float:
            if math.isnan(value):
                continue
            value = math.copysign(min(abs(value), sys.float_info.max), value)
            text = format(Decimal(repr(value)), "f")
        else:
            text = json.dumps(value, ensure_ascii=False)
        fields.append(f"{json.dumps(key, ensure_ascii=False)}: {text}")
    return "{" + ", ".join(fields) + "}"


def definition(productions: list[Any]) -> dict[str, Any]:
    """durable_rules JSON for a list of productions (alias, condition, negated) patterns."""
    rules: dict[str, Any] = {}
    for production in productions:
        patterns = []
        for alias, cond, negated in production.patterns:
            patterns.append({f"{alias}$not" if negated else alias: cond})
        rules[production.name] = {"all": patterns}
    return rules
