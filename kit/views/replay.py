"""Replay a stored screening from its stored case and rule-set snapshot, and say whether the
findings are identical or what differs and why (rule set changed, engine changed). Before it
trusts what is stored, it checks the case against the hash stored with it, and the rule-set
snapshot against its content hash: what no longer matches is named, and the replay does not
count as identical."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from kit.case.history import Prior
from kit.case.stored import stored_case
from kit.engine import engine_version
from kit.errors import KitError
from kit.kinds.rulesets import ruleset_from_snapshot, shipped_rulesets, snapshot_problem
from kit.screening.rescreen import partial
from kit.screening.screen import screen_case
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
    altered: list[str] = field(default_factory=list)  # stored data that no longer matches its hash

    def to_json(self) -> dict[str, Any]:
        def rows(found: list[Row]) -> list[dict[str, Any]]:
            return [dict(zip(FIELDS, row, strict=True)) for row in found]

        return {
            "screening_id": self.code,
            "identical": self.identical,
            "reasons": self.reasons,
            "altered": self.altered,
            "lots_then": self.lots_before,
            "lots_now": self.lots_after,
            "only_then": rows(self.missing),
            "only_now": rows(self.extra),
        }


# Over 60 lines: each thing that can make a replay differ (the case's hash, the rule-set
# snapshot, the engine version, the findings, the verdicts) checked in turn, each with its reason.
def replay(store: Store, code: str) -> ReplayReport:
    row = store.screening(code)
    reasons: list[str] = []
    altered: list[str] = []
    case_sha = hashlib.sha256(row.case_json.encode("utf-8")).hexdigest()
    if case_sha != row.case_sha256:
        altered.append(
            f"de opgeslagen casus klopt niet met haar hash ({row.case_sha256[:12]}…, berekend "
            f"{case_sha[:12]}…): ze is na de screening gewijzigd"
        )
    current = shipped_rulesets().get(row.ruleset_id)
    snapshot = store.snapshot(row.ruleset_sha256)
    problem = snapshot_problem(snapshot.content, row.ruleset_sha256) if snapshot else None
    if problem:
        altered.append(problem)
    if current is not None and current.sha256 == row.ruleset_sha256:
        ruleset = current
    elif snapshot is not None and not problem:
        ruleset = ruleset_from_snapshot(snapshot.content, row.ruleset_sha256)
        reasons.append(
            f"de regelset {row.ruleset_id} is sinds deze screening gewijzigd; herhaald met de "
            "opgeslagen versie"
        )
    elif current is not None:
        ruleset = current
        kept = "is niet te vertrouwen" if problem else "is niet opgeslagen"
        reasons.append(
            f"de regelset {row.ruleset_id} is gewijzigd (hash {row.ruleset_sha256[:12]}… → "
            f"{current.sha256[:12]}…) en de oude versie {kept}; herhaald met de huidige"
        )
    else:
        raise KitError(f"{code}: regelset {row.ruleset_id} bestaat niet meer en is niet opgeslagen")
    if engine_version() != row.engine_version:
        reasons.append(f"de engine is gewijzigd ({row.engine_version} → {engine_version()})")
    try:
        case = stored_case(row.case_json, row.code)
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
            findings = store.findings(base.pk)
            outcome = partial(ruleset, row.reason, outcome, base, findings, case, row.final)
        stored = [_row(f) for f in store.findings(row.pk)]
    except (KitError, ValueError, TypeError, KeyError):
        # What is stored cannot be read back: it was changed after the screening.
        altered.append(
            "de opgeslagen screening is onleesbaar (casus, voorgeschiedenis of "
            "bevindingen); ze is na de screening gewijzigd"
        )
        return ReplayReport(code, False, reasons, altered=altered)
    again = [_row(f) for f in outcome.findings]
    report = ReplayReport(
        code,
        False,
        reasons,
        missing=[f for f in stored if f not in again],
        extra=[f for f in again if f not in stored],
        lots_before=store.verdicts(row.pk),
        lots_after=outcome.lots,
        altered=altered,
    )
    report.identical = (
        not altered
        and stored == again
        and report.lots_before == report.lots_after
        and row.risk == outcome.risk
    )
    return report
