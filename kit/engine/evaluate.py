"""Evaluate one submission: facts in, productions fire, candidates resolved into findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from kit import __version__
from kit.case import Submission
from kit.engine.aggregate import indicator_ids, qualified_staff, risk_light
from kit.engine.compiler import Emit, Production, Ref, compile_ruleset
from kit.engine.durable import DurableRuleset, definition
from kit.engine.facts import build_facts
from kit.engine.findings import Finding, resolve
from kit.engine.messages import DEFAULTS, MEASURE_LABELS, NEUTRAL, dutch_date, measure_value, render
from kit.rules.loader import RuleSet
from kit.rules.model import BibobRule, ExclusionRule, QualifiedStaffRule, RiskLightRule
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
        findings = resolve(candidates, self.prohibitive)
        for rule in self.ruleset.of_kind(QualifiedStaffRule):
            findings += qualified_staff(rule, sub, findings, self.vocab, self.order[rule.id])
        risk = None
        for light_rule in self.ruleset.of_kind(RiskLightRule):
            risk, finding = risk_light(light_rule, findings, indicator_ids(self.ruleset.rules),
                                       self.order[light_rule.id])
            findings.append(finding)
        findings.sort(key=lambda f: (f.order, f.subject, f.lot or "", f.item or "", f.requirement))
        return EngineResult(findings, risk)

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
        lot = value(emit.lot) if emit.lot else None
        due = contract_start if emit.due == "contract_start" else value(emit.due)
        evidence = tuple(str(e) for e in (value(r) for r in emit.evidence) if e)
        params = {k: value(v) for k, v in emit.params.items()}
        params["due"] = dutch_date(due)
        if lot:
            params["lot_label"] = self.vocab.lots[lot].label
        if "who" in params:
            params["who"] = "de aanbieder" if params["who"] == "provider" else f"bestuurslid {str(params['who'])[6:]}"
        if "when" in params:
            params["when"] = f", {dutch_date(params['when'])}" if params["when"] else ""
        if "measure" in params:
            params["measure_label"] = MEASURE_LABELS.get(params["measure"], params["measure"])
            params["value"] = measure_value(params["measure"], params["value"])
        for name, text in list(params.items()):  # parameters that are themselves templates
            if isinstance(text, str) and "{" in text:
                params[name] = render(text, params)
        rule = emit.rule
        template = rule.messages.get(emit.situation) or DEFAULTS[rule.kind][emit.situation]
        message = render(template, params)
        return Finding(
            rule=rule.id, requirement=str(value(emit.requirement)), subject=subject, lot=lot,
            status=emit.status, outcome=None if emit.status == "voldaan" else emit.outcome,
            message=message, basis=rule.basis, evidence=evidence, due=due, item=emit.item,
            sensitive=emit.sensitive, neutral=NEUTRAL[emit.status] if emit.sensitive else message,
            order=self.order[rule.id],
        )


_ENGINES: dict[tuple[str, str], Engine] = {}


def engine_for(ruleset: RuleSet) -> Engine:
    """Compile each rule-set version once per process."""
    key = (ruleset.id, ruleset.sha256)
    if key not in _ENGINES:
        _ENGINES[key] = Engine(ruleset)
    return _ENGINES[key]
