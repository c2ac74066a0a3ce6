"""Screen case files end to end: parse, pick the rule set, evaluate, verdict, store.

This is the library call behind `kit screen`; a portal or web front end calls the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kit.case import Case, case_files, load_case
from kit.engine import Finding, engine_for, engine_version
from kit.errors import KitError
from kit.rules.loader import RuleSet, select_ruleset, shipped_rulesets
from kit.store import Store
from kit.verdict import lot_verdicts


@dataclass
class ScreeningOutcome:
    case: Case
    source: str
    as_of: date
    ruleset_id: str
    ruleset_sha256: str
    engine_version: str
    findings: list[Finding]
    lots: dict[str, str]
    risk: str | None
    screening_id: str | None = None
    reason: str = "screening"
    final: bool = False
    actor: str = ""

    def to_result(self) -> dict[str, Any]:
        """The result object of spec/case-format.md."""
        sub = self.case.submission
        return {
            "screening_id": self.screening_id,
            "submission_id": sub.id,
            "provider_kvk": sub.provider.kvk,
            "procedure": sub.procedure,
            "round": sub.round,
            "as_of": self.as_of.isoformat(),
            "ruleset": {"id": self.ruleset_id, "sha256": self.ruleset_sha256},
            "lots": self.lots,
            "risk": self.risk,
            "findings": [f.to_result() for f in self.findings],
        }

    def open_findings(self, lot: str) -> int:
        """Non-satisfied findings that count for `lot` (signals excluded)."""
        from kit.verdict import lots_of, subject_lots

        active = set(self.case.submission.active_lots())
        by_subject = subject_lots(self.case.submission)
        return sum(1 for f in self.findings
                   if f.status != "voldaan" and f.outcome != "signaal" and lot in lots_of(f, active, by_subject))


@dataclass
class BatchResult:
    outcomes: list[ScreeningOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def screen_case(case: Case, as_of: date | None = None, source: str = "",
                rulesets: dict[str, RuleSet] | None = None) -> ScreeningOutcome:
    """Evaluate one parsed case (nothing stored). The as-of date defaults to its submission date."""
    sub = case.submission
    day = as_of or sub.submitted_on
    try:
        ruleset = select_ruleset(rulesets or shipped_rulesets(), day)
    except KitError as exc:
        raise type(exc)(f"{source}: {exc.message}" if source else exc.message) from None
    result = engine_for(ruleset).evaluate(sub, day, source)
    return ScreeningOutcome(
        case=case, source=source, as_of=day, ruleset_id=ruleset.id, ruleset_sha256=ruleset.sha256,
        engine_version=engine_version(), findings=result.findings,
        lots=lot_verdicts(result.findings, sub, ruleset.verdict()), risk=result.risk,
    )


def screen(paths: Iterable[Path | str], as_of: date | None = None, db_url: str | None = None,
           store: bool = True, progress: Callable[[int], None] | None = None) -> BatchResult:
    """Screen every case file under `paths`; bad cases are reported and skipped, the rest stored."""
    batch = BatchResult()
    for path in case_files([Path(p) for p in paths]):
        try:
            batch.outcomes.append(screen_case(load_case(path), as_of, str(path)))
        except KitError as exc:
            batch.errors.append(exc.message)
        if progress is not None:
            progress(1)
    if store and batch.outcomes:
        Store(db_url).save(batch.outcomes)
    return batch
