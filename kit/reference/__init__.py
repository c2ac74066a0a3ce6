"""Reference evaluator: the rule-set data interpreted in plain Python, as the engine's oracle.

It reads the same typed rules and the same case as the durable_rules engine, but shares none of
its compilation or facts: each rule kind has a short check over the submission (`check` in
kit/kinds/<kind>.py) that proposes candidate findings, written from spec/requirements.md. The
candidates go through the same hit policy and the same aggregate kinds (S7, risk light), so both
must give identical findings; the differential test (tests/engine/test_differential.py) checks
that on generated regions, and bench/run.py compares speed.

    Reference(ruleset).evaluate(case.submission, as_of) -> EngineResult
    engine_for(ruleset, Reference)   # one per rule-set version per process
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kit.reference.evaluator import Reference

__all__ = ["Reference"]


# Start-up time: the evaluator loads the engine (durable_rules); the kinds, which import
# kit.reference.context, must not. The package loads it on first use.
def __getattr__(name: str) -> Any:
    if name == "Reference":
        # start-up: the engine (durable_rules) loads only when rules are evaluated
        from kit.reference.evaluator import Reference

        return Reference
    raise AttributeError(name)
