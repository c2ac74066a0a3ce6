"""Kind `self_declaration` (E6): every ground the rule lists is answered in the UEA."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from kit.engine import conditions as C
from kit.engine.productions import Emit, Pattern
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase
from kit.vocab.codes import GroundCode, RequirementCode

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    OK = "ok"
    MISSING = "missing"


class SelfDeclarationRule(RuleBase):
    kind: Literal["self_declaration"]
    requirement: RequirementCode = "zelfverklaring"
    grounds: list[GroundCode] = Field(min_length=1)
    # M3: re-screens whose file must bring the self-declaration itself (kit.screening.rescreen):
    # after a board change the new board answers every ground; the old board's answers do not count.
    fresh_for: list[Literal["bestuurswisseling"]] = []


def compile_rule(c: Compiler, rule: SelfDeclarationRule) -> None:
    for scope in c.scopes(rule.applies):
        for ground in rule.grounds:
            params = {"ground_label": c.vocab.ground_label(ground)}
            answered: Pattern = ("decl", C.fact("decl", C.eq("ground", ground)), False)
            c.add(
                rule,
                [*c.scope_patterns(scope), answered],
                Emit(
                    rule=rule,
                    situation=Situation.OK,
                    status="voldaan",
                    outcome=None,
                    requirement=rule.finding_requirement(),
                    item=ground,
                    params=params,
                ),
            )
            c.add(
                rule,
                [*c.scope_patterns(scope), (answered[0], answered[1], True)],
                Emit(
                    rule=rule,
                    situation=Situation.MISSING,
                    status="niet-voldaan",
                    outcome=rule.outcome,
                    requirement=rule.finding_requirement(),
                    item=ground,
                    params=params,
                ),
            )


def check(r: Reference, rule: SelfDeclarationRule, ctx: Ctx) -> Iterator[Finding]:
    if not ctx.holds(rule.applies):
        return
    answered = {decl.ground for decl in ctx.sub.declarations}
    for ground in rule.grounds:
        ok = ground in answered
        yield r.find(
            rule,
            Situation.OK if ok else Situation.MISSING,
            "voldaan" if ok else "niet-voldaan",
            rule.outcome,
            item=ground,
            params={"ground_label": r.vocab.ground_label(ground)},
        )


SPEC = KindSpec(
    name="self_declaration",
    model=SelfDeclarationRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
)
