"""Screen many submissions at once: the whole region, a directory of portal exports, a re-screen.

    report = screen_many(items, db_url, actor=actor, workers=2)   # items: Item(source, case)

Batches go to worker processes; each parses, evaluates, gives verdicts and stores its batch with
its audit event in one transaction (Store.save: a few bulk statements), with its own engines and
its own database connection. Processes, not threads: durable_rules is not thread-safe and never
releases the GIL. The calling process only hands out batches and adds up the reports. A bad case
is reported (a Dutch message naming it) and skipped; the rest of its batch is stored.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from kit.case.checks import parse_case, refuse_kit_only
from kit.case.history import Prior
from kit.case.models import Case
from kit.case.stored import stored_case
from kit.errors import KitError, fault_text
from kit.screening.rescreen import new_review
from kit.screening.screen import History, ScreeningOutcome, screen_case
from kit.services.outcomes import keep_snapshots, screen_submission
from kit.store import Expected, Identical, Store, Stored, screening_code
from kit.views.latest import latest_cases
from kit.workers import batches, in_workers, peak_mb

if TYPE_CHECKING:
    from kit.services.actor import Actor

STAGES = ("parse", "evaluate", "verdict", "store")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Item:
    """One case to screen: where it comes from, and its data (a dict, or JSON text). A stored
    case screened again also brings whether its verdicts were final and what it saw before."""

    source: str
    data: Any
    final: bool = False
    prior: str = ""
    follows: int | None = None  # a stored case: the screening it is screened again after
    trusted: bool = False  # the store's own case (may carry what kit set), not a file
    review: int = 0  # a stored case: the review of the screening it follows


@dataclass
class Report:
    """What a batch (or a whole run) did: counts, errors, and seconds per stage, summed over
    the processes that did the work; `peak_mb` is the largest resident size of each process."""

    submissions: int = 0
    findings: int = 0
    errors: list[str] = field(default_factory=list)
    existing: list[tuple[str, str]] = field(default_factory=list)  # (source, code) screened before
    # A re-screen of the region: latest screenings already dated after its date, left as they
    # are (a re-screen looks forward).
    later: list[str] = field(default_factory=list)
    # Per stored outcome and lot: (submission id, provider name, lot, verdict before, verdict
    # now); "before" is the submission's previous latest screening's (None: a new submission).
    verdicts: list[tuple[str, str, str, str | None, str]] = field(default_factory=list)
    # A re-screen of the region: latest screenings that already are a re-screen on its date (an
    # earlier run, perhaps stopped halfway), not stored again.
    already: list[str] = field(default_factory=list)
    # Why the run stopped before the end (a full disk, a lost database), in Dutch; what the
    # counts say was stored before it.
    fault: str = ""
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    peak_mb: dict[int, float] = field(default_factory=dict)

    def add(self, other: Report) -> None:
        self.submissions += other.submissions
        self.findings += other.findings
        self.errors += other.errors
        self.existing += other.existing
        self.later += other.later
        self.verdicts += other.verdicts
        self.already += other.already
        self.fault = self.fault or other.fault
        for stage, seconds in other.seconds.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        for pid, mb in other.peak_mb.items():
            self.peak_mb[pid] = max(mb, self.peak_mb.get(pid, 0.0))


def _parse(item: Item) -> Case:
    if item.trusted and item.follows is not None:  # a stored case: damage is named as such
        return stored_case(item.data, screening_code(item.follows))
    data = json.loads(item.data) if isinstance(item.data, str | bytes) else item.data
    if not item.trusted:
        refuse_kit_only(data, item.source)
    return parse_case(data, item.source)


# Over 60 lines: the batch's stages (parse, screen, store) in one place, so that each stage's
# seconds are measured where it runs (bench/run.py reports them per stage).
def screen_batch(
    items: list[Item],
    store: Store | None,
    as_of: date | None = None,
    keep: list[ScreeningOutcome] | None = None,
    actor: Actor | None = None,
    rescreen: bool = False,
    again: bool = False,
) -> Report:
    """Parse, evaluate, judge and store one batch in this process; `keep` collects the outcomes.
    With a store, each case is screened as `kit screen` does
    (kit.screening.screen.screen_submission: round policy, reused documents, recorded decisions)
    and the batch is stored with its audit event in one transaction; without one, the case alone is
    evaluated (kit.screening.screen.screen_case). `rescreen`: the items are stored cases screened
    again on `as_of` as kit.screening.rescreen.rescreen_date does (the case as it was, as round 0
    of a new review; what earlier screenings found; reason herscreening). A case screened
    before (same content, as-of date, rule set) is reported as existing, unless `again`."""
    report = Report()
    outcomes = []
    clock = time.perf_counter
    name = actor.name if actor is not None else ""
    cases: list[tuple[Item, Case, float]] = []
    for item in items:
        start = clock()
        try:
            cases.append((item, _parse(item), clock() - start))
        except KitError as exc:
            report.errors.append(exc.message)
            report.seconds["parse"] += clock() - start
    start = clock()
    seen = (
        {}
        if rescreen or store is None
        else {
            key: History()
            for key in store.unknown_submissions(
                [(case.submission.procedure, case.submission.id) for _, case, _ in cases]
            )
        }
    )
    report.seconds["verdict"] += clock() - start
    for item, case, parse_seconds in cases:
        report.seconds["parse"] += parse_seconds
        start = clock()
        try:
            if rescreen:
                outcome = screen_case(
                    new_review(case, item.source),
                    as_of,
                    item.source,
                    prior=Prior.from_json(item.prior),
                )
                outcome.reason, outcome.actor = "herscreening", name
                outcome.review = item.review + 1  # a re-screen opens a new review (M5)
            elif store is None:
                outcome = screen_case(case, as_of, item.source)
            else:
                outcome = screen_submission(case, as_of, item.source, store, seen, name, again)
            outcomes.append(outcome)
        except Identical as exc:
            report.existing.append((item.source, exc.code))
            report.seconds["verdict"] += clock() - start
            continue
        except KitError as exc:
            report.errors.append(exc.message)
            report.seconds["verdict"] += clock() - start
            continue
        report.seconds["evaluate"] += outcome.evaluate_seconds
        report.seconds["verdict"] += clock() - start - outcome.evaluate_seconds
    start = clock()
    if store is not None and outcomes:
        if rescreen:
            follows = {item.source: item.follows for item in items}
            expected = {_key(o): follows.get(o.source) for o in outcomes}
        else:
            expected = {_key(o): seen[_key(o)].latest for o in outcomes if _key(o) in seen}
        action = "herscreening" if rescreen else "screening"
        stored = _store(store, outcomes, actor, action, as_of, expected, rescreen or again)
        report.errors += stored.failed.values()
        report.existing += [(outcomes[i].source, code) for i, code in stored.existing.items()]
        outcomes = [o for o, code in zip(outcomes, stored.codes, strict=True) if code]
        report.verdicts = _verdict_changes(store, outcomes, expected)
    report.seconds["store"] += clock() - start
    report.submissions = len(outcomes)
    report.findings = sum(len(o.findings) for o in outcomes)
    report.peak_mb[os.getpid()] = peak_mb()
    if keep is not None:
        keep += outcomes
    return report


def _verdict_changes(
    store: Store, outcomes: list[ScreeningOutcome], before: Expected
) -> list[tuple[str, str, str, str | None, str]]:
    """Each stored outcome's verdicts beside those of the screening it followed."""
    earlier = store.verdicts_of([pk for pk in before.values() if pk is not None])
    found = []
    for outcome in outcomes:
        sub = outcome.case.submission
        was = earlier.get(before.get(_key(outcome)) or 0, {})
        for lot, verdict in outcome.lots.items():
            found.append((sub.id, sub.provider.name, lot, was.get(lot), verdict))
    return found


def _key(outcome: ScreeningOutcome) -> tuple[str, str]:
    return outcome.case.submission.procedure, outcome.case.submission.id


def _store(
    store: Store,
    outcomes: list[ScreeningOutcome],
    actor: Actor | None,
    action: str,
    as_of: date | None,
    expected: Expected,
    force: bool,
) -> Stored:
    """The batch's screenings and one audit event naming them, in one transaction; when that
    fails, case by case, so a database error or a concurrent screening loses that case only."""

    def audit(codes: list[str]) -> Any:
        if actor is None:
            return None
        return actor.event(
            action,
            f"{len(codes)} inschrijvingen",
            screenings=codes,
            as_of=as_of.isoformat() if as_of else None,
        )

    keep_snapshots(store, outcomes)
    return store.save_each(outcomes, audit, expected, force)


_WORKER: dict[str, Any] = {}


def _start_worker(
    db_url: str | None, as_of: date | None, actor: Actor | None, rescreen: bool, again: bool
) -> None:
    # Ctrl-C is the calling process's to handle (it stops the pool): a worker ignores it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.update(
        store=Store(db_url) if db_url else None,
        as_of=as_of,
        actor=actor,
        rescreen=rescreen,
        again=again,
    )


def _work(items: list[Item]) -> Report:
    return guarded(
        items,
        _WORKER["store"],
        _WORKER["as_of"],
        actor=_WORKER["actor"],
        rescreen=_WORKER["rescreen"],
        again=_WORKER["again"],
    )


def guarded(items: list[Item], store: Store | None, as_of: date | None, **options: Any) -> Report:
    """screen_batch, with a failure of the database or the disk reported (nothing of this
    batch stored: its transaction rolled back) instead of raised, so that the run can say how
    much the batches before it stored."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return screen_batch(items, store, as_of, **options)
    except (SQLAlchemyError, OSError) as exc:
        return Report(fault=fault_text(exc))


def screen_many(
    items: Iterable[Item],
    db_url: str | None = None,
    as_of: date | None = None,
    workers: int | None = None,
    batch_size: int = 100,
    progress: Callable[[Report], None] | None = None,
    actor: Actor | None = None,
    rescreen: bool = False,
    again: bool = False,
) -> Report:
    """Screen items and store them in `db_url` (nothing stored when None), one transaction per
    batch of `batch_size`. `workers` processes (default: one per core; 0 or 1: in this process).
    Independent submissions: rounds of one submission belong in `kit screen`, case by case."""
    total = Report()
    workers = (os.cpu_count() or 1) if workers is None else workers
    if db_url:
        Store(db_url)  # create the tables once, before workers connect
    if workers <= 1:
        store = Store(db_url) if db_url else None
        for chunk in batches(items, batch_size):
            report = guarded(chunk, store, as_of, actor=actor, rescreen=rescreen, again=again)
            total.add(report)
            if progress is not None:
                progress(report)
            if total.fault:
                break
        return total

    def until_fault() -> Iterator[list[Item]]:
        # After a fault no new batch is handed out; those in hand still report what they did.
        for chunk in batches(items, batch_size):
            if total.fault:
                return
            yield chunk

    results = in_workers(
        _work,
        until_fault(),
        workers,
        _start_worker,
        (db_url, as_of, actor, rescreen, again),
    )
    with closing(results):  # stopped early, the pool is closed here, not when collected
        for report in results:
            total.add(report)
            if progress is not None:
                progress(report)
    total.peak_mb[os.getpid()] = peak_mb()
    return total


def rescreen_stored(
    db_url: str,
    as_of: date,
    workers: int | None = None,
    batch_size: int = 100,
    actor: Actor | None = None,
    progress: Callable[[Report], None] | None = None,
) -> Report:
    """Every stored submission's latest screening again on `as_of` (the batch form of
    `kit rescreen --all`), in worker processes, one transaction per batch. The stored cases are
    read a page at a time, never all at once."""
    store = Store(db_url)
    later: list[str] = []  # screened after `as_of` already: a re-screen looks forward
    already: list[str] = []  # re-screened on `as_of` already: an earlier run reached them

    def items() -> Iterator[Item]:
        for page in batches(latest_cases(store), batch_size):
            done = store.rescreened_on([latest.pk for latest in page], as_of)
            for latest in page:
                if latest.as_of > as_of or latest.pk in done:
                    (later if latest.as_of > as_of else already).append(screening_code(latest.pk))
                    continue
                yield Item(
                    latest.source,
                    latest.case_json,
                    latest.final,
                    latest.prior.to_json(),
                    latest.pk,
                    True,
                    latest.review,
                )

    report = screen_many(
        items(), db_url, as_of, workers, batch_size, progress, actor, rescreen=True
    )
    report.later += later
    report.already += already
    return report
