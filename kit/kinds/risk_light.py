"""Kind `risk_light` (R1, R3), an aggregate: the traffic light from the number of signals among
the indicators (R2) that apply. An indicator that could not be judged leaves the light open: no
signals then give the rule's `incomplete` light, never the lowest, and a higher light says it is
a lower bound."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from kit.engine.aggregate import Aggregated
from kit.engine.findings import propose
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase, Strict
from kit.vocab.codes import Outcome, RequirementCode, RiskLight

if TYPE_CHECKING:
    from kit.engine.findings import Finding


class Situation(StrEnum):
    LIGHT = "light"
    LIGHT_INCOMPLETE = "light_incomplete"
    INCOMPLETE = "incomplete"


S = Situation


class LightLevel(Strict):
    light: RiskLight
    min_signals: int = Field(ge=0)


class RiskLightRule(RuleBase):
    kind: Literal["risk_light"]
    requirement: RequirementCode = "risico"
    outcome: Outcome = "signaal"
    levels: list[LightLevel] = Field(min_length=1)
    # R3: the light when no indicator signals but some could not be judged (never plain groen).
    incomplete: RiskLight


def aggregate(rule: RiskLightRule, agg: Aggregated) -> tuple[list[Finding], str | None]:
    indicators = {r.id: r.title for r in agg.ruleset.rules if r.kind == "indicator"}
    judged = [f for f in agg.findings if f.rule in indicators and f.status != "onbepaald"]
    unknown = sorted(
        {
            indicators[f.rule]
            for f in agg.findings
            if f.rule in indicators and f.status == "onbepaald"
        }
    )
    count = sum(1 for f in judged if f.status == "niet-voldaan" and f.outcome == "signaal")
    levels = sorted(rule.levels, key=lambda lv: lv.min_signals, reverse=True)
    light: str = next(lv.light for lv in levels if count >= lv.min_signals)
    lowest = levels[-1].light
    if unknown and light == lowest:
        light, situation, status = rule.incomplete, S.INCOMPLETE, "onbepaald"
    else:
        situation = S.LIGHT_INCOMPLETE if unknown else S.LIGHT
        status = "voldaan" if light == lowest else "niet-voldaan"
    judged_titles = sorted({indicators[f.rule] for f in judged})
    finding = propose(
        rule,
        situation,
        status,
        rule.outcome,
        rule.finding_requirement(),
        vocab=agg.vocab,
        params={"light": light, "count": count},
        data={"unknown": "; ".join(unknown), "judged": "; ".join(judged_titles) or "geen"},
        order=agg.order,
    )
    return [finding], light


SPEC = KindSpec(
    name="risk_light", model=RiskLightRule, situations=Situation, aggregate=aggregate, stage=2
)
