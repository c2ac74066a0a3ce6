"""Screening case files as a change: every screening stored with its audit event, in one
transaction per case (per batch in region mode). The library call behind `kit screen`; a portal
or the web application calls the same.

Concurrent users store what a sequential run would: a screening is stored only if its
submission's history is still what it was screened against (else it is screened again on the
new history, which may refuse it by the round policy). The same case screened again gives the
stored screening back. Every run leaves one audit event saying what it stored and what not, also
when it is interrupted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kit.case.models import Case
from kit.case.reading import case_data, case_files, load_case
from kit.errors import KitError, Lines, fault_text, is_fatal, stopped_text
from kit.limits import max_file_bytes
from kit.screening.screen import BatchResult, History, ScreeningOutcome
from kit.services.actor import Actor
from kit.services.batch import Item, Report, screen_many
from kit.services.outcomes import expected_latest, screen_submission, store_outcomes
from kit.store import AuditEventRow, Conflict, Identical, Store
from kit.text import visible
from kit.vocab.vocabulary import vocabulary

# From this many case files on, screening uses the worker processes of kit.services.batch.
REGION_FROM = 200
# How often a case is screened again when others stored screenings of its submission meanwhile.
ATTEMPTS = 10


class Stopped(KitError):
    """A fault that stops a run: a full disk, a lost database (its Dutch reason)."""


def screen_files(
    paths: Iterable[Path | str],
    store: Store | None,
    actor: Actor,
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
    again: bool = False,
    label: str | None = None,
) -> BatchResult:
    """Screen every case file under `paths` case by case; bad cases are reported and skipped.
    Cases of one submission are taken in round order, each stored (with its audit event) before
    the next, since a later round builds on it (round policy, E7 history, evidence). A case
    screened before (same content, as-of date and rule set) is not stored again unless `again`.
    Without a store, nothing is kept (the cases are looked at only). `label`: what the
    screenings record as their source instead of the file's path (an upload's own name)."""
    if store is not None:
        actor.may("screen")
    vocabulary()  # a broken vocabulary stops the run here, once, not at every case
    batch = BatchResult()
    loaded: list[tuple[Path, Case]] = []
    files = case_files([Path(p) for p in paths])
    interrupted = True
    try:
        for path in files:
            try:
                loaded.append((path, load_case(path)))
            except KitError as exc:
                batch.errors.append(exc.message)
                if progress is not None:
                    progress(1)
        loaded.sort(key=lambda pc: pc[1].submission.round)
        for path, case in loaded:
            try:
                source = Path(label) if label else path
                batch.outcomes.append(_screen_one(case, source, store, actor, as_of, again))
            except Identical as exc:
                batch.existing.append((str(path), exc.code))
            except Stopped as exc:
                done = len(batch.outcomes)
                raise KitError(stopped_text(done, len(loaded), "gescreend", exc.message)) from None
            except KitError as exc:
                batch.errors.append(exc.message)
            if progress is not None:
                progress(1)
        interrupted = False
    finally:
        if store is not None:
            _log_run(store, actor, files, batch, interrupted)
    return batch


def _screen_one(
    case: Case, path: Path, store: Store | None, actor: Actor, as_of: date | None, again: bool
) -> ScreeningOutcome:
    """Screen and store one case; when another screening of its submission was stored after its
    history was read, screen it again on the new history."""
    for _ in range(ATTEMPTS):
        seen: dict[tuple[str, str], History] = {}
        outcome = screen_submission(case, as_of, str(path), store, seen, actor.name, again)
        if store is None:
            return outcome
        try:
            store_outcomes(
                store,
                [outcome],
                audit=_audit(actor, case.submission.id, path),
                expected=expected_latest(seen),
                force=again,
            )
            return outcome
        except Conflict:
            continue
        except SQLAlchemyError as exc:
            if is_fatal(exc):  # every following case would meet it too
                raise Stopped(fault_text(exc)) from None
            raise KitError(
                f"{path}: {fault_text(exc)} bij opslaan; niets opgeslagen voor deze casus"
            ) from None
    raise KitError(
        f"{path}: inschrijving {case.submission.id} werd steeds tegelijk door anderen gescreend; "
        "niets opgeslagen, probeer het opnieuw"
    )


def _audit(actor: Actor, subject: str, path: Path) -> Callable[[list[str]], AuditEventRow]:
    return lambda codes: actor.event("screening", subject, screening=codes[0], file=str(path))


def _log_run(
    store: Store, actor: Actor, files: list[Path], batch: BatchResult, interrupted: bool
) -> None:
    """The run's own audit event: what it stored, found already stored, and could not store."""
    try:
        store.add(
            audit=actor.event(
                "screeningsrun",
                f"{len(files)} bestand(en)",
                stored=[o.screening_id for o in batch.outcomes],
                existing=[code for _, code in batch.existing],
                failed=len(batch.errors),
                not_reached=len(files)
                - len(batch.outcomes)
                - len(batch.existing)
                - len(batch.errors),
                interrupted=interrupted,
            )
        )
    except SQLAlchemyError:
        pass  # the database itself failed: that error is what the user sees


def region_items(files: list[Path]) -> tuple[list[Item], list[str]] | None:
    """The files as batch items, with the errors of unreadable ones; None when two files are
    rounds of one submission (they must be screened in order, case by case)."""
    items, errors, keys = [], [], set()
    for path in files:
        try:
            data = case_data(path)
        except KitError as exc:
            errors.append(exc.message)
            continue
        sub = data.get("submission") if isinstance(data, dict) else None
        procedure, sub_id = (
            (sub.get("procedure"), sub.get("id")) if isinstance(sub, dict) else ("", "")
        )
        # Only texts identify a submission; anything else is for validation to refuse.
        key = (
            (procedure, sub_id)
            if isinstance(procedure, str) and isinstance(sub_id, str)
            else (
                None,
                str(path),
            )
        )
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
    again: bool = False,
) -> Report:
    """A region-sized set of independent submissions in worker processes, each batch stored with
    its audit event in one transaction; a run that is interrupted still logs what it stored."""
    actor.may("screen")
    done = Report()  # what the workers reported back
    before = store.last_screening_pk()

    def counted(report: Report) -> None:
        done.add(report)
        if progress is not None:
            progress(report)

    interrupted = True
    try:
        total = screen_many(items, store.url, as_of, actor=actor, progress=counted, again=again)
        interrupted = False
    finally:
        try:
            # Interrupted, a worker may have stored a batch it could not report back yet.
            stored = (
                store.stored_since(before, [item.source for item in items])
                if interrupted
                else done.submissions
            )
            store.add(
                audit=actor.event(
                    "screeningsrun",
                    f"{len(items)} bestand(en)",
                    stored=stored,
                    existing=len(done.existing),
                    failed=len(done.errors),
                    not_reached=len(items) - stored - len(done.existing) - len(done.errors),
                    interrupted=interrupted,
                )
            )
        except SQLAlchemyError:
            pass
    return total


UPLOAD_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def screen_upload(
    store: Store, actor: Actor, submission_id: str, filename: str, content: bytes
) -> BatchResult:
    """A new case version of one submission sent through the web application: read within the
    same limits as a file on disk, refused when it belongs to another submission, screened and
    stored like `kit screen FILE`. Errors name the file as the user called it."""

    actor.may("screen")
    shown = visible(Path(filename or "bestand").name)[:200] or "bestand"
    suffix = Path(filename or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise KitError(
            f"{shown}: geef een YAML- of JSON-bestand (.yaml, .yml of .json) of de ingevulde "
            "inschrijvingswerkmap (.xlsx)"
        )
    if len(content) > max_file_bytes():
        raise KitError(f"{shown}: bestand te groot (meer dan {max_file_bytes() // 2**20} MB)")
    with tempfile.TemporaryDirectory(prefix="kit-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            case = load_case(path)
        except KitError as exc:
            message = exc.message
            renamed = (
                message.renamed(str(path), shown)
                if isinstance(message, Lines)
                else message.replace(str(path), shown)
            )
            raise KitError(renamed) from None
        if case.submission.id != submission_id:
            raise KitError(
                f"{shown}: submission.id: dit bestand hoort bij inschrijving "
                f"{visible(case.submission.id)!r}, niet bij {submission_id!r}"
            )
        result = screen_files([path], store, actor, label=f"web: {shown}")
    result.errors = [message.replace(str(path), shown) for message in result.errors]
    return result
