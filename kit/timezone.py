"""Times as users read them: stored in UTC, shown in the Netherlands' own time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NL = ZoneInfo("Europe/Amsterdam")


def local_time(moment: datetime) -> datetime:
    """A stored moment (UTC; naive ones are UTC too) in Dutch time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(NL)
