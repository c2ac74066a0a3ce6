"""Repair rounds (herstelrondes, P1-P6): the one place that decides, from a submission's current
review, which lots are afgewezen and why, what is still to be asked, and which round may be
screened. Pure: readers and services hand in what they read from the store.

A repair request (herstelverzoek) is a recorded act: who sent it, the day it was sent and the
open `herstel` findings it names (by kit.screening.diff.repair_key); its deadline runs from that
day (P2). A lot is afgewezen only when a request that named one of its open findings ran out
without a round in time (judged on the state of the deadline's day, P6), or when the last allowed
round leaves a named finding open (P3). A finding no request has named keeps its lot herstel-nodig:
a request is still to be sent. A re-screen opens a new review with rounds of its own (M5).
The review judged here (its screenings, requests and extra rounds) is kit.screening.review.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from kit.dates import dutch_date
from kit.errors import KitError
from kit.kinds.process import ProcessRule
from kit.kinds.verdict import VerdictRule
from kit.screening.review import EXPIRED, RUNNING, Grant, Request, Review
from kit.screening.verdict import REPAIR

# Per lot, the open herstel findings that count for it (repair keys) in one screening.
LotRepairs = Mapping[str, Iterable[str]]


@dataclass(frozen=True)
class Ladder:
    """What the verdict rule says about repair: the verdict of a lot with open herstel
    (herstel-nodig), the verdict it gets when rejected (afgewezen), the verdicts of the steps
    above it (they outrank a rejection), the excluding ones, and the withdrawn verdict."""

    repair: str
    rejected: str
    higher: frozenset[str]
    excluded: frozenset[str]
    withdrawn: str

    @classmethod
    def of(cls, rule: VerdictRule) -> Ladder:
        for index, step in enumerate(rule.ladder):
            if step.outcome == REPAIR:
                above = rule.ladder[:index]
                return cls(
                    step.verdict,
                    step.final_verdict or step.verdict,
                    frozenset(s.verdict for s in above),
                    frozenset(s.verdict for s in above if s.all_lots),
                    rule.withdrawn,
                )
        raise KitError(f"regel {rule.id}: de ladder heeft geen trede voor {REPAIR}")


@dataclass(frozen=True)
class RequestState:
    request: Request
    status: str  # beantwoord, loopt, verlopen


@dataclass(eq=False)  # made for every submission of a region's list: no frozen __setattr__
class Rounds:
    """Where a submission's current review stands on a day: rounds used and allowed, its
    requests, the verdict per lot (afgewezen per P3, with the reason), and what is still to be
    sent in a new request."""

    submission: str
    review: int
    as_of: date
    process: ProcessRule
    used: int
    allowed: int
    requests: tuple[RequestState, ...]
    verdicts: dict[str, str]
    reasons: dict[str, str]  # lot -> why it is afgewezen
    # lot -> the keys that made it afgewezen -> the screening they were judged on: the state on
    # a passed deadline's day (P6), or the latest screening (the last round, P3).
    rejected_on: dict[str, dict[str, int]]
    sticky: frozenset[str]  # lots afgewezen by a passed deadline (P6), not by the last round
    excluded: bool
    ladder: Ladder
    latest: LotRepairs  # the latest screening's open herstel keys per lot
    extra_granted: int = 0
    grants: tuple[Grant, ...] = ()

    @cached_property
    def rejected(self) -> dict[str, frozenset[str]]:
        """Per afgewezen lot, the keys that made it so."""
        return {lot: frozenset(keys) for lot, keys in self.rejected_on.items()}

    @cached_property
    def open_keys(self) -> dict[str, frozenset[str]]:
        """Per lot not outranked (excluded, withdrawn), its open herstel findings."""
        ladder = self.ladder
        return {
            lot: frozenset(keys)
            for lot, keys in self.latest.items()
            if keys
            and not (
                self.verdicts.get(lot) in ladder.higher
                or self.verdicts.get(lot) == ladder.withdrawn
            )
        }

    @cached_property
    def to_send(self) -> dict[str, frozenset[str]]:
        """Per lot that needs repair, its open herstel findings no running request names and no
        passed deadline rejected: what a new request would ask."""
        asked = frozenset().union(*(r.named for r in self.running()))
        found = {
            lot: frozenset(keys) - asked - self.rejected.get(lot, frozenset())
            for lot, keys in self.latest.items()
            if self.verdicts.get(lot) == self.ladder.repair
        }
        return {lot: keys for lot, keys in found.items() if keys}

    @property
    def left(self) -> int:
        return max(self.allowed - self.used, 0)

    @property
    def next_round(self) -> int:
        return self.used + 1

    def running(self) -> list[Request]:
        return [s.request for s in self.requests if s.status == RUNNING]

    @property
    def deadline(self) -> date | None:
        """The open repair deadline: the earliest running request's (None: nothing runs)."""
        return min((r.deadline for r in self.running()), default=None)

    def keys_to_send(self) -> frozenset[str]:
        return self._keys_to_send

    @cached_property
    def _keys_to_send(self) -> frozenset[str]:
        return frozenset().union(*self.to_send.values())

    def refusal(self) -> str | None:
        """Why no new repair request can be sent now (None: it can)."""
        who = f"inschrijving {self.submission}"
        if self.excluded:
            return (
                f"{who} is uitgesloten; een uitsluiting is niet te herstellen. Stuur het besluit "
                "(kit letter)."
            )
        running = self.running()
        if running:
            first = min(running, key=lambda r: r.deadline)
            return (
                f"{who}: het herstelverzoek van {dutch_date(first.sent_on.isoformat())} voor "
                f"herstelronde {first.round} loopt nog, tot en met "
                f"{dutch_date(first.deadline.isoformat())}; een nieuw verzoek volgt als die ronde "
                "binnen is of de termijn verstreken"
            )
        grant = "alleen inkoop kan een extra ronde toekennen (kit --rol inkoop repair grant-extra)"
        if self.next_round > self.allowed and (self.to_send or self.open_keys):
            return f"{who}: alle {self.allowed} herstelronde(s) zijn gebruikt; {grant}"
        if not self.to_send and self.reasons:
            why = "; ".join(dict.fromkeys(self.reasons.values()))
            return f"{who}: wat nog open staat, is afgewezen ({why}); {grant}"
        if not self.to_send:
            return f"{who}: er staat niets open om te herstellen; stuur het besluit (kit letter)"
        return None

    def grant_for(self, new_round: int) -> Grant | None:
        """The extra round a request for `new_round` uses (P4): the grant counted for a round
        past the rule set's, else one made after an expired request's deadline (it reopens)."""
        grants = sorted(self.grants, key=lambda g: (g.granted_on, g.pk))
        beyond = new_round - self.process.max_rounds
        if 0 < beyond <= len(grants):
            return grants[beyond - 1]
        expired = [s.request.deadline for s in self.requests if s.status == EXPIRED]
        later = [g for g in grants if expired and g.granted_on > min(expired)]
        return later[-1] if later else None


# Over 60 lines: P1-P6 decided in one place, in the order the process rule states them.
def judge(
    review: Review,
    as_of: date,
    ladder: Ladder,
    verdicts: Mapping[str, str],
    repairs: Callable[[int], LotRepairs],
) -> Rounds:
    """The review on `as_of`. `verdicts`: the latest screening's verdict per lot as its own
    findings give them (the ladder, before any rejection); `repairs(pk)`: the open herstel keys
    per lot of a screening of the review (asked only for the latest one and, where a request
    expired, for the one its deadline's day stood at)."""
    if not review.marks:
        raise KitError(f"inschrijving {review.submission} heeft nog geen screening")
    latest = review.marks[-1]
    sent = review.sent(as_of)
    grants = review.granted(as_of)
    used, allowed = review.used, review.allowed(as_of)
    states = tuple(RequestState(r, review.status(r, as_of)) for r in sent)
    latest_repairs = repairs(latest.pk)
    rejected: dict[str, dict[str, int]] = {}  # lot -> key -> the screening it was judged on
    reasons: dict[str, str] = {}
    sticky: set[str] = set()
    for index, state in enumerate(states):
        request = state.request
        if state.status != EXPIRED or any(g.granted_on > request.deadline for g in grants):
            continue  # answered, running, or reopened by a grant after its deadline (P4)
        later = frozenset().union(*(s.request.named for s in states[index + 1 :]))
        keys = request.named - later
        if not keys:
            continue
        stood = review.state_at(request.deadline).pk
        for lot, open_keys in repairs(stood).items():
            hit = keys & frozenset(open_keys)
            if hit:
                for key in sorted(hit):
                    rejected.setdefault(lot, {}).setdefault(key, stood)
                sticky.add(lot)
                reasons.setdefault(
                    lot,
                    f"de hersteltermijn van het herstelverzoek van "
                    f"{dutch_date(request.sent_on.isoformat())} verstreek op "
                    f"{dutch_date(request.deadline.isoformat())}",
                )
    if used >= allowed and sent:
        named = frozenset().union(*(r.named for r in sent))
        for lot, open_keys in latest_repairs.items():
            hit = named.intersection(open_keys)
            if hit:
                for key in sorted(hit):
                    rejected.setdefault(lot, {}).setdefault(key, latest.pk)
                reasons.setdefault(
                    lot, f"de laatste herstelronde ({used} van {allowed}) laat dit open"
                )
    now = dict(verdicts)
    for lot in rejected:
        verdict = now.get(lot)
        if verdict is not None and verdict not in ladder.higher and verdict != ladder.withdrawn:
            now[lot] = ladder.rejected
    reasons = {lot: why for lot, why in reasons.items() if now.get(lot) == ladder.rejected}
    return Rounds(
        submission=review.submission,
        review=review.number,
        as_of=as_of,
        process=review.process,
        used=max(used, 0),
        allowed=allowed,
        requests=states,
        verdicts=now,
        reasons=reasons,
        rejected_on={lot: keys for lot, keys in rejected.items() if lot in reasons},
        sticky=frozenset(lot for lot in sticky if lot in reasons),
        excluded=any(v in ladder.excluded for v in now.values()),
        ladder=ladder,
        latest=latest_repairs,
        extra_granted=review.extra(as_of),
        grants=tuple(grants),
    )


def waiting_since(
    review: Review, rounds: Rounds, repairs: Callable[[int], LotRepairs]
) -> date | None:
    """Since when a request has been waiting to be sent: the earliest screening of the current
    round that had one of the findings still to be asked open (None: nothing to send)."""
    wanted = rounds.keys_to_send()
    if not wanted:
        return None
    *earlier, latest = review.marks  # the latest has them open: it is what they are read from
    for mark in earlier:
        if mark.round != rounds.used:
            continue
        if any(key in wanted for keys in repairs(mark.pk).values() for key in keys):
            return mark.known_on
    return latest.known_on
