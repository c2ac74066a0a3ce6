"""A stored screening as its result object (spec/case-format.md), read-only: what `kit show`
prints and the web application serves, with messages as the reader's role may read them."""

from __future__ import annotations

import json
from typing import Any

from kit.case import parse_case
from kit.errors import KitError
from kit.roles import message_for
from kit.store import ScreeningRow, Store


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
    sub = parse_case(json.loads(row.case_json), row.code).submission
    findings = store.findings(row.pk)
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
        **({"rerun": json.loads(row.rerun)} if row.rerun else {}),
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
                "evidence": json.loads(f.evidence),
                "due": f.due.isoformat() if f.due else None,
            }
            for f in findings
        ],
        "not_applicable": json.loads(row.not_applicable_json or "[]"),
    }
