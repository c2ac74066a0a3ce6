"""Kind `qualified_staff` (S7), an aggregate: each lot has at least one qualified, declarable care
worker, judged from the per-staff findings of the rules it names (`qualified_by`)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from kit.engine.aggregate import Aggregated
from kit.engine.findings import propose
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase
from kit.vocab.codes import RequirementCode, StaffFunction

if TYPE_CHECKING:
    from kit.engine.findings import Finding


class Situation(StrEnum):
    OK = "ok"
    JUDGING = "judging"
    PENDING = "pending"
    MISSING = "missing"


S = Situation


class QualifiedStaffRule(RuleBase):
    kind: Literal["qualified_staff"]
    requirement: RequirementCode = "gekwalificeerd-personeel"
    functions: list[StaffFunction] = Field(min_length=1)
    qualified_by: list[str] = Field(min_length=1)


def aggregate(rule: QualifiedStaffRule, agg: Aggregated) -> tuple[list[Finding], str | None]:
    by_staff: dict[tuple[str, str | None], list[Finding]] = {}
    qualifying_rules = set(rule.qualified_by)
    for finding in agg.findings:
        if finding.rule in qualifying_rules and finding.subject.startswith("staff:"):
            by_staff.setdefault((finding.subject[6:], finding.lot), []).append(finding)
    lots = set(rule.applies.lot_filter().lot_codes())
    out = []
    for code in agg.sub.active_lots():
        if code not in lots:
            continue
        qualified: list[str] = []
        pending: list[tuple[str | None, str]] = []
        judging: list[str] = []
        for member in agg.sub.staff:
            if code not in member.lots or member.function not in rule.functions:
                continue
            own = by_staff.get((member.id, code), []) + by_staff.get((member.id, None), [])
            if not own:
                continue
            if member.declarable and all(f.status == "voldaan" for f in own):
                qualified.append(member.id)
            elif all(f.status == "voldaan" or f.outcome == "voorwaardelijk" for f in own):
                dues = [f.due for f in own if f.due]
                if member.evc is not None and member.evc.expected_completion:
                    dues.append(member.evc.expected_completion.isoformat())
                pending.append((max(dues) if dues else None, member.id))
            elif all(
                f.status == "voldaan" or f.outcome in ("voorwaardelijk", "beoordeling") for f in own
            ):
                judging.append(member.id)
        due: str | None = None
        evidence: list[str] = []
        if qualified:
            status, outcome, situation, evidence = "voldaan", None, S.OK, sorted(qualified)
        elif judging:
            status, outcome, situation = "onbepaald", "beoordeling", S.JUDGING
        elif pending:
            due = min((d for d, _ in pending if d), default=None)
            status, outcome, situation = "niet-voldaan", "voorwaardelijk", S.PENDING
        else:
            status, outcome, situation = "niet-voldaan", rule.outcome, S.MISSING
        out.append(
            propose(
                rule,
                situation,
                status,
                outcome,
                rule.finding_requirement(),
                vocab=agg.vocab,
                lot=code,
                evidence=evidence,
                due=due,
                params={"count": len(qualified)},
                order=agg.order,
            )
        )
    return out, None


SPEC = KindSpec(
    name="qualified_staff",
    model=QualifiedStaffRule,
    situations=Situation,
    aggregate=aggregate,
    stage=1,
)
