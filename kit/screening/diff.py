"""Differences between two screenings: which open findings are new, resolved or still open."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, str, str, str, str]


def finding_key(finding: Any) -> Key:
    return (
        finding.rule,
        finding.requirement,
        finding.subject,
        finding.lot or "",
        finding.item or "",
    )


SEPARATOR = "|"  # in no rule id, code or case id (ids are [A-Za-z0-9_.-]): a key splits back


def repair_key(finding: Any) -> str:
    """The finding's key (finding_key) as one stable text: how a screening's summary and a
    repair request name a finding (P2), so that the same finding is recognised in later
    screenings."""
    return joined_key(finding_key(finding))


def joined_key(parts: Iterable[str]) -> str:
    """A finding key (rule, requirement, subject, lot, item) as its repair_key text."""
    return SEPARATOR.join(parts)


def key_parts(key: str) -> list[str]:
    """A repair_key text back as the finding key's five parts."""
    return key.split(SEPARATOR)


@dataclass
class FindingDiff:
    new: list[Any] = field(default_factory=list)
    resolved: list[Any] = field(default_factory=list)
    still_open: list[Any] = field(default_factory=list)
    changed: list[tuple[Any, Any]] = field(default_factory=list)  # open in both, other outcome

    def is_empty(self) -> bool:
        return not (self.new or self.resolved or self.changed)


def diff_findings(before: Iterable[Any], after: Iterable[Any]) -> FindingDiff:
    """Compare the open (not satisfied) findings of two screenings by rule, requirement, subject,
    lot."""
    old = {finding_key(f): f for f in before if f.status != "voldaan"}
    new = {finding_key(f): f for f in after if f.status != "voldaan"}
    result = FindingDiff()
    for key, finding in new.items():
        if key not in old:
            result.new.append(finding)
        elif (old[key].status, old[key].outcome) != (finding.status, finding.outcome):
            result.changed.append((old[key], finding))
        else:
            result.still_open.append(finding)
    resolved = [f for key, f in old.items() if key not in new]
    # An open finding that moves to another rule for the same requirement and subject is not
    # resolved: an exclusion carried into a later round (E7) stays an exclusion. Where several
    # new findings could be its successor (the carried exclusion and the judgement of the
    # changed answer), the one with the same outcome is.
    moved: dict[tuple[str, str, str], list[Any]] = {}
    for f in result.new:
        moved.setdefault((f.requirement, f.subject, f.lot or ""), []).append(f)
    for finding in resolved:
        candidates = moved.get((finding.requirement, finding.subject, finding.lot or ""), [])
        same = [f for f in candidates if f.outcome == finding.outcome]
        successor = (same or candidates or [None])[0]
        if successor is None:
            result.resolved.append(finding)
        else:
            candidates.remove(successor)
            result.new.remove(successor)
            result.changed.append((finding, successor))
    return result
