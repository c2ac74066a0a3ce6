"""The only module that knows durable_rules exists: a safe, synchronous session runner.

Measured constraints (durable-rules.md) this wrapper honours: use the low-level C API and run
the actions ourselves (no Host, no timer threads); one session per submission, always
deleted, and a sentinel rule so every session has fired before deletion (else it segfaults);
never assert an empty batch; `id` and `sid` are never data (`id` is each fact's position in the
run, unique in its session); one lock per process because the library is not thread-safe;
ensure_ascii=False on rules and facts alike.
"""

from __future__ import annotations

import itertools
import json
import math
import string
import sys
import threading
from decimal import Decimal
from typing import Any

import durable_rules_engine as _dre

_LOCK = threading.Lock()
_NAMES = itertools.count()


Needs = dict[str, tuple[frozenset[str], frozenset[str] | None]]
# Field names the session reserves: the fact's kind, its identity (its position in the run) and
# its session.
_RESERVED = {"t", "id", "sid"}


class DurableRuleset:
    """One compiled ruleset handle; `run` evaluates one submission in a fresh session."""

    def __init__(self, definition: dict[str, Any], needs: Needs):
        """`needs` (compiler.needs): per kind of fact, the fields the patterns test and the
        `type` values they name; other facts and fields are left out of the session. The
        fields get short names in rules and facts alike: durable_rules parses, hashes and
        returns every name in every fact, and each action message repeats its matched facts."""
        self.short = _short_names(sorted({name for fields, _ in needs.values() for name in fields}))
        self.keep = {
            kind: (tuple((name, self.short[name]) for name in sorted(fields)), types)
            for kind, (fields, types) in needs.items()
        }
        rules = {
            name: {"all": [{a: _rename(c, self.short) for a, c in p.items()} for p in rule["all"]]}
            for name, rule in definition.items()
        }
        self.name = f"kit{next(_NAMES)}"
        with _LOCK:
            self._handle = _dre.create_ruleset(self.name, json.dumps(rules, ensure_ascii=False))
        self._sessions = itertools.count()

    def run(
        self, facts: list[dict[str, Any]], end: dict[str, Any]
    ) -> list[tuple[str, dict[str, Any]]]:
        """Assert facts, then the end marker; return every (rule name, matched facts) that fired.
        Only the tested fields go into the session, with the fact's position in the run as its
        `id` (unique in the session, and durable_rules need not hash the content for one); a
        firing names its facts by that position and gets the caller's full facts."""
        sid = f"s{next(self._sessions)}"
        keep = self.keep
        full: list[dict[str, Any]] = []
        batch: list[dict[str, Any]] = []
        for fact in facts:
            need = keep.get(fact["t"])
            if need is None or (need[1] is not None and fact.get("type") not in need[1]):
                continue  # no pattern can match it
            small = {short: fact[name] for name, short in need[0] if name in fact}
            small["id"], small["sid"] = len(full), sid
            full.append(fact)
            batch.append(small)
        need = keep["end"]
        marker = {short: end[name] for name, short in need[0] if name in end}
        marker["id"], marker["sid"] = len(full), sid
        full.append(end)
        messages: list[str] = []
        with _LOCK:
            if batch:
                _dre.assert_facts(self._handle, encode(batch))
            result = _dre.assert_fact(self._handle, encode(marker))
            state = result[1]
            try:
                action = _dre.start_action_for_state(self._handle, state)
                message = action[1] if action else None
                while message:
                    messages.append(message)
                    message = _dre.complete_and_start_action(self._handle, state)
            finally:
                _dre.delete_state(self._handle, sid)
        tail = f',"sid":"{sid}"}}'
        return [fired(message, full, tail) for message in messages]


def fired(message: str, full: list[dict[str, Any]], tail: str) -> tuple[str, dict[str, Any]]:
    """The rule name of one action message `{"rule":{"alias":{fact},...}}` and its matched facts
    (alias -> the caller's full fact), read without decoding the facts' values: only their
    positions are needed. Every fact ends in `"id":N` and `tail` (`,"sid":"..."}`); a quote in a
    string value is always escaped, so no value can imitate that ending or an alias."""
    parts = message.split(tail)
    end = parts[0].index('"', 2)
    name = parts[0][2:end]
    matched: dict[str, Any] = {}
    start = end + 4  # the first alias follows `":{"`, the others `,"`
    for part in parts[:-1]:
        matched[part[start : part.index('"', start)]] = full[int(part[part.rindex(":") + 1 :])]
        start = 2
    return name, matched


def _short_names(names: list[str]) -> dict[str, str]:
    """A short, distinct name per field (`t` stays `t`)."""
    letters = string.ascii_letters
    pool = (a + b for a in ["", *letters] for b in letters)
    out = {"t": "t"}
    for name in names:
        if name not in out:
            out[name] = next(n for n in pool if n not in _RESERVED)
    return out


def _rename(cond: dict[str, Any], short: dict[str, str]) -> dict[str, Any]:
    """A condition with its field names (joins included) replaced by their short names."""
    out: dict[str, Any] = {}
    for key, value in cond.items():
        if key in ("$and", "$or"):
            out[key] = [_rename(part, short) for part in value]
        elif key.startswith("$"):  # {field: constant}
            out[key] = _rename(value, short)
        elif isinstance(value, dict):  # an equality join: {alias: field}
            out[short[key]] = {alias: short[name] for alias, name in value.items()}
        else:
            out[short[key]] = value
    return out


_COMPACT = (",", ":")  # fewer bytes to parse and store, and the ending fired() reads
# How Python writes the numbers durable_rules cannot read: 1e-05, 1.5e-120, NaN, Infinity.
_UNREADABLE = ("e-0", "e-1", "e-2", "e-3", "NaN", "Infinity")


def encode(data: dict[str, Any] | list[dict[str, Any]]) -> str:
    """JSON for flat facts as durable_rules' own parser reads it. That parser fails on a number in
    exponent notation with a negative exponent (error 204, then the whole assert fails), and
    Python writes floats below 1e-4 that way (a profit margin of -0.000002 is -2e-06). Floats
    are written positionally instead (the same double), infinities as the largest double, and a
    NaN field is left out (no comparison holds for it, as for a missing field)."""
    text = json.dumps(data, ensure_ascii=False, separators=_COMPACT)
    if not any(mark in text for mark in _UNREADABLE):  # the usual case; a string that merely
        return text  # looks like one only costs time

    facts = data if isinstance(data, list) else [data]
    parts = [_encode_fact(fact) for fact in facts]
    return f"[{','.join(parts)}]" if isinstance(data, list) else parts[0]


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
        fields.append(f"{json.dumps(key, ensure_ascii=False)}:{text}")
    return "{" + ",".join(fields) + "}"


def definition(productions: list[Any]) -> dict[str, Any]:
    """durable_rules JSON for a list of productions (alias, condition, negated) patterns."""
    rules: dict[str, Any] = {}
    for production in productions:
        patterns = []
        for alias, cond, negated in production.patterns:
            patterns.append({f"{alias}$not" if negated else alias: cond})
        rules[production.name] = {"all": patterns}
    return rules
