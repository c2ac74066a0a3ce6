"""Kind `gedragswetenschapper` (G1-G3): each lot of the rule's levels has a behavioural scientist,
employed or hired, declarable, with a valid qualifying registration at the lot's level; a provider
recruiting one gets a condition due at contract start."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from kit.engine import conditions as C
from kit.engine.productions import Emit, Pattern, Ref
from kit.kinds.base import KindSpec
from kit.kinds.staff import Accepted, LevelFor, accepted_cond
from kit.reference.context import declarable
from kit.rules.model import RuleBase
from kit.vocab.codes import EmploymentKind, Outcome, RequirementCode, StaffFunction
from kit.vocab.vocabulary import vocabulary

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    OK = "ok"
    RECRUITING = "recruiting"
    MISSING = "missing"


S = Situation


class GedragswetenschapperRule(RuleBase):
    kind: Literal["gedragswetenschapper"]
    requirement: RequirementCode = "gedragswetenschapper"
    functions: list[StaffFunction] = Field(min_length=1)
    employment: list[EmploymentKind] = Field(min_length=1)
    qualifying: list[Accepted] = Field(min_length=1)
    levels: list[LevelFor] = Field(min_length=1)
    recruiting_outcome: Outcome = "voorwaardelijk"
    due: Literal["contract_start"] = "contract_start"

    @model_validator(mode="after")
    def _registration_levels(self) -> GedragswetenschapperRule:
        levels = vocabulary().registration_levels
        for level in self.levels:
            if level.min_level not in levels:
                raise ValueError(
                    f"onbekend registratieniveau {level.min_level!r}; toegestaan: {levels}"
                )
        return self


def compile_rule(c: Compiler, rule: GedragswetenschapperRule) -> None:
    qualifying = accepted_cond(rule.qualifying)
    for scope in c.scopes(rule.applies):
        for level in rule.levels:
            lot: Pattern = (
                "lot",
                C.fact("lot", *C.lot_conds([rule.applies.lot_filter(), level], c.vocab)),
                False,
            )
            gw = C.fact(
                "areg",
                C.same("lot", "lot", "lot"),
                C.one_of("function", list(rule.functions)),
                C.one_of("employment", list(rule.employment)),
                C.eq("declarable", True),
                qualifying,
                C.gte("level_rank", c.vocab.registration_rank(level.min_level)),
                C.eq("expired", "nee"),
            )
            params: dict[str, Any] = {"min_level": level.min_level, "staff": Ref("g", "staff")}

            def emit(
                situation: S,
                status: str,
                out: str | None,
                evidence: tuple[Ref, ...] = (),
                due: str | None = None,
                params: dict[str, Any] = params,
            ) -> Emit:
                return Emit(
                    rule=rule,
                    situation=situation,
                    status=status,
                    outcome=out,
                    requirement=rule.finding_requirement(),
                    lot=Ref("lot", "lot"),
                    evidence=evidence,
                    due=due,
                    params=params,
                )

            c.add(
                rule,
                [*c.scope_patterns(scope, lot_subject=True), lot, ("g", gw, False)],
                emit(S.OK, "voldaan", None, (Ref("g", "doc_id"),)),
            )
            c.add(
                rule,
                [*c.scope_patterns(scope, [C.eq("recruiting", True)], True), lot, ("g", gw, True)],
                emit(S.RECRUITING, "niet-voldaan", rule.recruiting_outcome, (), rule.due),
            )
            c.add(
                rule,
                [*c.scope_patterns(scope, [C.eq("recruiting", False)], True), lot, ("g", gw, True)],
                emit(S.MISSING, "niet-voldaan", rule.outcome),
            )


def check(r: Reference, rule: GedragswetenschapperRule, ctx: Ctx) -> Iterator[Finding]:
    qualifying = {(q.register_, kind) for q in rule.qualifying for kind in q.kinds}
    for level in rule.levels:
        rank = r.vocab.registration_rank(level.min_level)
        for lot in ctx.lots(rule.applies.lot_filter(), level):
            if not ctx.holds(rule.applies, True):
                continue
            found = False
            for member in ctx.sub.staff:
                if (
                    lot not in member.lots
                    or member.function not in rule.functions
                    or member.employment not in rule.employment
                    or not declarable(member)
                ):
                    continue
                for reg in member.registrations:
                    kind = r.vocab.register_kinds[(reg.register_, reg.kind)]
                    valid = r.validity(reg, member, ctx) == "geldig"
                    if (
                        (reg.register_, reg.kind) in qualifying
                        and valid
                        and r.vocab.registration_rank(kind.level) >= rank
                    ):
                        found = True
                        yield r.find(
                            rule,
                            S.OK,
                            "voldaan",
                            None,
                            lot=lot,
                            evidence=[reg.document],
                            params={"min_level": level.min_level},
                            data={"staff": member.id},
                        )
            if not found:
                recruiting = ctx.sub.recruiting_gedragswetenschapper
                yield r.find(
                    rule,
                    S.RECRUITING if recruiting else S.MISSING,
                    "niet-voldaan",
                    rule.recruiting_outcome if recruiting else rule.outcome,
                    lot=lot,
                    due=ctx.contract_start if recruiting else None,
                    params={"min_level": level.min_level},
                    data={"staff": None},
                )


def outcomes(rule: GedragswetenschapperRule) -> str:
    """The outcome, and the one while recruiting (kit.rules.describe)."""
    return f"{rule.outcome}; wordt geworven: {rule.recruiting_outcome}"


SPEC = KindSpec(
    name="gedragswetenschapper",
    model=GedragswetenschapperRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
    outcomes=outcomes,
)
