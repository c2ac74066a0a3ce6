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

from kit.case import parse_case
from kit.engine import evaluate as _evaluate
from kit.errors import KitError
from kit.screening import ScreeningOutcome, screen_case
from kit.store import Store

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


def screen_batch(items: list[tuple[str, Any]], store: Store | None, as_of: date | None = None,
                 keep: list[ScreeningOutcome] | None = None) -> Report:
    """Parse, evaluate, judge and store one batch in this process; `keep` collects the outcomes."""
    report = Report()
    outcomes = []
    clock = time.perf_counter
    for source, data in items:
        start = clock()
        try:
            case = parse_case(json.loads(data) if isinstance(data, str | bytes) else data, source)
            parsed = clock()
            before = _evaluate.SECONDS[0]
            outcomes.append(screen_case(case, as_of, source))
        except KitError as exc:
            report.errors.append(exc.message)
            report.seconds["parse"] += clock() - start
            continue
        done = clock()
        evaluated = _evaluate.SECONDS[0] - before
        report.seconds["parse"] += parsed - start
        report.seconds["evaluate"] += evaluated
        report.seconds["verdict"] += done - parsed - evaluated
    start = clock()
    if store is not None and outcomes:
        store.save(outcomes)
    report.seconds["store"] += clock() - start
    report.submissions = len(outcomes)
    report.findings = sum(len(o.findings) for o in outcomes)
    report.peak_mb[os.getpid()] = peak_mb()
    if keep is not None:
        keep += outcomes
    return report


_WORKER: dict[str, Any] = {}


def _start_worker(db_url: str | None, as_of: date | None) -> None:
    _WORKER.update(store=Store(db_url) if db_url else None, as_of=as_of)


def _work(items: list[tuple[str, Any]]) -> Report:
    return screen_batch(items, _WORKER["store"], _WORKER["as_of"])


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def screen_many(items: Iterable[tuple[str, Any]], db_url: str | None = None, as_of: date | None = None,
                workers: int | None = None, batch_size: int = 100,
                progress: Callable[[Report], None] | None = None) -> Report:
    """Screen (source, case) items and store them in `db_url` (nothing stored when None), one
    transaction per batch of `batch_size`. `workers` processes (default: one per core; 0 or 1:
    in this process). The case is its data (a dict) or its JSON text."""
    total = Report()
    workers = (os.cpu_count() or 1) if workers is None else workers
    if db_url:
        Store(db_url)  # create the tables once, before workers connect
    if workers <= 1:
        store = Store(db_url) if db_url else None
        for chunk in batches(items, batch_size):
            report = screen_batch(chunk, store, as_of)
            total.add(report)
            if progress is not None:
                progress(report)
        return total
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # The pool's feeder would read every item ahead into its queue: allow two batches per worker.
    slots = threading.BoundedSemaphore(2 * workers)

    def fed() -> Iterator[list[tuple[str, Any]]]:
        for chunk in batches(items, batch_size):
            slots.acquire()
            yield chunk

    with context.Pool(workers, _start_worker, (db_url, as_of)) as pool:
        for report in pool.imap_unordered(_work, fed()):
            slots.release()
            total.add(report)
            if progress is not None:
                progress(report)
    total.peak_mb[os.getpid()] = peak_mb()
    return total
