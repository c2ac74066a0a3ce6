"""The reference evaluator: each rule kind's plain-Python check (kit/kinds/<kind>.py, `check`)
over one submission, then the same hit policy and aggregate step as the engine."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from kit.case.history import Prior
from kit.case.models import Registration, StaffMember, Submission
from kit.engine.aggregate import complete
from kit.engine.evaluate import EngineResult
from kit.engine.findings import Finding, prohibitive, propose, resolve
from kit.reference.context import Ctx, declarable
from kit.rules.model import RuleBase
from kit.vocab.vocabulary import Vocabulary, vocabulary

if TYPE_CHECKING:
    from kit.rules.loader import RuleSet


class Reference:
    """Same interface as kit.engine.Engine: evaluate(sub, as_of) -> EngineResult."""

    def __init__(self, ruleset: RuleSet, vocab: Vocabulary | None = None):
        self.ruleset = ruleset
        self.vocab = vocab or vocabulary()
        self.order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
        self.prohibitive = prohibitive(ruleset.rules)

    def evaluate(
        self, sub: Submission, as_of: date, source: str = "", prior: Prior | None = None
    ) -> EngineResult:
        began = time.perf_counter()
        start = self.ruleset.procedure(sub.procedure, source).contract_start.isoformat()
        ctx = Ctx(sub, as_of, start, self.ruleset.care_functions, prior or Prior())
        candidates: list[Finding] = []
        for rule in self.ruleset.rules:
            check = rule.kind_spec.reference
            if check is not None:
                candidates += check(self, rule, ctx)
        findings, risk = complete(
            self.ruleset, sub, resolve(candidates, self.prohibitive), self.vocab, self.order
        )
        return EngineResult(findings, risk, time.perf_counter() - began)

    def find(
        self, rule: RuleBase, situation: str, status: str, outcome: str | None, **kw: Any
    ) -> Finding:
        kw.setdefault("requirement", rule.finding_requirement())
        requirement = kw.pop("requirement")
        return propose(
            rule,
            situation,
            status,
            outcome,
            requirement,
            vocab=self.vocab,
            order=self.order[rule.id],
            **kw,
        )

    # --- what the staff kinds share ---------------------------------------------------------
    def assignments(
        self, rule: Any, ctx: Ctx, lots: list[str]
    ) -> Iterator[tuple[StaffMember, str, bool]]:
        """(member, lot, deferred by an EVC trajectory) for every staff member of the rule's
        functions working in one of `lots` (active ones only)."""
        if not ctx.holds(rule.applies, True):
            return
        for member in ctx.sub.staff:
            if member.function not in rule.functions:
                continue
            for lot in ctx.serves(member.lots):
                if lot in lots:
                    yield member, lot, rule.evc_defers and not declarable(member)

    def validity(self, reg: Registration, member: StaffMember, ctx: Ctx) -> str:
        """S1: 'geldig', 'verlopen' or 'onbekend' (shows no validity) on the member's day."""
        return reg.validity(ctx.day(member), self.vocab.revalidation_years[reg.register_])

    def staff_finding(
        self,
        rule: RuleBase,
        member: StaffMember,
        lot: str | None,
        due: str | None,
        params: dict[str, Any],
        situation: str,
        status: str,
        outcome: str | None,
        evidence: Any = None,
        **data: Any,
    ) -> Finding:
        return self.find(
            rule,
            situation,
            status,
            outcome,
            subject=f"staff:{member.id}",
            lot=lot,
            evidence=[evidence],
            due=due if status != "voldaan" else None,
            params=params,
            data={"staff": member.id, **data},
            sensitive=True,
        )
