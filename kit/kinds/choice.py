"""A rule set named on the command line for a comparison (`kit rules impact`, `kit rules diff`):
a shipped version by id, a version's own directory, or a whole directory of versions.

A single version applies on every date (the officer asks "what would kit-2027 do to what we
screened in 2025"); a directory of versions picks by date, as the shipped rules do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kit.errors import RuleError
from kit.kinds.check import CheckReport, check_all, check_ruleset
from kit.kinds.rulesets import load_all, load_ruleset, shipped_rulesets
from kit.paths import rules_dir
from kit.rules.loader import HEADER_FILE, RuleSet, select_ruleset


@dataclass(frozen=True)
class RuleChoice:
    """The rules to compare with: one version (`fixed`) or versions chosen by date."""

    label: str  # as the user named it
    root: Path  # the directory of versions it was read from (what `kit rules check` reads)
    fixed: RuleSet | None = None
    versions: dict[str, RuleSet] = field(default_factory=dict)

    def for_day(self, day: date) -> RuleSet:
        return self.fixed or select_ruleset(self.versions, day)

    def all(self) -> list[RuleSet]:
        return [self.fixed] if self.fixed else sorted(self.versions.values(), key=_start)


def _start(ruleset: RuleSet) -> date:
    return ruleset.in_force_from


def choose(named: str) -> RuleChoice:
    """The rules `named` means: a directory with a ruleset.yaml is one version (its `extends`
    read beside it), another directory a set of versions, anything else a shipped version's id."""
    path = Path(named)
    if path.is_dir():
        if (path / HEADER_FILE).is_file():
            root = path.resolve().parent
            version = load_ruleset(path.resolve().name, root, parents=rules_dir())
            return RuleChoice(named, root, fixed=version)
        return RuleChoice(named, path, versions=load_all(path))
    shipped = shipped_rulesets()
    if named in shipped:
        return RuleChoice(named, rules_dir(), fixed=shipped[named])
    known = ", ".join(sorted(shipped))
    raise RuleError(
        f"{named}: geen regelset en geen map met regelsets; bekende regelsets: {known} "
        f"(of geef een map met een {HEADER_FILE}, of een map met regelsets)"
    )


def checked(choice: RuleChoice) -> list[str]:
    """The problems `kit rules check` finds in the rules chosen, with the same messages (none:
    the rules may be compared): the whole directory of versions, or the one version."""
    if choice.fixed is None:
        return check_all(choice.root).problems
    report = CheckReport()
    check_ruleset(choice.fixed, report)
    return report.problems


def paired(old: RuleChoice, new: RuleChoice) -> list[tuple[RuleSet | None, RuleSet | None]]:
    """The versions to compare: two single versions, or two directories by version id (None
    where a directory lacks that version)."""
    if old.fixed and new.fixed:
        return [(old.fixed, new.fixed)]
    if old.fixed or new.fixed:
        raise RuleError(
            f"{old.label} en {new.label}: vergelijk een regelset met een regelset, of een map met "
            "regelsets met een map met regelsets"
        )
    ids = sorted(set(old.versions) | set(new.versions))
    return [(old.versions.get(i), new.versions.get(i)) for i in ids]
