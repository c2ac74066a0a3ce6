"""Times as users read them: stored in UTC, shown in the Netherlands' own time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

NL = ZoneInfo("Europe/Amsterdam")


def utc(moment: datetime) -> datetime:
    """A stored moment as an aware one: naive ones are UTC (SQLite keeps no time zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(moment: datetime) -> datetime:
    """A stored moment (UTC; naive ones are UTC too) in Dutch time."""
    return utc(moment).astimezone(NL)


def minute_text(moment: str) -> str:
    """An ISO moment (the audit trail's, already in Dutch time) to the minute, as a table shows
    it: '2026-11-27T18:04:07+01:00' -> '2026-11-27 18:04'."""
    return moment[:16].replace("T", " ")


def today() -> date:
    """Today in the Netherlands: the day a judgement or a repair request is dated by default."""
    return datetime.now(NL).date()
