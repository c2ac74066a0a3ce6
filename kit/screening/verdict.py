"""Verdict per lot from findings (requirements.md §V), as a pure function.

The ladder (which outcome gives which verdict, in which order) is rule data: the `verdict`
rule of the rule set. A finding counts for the lots of its subject: a provider or board
finding for every lot, a staff or location finding for the lots that staff member or
location serves, a finding with a lot for that lot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from kit.case.models import Submission
from kit.kinds.verdict import VerdictRule
from kit.screening.diff import repair_key


def subject_lots(sub: Submission) -> dict[str, set[str]]:
    """Which active lots each staff member and location serves."""
    active = set(sub.active_lots())
    lots: dict[str, set[str]] = {}
    for member in sub.staff:
        lots[f"staff:{member.id}"] = set[str](member.lots) & active
    for loc in sub.locations:
        lots[f"location:{loc.id}"] = set[str](loc.lots) & active
    return lots


def subject_text(subject: str) -> str:
    """'staff:S03' -> 'medewerker S03', as a reader says it."""
    kind, _, ident = subject.partition(":")
    return {
        "staff": f"medewerker {ident}",
        "location": f"locatie {ident}",
        "board": f"bestuurslid {ident}",
    }.get(kind, "aanbieder")


# The finding outcomes (vocabulary `finding_outcomes`) the lists follow: a repair request sets
# the round deadline, a condition has a due date that toezicht watches.
REPAIR = "herstel"
CONDITION = "voorwaardelijk"


class Judged(Protocol):
    """A finding as the verdict reads it: from the engine (Finding) or the store (FindingRow)."""

    @property
    def subject(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def due(self) -> str | date | None: ...


def lots_of(finding: Judged, active: set[str], by_subject: dict[str, set[str]]) -> set[str]:
    if finding.lot is not None:
        return {finding.lot} & active
    return by_subject.get(finding.subject, active)


def lot_verdicts(
    findings: Iterable[Judged], sub: Submission, rule: VerdictRule, final: bool = False
) -> dict[str, str]:
    """Every registered lot mapped to a verdict; `final` applies the after-last-round verdicts."""
    active = set(sub.active_lots())
    by_subject = subject_lots(sub)
    outcomes: dict[str, set[str]] = {code: set() for code in active}
    everywhere: set[str] = set()
    for finding in findings:
        if finding.status == "voldaan" or finding.outcome is None:
            continue
        for code in lots_of(finding, active, by_subject):
            outcomes[code].add(finding.outcome)
        everywhere.add(finding.outcome)
    verdicts: dict[str, str] = {}
    for reg in sub.lots:
        if reg.withdrawn:
            verdicts[reg.lot] = rule.withdrawn
            continue
        verdicts[reg.lot] = rule.otherwise
        for step in rule.ladder:
            hit = step.outcome in (everywhere if step.all_lots else outcomes[reg.lot])
            if hit:
                verdicts[reg.lot] = (step.final_verdict or step.verdict) if final else step.verdict
                break
    return verdicts


def repair_keys(findings: Iterable[Any], sub: Submission) -> dict[str, list[str]]:
    """Per registered lot, the open `herstel` findings that count for it, by repair_key (what a
    repair request names, P2); none for a withdrawn lot."""
    active = set(sub.active_lots())
    by_subject = subject_lots(sub)
    keys: dict[str, set[str]] = {reg.lot: set() for reg in sub.lots}
    for finding in findings:
        if finding.status != "voldaan" and finding.outcome == REPAIR:
            key = repair_key(finding)
            for lot in lots_of(finding, active, by_subject):
                keys[lot].add(key)
    return {lot: sorted(found) for lot, found in keys.items()}


def summary(
    findings: Sequence[Judged], sub: Submission, rule: VerdictRule, final: bool
) -> dict[str, Any]:
    """What the lists read of a screening (kit.views.standing), kept with it so that a list of the
    region need not parse every case: per lot the verdict, the verdict once the rounds are
    closed (P3), the open findings per outcome (None for a withdrawn lot) and the next due date
    of an open condition, and the open `herstel` findings that count for it (their repair_key:
    what a repair request names, P2); the staff in an EVC trajectory (S2); whether it asks for
    repair."""
    active = set(sub.active_lots())
    by_subject = subject_lots(sub)
    now = lot_verdicts(findings, sub, rule, final=final)
    closed = lot_verdicts(findings, sub, rule, final=True)
    open_findings = [f for f in findings if f.status != "voldaan" and f.outcome is not None]
    repairs = repair_keys(open_findings, sub)
    lots: dict[str, Any] = {}
    for reg in sub.lots:
        mine = [f for f in open_findings if reg.lot in lots_of(f, active, by_subject)]
        dues = [str(f.due) for f in mine if f.outcome == CONDITION and f.due]
        lots[reg.lot] = {
            "verdict": now[reg.lot],
            "final": closed[reg.lot],
            "open": None if reg.withdrawn else dict(Counter(str(f.outcome) for f in mine)),
            "next_due": min(dues) if dues else None,
            "repair": repairs[reg.lot],
        }
    evc = [
        {
            "staff": m.id,
            "function": m.function,
            "lots": list(m.lots),
            "until": m.evc.expected_completion.isoformat()
            if m.evc and m.evc.expected_completion
            else None,
        }
        for m in sub.staff
        if not m.declarable
    ]
    return {
        "lots": lots,
        "evc": evc,
        "asks_repair": any(f.outcome == REPAIR for f in open_findings),
    }
