"""Repair rounds (herstelrondes, P1-P5): which round may be screened, its deadline, and when
the rounds are over. Pure functions; the limits come from the rule set's `process` rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any

from kit.errors import KitError
from kit.kinds.process import ExtraHoliday, ProcessRule


class RoundError(KitError):
    """A round that may not be screened (a fourth round without a grant, a missed deadline)."""


@lru_cache(maxsize=16)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    import holidays  # imported when a deadline is computed: it loads every country's calendar

    return frozenset(holidays.country_holidays(country, years=year))


@lru_cache(maxsize=64)
def _days_off(country: str, year: int, extra: tuple[ExtraHoliday, ...]) -> frozenset[date]:
    return _public_holidays(country, year) | {holiday.on(year) for holiday in extra}


def add_working_days(
    day: date,
    days: int,
    country: str = "NL",
    closing_days: Iterable[date] = (),
    extra_holidays: Iterable[ExtraHoliday] = (),
) -> date:
    """`days` working days after `day`: weekends, the country's public holidays (the `holidays`
    package's calendar), the days the rule set adds to them (the Algemene termijnenwet's 5 May
    and Goede Vrijdag) and the region's closing days do not count."""
    return _add_working_days(day, days, country, frozenset(closing_days), tuple(extra_holidays))


@lru_cache(maxsize=4096)  # a region's deadlines fall on a few hundred request dates
def _add_working_days(
    day: date, days: int, country: str, closed: frozenset[date], extra: tuple[ExtraHoliday, ...]
) -> date:
    current = day
    left = days
    while left > 0:
        current += timedelta(days=1)
        if (
            current.weekday() < 5
            and current not in closed
            and current not in _days_off(country, current.year, extra)
        ):
            left -= 1
    return current


def deadline_of(process: ProcessRule, sent_on: date) -> date:
    """The deadline of a repair request sent on `sent_on` (P2): the rule set's working days."""
    return add_working_days(
        sent_on,
        process.deadline_working_days,
        process.holidays,
        process.closing_days,
        process.extra_holidays,
    )


def round_marks(screenings: list[Any], asks_repair: set[int]) -> tuple[int | None, date | None]:
    """From a submission's screenings (in order): the highest round screened, and the date of the
    repair request for the next round: the as-of date of the first screening of that round with
    an open `herstel` finding (`asks_repair`: the ids of such screenings). A later decision or
    document in the same round does not move the deadline; a round that asked nothing has none."""
    if not screenings:
        return None, None
    last = max(s.round for s in screenings)
    requests = [s.as_of for s in screenings if s.round == last and s.id in asks_repair]
    return last, requests[0] if requests else None


@dataclass(frozen=True)
class RoundState:
    """Where a submission stands: rounds used, rounds allowed, and the open deadline."""

    submission: str
    last_round: int | None  # highest round screened so far (None: never screened)
    request_date: (
        date | None
    )  # when the repair was requested (see round_marks); None: nothing asked
    extra_granted: int
    process: ProcessRule
    # Derived once (a frozen state, read for every lot of every row of a region's list):
    allowed: int = field(init=False, compare=False)  # rounds allowed, extra ones included
    used: int = field(init=False, compare=False)  # rounds screened
    left: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        allowed = self.process.max_rounds + min(self.extra_granted, self.process.max_extra_rounds)
        used = max(self.last_round or 0, 0)
        object.__setattr__(self, "allowed", allowed)
        object.__setattr__(self, "used", used)
        object.__setattr__(self, "left", max(allowed - used, 0))

    def deadline(self) -> date | None:
        return self._deadline

    @cached_property
    def _deadline(self) -> date | None:
        if self.request_date is None:
            return None
        return deadline_of(self.process, self.request_date)

    def deadline_missed(self, as_of: date) -> bool:
        deadline = self.deadline()
        return deadline is not None and as_of > deadline and self.left > 0

    def closed(self, as_of: date) -> bool:
        """No further round can be screened: all used, or the deadline passed."""
        return self.left == 0 or self.deadline_missed(as_of)

    def check(self, new_round: int, as_of: date) -> None:
        """Refuse a round that may not be screened, naming the submission and the rounds used."""
        used = f"{self.used} van {self.allowed} herstelronde(s) gebruikt"
        if self.extra_granted:
            extra = min(self.extra_granted, self.process.max_extra_rounds)
            used += f" (waarvan {extra} extra toegekend)"
        if new_round > self.process.max_rounds + self.process.max_extra_rounds:
            raise RoundError(
                f"inschrijving {self.submission}: herstelronde {new_round} bestaat niet; "
                f"hoogstens {self.process.max_rounds} rondes plus "
                f"{self.process.max_extra_rounds} extra"
            )
        if new_round > self.allowed:
            raise RoundError(
                f"inschrijving {self.submission}: herstelronde {new_round} geweigerd; {used}. "
                "Alleen inkoop kan een extra ronde toekennen (kit repair grant-extra)."
            )
        previous = self.last_round if self.last_round is not None else -1
        if new_round > previous + 1:
            raise RoundError(
                f"inschrijving {self.submission}: herstelronde {new_round} kan niet; de laatste "
                f"gescreende ronde is {previous if previous >= 0 else 'geen'}"
            )
        if new_round < previous:
            raise RoundError(
                f"inschrijving {self.submission}: ronde {new_round} ligt voor de laatste "
                f"gescreende ronde {previous}"
            )
        asked = self.request_date
        if new_round == previous + 1 and new_round > 0 and asked is not None and as_of < asked:
            raise RoundError(
                f"inschrijving {self.submission}: herstelronde {new_round} gedateerd op "
                f"{as_of.isoformat()}, voor het herstelverzoek van {asked.isoformat()}; een "
                "herstelronde komt na het verzoek (controleer submitted_on)"
            )
        if new_round == previous + 1 and new_round > 0 and self.deadline_missed(as_of):
            raise RoundError(
                f"inschrijving {self.submission}: herstelronde {new_round} te laat ingediend "
                f"({as_of.isoformat()}; termijn liep tot {self.deadline()}); "
                "de herstelrondes zijn gesloten"
            )

    def is_final(self, screened_round: int) -> bool:
        """After the last allowed round the verdict is final (P3)."""
        return screened_round >= self.allowed
