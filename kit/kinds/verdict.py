"""Kind `verdict` (V): the ladder that turns the findings into lot verdicts
(kit.screening.verdict). It gives no findings of its own."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase, Strict
from kit.vocab.codes import Outcome, RequirementCode, Verdict


class Situation(StrEnum):
    pass


class VerdictStep(Strict):
    outcome: Outcome
    verdict: Verdict
    all_lots: bool = False
    final_verdict: Verdict | None = None


class VerdictRule(RuleBase):
    kind: Literal["verdict"]
    requirement: RequirementCode = "uitspraak"
    ladder: list[VerdictStep] = Field(min_length=1)
    otherwise: Verdict
    withdrawn: Verdict


SPEC = KindSpec(
    name="verdict",
    model=VerdictRule,
    situations=Situation,
    # It decides about rounds and verdicts, not about the case: never a finding of its own.
    gives_findings=False,
)
