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
import threading
from typing import Any

import durable_rules_engine as _dre

_LOCK = threading.Lock()
_NAMES = itertools.count()


class DurableRuleset:
    """One compiled ruleset handle; `run` evaluates one submission in a fresh session."""

    def __init__(self, definition: dict[str, Any]):
        self.name = f"kit{next(_NAMES)}"
        with _LOCK:
            self._handle = _dre.create_ruleset(self.name, json.dumps(definition, ensure_ascii=False))
        self._sessions = itertools.count()

    def run(self, facts: list[dict[str, Any]], end: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """Assert facts, then the end marker; return every (rule name, matched facts) that fired."""
        sid = f"s{next(self._sessions)}"
        batch = [dict(fact, sid=sid) for fact in facts]
        fired: list[tuple[str, dict[str, Any]]] = []
        with _LOCK:
            if batch:
                _dre.assert_facts(self._handle, json.dumps(batch, ensure_ascii=False))
            result = _dre.assert_fact(self._handle, json.dumps(dict(end, sid=sid), ensure_ascii=False))
            state = result[1]
            try:
                action = _dre.start_action_for_state(self._handle, state)
                message = action[1] if action else None
                while message:
                    for name, matched in json.loads(message).items():
                        fired.append((name, matched))
                    message = _dre.complete_and_start_action(self._handle, state)
            finally:
                _dre.delete_state(self._handle, sid)
        return fired


def definition(productions: list[Any]) -> dict[str, Any]:
    """durable_rules JSON for a list of productions (alias, condition, negated) patterns."""
    rules: dict[str, Any] = {}
    for production in productions:
        patterns = []
        for alias, cond, negated in production.patterns:
            patterns.append({f"{alias}$not" if negated else alias: cond})
        rules[production.name] = {"all": patterns}
    return rules
