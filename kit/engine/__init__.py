"""The engine: compile a rule set once, evaluate one submission at a time into findings.

    engine = Engine(ruleset)
    result = engine.evaluate(case.submission, as_of)

Nothing outside this package knows durable_rules exists.
"""

from kit.engine.evaluate import Engine, EngineResult, engine_for, engine_version
from kit.engine.findings import Finding

__all__ = ["Engine", "EngineResult", "Finding", "engine_for", "engine_version"]
