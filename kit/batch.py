"""Screen many submissions at once: the whole region, a directory of portal exports, a re-screen.

    report = screen_many(items, db_url, workers=2)    # items: (source, case data or JSON text)

Batches go to worker processes; each parses, evaluates, gives verdicts and stores its batch in
one transaction (Store.save: a few bulk statements), with its own engines and its own database
connection. Processes, not threads: durable_rules is not thread-safe and never releases the GIL.
The calling process only hands out batches and adds up the reports. A bad case is reported
(a Dutch message naming it) and skipped; the rest of its batch is stored.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from kit.case import Case, parse_case
from kit.errors import KitError
from kit.prior import Prior
from kit.screening import History, ScreeningOutcome, screen_case, screen_submission, store_outcomes
from kit.store import ScreeningRow, Store, SubmissionRow, screening_code

STAGES = ("parse", "evaluate", "verdict", "store")


@dataclass
class Report:
    """What a batch (or a whole run) did: counts, errors, and seconds per stage, summed over
    the processes that did the work; `peak_mb` is the largest resident size of each process."""

    submissions: int = 0
    findings: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    peak_mb: dict[int, float] = field(default_factory=dict)

    def add(self, other: Report) -> None:
        self.submissions += other.submissions
        self.findings += other.findings
        self.errors += other.errors
        for stage, seconds in other.seconds.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        for pid, mb in other.peak_mb.items():
            self.peak_mb[pid] = max(mb, self.peak_mb.get(pid, 0.0))


def peak_mb() -> float:
    """This process's peak resident size (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def screen_batch(
    items: list[tuple[Any, ...]],
    store: Store | None,
    as_of: date | None = None,
    keep: list[ScreeningOutcome] | None = None,
    actor: str = "",
    rescreen: bool = False,
) -> Report:
    """Parse, evaluate, judge and store one batch in this process; `keep` collects the outcomes.
    With a store, each case is screened as `kit screen` does (kit.screening.screen_submission:
    round policy, reused documents, recorded decisions) and the batch is stored in one
    transaction; without one, the case alone is evaluated (kit.screening.screen_case).
    `rescreen`: the items are stored cases (source, JSON, final, prior JSON) screened again on
    `as_of` as kit.rescreen.rescreen_date does (the case as it was, what earlier screenings
    found, reason herscreening)."""
    report = Report()
    outcomes = []
    clock = time.perf_counter
    cases: list[tuple[str, Case, float, bool, Prior]] = []
    for source, data, *rest in items:
        start = clock()
        try:
            cases.append(
                (
                    source,
                    parse_case(json.loads(data) if isinstance(data, str | bytes) else data, source),
                    clock() - start,
                    bool(rest and rest[0]),
                    Prior.from_json(rest[1] if len(rest) > 1 else None),
                )
            )
        except KitError as exc:
            report.errors.append(exc.message)
            report.seconds["parse"] += clock() - start
    start = clock()
    seen = {} if rescreen else _new_submissions(store, [case for _, case, _, _, _ in cases])
    report.seconds["verdict"] += clock() - start
    for source, case, parse_seconds, final, prior in cases:
        report.seconds["parse"] += parse_seconds
        start = clock()
        try:
            if rescreen:
                outcome = screen_case(case, as_of, source, final=final, prior=prior)
                outcome.reason, outcome.actor = "herscreening", actor
            elif store is None:
                outcome = screen_case(case, as_of, source)
            else:
                outcome = screen_submission(case, as_of, source, store, seen, actor)
            outcomes.append(outcome)
        except KitError as exc:
            report.errors.append(exc.message)
            report.seconds["verdict"] += clock() - start
            continue
        done = clock()
        evaluated = outcome.evaluate_seconds
        report.seconds["evaluate"] += evaluated
        report.seconds["verdict"] += done - start - evaluated
    start = clock()
    if store is not None and outcomes:
        try:
            store_outcomes(store, outcomes)
        except IntegrityError:  # another worker stored the same rule-set snapshot (or new
            store_outcomes(store, outcomes)  # submission) first; nothing of this batch was kept
    report.seconds["store"] += clock() - start
    report.submissions = len(outcomes)
    report.findings = sum(len(o.findings) for o in outcomes)
    report.peak_mb[os.getpid()] = peak_mb()
    if keep is not None:
        keep += outcomes
    return report


def _new_submissions(store: Store | None, cases: list[Case]) -> dict[tuple[str, str], History]:
    """An empty history for each case whose submission the store does not know yet, found with
    one query per batch (kit.screening.history would ask once per case)."""
    if store is None or not cases:
        return {}
    keys = {(case.submission.procedure, case.submission.id) for case in cases}
    with store.session() as session:
        query = select(SubmissionRow.procedure, SubmissionRow.submission_id).where(
            SubmissionRow.submission_id.in_(sorted({sub_id for _, sub_id in keys}))
        )  # type: ignore[attr-defined]
        known = {(procedure, sub_id) for procedure, sub_id in session.execute(query)}
    return {key: History() for key in keys - known}


_WORKER: dict[str, Any] = {}


def _start_worker(db_url: str | None, as_of: date | None, actor: str, rescreen: bool) -> None:
    _WORKER.update(
        store=Store(db_url) if db_url else None, as_of=as_of, actor=actor, rescreen=rescreen
    )


def _work(items: list[tuple[Any, ...]]) -> Report:
    return screen_batch(
        items,
        _WORKER["store"],
        _WORKER["as_of"],
        actor=_WORKER["actor"],
        rescreen=_WORKER["rescreen"],
    )


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def screen_many(
    items: Iterable[tuple[Any, ...]],
    db_url: str | None = None,
    as_of: date | None = None,
    workers: int | None = None,
    batch_size: int = 100,
    progress: Callable[[Report], None] | None = None,
    actor: str = "",
    rescreen: bool = False,
) -> Report:
    """Screen (source, case) items and store them in `db_url` (nothing stored when None), one
    transaction per batch of `batch_size`. `workers` processes (default: one per core; 0 or 1:
    in this process). The case is its data (a dict) or its JSON text. Independent submissions:
    rounds of one submission belong in one batch, in order (or in `kit screen`)."""
    total = Report()
    workers = (os.cpu_count() or 1) if workers is None else workers
    if db_url:
        Store(db_url)  # create the tables once, before workers connect
    if workers <= 1:
        store = Store(db_url) if db_url else None
        for chunk in batches(items, batch_size):
            report = screen_batch(chunk, store, as_of, actor=actor, rescreen=rescreen)
            total.add(report)
            if progress is not None:
                progress(report)
        return total
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # The pool's feeder would read every item ahead into its queue: allow two batches per worker.
    slots = threading.BoundedSemaphore(2 * workers)

    def fed() -> Iterator[list[tuple[Any, ...]]]:
        for chunk in batches(items, batch_size):
            slots.acquire()
            yield chunk

    with context.Pool(workers, _start_worker, (db_url, as_of, actor, rescreen)) as pool:
        for report in pool.imap_unordered(_work, fed()):
            slots.release()
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
    actor: str = "",
    progress: Callable[[Report], None] | None = None,
) -> Report:
    """Every stored submission's latest screening again on `as_of` (the batch form of
    `kit rescreen --all`), in worker processes, one transaction per batch. The stored
    cases are read a page at a time, never all at once."""
    store = Store(db_url)
    with store.session() as session:
        latest = select(func.max(ScreeningRow.id)).group_by(ScreeningRow.submission_pk)
        pks = sorted(session.execute(latest).scalars())

    def stored() -> Iterator[tuple[str, str, bool, str]]:
        for page in batches(pks, 500):
            with store.session() as session:
                query = (
                    select(
                        ScreeningRow.id,
                        ScreeningRow.source,
                        ScreeningRow.case_json,
                        ScreeningRow.final,
                        ScreeningRow.prior_json,
                    )
                    .where(ScreeningRow.id.in_(page))
                    .order_by(ScreeningRow.id)
                )  # type: ignore[union-attr]
                rows = session.execute(query).all()
            exclusions = store.exclusions(
                page
            )  # what a re-screen must honour: kit.rescreen.prior_after
            for pk, source, case_json, final, prior_json in rows:
                prior = Prior.from_json(prior_json).after(
                    screening_code(pk), exclusions.get(pk, [])
                )
                yield source or screening_code(pk), case_json, final, prior.to_json()

    return screen_many(stored(), db_url, as_of, workers, batch_size, progress, actor, rescreen=True)
