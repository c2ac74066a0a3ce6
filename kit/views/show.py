"""A stored screening as its result object (spec/case-format.md), read-only: what `kit show`
prints and the web application serves, with messages as the reader's role may read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kit.case.stored import stored_case, stored_json
from kit.errors import KitError
from kit.screening.policy import message_for, visible_result
from kit.store import ScreeningRow, Store

if TYPE_CHECKING:
    from kit.screening.screen import ScreeningOutcome


def find_screening(store: Store, ref: str) -> ScreeningRow:
    """A screening by its code (SCR-…), or the latest screening of a submission by its id."""
    if ref.upper().startswith("SCR-"):
        return store.screening(ref)
    submission = store.submission(ref)
    assert submission.id is not None
    screenings = store.screenings_of(submission.id)
    if not screenings:
        raise KitError(f"inschrijving {ref!r} heeft nog geen screening")
    return screenings[-1]


def stored_result(store: Store, row: ScreeningRow, role: str) -> dict[str, Any]:
    """The result object of a stored screening, as `role` may read it."""
    assert row.id is not None
    sub = stored_case(row.case_json, row.code).submission
    findings = store.findings(row.pk)
    where = f"screening {row.code}"
    return {
        "screening_id": row.code,
        "submission_id": sub.id,
        "provider_kvk": sub.provider.kvk,
        "procedure": sub.procedure,
        "round": row.round,
        "as_of": row.as_of.isoformat(),
        "ruleset": {"id": row.ruleset_id, "sha256": row.ruleset_sha256},
        "lots": store.verdicts(row.pk),
        "risk": row.risk,
        **({"rerun": stored_json(row.rerun, f"{where}, veld rerun")} if row.rerun else {}),
        "findings": [
            {
                "rule": f.rule,
                "requirement": f.requirement,
                "subject": f.subject,
                "lot": f.lot,
                "status": f.status,
                "outcome": f.outcome,
                "message": message_for(role, f),
                "basis": f.basis,
                "evidence": f.evidence_list(),
                "due": f.due.isoformat() if f.due else None,
            }
            for f in findings
        ],
        "not_applicable": stored_json(row.not_applicable_json, f"{where}, veld not_applicable", []),
    }


def standing_now(store: Store, row: ScreeningRow, submission_id: str, today: date) -> Any:
    """Where the submission stands on `today` when `row` is its latest screening and its
    verdicts stand otherwise now (kit.screening.rounds): a lot afgewezen since (P3: a repair
    request that named its open herstel finding ran out, or the last round left it open), as the
    central list and the decision letter say. None while the screening's own verdicts hold."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.views.submission import submission_state

    state = submission_state(store, submission_id)
    if state.latest.pk != row.pk:
        return None
    rounds = state.rounds(today)
    if rounds.verdicts == store.verdicts(row.pk):
        return None
    reason = (
        "; ".join(dict.fromkeys(rounds.reasons.values()))
        if rounds.reasons
        # Stored by the old model as afgewezen, where no request named what is open (P3).
        else "wat nog hersteld moet worden, is nog in geen herstelverzoek gevraagd"
    )
    return {
        "as_of": today.isoformat(),
        "final": bool(rounds.reasons),
        "reason": reason,
        "reasons": dict(rounds.reasons),
        "lots": dict(rounds.verdicts),
    }


@dataclass(frozen=True)
class Shown:
    """A screening as the command line lists it beside others: provider, result, open findings
    per lot (signals not counted)."""

    provider_name: str
    result: dict[str, Any]
    open_per_lot: dict[str, int | None]


def _open_per_lot(summary: dict[str, Any]) -> dict[str, int | None]:
    return {
        lot: None
        if kept["open"] is None
        else sum(n for outcome, n in kept["open"].items() if outcome != "signaal")
        for lot, kept in summary["lots"].items()
    }


def shown_outcome(outcome: ScreeningOutcome, role: str) -> Shown:

    return Shown(
        outcome.case.submission.provider.name,
        visible_result(outcome, role),
        _open_per_lot(outcome.summary),
    )


def shown_stored(store: Store, code: str, role: str) -> Shown:
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.views.standing import summary_of

    row = store.screening(code)
    summary = stored_json(
        row.summary_json, f"screening {row.code}, veld summary_json"
    ) or summary_of(store, row.pk, row.final)
    result = stored_result(store, row, role)
    name = stored_case(row.case_json, row.code).submission.provider.name
    return Shown(name, result, _open_per_lot(summary))
