"""Kind `process` (P1-P6): the repair rounds. It gives no findings of its own: kit.screening.rounds
reads its limits to decide which round may be screened, when a repair request's deadline falls, and
when a lot is afgewezen."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase, Strict
from kit.vocab.codes import RequirementCode


class Situation(StrEnum):
    pass


class ExtraHoliday(Strict):
    """A day the Algemene termijnenwet treats as a holiday that the `holidays` calendar may not
    hold: on a fixed day every year (5 May), or a number of days from Easter Sunday (Goede
    Vrijdag: -2)."""

    name: str = Field(min_length=1)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    easter_offset: int | None = Field(default=None, ge=-60, le=60)

    @model_validator(mode="after")
    def one_way_of_dating(self) -> ExtraHoliday:
        fixed = self.month is not None and self.day is not None
        if fixed == (self.easter_offset is not None) or (self.month is None) != (self.day is None):
            raise ValueError("geef month en day, of easter_offset")
        if fixed:
            date(2024, self.month or 1, self.day or 1)  # a day every (leap) year has
        return self

    def on(self, year: int) -> date:
        if self.easter_offset is None:
            return date(year, self.month or 1, self.day or 1)
        # start-up: dateutil loads only when a holiday date is computed
        from dateutil.easter import easter

        sunday: date = easter(year)
        return sunday + timedelta(days=self.easter_offset)


class ProcessRule(RuleBase):
    kind: Literal["process"]
    requirement: RequirementCode = "herstelronde"
    # Upper bounds are sanity limits, not policy: a year of working days, ten rounds.
    max_rounds: int = Field(ge=0, le=10)
    deadline_working_days: int = Field(ge=1, le=260)
    max_extra_rounds: int = Field(ge=0, le=10)
    # P2: days that are not working days besides weekends: the public holidays of this country
    # (the `holidays` package's calendar), the days the Algemene termijnenwet adds, and the
    # region's own closing days.
    holidays: Literal["NL"] = "NL"
    extra_holidays: list[ExtraHoliday] = []
    closing_days: list[date] = []


SPEC = KindSpec(
    name="process",
    model=ProcessRule,
    situations=Situation,
    # It decides about rounds and verdicts, not about the case: never a finding of its own.
    gives_findings=False,
)
