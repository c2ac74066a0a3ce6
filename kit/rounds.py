"""Repair rounds (herstelrondes, P1-P5): which round may be screened, its deadline, and when
the rounds are over. Pure functions; the limits come from the rule set's `process` rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kit.errors import KitError
from kit.rules.model import ProcessRule


class RoundError(KitError):
    """A round that may not be screened (a fourth round without a grant, a missed deadline)."""


def add_working_days(day: date, days: int) -> date:
    """`days` working days (Monday-Friday) after `day`. Public holidays are not modelled."""
    current = day
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def round_marks(screenings: list[Any]) -> tuple[int | None, date | None]:
    """From a submission's screenings (in order): the highest round screened, and the date of
    the last screening, which is when the next repair was requested."""
    if not screenings:
        return None, None
    return max(s.round for s in screenings), screenings[-1].as_of


@dataclass(frozen=True)
class RoundState:
    """Where a submission stands: rounds used, rounds allowed, and the open deadline."""

    submission: str
    last_round: int | None        # highest round screened so far (None: never screened)
    request_date: date | None     # as-of date of the last screening: when the repair was requested
    extra_granted: int
    process: ProcessRule

    @property
    def allowed(self) -> int:
        return self.process.max_rounds + min(self.extra_granted, self.process.max_extra_rounds)

    @property
    def used(self) -> int:
        return max(self.last_round or 0, 0)

    @property
    def left(self) -> int:
        return max(self.allowed - self.used, 0)

    def deadline(self) -> date | None:
        if self.request_date is None:
            return None
        return add_working_days(self.request_date, self.process.deadline_working_days)

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
            used += f" (waarvan {min(self.extra_granted, self.process.max_extra_rounds)} extra toegekend)"
        if new_round > self.process.max_rounds + self.process.max_extra_rounds:
            raise RoundError(f"inschrijving {self.submission}: herstelronde {new_round} bestaat niet; "
                             f"hoogstens {self.process.max_rounds} rondes plus "
                             f"{self.process.max_extra_rounds} extra")
        if new_round > self.allowed:
            raise RoundError(f"inschrijving {self.submission}: herstelronde {new_round} geweigerd; {used}. "
                             "Alleen inkoop kan een extra ronde toekennen (kit repair grant-extra).")
        previous = self.last_round if self.last_round is not None else -1
        if new_round > previous + 1:
            raise RoundError(f"inschrijving {self.submission}: herstelronde {new_round} kan niet; de laatste "
                             f"gescreende ronde is {previous if previous >= 0 else 'geen'}")
        if new_round < previous:
            raise RoundError(f"inschrijving {self.submission}: ronde {new_round} ligt voor de laatste "
                             f"gescreende ronde {previous}")
        if new_round == previous + 1 and new_round > 0 and self.deadline_missed(as_of):
            raise RoundError(f"inschrijving {self.submission}: herstelronde {new_round} te laat ingediend "
                             f"({as_of.isoformat()}; termijn liep tot {self.deadline().isoformat()}); "  # type: ignore[union-attr]
                             "de herstelrondes zijn gesloten")

    def is_final(self, screened_round: int) -> bool:
        """After the last allowed round the verdict is final (P3)."""
        return screened_round >= self.allowed
