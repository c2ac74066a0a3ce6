"""Evaluate one submission: facts in, productions fire, candidates resolved into findings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kit.case.history import Prior
from kit.case.models import Submission
from kit.engine.aggregate import complete
from kit.engine.compiler import compile_ruleset, needs
from kit.engine.durable import DurableRuleset, definition
from kit.engine.facts import build_facts
from kit.engine.findings import Finding, prohibitive, propose, resolve
from kit.engine.productions import Emit, Production, Ref
from kit.version import __version__
from kit.vocab.vocabulary import Vocabulary, vocabulary

if TYPE_CHECKING:
    from kit.rules.loader import RuleSet

_NONE: dict[str, Any] = {}  # what a negated pattern (nothing matched) reads as
# Per production: its candidate finding from the matched facts (alias -> fact) and the
# contract start.
Plan = Callable[[dict[str, Any], str, bool], Finding]


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
            name: _plan(p.emit, self.order[p.emit.rule.id], self.vocab)
            for name, p in self.productions.items()
            if p.emit is not None
        }

    def evaluate(
        self,
        sub: Submission,
        as_of: date,
        source: str = "",
        prior: Prior | None = None,
        messages: bool = True,
    ) -> EngineResult:
        """The findings and risk light of `sub` on `as_of`; `messages=False`: without their
        Dutch messages (kit.engine.findings.propose), for comparisons that show none."""
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
            plans[name](matched, contract_start, messages)
            for name, matched in self.durable.run(facts, end)
            if name in plans
        ]
        findings, risk = complete(
            self.ruleset, sub, resolve(candidates, self.prohibitive), self.vocab, self.order
        )
        return EngineResult(findings, risk, time.perf_counter() - start)


def _plan(emit: Emit, order: int, vocab: Vocabulary) -> Plan:
    """The finding a production proposes, as a function of its matched facts: what does not
    depend on the facts is worked out once, here, rather than on every firing."""
    params = {k: v for k, v in emit.params.items() if not isinstance(v, Ref)}
    refs = [(k, v.alias, v.field) for k, v in emit.params.items() if isinstance(v, Ref)]
    evidence = [(r.alias, r.field) for r in emit.evidence]
    subject = emit.subject
    prefix, by = subject if isinstance(subject, tuple) else (subject, None)
    requirement, lot, due, item = emit.requirement, emit.lot, emit.due, emit.item
    rule, situation, status, outcome = emit.rule, emit.situation, emit.status, emit.outcome
    sensitive = emit.sensitive

    def finding(matched: dict[str, Any], contract_start: str, render: bool) -> Finding:
        if by is None:
            named = prefix
        else:
            found = matched.get(by.alias, _NONE).get(by.field)
            named = f"{prefix}:{found}" if prefix else str(found)
        when = _value(matched, due)
        return propose(
            rule,
            situation,
            status,
            outcome,
            str(_value(matched, requirement)),
            vocab=vocab,
            subject=named,
            lot=_value(matched, lot) if lot else None,
            evidence=[matched.get(a, _NONE).get(f) for a, f in evidence],
            due=contract_start if when == "contract_start" else when,
            item=_value(matched, item),
            params=params,
            data={key: matched.get(a, _NONE).get(f) for key, a, f in refs},
            sensitive=sensitive,
            order=order,
            render=render,
        )

    return finding


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
