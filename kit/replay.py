"""Replay a stored screening from its stored case and rule-set snapshot, and say whether the
findings are identical or what differs and why (rule set changed, engine changed)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kit.engine import engine_version
from kit.errors import KitError
from kit.prior import Prior
from kit.rescreen import partial, stored_case
from kit.rules.loader import shipped_rulesets
from kit.rules.snapshot import ruleset_from_snapshot
from kit.screening import screen_case
from kit.store import Store

FIELDS = (
    "rule",
    "requirement",
    "subject",
    "lot",
    "item",
    "status",
    "outcome",
    "message",
    "basis",
    "evidence",
    "due",
)


Row = tuple[Any, ...]


def _row(f: object) -> Row:
    values = []
    for name in FIELDS:
        value = getattr(f, name)
        if name == "evidence":
            value = tuple(json.loads(value)) if isinstance(value, str) else tuple(value)
        if name == "due" and value is not None and not isinstance(value, str):
            value = value.isoformat()
        values.append(value)
    return tuple(values)


@dataclass
class ReplayReport:
    code: str
    identical: bool
    reasons: list[str] = field(default_factory=list)
    missing: list[Row] = field(default_factory=list)  # stored, not reproduced
    extra: list[Row] = field(default_factory=list)  # reproduced, not stored
    lots_before: dict[str, str] = field(default_factory=dict)
    lots_after: dict[str, str] = field(default_factory=dict)


def replay(store: Store, code: str) -> ReplayReport:
    row = store.screening(code)
    reasons: list[str] = []
    current = shipped_rulesets().get(row.ruleset_id)
    snapshot = store.snapshot(row.ruleset_sha256)
    if current is not None and current.sha256 == row.ruleset_sha256:
        ruleset = current
    elif snapshot is not None:
        ruleset = ruleset_from_snapshot(snapshot.content, row.ruleset_sha256)
        reasons.append(
            f"de regelset {row.ruleset_id} is sinds deze screening gewijzigd; herhaald met de "
            "opgeslagen versie"
        )
    elif current is not None:
        ruleset = current
        reasons.append(
            f"de regelset {row.ruleset_id} is gewijzigd (hash {row.ruleset_sha256[:12]}… → "
            f"{current.sha256[:12]}…) en de oude versie is niet opgeslagen"
        )
    else:
        raise KitError(f"{code}: regelset {row.ruleset_id} bestaat niet meer en is niet opgeslagen")
    if engine_version() != row.engine_version:
        reasons.append(f"de engine is gewijzigd ({row.engine_version} → {engine_version()})")
    case = stored_case(row)
    outcome = screen_case(
        case,
        row.as_of,
        row.source,
        final=row.final,
        ruleset=ruleset,
        prior=Prior.from_json(row.prior_json),
    )
    if row.base_screening_pk is not None:
        base = store.screening(f"SCR-{row.base_screening_pk}")
        outcome = partial(ruleset, row.reason, outcome, base, store.findings(base.pk), case)
    stored = [_row(f) for f in store.findings(row.pk)]
    again = [_row(f) for f in outcome.findings]
    report = ReplayReport(
        code,
        False,
        reasons,
        missing=[f for f in stored if f not in again],
        extra=[f for f in again if f not in stored],
        lots_before=store.verdicts(row.pk),
        lots_after=outcome.lots,
    )
    report.identical = (
        stored == again and report.lots_before == report.lots_after and row.risk == outcome.risk
    )
    return report
