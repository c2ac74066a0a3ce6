"""Toezicht's worklist (M4, S2): every open condition (`voorwaardelijk`) of the latest screening
of each submission, with its due date, and the staff that are not declarable yet.

Only the latest screening of a submission counts: a condition closed by a later case version
(kit documents add, kit screen) is gone from the list. Overdue means due before the as-of date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from kit.engine.messages import shared_texts
from kit.screening.policy import SUPERVISOR, message_for
from kit.screening.verdict import CONDITION
from kit.store import Store
from kit.views.standing import Filter, Standing, is_overdue, standings


@lru_cache(maxsize=4096)
def rule_title(ruleset_id: str, rule_id: str, fallback: str) -> str:
    """The Dutch title of the rule behind a finding, so every role sees what is owed."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.kinds.rulesets import shipped_rulesets

    ruleset = shipped_rulesets().get(ruleset_id)
    try:
        return ruleset.rule(rule_id).title if ruleset is not None else fallback
    except KeyError:
        return fallback


@dataclass
class Condition:
    submission_id: str
    provider_name: str
    provider_kvk: str
    screening_id: str
    lot: str | None
    subject: str
    rule: str
    title: str
    status: str
    message: str
    due: date | None
    overdue: bool


@dataclass
class NotDeclarable:
    submission_id: str
    provider_name: str
    provider_kvk: str
    staff: str
    function: str
    lots: list[str]
    reason: str
    until: date | None
    overdue: bool


@dataclass
class MonitorReport:
    as_of: date
    role: str
    conditions: list[Condition] = field(default_factory=list)
    not_declarable: list[NotDeclarable] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.conditions) + sum(s.overdue for s in self.not_declarable)

    def to_json(self) -> list[dict[str, Any]]:
        """One list, each item with its kind: `voorwaarde` (an open condition) or
        `niet-declarabel` (a staff member in an EVC trajectory); `overdue` marks the late ones."""

        def plain(kind: str, item: Any) -> dict[str, Any]:
            data = asdict(item)
            return {"soort": kind} | {
                k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()
            }

        return [plain("voorwaarde", c) for c in self.conditions] + [
            plain("niet-declarabel", s) for s in self.not_declarable
        ]


def _by_due(due: date | None) -> tuple[bool, date]:
    return (due is None, due or date.max)


# Over 60 lines: the two parts of the monitor (open conditions, staff who may not be declared)
# read in one pass over the standings, with the same filter applied to both.
def monitor(
    store: Store,
    as_of: date,
    role: str,
    chosen: Filter | None = None,
    read: list[Standing] | None = None,
) -> MonitorReport:
    """Every open condition and every non-declarable staff member, by due date, narrowed to
    `chosen`; `read`: the standings already read (the web application keeps them)."""
    chosen = chosen or Filter()
    report = MonitorReport(as_of, role)
    read = standings(store, chosen) if read is None else [s for s in read if chosen.admits(s)]
    latest = {s.screening_pk: s for s in read}
    for f in store.open_findings_of_latest(CONDITION):
        standing = latest.get(f.screening_pk)
        if standing is None or not chosen.admits_lot(standing, f.lot, as_of):
            continue
        if not chosen.admits_due(f.due, as_of):
            continue
        report.conditions.append(
            Condition(
                standing.submission_id,
                standing.provider_name,
                standing.provider_kvk,
                standing.screening_id,
                f.lot,
                f.subject,
                f.rule,
                rule_title(standing.ruleset_id, f.rule, f.requirement),
                f.status,
                message_for(role, f),
                f.due,
                is_overdue(f.due, as_of),
            )
        )
    texts = shared_texts()["not_declarable"]
    sees = role == SUPERVISOR  # an EVC trajectory says a diploma is missing: toezicht only
    for standing in latest.values():
        for member in standing.evc:
            until = date.fromisoformat(member["until"]) if member["until"] else None
            if chosen.lot is not None and chosen.lot not in member["lots"]:
                continue
            if not chosen.admits_due(until, as_of):
                continue
            report.not_declarable.append(
                NotDeclarable(
                    standing.submission_id,
                    standing.provider_name,
                    standing.provider_kvk,
                    member["staff"],
                    member["function"],
                    list(member["lots"]),
                    texts["evc"] if sees else texts["neutral"],
                    # Who does not count yet, and until when, every role reads in the condition
                    # rows for that member too; why (an EVC trajectory) is toezicht's.
                    until,
                    is_overdue(until, as_of),
                )
            )
    report.conditions.sort(
        key=lambda c: (
            _by_due(c.due),
            c.provider_name,
            c.submission_id,
            c.lot or "",
            c.subject,
            c.rule,
        )
    )
    report.not_declarable.sort(
        key=lambda s: (_by_due(s.until), s.provider_name, s.submission_id, s.staff)
    )
    return report
