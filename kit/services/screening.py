"""Screening case files as a change: every screening stored with its audit event, in one
transaction per case (per batch in region mode). The library call behind `kit screen`; a portal
or the web application calls the same."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from kit.batch import Item, Report, screen_many
from kit.case import Case, case_files, load_case, read_structured
from kit.errors import KitError
from kit.screening import BatchResult, screen_submission, store_outcomes
from kit.services.actor import Actor
from kit.store import AuditEventRow, Store

# From this many case files on, screening uses the worker processes of kit.batch.
REGION_FROM = 200


def screen_files(
    paths: Iterable[Path | str],
    store: Store | None,
    actor: Actor,
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Screen every case file under `paths` case by case; bad cases are reported and skipped.
    Cases of one submission are taken in round order, each stored (with its audit event) before
    the next, since a later round builds on it (round policy, E7 history, evidence). Without a
    store, nothing is kept (the cases are looked at only)."""
    if store is not None:
        actor.may("screen")
    batch = BatchResult()
    loaded: list[tuple[Path, Case]] = []
    for path in case_files([Path(p) for p in paths]):
        try:
            loaded.append((path, load_case(path)))
        except KitError as exc:
            batch.errors.append(exc.message)
            if progress is not None:
                progress(1)
    loaded.sort(key=lambda pc: pc[1].submission.round)
    for path, case in loaded:
        try:
            outcome = screen_submission(case, as_of, str(path), store, {}, actor.name)
            if store is not None:
                store_outcomes(store, [outcome], audit=_audit(actor, case.submission.id, path))
            batch.outcomes.append(outcome)
        except KitError as exc:
            batch.errors.append(exc.message)
        if progress is not None:
            progress(1)
    return batch


def _audit(actor: Actor, subject: str, path: Path) -> Callable[[list[str]], AuditEventRow]:
    return lambda codes: actor.event("screening", subject, screening=codes[0], file=str(path))


def region_items(files: list[Path]) -> tuple[list[Item], list[str]] | None:
    """The files as batch items, with the errors of unreadable ones; None when two files are
    rounds of one submission (they must be screened in order, case by case)."""
    items, errors, keys = [], [], set()
    for path in files:
        try:
            data = read_structured(path)
        except KitError as exc:
            errors.append(exc.message)
            continue
        sub = data.get("submission") if isinstance(data, dict) else None
        key = (sub.get("procedure"), sub.get("id")) if isinstance(sub, dict) else (None, str(path))
        if key in keys:
            return None
        keys.add(key)
        items.append(Item(str(path), data))
    return items, errors


def screen_region(
    items: list[Item],
    store: Store,
    actor: Actor,
    as_of: date | None = None,
    progress: Callable[[Report], None] | None = None,
) -> Report:
    """A region-sized set of independent submissions in worker processes, each batch stored with
    its audit event in one transaction."""
    actor.may("screen")
    return screen_many(items, store.url, as_of, actor=actor, progress=progress)
