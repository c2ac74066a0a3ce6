"""Kind `process` (P1-P5): the repair rounds. It gives no findings of its own: kit.rounds reads
its limits to decide which round may be screened, until when, and when the verdict is final."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from kit.codes import RequirementCode
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase


class Situation(StrEnum):
    pass


class ProcessRule(RuleBase):
    kind: Literal["process"]
    requirement: RequirementCode = "herstelronde"
    # Upper bounds are sanity limits, not policy: a year of working days, ten rounds.
    max_rounds: int = Field(ge=0, le=10)
    deadline_working_days: int = Field(ge=1, le=260)
    max_extra_rounds: int = Field(ge=0, le=10)
    # P2: days that are not working days besides weekends: the public holidays of this country
    # (the `holidays` package's calendar) and the region's own closing days.
    holidays: Literal["NL"] = "NL"
    closing_days: list[date] = []


SPEC = KindSpec(name="process", model=ProcessRule, situations=Situation)
