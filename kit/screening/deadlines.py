"""The calendar of repair deadlines (P2): working days after the day a request was sent, without
weekends, the country's public holidays, the days the rule set adds to them and the region's
closing days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from kit.kinds.process import ExtraHoliday, ProcessRule


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
