"""Kind `indicator` (R2): a risk-analysis measure against a threshold; a signal for toezicht and
Bibob, never an exclusion. A measure the case does not give is `onbepaald`."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import model_validator

from kit.engine import conditions as C
from kit.engine.productions import Emit, Ref
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase
from kit.text import render
from kit.vocab.codes import Outcome, RequirementCode
from kit.vocab.vocabulary import Vocabulary

if TYPE_CHECKING:
    from kit.case.models import Submission
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    TRIGGERED = "triggered"
    CLEAR = "clear"
    UNKNOWN = "unknown"


S = Situation

Measure = Literal[
    "personnel_cost_share",
    "profit_margin",
    "interests_in_care_companies",
    "real_estate_rented_from_board",
    "board_without_care_background",
    "fte",
]
PERCENT_MEASURES = {"personnel_cost_share", "profit_margin"}


class IndicatorRule(RuleBase):
    kind: Literal["indicator"]
    requirement: RequirementCode = "risico"
    outcome: Outcome = "signaal"
    measure: Measure
    above: float | None = None
    below: float | None = None
    equals: bool | None = None

    @model_validator(mode="after")
    def _one_threshold(self) -> IndicatorRule:
        if sum(x is not None for x in (self.above, self.below, self.equals)) != 1:
            raise ValueError("geef precies een van above, below en equals")
        return self


def measure_value(measure: str, value: object) -> str:
    """A measurement as a reader expects it: shares as percentages, booleans as ja/nee."""
    if isinstance(value, bool):
        return str(SPEC.texts()["fragments"]["true" if value else "false"])
    if measure in PERCENT_MEASURES and isinstance(value, (int, float)):
        return f"{value * 100:.0f}%".replace(".", ",")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def threshold_text(rule: IndicatorRule) -> str:
    fragments = SPEC.texts()["fragments"]
    if rule.equals is not None:
        return measure_value(rule.measure, rule.equals)
    side = "above" if rule.above is not None else "below"
    return render(
        fragments[side],
        {
            "value": measure_value(
                rule.measure, rule.above if rule.above is not None else rule.below
            )
        },
    )


def prepare(values: dict[str, Any], vocab: Vocabulary) -> None:
    if "measure" in values:
        values["measure_label"] = SPEC.texts()["labels"].get(values["measure"], values["measure"])
        values["value"] = measure_value(values["measure"], values.get("value"))


def compile_rule(c: Compiler, rule: IndicatorRule) -> None:
    name = rule.measure
    if rule.equals is not None:
        hit, clear = C.eq(name, rule.equals), C.eq(name, not rule.equals)
    elif rule.above is not None:
        hit, clear = C.gt(name, rule.above), C.lte(name, rule.above)
    else:
        assert rule.below is not None
        hit, clear = C.lt(name, rule.below), C.gte(name, rule.below)
    params = {
        "value": Ref("prov", name),
        "threshold": threshold_text(rule),
        "measure": rule.measure,
    }
    for scope in c.scopes(rule.applies):
        for cond, situation, status, out in (
            (hit, S.TRIGGERED, "niet-voldaan", rule.outcome),
            (clear, S.CLEAR, "voldaan", None),
            (C.absent(name), S.UNKNOWN, "onbepaald", rule.outcome),
        ):
            c.add(
                rule,
                c.scope_patterns(scope, [cond]),
                Emit(
                    rule=rule,
                    situation=situation,
                    status=status,
                    outcome=out,
                    requirement=rule.finding_requirement(),
                    params=params,
                ),
            )


def measure(sub: Submission, name: str) -> Any:
    """A risk-analysis input (R2) of the submission, or None when the case does not give it."""
    risk, board = sub.provider.risk, sub.provider.board
    if name == "fte":
        return sub.provider.fte
    if name == "board_without_care_background":
        if not board or any(m.care_background is None for m in board):
            return None
        return sum(1 for m in board if not m.care_background)
    if risk is None:
        return None
    if name in ("personnel_cost_share", "profit_margin"):
        part = risk.personnel_costs if name == "personnel_cost_share" else risk.profit
        return part / risk.turnover if risk.turnover and part is not None else None
    return getattr(risk, name)


def check(r: Reference, rule: IndicatorRule, ctx: Ctx) -> Iterator[Finding]:
    if not ctx.holds(rule.applies):
        return
    value = measure(ctx.sub, rule.measure)
    if rule.equals is not None:
        hit = None if value is None else value == rule.equals
    else:
        limit = rule.above if rule.above is not None else rule.below
        assert limit is not None
        hit = None if value is None else value > limit if rule.above is not None else value < limit
    situation, status = {
        None: (S.UNKNOWN, "onbepaald"),
        True: (S.TRIGGERED, "niet-voldaan"),
        False: (S.CLEAR, "voldaan"),
    }[hit]
    yield r.find(
        rule,
        situation,
        status,
        rule.outcome,
        data={"value": value},
        params={"threshold": threshold_text(rule), "measure": rule.measure},
    )


SPEC = KindSpec(
    name="indicator",
    model=IndicatorRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
    prepare=prepare,
)
