"""`kit rules check`: load every version (which validates each rule) and check the set.

Static checks in the spirit of decision-table tools: versions whose dates overlap, rules
whose scope can never match a lot, and two rules checking the same requirement for the same
scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from kit.engine.compiler import compile_ruleset, fields_read
from kit.engine.facts import fields_made
from kit.errors import KitError
from kit.kinds.rulesets import load_all
from kit.paths import rules_dir
from kit.rules.criteria import criteria_problems
from kit.rules.loader import RuleSet
from kit.rules.model import Applies
from kit.rules.sanity import reversed_period, rule_problems
from kit.vocab.vocabulary import load_vocabulary, vocabulary


@dataclass
class CheckReport:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _can_match(applies: Applies) -> bool:
    if not applies.lot_filter().is_empty() and not applies.lot_filter().lot_codes():
        return False
    if applies.workers is not None and not applies.workers.lot_codes():
        return False
    if (
        applies.employees_min is not None
        and applies.employees_max is not None
        and applies.employees_min > applies.employees_max
    ):
        return False
    if (
        applies.fte_min is not None
        and applies.fte_max is not None
        and applies.fte_min > applies.fte_max
    ):
        return False
    if applies.from_ is not None and applies.until is not None and applies.from_ > applies.until:
        return False
    return applies.any is None or any(_can_match(sub) for sub in applies.any)


def check_ruleset(ruleset: RuleSet, report: CheckReport) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for rule in ruleset.rules:
        source = ruleset.sources[rule.id]
        report.problems.extend(f"{source}: regel {rule.id}: {p}" for p in rule_problems(rule))
        if not _can_match(rule.applies):
            report.problems.append(
                f"{source}: regel {rule.id}: applies: deze reikwijdte past op geen "
                "enkel perceel of aanbieder; de regel kan nooit gelden"
            )
        if (
            rule.applies.from_ is not None
            and ruleset.in_force_until is not None
            and rule.applies.from_ > ruleset.in_force_until
        ):
            report.problems.append(
                f"{source}: regel {rule.id}: applies.from: ligt na het einde van "
                f"{ruleset.id}; de regel kan nooit gelden"
            )
        requirement = rule.finding_requirement()
        if requirement and rule.kind not in ("exclusion_ground", "indicator"):
            # Besides `applies`, what a kind selects by: per what it checks, and which staff
            # (by employment, or the owner in person against everyone else: S6).
            selects = [str(getattr(rule, name, "")) for name in ("per", "employment", "owner")]
            key = (rule.kind, requirement, rule.applies.model_dump_json() + "|".join(selects))
            if key in seen:
                report.problems.append(
                    f"{source}: regel {rule.id}: controleert dezelfde eis "
                    f"({requirement}) voor dezelfde reikwijdte als regel {seen[key]}"
                )
            seen[key] = rule.id
    report.problems += criteria_problems(ruleset.rules, ruleset.sources)
    report.problems += unmade_fields(ruleset)


def unmade_fields(ruleset: RuleSet) -> list[str]:
    """A rule whose patterns read a field no fact builder makes (kit.engine.fact_types): such a
    pattern never matches, silently, in durable_rules."""
    productions, counters = compile_ruleset(ruleset, vocabulary())
    made = fields_made(counters)
    problems = []
    for rule_id, reads in fields_read(productions).items():
        for fact_type, name in sorted(reads):
            if name not in made.get(fact_type, ()):
                problems.append(
                    f"{ruleset.sources[rule_id]}: regel {rule_id}: leest veld {name!r} van feit "
                    f"{fact_type!r}, dat geen feitbouwer maakt (kit/engine/fact_types.py): "
                    "de regel kan nooit gelden"
                )
    return problems


def check_all(root: Path | None = None) -> CheckReport:
    report = CheckReport()
    # Every rule set is read against the vocabulary: a broken one is the first problem. A rule
    # directory without its own vocabulary uses the shipped one.
    own = (root or rules_dir()) / "vocabulary.yaml"
    try:
        load_vocabulary(own) if own.is_file() else vocabulary()
    except KitError as exc:
        report.problems.append(exc.message)
        return report
    rulesets = load_all(root)
    ordered = sorted(rulesets.values(), key=lambda r: r.in_force_from)
    for earlier, later in pairwise(ordered):
        if earlier.in_force_until is None or earlier.in_force_until >= later.in_force_from:
            report.problems.append(
                f"{earlier.id} en {later.id} zijn allebei van kracht op "
                f"{later.in_force_from.isoformat()}: de peildatum moet een versie kiezen"
            )
    for ruleset in ordered:
        period = reversed_period("in_force", ruleset.in_force_from, ruleset.in_force_until)
        if period:
            header = (root or rules_dir()) / ruleset.id / "ruleset.yaml"
            report.problems.append(f"{header}: {period}")
        check_ruleset(ruleset, report)
        report.lines.append(
            f"{ruleset.period_text()}: {len(ruleset.rules)} regels, sha256 {ruleset.sha256[:16]}…"
        )
    if not report.problems:
        report.lines.append("Alle regelsets zijn in orde.")
    return report
