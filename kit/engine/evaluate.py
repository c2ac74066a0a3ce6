"""Evaluate one submission: facts in, productions fire, candidates resolved into findings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kit import __version__
from kit.case import Submission
from kit.engine.aggregate import complete
from kit.engine.compiler import compile_ruleset, needs
from kit.engine.durable import DurableRuleset, definition
from kit.engine.facts import build_facts
from kit.engine.findings import Finding, propose, resolve
from kit.engine.productions import Emit, Production, Ref
from kit.prior import Prior
from kit.vocabulary import Vocabulary, vocabulary

if TYPE_CHECKING:
    from kit.rules.loader import RuleSet

_NONE: dict[str, Any] = {}  # what a negated pattern (nothing matched) reads as
# Per production: what it emits, the rule's own message parameters, those read from the
# matched facts (key, alias, field), and the rule's position.
Plan = tuple[Emit, dict[str, Any], list[tuple[str, str, str]], int]


@lru_cache(maxsize=1)
def engine_version() -> str:
    try:
        durable = version("durable-rules")
    except PackageNotFoundError:  # pragma: no cover - durable_rules is a hard dependency
        durable = "onbekend"
    return f"kit {__version__}; durable-rules {durable}"


@dataclass
class EngineResult:
    findings: list[Finding]
    risk: str | None
    seconds: float = 0.0  # time the evaluation took, for the stage timings of a batch


class Evaluator(Protocol):
    """What kit.engine.Engine and the reference evaluator (kit.reference) both are."""

    def evaluate(
        self, sub: Submission, as_of: date, source: str = "", prior: Prior | None = None
    ) -> EngineResult: ...


class Engine:
    """A rule set compiled once into a durable_rules network; evaluate() per submission."""

    def __init__(self, ruleset: RuleSet, vocab: Vocabulary | None = None):
        from kit.kinds.registry import prohibitive

        self.ruleset = ruleset
        self.vocab = vocab or vocabulary()
        productions, self.counters = compile_ruleset(ruleset, self.vocab)
        self.productions: dict[str, Production] = {p.name: p for p in productions}
        wants = needs(productions)
        self.durable = DurableRuleset(definition(productions), wants)
        self.doc_types = wants.get("doc", (frozenset(), None))[1]
        self.order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
        self.prohibitive = prohibitive(ruleset.rules)
        self.plans: dict[str, Plan] = {
            name: (
                p.emit,
                {k: v for k, v in p.emit.params.items() if not isinstance(v, Ref)},
                [(k, v.alias, v.field) for k, v in p.emit.params.items() if isinstance(v, Ref)],
                self.order[p.emit.rule.id],
            )
            for name, p in self.productions.items()
            if p.emit is not None
        }

    def evaluate(
        self, sub: Submission, as_of: date, source: str = "", prior: Prior | None = None
    ) -> EngineResult:
        start = time.perf_counter()
        contract_start = self.ruleset.procedure(sub.procedure, source).contract_start.isoformat()
        facts, end = build_facts(
            sub,
            as_of,
            self.vocab,
            self.ruleset.care_functions,
            self.counters,
            self.doc_types,
            prior,
        )
        plans = self.plans
        candidates = [
            self._finding(plans[name], matched, contract_start)
            for name, matched in self.durable.run(facts, end)
            if name in plans
        ]
        findings, risk = complete(
            self.ruleset, sub, resolve(candidates, self.prohibitive), self.vocab, self.order
        )
        return EngineResult(findings, risk, time.perf_counter() - start)

    def _finding(self, plan: Plan, matched: dict[str, Any], contract_start: str) -> Finding:
        emit, params, refs, order = plan
        if isinstance(emit.subject, tuple):
            prefix, ref = emit.subject
            subject = f"{prefix}:{_value(matched, ref)}" if prefix else str(_value(matched, ref))
        else:
            subject = emit.subject
        due = _value(matched, emit.due)
        return propose(
            emit.rule,
            emit.situation,
            emit.status,
            emit.outcome,
            str(_value(matched, emit.requirement)),
            vocab=self.vocab,
            subject=subject,
            lot=_value(matched, emit.lot) if emit.lot else None,
            evidence=[_value(matched, r) for r in emit.evidence],
            due=contract_start if due == "contract_start" else due,
            item=_value(matched, emit.item),
            params=params,
            data={key: matched.get(alias, _NONE).get(field) for key, alias, field in refs},
            sensitive=emit.sensitive,
            order=order,
        )


def _value(matched: dict[str, Any], v: Any) -> Any:
    """A Ref read from the matched facts (a negated pattern matched nothing: None); else v."""
    return matched.get(v.alias, _NONE).get(v.field) if isinstance(v, Ref) else v


_ENGINES: dict[tuple[object, str, str], Any] = {}
E = TypeVar("E", bound=Evaluator)


# mypy cannot type a default for a parameter whose type is a TypeVar (Engine is one such E).
def engine_for(ruleset: RuleSet, kind: Callable[[RuleSet], E] = Engine) -> E:  # type: ignore[assignment]
    """Compile each rule-set version once per process (`kind`: kit.reference.Reference for the
    plain-Python evaluator of the same interface)."""
    key = (kind, ruleset.id, ruleset.sha256)
    if key not in _ENGINES:
        _ENGINES[key] = kind(ruleset)
    engine: E = _ENGINES[key]
    return engine
