"""Screening a submission against what the store holds, and keeping the outcome: the history
and the reused documents are read (kit.views.history), the pure screening runs
(kit.screening.screen.screen_round), and the outcomes are stored with the rule-set snapshots
they used."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from kit.case.models import Case
from kit.kinds.rulesets import shipped_rulesets
from kit.rules.snapshot import snapshot_content
from kit.screening.reuse import resolve_reuse
from kit.screening.screen import History, ScreeningOutcome, Unchanged, ruleset_for, screen_round
from kit.store import Expected, Identical, Store
from kit.views.history import history, reused_cases


def screen_submission(
    case: Case,
    as_of: date | None,
    source: str,
    store: Store | None,
    seen: dict[tuple[str, str], History],
    actor: str = "",
    again: bool = False,
    round_policy: bool = True,
) -> ScreeningOutcome:
    """Screen one case as round N of its submission's current review (kit.screening.screen
    .screen_round), with its history and reused documents read from `store`; `seen` holds
    histories already known (a batch of new submissions passes an empty one for each). The same
    case screened before on the same date under the same rules raises Identical."""
    sub = case.submission
    day = as_of or sub.submitted_on
    ruleset_for(day, source).procedure(sub.procedure, source)
    past = history(store, case, seen, source)
    case = resolve_reuse(case, reused_cases(store, case), source)
    try:
        return screen_round(case, day, source, past, actor, again, round_policy)
    except Unchanged as same:
        raise Identical(same.code) from None


def keep_snapshots(db: Store, outcomes: list[ScreeningOutcome]) -> None:
    """Keep the content of the shipped rule sets the outcomes used (replay needs it)."""
    rulesets = shipped_rulesets()
    used = {o.ruleset_sha256: o.ruleset_id for o in outcomes}
    db.keep_snapshots(
        {
            sha: (rid, snapshot_content(rulesets[rid]))
            for sha, rid in used.items()
            if rid in rulesets and rulesets[rid].sha256 == sha
        }
    )


def store_outcomes(
    db: Store,
    outcomes: list[ScreeningOutcome],
    also: Iterable[Any] = (),
    audit: Callable[[list[str]], Any] | None = None,
    expected: Expected | None = None,
    force: bool = False,
) -> list[str]:
    """Keep the rule-set snapshots the outcomes used, then the outcomes themselves with the rows
    that caused them and their audit event (made from the new screening ids), in one transaction.
    `expected` and `force` as in Store.save: Conflict when another screening of a submission
    came in after its history was read, Identical when the same screening is stored."""
    keep_snapshots(db, outcomes)
    return db.save(outcomes, also, audit, expected, force)


def expected_latest(seen: dict[tuple[str, str], History]) -> Expected:
    """What storing must find as each submission's latest screening: what its history saw."""
    return {key: past.latest for key, past in seen.items()}
