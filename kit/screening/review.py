"""A submission's current review as the repair-round core reads it (M5): its screenings (marks),
its repair requests and extra rounds, read from the store's rows, and the check that a new
round may be screened. kit.screening.rounds judges the review on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Protocol

from kit.case.stored import stored_json
from kit.errors import KitError
from kit.kinds.process import ProcessRule
from kit.screening.diff import joined_key
from kit.timezone import local_time


class RoundError(KitError):
    """A round that may not be screened (no request for it, too late, a fourth round)."""


# --- what the core reads -------------------------------------------------------------------------


class Marked(Protocol):
    """A screening of the review as the core reads it: its round and the day it reflects."""

    @property
    def pk(self) -> int: ...
    @property
    def round(self) -> int: ...
    @property
    def known_on(self) -> date: ...


@dataclass(frozen=True)
class Mark:
    """A screening of the review: its round and the day it reflects (known_on)."""

    pk: int
    round: int
    known_on: date


@dataclass(frozen=True)
class Request:
    """A repair request as the core reads it (kit.store.RepairRequestRow)."""

    pk: int
    round: int  # the round it opens
    sent_on: date
    deadline: date
    named: frozenset[str]  # repair keys
    sent_by: str = ""
    derived: bool = False  # made by the migration from the old model (0007)
    screening_pk: int = 0


@dataclass(frozen=True)
class Grant:
    """An extra round granted by inkoop (P4), on the day it was granted."""

    pk: int
    granted_on: date


@dataclass(frozen=True)
class Review:
    """A submission's current review (M5): its screenings in order (empty for a submission not
    stored yet), its repair requests and its extra rounds."""

    submission: str
    number: int
    marks: tuple[Marked, ...]
    requests: tuple[Request, ...]
    grants: tuple[Grant, ...]
    process: ProcessRule

    def sent(self, as_of: date) -> list[Request]:
        """The requests sent on or before `as_of`, in the order they were sent: a request dated
        after the peildatum does not run yet."""
        if not self.requests:  # most of a region: nothing asked yet
            return []
        return sorted(
            (r for r in self.requests if r.sent_on <= as_of), key=lambda r: (r.sent_on, r.pk)
        )

    def granted(self, as_of: date) -> list[Grant]:
        return [g for g in self.grants if g.granted_on <= as_of] if self.grants else []

    def extra(self, as_of: date) -> int:
        """Extra rounds granted by `as_of` that count (P4: at most the rule set's number)."""
        return min(len(self.granted(as_of)), self.process.max_extra_rounds)

    def allowed(self, as_of: date) -> int:
        """Rounds allowed on `as_of`: the rule set's, plus the extra ones granted (P1, P4). A
        grant made after a request ran out reopens a review that had closed at that request's
        round (P3): the rounds it gives are the extra ones, not the rule set's that were left,
        so the reopened round is the last (one extra round, not all that were left and one)."""
        closed = self.reopened_round(as_of)
        regular = (
            self.process.max_rounds if closed is None else min(self.process.max_rounds, closed - 1)
        )
        return regular + self.extra(as_of)

    def reopened_round(self, as_of: date) -> int | None:
        """The round a grant reopened: that of a request that ran out before the grant, whose
        round had not come in by the grant (a round answered before it, on a request of its own,
        left nothing closed). None: no grant came after such a request."""
        grants = self.granted(as_of)
        if not grants:
            return None
        reopened = []
        for request in self.sent(as_of):
            after = [g.granted_on for g in grants if g.granted_on > request.deadline]
            if not after or self.status(request, as_of) != EXPIRED:
                continue
            arrived = self.arrival(request.round)
            if arrived is None or arrived >= min(after):  # not in before the grant reopened it
                reopened.append(request.round)
        return min(reopened, default=None)

    @cached_property
    def used(self) -> int:
        """The highest round screened in the review (-1: nothing screened yet)."""
        return max((m.round for m in self.marks), default=-1)

    def arrival(self, round_no: int) -> date | None:
        """The day round `round_no` arrived: its earliest screening's day (P6)."""
        return min((m.known_on for m in self.marks if m.round == round_no), default=None)

    def answered(self, request: Request) -> bool:
        arrived = self.arrival(request.round)
        return arrived is not None and arrived <= request.deadline

    def status(self, request: Request, as_of: date) -> str:
        """beantwoord (its round arrived in time), loopt, or verlopen."""
        if self.answered(request):
            return ANSWERED
        return RUNNING if as_of <= request.deadline else EXPIRED

    def state_at(self, day: date) -> Marked:
        """The screening the review stood at on `day`: the latest one that reflects a day on or
        before it (else the first)."""
        found = self.marks[0]
        for mark in self.marks:
            if mark.known_on <= day:
                found = mark
        return found

    def check(self, new_round: int, day: date) -> None:
        """Refuse a round that may not be screened on `day` (P1-P4): round numbers follow one
        another, a repair round answers a request of this review sent on or before `day`, and
        arrives by that request's deadline; a round past the rounds allowed needs a grant."""
        process, who = self.process, f"inschrijving {self.submission}"
        allowed = self.allowed(day)
        used = f"{max(self.used, 0)} van {allowed} herstelronde(s) gebruikt"
        extra = self.extra(day)
        if extra:
            used += f" (waarvan {extra} extra toegekend)"
        if new_round > process.max_rounds + process.max_extra_rounds:
            raise RoundError(
                f"{who}: herstelronde {new_round} bestaat niet; hoogstens {process.max_rounds} "
                f"rondes plus {process.max_extra_rounds} extra"
            )
        if new_round > allowed:
            raise RoundError(
                f"{who}: herstelronde {new_round} geweigerd; {used}. Alleen inkoop kan een extra "
                "ronde toekennen (kit repair grant-extra)."
            )
        previous = self.used
        if new_round > previous + 1:
            raise RoundError(
                f"{who}: herstelronde {new_round} kan niet; de laatste gescreende ronde is "
                f"{previous if previous >= 0 else 'geen'}"
            )
        if new_round < previous:
            raise RoundError(
                f"{who}: ronde {new_round} ligt voor de laatste gescreende ronde {previous}"
            )
        # The same round again, dated before what that round already stands on (a re-screen,
        # a decision): it would become the latest screening and turn the review back.
        latest = max((m.known_on for m in self.marks if m.round == new_round), default=None)
        if latest is not None and day < latest:
            raise RoundError(
                f"{who}: ronde {new_round} op {day.isoformat()} ligt voor de laatste screening van "
                f"die ronde ({latest.isoformat()}); een casus van een eerdere datum verandert niet "
                "wat nu staat (controleer submitted_on of --peildatum)"
            )
        if new_round == 0:
            return
        opening = [r for r in self.requests if r.round == new_round]
        sent = [r for r in opening if r.sent_on <= day]
        if not sent:
            if opening:
                first = min(r.sent_on for r in opening)
                raise RoundError(
                    f"{who}: herstelronde {new_round} gedateerd op {day.isoformat()}, voor het "
                    f"herstelverzoek van {first.isoformat()}; een herstelronde komt na het "
                    "verzoek (controleer submitted_on)"
                )
            raise RoundError(
                f"{who}: voor herstelronde {new_round} is geen herstelverzoek verstuurd; een "
                "herstelronde beantwoordt een herstelverzoek (kit repair request)"
            )
        last = max(r.deadline for r in sent)
        if day > last:
            raise RoundError(
                f"{who}: herstelronde {new_round} te laat ingediend ({day.isoformat()}; de "
                f"termijn liep tot {last.isoformat()})"
            )


ANSWERED, RUNNING, EXPIRED = "beantwoord", "loopt", "verlopen"


# --- reading rows ---------------------------------------------------------------------------------


def request_of(row: Any) -> Request:
    """A stored repair request (kit.store.RepairRequestRow or a row with its fields)."""
    named = stored_json(row.named_json, f"herstelverzoek {row.id}, veld named_json", [])
    return Request(
        pk=row.id,
        round=row.round,
        sent_on=row.sent_on,
        deadline=row.deadline,
        named=frozenset(joined_key(key) for key in named),
        sent_by=row.sent_by,
        derived=bool(row.derived),
        screening_pk=row.screening_pk,
    )


def grant_of(row: Any) -> Grant:
    """An extra round (kit.store.ExtraRoundRow): granted on its day in the Netherlands."""
    return Grant(pk=row.id, granted_on=local_time(row.granted_at).date())
