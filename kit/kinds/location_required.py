"""Kind `location_required` (L1): each lot of the rule's filter has at least one location; no
location yet is a condition due at contract start."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from kit.engine import conditions as C
from kit.engine.productions import Emit, Pattern, Ref
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase
from kit.vocab.codes import Outcome, RequirementCode

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    OK = "ok"
    MISSING = "missing"


class LocationRule(RuleBase):
    kind: Literal["location_required"]
    requirement: RequirementCode = "locatie"
    outcome: Outcome = "voorwaardelijk"
    due: Literal["contract_start"] | None = "contract_start"


def compile_rule(c: Compiler, rule: LocationRule) -> None:
    flt = rule.applies.lot_filter()
    for scope in c.scopes(rule.applies):
        lot: Pattern = ("lot", C.fact("lot", *C.lot_conds(flt, c.vocab)), False)
        serves = C.fact("locserve", C.same("lot", "lot", "lot"))  # alias "lot", its field "lot"
        pats = [*c.scope_patterns(scope, lot_subject=True), lot]
        c.add(
            rule,
            [*pats, ("ls", serves, False)],
            Emit(
                rule=rule,
                situation=Situation.OK,
                status="voldaan",
                outcome=None,
                requirement=rule.finding_requirement(),
                lot=Ref("lot", "lot"),
                evidence=(Ref("ls", "loc_id"),),
            ),
        )
        c.add(
            rule,
            [*pats, ("ls", serves, True)],
            Emit(
                rule=rule,
                situation=Situation.MISSING,
                status="niet-voldaan",
                outcome=rule.outcome,
                requirement=rule.finding_requirement(),
                lot=Ref("lot", "lot"),
                due="contract_start" if rule.due == "contract_start" else None,
            ),
        )


def check(r: Reference, rule: LocationRule, ctx: Ctx) -> Iterator[Finding]:
    if not ctx.holds(rule.applies, True):
        return
    for lot in ctx.lots(rule.applies.lot_filter()):
        places = [loc.id for loc in ctx.sub.locations if lot in loc.lots]
        for loc_id in places:
            yield r.find(rule, Situation.OK, "voldaan", None, lot=lot, evidence=[loc_id])
        if not places:
            yield r.find(
                rule,
                Situation.MISSING,
                "niet-voldaan",
                rule.outcome,
                lot=lot,
                due=ctx.contract_start if rule.due else None,
            )


SPEC = KindSpec(
    name="location_required",
    model=LocationRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
)
