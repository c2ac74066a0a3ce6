"""Toezicht's worklist (M4, S2): every open condition (`voorwaardelijk`) of the latest screening
of each submission, with its due date, and the staff that are not declarable yet.

Only the latest screening of a submission counts: a condition closed by a later case version
(kit documents add, kit screen) is gone from the list. Overdue means due before the as-of date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from kit.rescreen import stored_case
from kit.roles import message_for
from kit.store import ScreeningRow, Store, SubmissionRow
from kit.verdict import subject_text  # noqa: F401  (also used by kit.report)

CONDITION = "voorwaardelijk"


def latest_screenings(store: Store) -> list[tuple[SubmissionRow, ScreeningRow]]:
    return store.latest_screenings()


def rule_title(ruleset_id: str, rule_id: str, fallback: str) -> str:
    """The Dutch title of the rule behind a finding, so every role sees what is owed."""
    from kit.rules.loader import shipped_rulesets

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

    def to_json(self) -> dict[str, Any]:
        def plain(item: Any) -> dict[str, Any]:
            data = asdict(item)
            return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}

        return {
            "as_of": self.as_of.isoformat(),
            "role": self.role,
            "overdue": self.overdue,
            "conditions": [plain(c) for c in self.conditions],
            "not_declarable": [plain(s) for s in self.not_declarable],
        }


def _overdue(due: date | None, as_of: date) -> bool:
    return due is not None and due < as_of


def _by_due(due: date | None) -> tuple[bool, date]:
    return (due is None, due or date.max)


def monitor(store: Store, as_of: date, role: str) -> MonitorReport:
    """Every open condition and every non-declarable staff member, by due date."""
    report = MonitorReport(as_of, role)
    latest = latest_screenings(store)
    conditions = store.open_findings([scr.id for _, scr in latest if scr.id is not None], CONDITION)
    for sub, scr in latest:
        for f in conditions[scr.pk]:
            report.conditions.append(
                Condition(
                    sub.submission_id,
                    sub.provider_name,
                    sub.provider_kvk,
                    scr.code,
                    f.lot,
                    f.subject,
                    f.rule,
                    rule_title(scr.ruleset_id, f.rule, f.requirement),
                    f.status,
                    message_for(role, f),
                    f.due,
                    _overdue(f.due, as_of),
                )
            )
        for member in stored_case(scr).submission.staff:
            if member.evc is None or member.evc.status != "lopend":
                continue
            until = member.evc.expected_completion
            report.not_declarable.append(
                NotDeclarable(
                    sub.submission_id,
                    sub.provider_name,
                    sub.provider_kvk,
                    member.id,
                    member.function,
                    list(member.lots),
                    "EVC-traject loopt; telt niet mee voor de eisen (S2)",
                    until,
                    _overdue(until, as_of),
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
