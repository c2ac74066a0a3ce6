"""Re-screening as library calls, each storing its screenings and audit event in one
transaction: a provider on a later date, after a board change, or the whole region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from kit.case.history import Prior
from kit.screening.rescreen import not_ahead, prior_after, rescreen_board, rescreen_date
from kit.screening.screen import ScreeningOutcome
from kit.services.actor import Actor
from kit.services.batch import Report, rescreen_stored
from kit.services.outcomes import store_outcomes
from kit.store import ScreeningRow, Store


def _prior(store: Store, base: ScreeningRow) -> Prior:
    """What a re-screen of `base` honours (kit.screening.rescreen.prior_after)."""
    return prior_after(base, store.exclusions([base.id or 0]).get(base.id or 0, []))


def _stored(
    store: Store, actor: Actor, base: ScreeningRow, outcome: ScreeningOutcome, reason: str
) -> None:
    sub = outcome.case.submission
    subject = sub.id
    store_outcomes(
        store,
        [outcome],
        expected={(sub.procedure, sub.id): base.pk},  # re-screened on top of this one
        force=True,  # a re-screen on the same date is asked for, and stored
        audit=lambda codes: actor.event(
            "herscreening",
            subject,
            screening=codes[0],
            follows=base.code,
            reason=reason,
            as_of=outcome.as_of.isoformat(),
        ),
    )


def rescreen_provider(
    store: Store, actor: Actor, kvk: str, as_of: date
) -> tuple[ScreeningRow, ScreeningOutcome]:
    """The provider's last case again on a later date (M1): documents age, registrations expire."""
    actor.may("rescreen")
    base = store.latest_screening_of_provider(kvk)
    outcome = rescreen_date(base, _prior(store, base), as_of, actor.name)
    _stored(store, actor, base, outcome, "peildatum")
    return base, outcome


def rescreen_board_change(
    store: Store, actor: Actor, kvk: str, board_file: Path, as_of: date | None
) -> tuple[ScreeningRow, ScreeningOutcome]:
    """The integrity part again for the new board (M3), on top of the provider's last screening."""
    actor.may("rescreen")
    base = store.latest_screening_of_provider(kvk)
    findings = store.findings(base.pk)
    outcome = rescreen_board(base, _prior(store, base), findings, board_file, as_of, actor.name)
    _stored(store, actor, base, outcome, "bestuurswisseling")
    return base, outcome


def rescreen_region(
    store: Store, actor: Actor, as_of: date, progress: Callable[[Report], None] | None = None
) -> Report:
    """Every stored submission again on `as_of`, in worker processes; each batch stores its
    screenings and its audit event in one transaction."""
    actor.may("rescreen")
    not_ahead(as_of)
    return rescreen_stored(store.url, as_of, actor=actor, progress=progress)
