"""Evaluate one submission: facts in, productions fire, candidates resolved into findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TypeVar

from kit import __version__
from kit.case import Submission
from kit.engine.aggregate import complete
from kit.engine.compiler import Emit, Production, Ref, compile_ruleset
from kit.engine.durable import DurableRuleset, definition
from kit.engine.facts import build_facts
from kit.engine.findings import Finding, propose, resolve
from kit.rules.loader import RuleSet
from kit.rules.model import BibobRule, ExclusionRule
from kit.vocabulary import Vocabulary, vocabulary


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


class Engine:
    """A rule set compiled once into a durable_rules network; evaluate() per submission."""

    def __init__(self, ruleset: RuleSet, vocab: Vocabulary | None = None):
        self.ruleset = ruleset
        self.vocab = vocab or vocabulary()
        productions, self.counters = compile_ruleset(ruleset, self.vocab)
        self.productions: dict[str, Production] = {p.name: p for p in productions}
        self.durable = DurableRuleset(definition(productions))
        self.order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
        self.prohibitive = {r.id for r in ruleset.rules if isinstance(r, (ExclusionRule, BibobRule))}
        self.kinds = {r.id: r.kind for r in ruleset.rules}

    def evaluate(self, sub: Submission, as_of: date, source: str = "") -> EngineResult:
        contract_start = self.ruleset.procedure(sub.procedure, source).contract_start.isoformat()
        facts, end = build_facts(sub, as_of, self.vocab, self.ruleset.care_functions, self.counters)
        candidates = []
        for name, matched in self.durable.run(facts, end):
            emit = self.productions[name].emit
            if emit is not None:
                candidates.append(self._finding(emit, matched, contract_start))
        return EngineResult(*complete(self.ruleset, sub, resolve(candidates, self.prohibitive), self.vocab,
                                      self.order))

    def _finding(self, emit: Emit, matched: dict[str, Any], contract_start: str) -> Finding:
        def value(v: Any) -> Any:
            if isinstance(v, Ref):
                return matched.get(v.alias, {}).get(v.field)
            return v

        if isinstance(emit.subject, tuple):
            prefix, ref = emit.subject
            subject = f"{prefix}:{value(ref)}" if prefix else str(value(ref))
        else:
            subject = emit.subject
        return propose(
            emit.rule, emit.situation, emit.status, emit.outcome, str(value(emit.requirement)),
            vocab=self.vocab, subject=subject, lot=value(emit.lot) if emit.lot else None,
            evidence=[value(r) for r in emit.evidence],
            due=contract_start if emit.due == "contract_start" else value(emit.due), item=emit.item,
            params={k: v for k, v in emit.params.items() if not isinstance(v, Ref)},
            data={k: value(v) for k, v in emit.params.items() if isinstance(v, Ref)},
            sensitive=emit.sensitive, order=self.order[emit.rule.id],
        )


_ENGINES: dict[tuple[type, str, str], Any] = {}
E = TypeVar("E")


def engine_for(ruleset: RuleSet, kind: Callable[[RuleSet], E] = Engine) -> E:  # type: ignore[assignment]
    """Compile each rule-set version once per process (`kind`: kit.reference.Reference for the
    plain-Python evaluator of the same interface)."""
    key = (kind, ruleset.id, ruleset.sha256)
    if key not in _ENGINES:
        _ENGINES[key] = kind(ruleset)
    return _ENGINES[key]  # type: ignore[no-any-return]
