"""What a rule change would do to the region before it is published (`kit rules impact`).

The latest case of every stored submission is evaluated twice, under the rules in force on its
as-of date and under the changed rules, and the two outcomes compared: per lot the verdict
transitions, per rule the open findings added and removed, the providers whose verdict changes
and the repair requests the change would add. Verdicts are as they stand on that date with the
submission's repair requests (kit.screening.rounds): a finding the changed rules add was never
asked, so its lot needs repair; one a request named and that ran out stays afgewezen. Nothing is
stored: the store is only read.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kit.case.models import Submission
from kit.case.stored import stored_case
from kit.engine import Finding, engine_for
from kit.errors import KitError
from kit.kinds.choice import RuleChoice
from kit.kinds.rulesets import shipped_rulesets
from kit.rules.loader import RuleSet
from kit.screening.review import Review
from kit.screening.rounds import Ladder, LotRepairs, judge
from kit.screening.screen import ruleset_for
from kit.screening.verdict import lot_verdicts, repair_keys
from kit.store import Store, screening_code
from kit.views.latest import Latest, latest_cases
from kit.views.standing import standings
from kit.workers import batches, in_workers, peak_mb

# (submission id, provider name, lot, verdict now, verdict after the change): the shape of
# kit.services.batch.Report.verdicts, so kit.cli.changes shows both.
Transition = tuple[str, str, str, str | None, str]
REPAIR = "herstel-nodig"


@dataclass
class Impact:
    """The comparison, added up over the region (or one batch of it)."""

    submissions: int = 0
    verdicts: list[Transition] = field(default_factory=list)
    added: Counter[str] = field(default_factory=Counter)  # rule -> open findings added
    removed: Counter[str] = field(default_factory=Counter)  # rule -> open findings removed
    titles: dict[str, str] = field(default_factory=dict)  # rule -> its title
    more_repair: list[str] = field(default_factory=list)  # submissions newly asked to repair
    less_repair: list[str] = field(default_factory=list)  # no longer asked to repair
    errors: list[str] = field(default_factory=list)
    peak_mb: dict[int, float] = field(default_factory=dict)

    def add(self, other: Impact) -> None:
        self.submissions += other.submissions
        self.verdicts += other.verdicts
        self.added.update(other.added)
        self.removed.update(other.removed)
        self.titles.update(other.titles)
        self.more_repair += other.more_repair
        self.less_repair += other.less_repair
        self.errors += other.errors
        self.peak_mb.update(other.peak_mb)

    def changed(self) -> list[Transition]:
        return [v for v in self.verdicts if v[3] != v[4]]

    def rules(self) -> list[tuple[str, str, int, int]]:
        """(rule, title, findings added, findings removed) of every rule whose findings change."""
        ids = sorted(set(self.added) | set(self.removed))
        return [(r, self.titles.get(r, ""), self.added[r], self.removed[r]) for r in ids]


def _open(findings: list[Finding]) -> Counter[tuple[str, ...]]:
    """The findings that ask something of the provider or the region (not `voldaan`)."""
    return Counter(
        (f.rule, f.requirement, f.subject, f.lot or "", f.item or "", f.status, f.outcome or "")
        for f in findings
        if f.status != "voldaan"
    )


@dataclass(frozen=True)
class Stored:
    """A submission's latest case with its current review (kit.screening.rounds) and the open
    herstel findings of the earlier screenings its repair deadlines look back at."""

    latest: Latest
    review: Review
    earlier: dict[int, LotRepairs]


@dataclass(frozen=True)
class _Outcome:
    findings: list[Finding]
    lots: dict[str, str]


def _evaluate(sub: Submission, day: date, stored: Stored, ruleset: RuleSet) -> _Outcome:
    """The findings a screening would give (kit.screening.screen.screen_case without what only a
    stored result needs: the not-applicable list, the summary and the messages), and the lot
    verdicts as they stand on `day` with those findings as the latest screening's."""
    latest = stored.latest
    found: list[Finding] = (
        engine_for(ruleset).evaluate(sub, day, latest.source, latest.prior, messages=False).findings
    )
    ladder = lot_verdicts(found, sub, ruleset.verdict())
    keys = repair_keys(found, sub)

    def repairs(pk: int) -> LotRepairs:
        return keys if pk == latest.pk else stored.earlier[pk]

    rounds = judge(stored.review, day, Ladder.of(ruleset.verdict()), ladder, repairs)
    return _Outcome(found, dict(rounds.verdicts))


def _asks_repair(outcome: _Outcome) -> bool:
    return REPAIR in outcome.lots.values()


def compare(stored: Stored, choice: RuleChoice, as_of: date | None) -> Impact:
    """One stored submission under the rules in force and under the changed rules."""
    found = Impact(submissions=1)
    latest = stored.latest
    sub = stored_case(latest.case_json, screening_code(latest.pk)).submission
    day = as_of or latest.as_of
    now, then = (
        _evaluate(sub, day, stored, ruleset)
        for ruleset in (ruleset_for(day, latest.source), choice.for_day(day))
    )
    for lot, verdict in then.lots.items():
        found.verdicts.append((sub.id, sub.provider.name, lot, now.lots.get(lot), verdict))
    was, becomes = _open(now.findings), _open(then.findings)
    found.added.update(key[0] for key in (becomes - was).elements())
    found.removed.update(key[0] for key in (was - becomes).elements())
    asked_now, asked_then = _asks_repair(now), _asks_repair(then)
    if asked_then and not asked_now:
        found.more_repair.append(sub.id)
    if asked_now and not asked_then:
        found.less_repair.append(sub.id)
    return found


def compare_batch(batch: list[Stored], choice: RuleChoice, as_of: date | None) -> Impact:
    total = Impact()
    for stored in batch:
        try:
            total.add(compare(stored, choice, as_of))
        except KitError as exc:  # a case the changed rules cannot read; the rest goes on
            total.errors.append(exc.message)
    total.peak_mb[os.getpid()] = peak_mb()
    return total


_WORKER: dict[str, Any] = {}


def _start_worker(choice: RuleChoice, as_of: date | None) -> None:

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the calling process's to handle
    _WORKER.update(choice=choice, as_of=as_of)


def _work(batch: list[Stored]) -> Impact:
    return compare_batch(batch, _WORKER["choice"], _WORKER["as_of"])


def impact(
    store: Store,
    choice: RuleChoice,
    as_of: date | None = None,
    workers: int | None = None,
    batch_size: int = 100,
    progress: Callable[[int], None] | None = None,
) -> Impact:
    """The changed rules against the rules in force, over every stored submission's latest
    case (on `as_of`, or on the date it was screened), in `workers` processes."""
    total = Impact()
    workers = (os.cpu_count() or 1) if workers is None else workers
    looks = {
        s.screening_pk: (s.review, {pk: r for pk, r in s.repairs.items() if pk != s.screening_pk})
        for s in standings(store)
    }
    chunks = batches(
        (Stored(latest, *looks[latest.pk]) for latest in latest_cases(store)), batch_size
    )
    if workers <= 1:
        results: Any = (compare_batch(chunk, choice, as_of) for chunk in chunks)
    else:
        results = in_workers(_work, chunks, workers, _start_worker, (choice, as_of))
    with closing(results):
        for part in results:
            total.add(part)
            if progress is not None:
                progress(part.submissions + len(part.errors))
    total.peak_mb[os.getpid()] = peak_mb()
    for ruleset in (*shipped_rulesets().values(), *choice.all()):  # the changed titles last
        total.titles.update({rule.id: rule.title for rule in ruleset.rules})
    return total
