"""The engine: compile a rule set once, evaluate one submission at a time into findings.

    engine = Engine(ruleset)
    result = engine.evaluate(case.submission, as_of)

Nothing outside this package knows durable_rules exists. The names below load on first use, so
that importing a submodule (the rule kinds import kit.engine.conditions) does not load the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kit.engine.evaluate import Engine, EngineResult, engine_for, engine_version
    from kit.engine.findings import Finding

__all__ = ["Engine", "EngineResult", "Finding", "engine_for", "engine_version"]


# Start-up time: kit.engine.evaluate loads durable_rules (a compiled library); a module that only
# needs the facts, the conditions or the messages must not load it, so the package loads its
# names on first use.
def __getattr__(name: str) -> Any:
    if name == "Finding":
        # start-up: kept out of `kit --help`; only this path needs it
        from kit.engine import findings

        return findings.Finding
    if name in __all__:
        # start-up: the engine (durable_rules) loads only when rules are evaluated
        from kit.engine import evaluate

        return getattr(evaluate, name)
    raise AttributeError(name)
