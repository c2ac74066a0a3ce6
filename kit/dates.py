"""Calendar arithmetic on whole months, the unit every period in the rule sets uses."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the day is clamped to the month's end (31 Aug + 6 = 28/29
    Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """The smallest whole number of months k with add_months(start, k) >= end (0 if end <= start).

    "At most N months old" is then exactly `months_between(issued_on, as_of) <= N`, so rules can
    compare a measured age with a constant instead of joining dates.
    """
    if end <= start:
        return 0
    k = max((end.year - start.year) * 12 + (end.month - start.month) - 1, 0)
    while add_months(start, k) < end:
        k += 1
    return k


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(iso: str | None) -> str:
    """'2025-01-01' -> '1 januari 2025'; anything else is returned as it is."""
    if not iso or len(iso) != 10:
        return iso or ""
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"
