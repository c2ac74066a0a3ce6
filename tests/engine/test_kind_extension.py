"""The kind is the one place to extend (issue 24, step 3; docs/rules.md, "Add a rule kind"): a
kind defined entirely here, with its rule data in a copy of the rules, is read by the loader,
compiled by the engine, checked by the reference evaluator and gives the same finding in both;
`kit rules check` refuses a rule whose patterns read a field no fact builder makes; and every
fact built from the shipped cases keeps to the fields its builder declares."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from typer.testing import CliRunner

from kit.case.checks import parse_case
from kit.cli import app
from kit.engine import conditions as C
from kit.engine.compiler import Compiler, compile_ruleset
from kit.engine.evaluate import Engine
from kit.engine.facts import build_facts, fields_made
from kit.engine.productions import Emit
from kit.kinds import registry
from kit.kinds.base import KindSpec
from kit.kinds.rulesets import shipped_rulesets
from kit.paths import cases_dir, rules_dir
from kit.reference import Reference
from kit.rules.loader import load_ruleset, select_ruleset
from kit.rules.model import RuleBase
from kit.vocab.codes import Outcome
from kit.vocab.vocabulary import vocabulary


class Size(StrEnum):
    ENOUGH = "enough"
    TOO_FEW = "too_few"


class SizeRule(RuleBase):
    """A toy kind: the provider has at least `min_employees` employees."""

    kind: Literal["toy_size"]
    min_employees: int
    outcome: Outcome = "signaal"


def _emit(rule: SizeRule, situation: Size) -> Emit:
    failed = situation is Size.TOO_FEW
    return Emit(
        rule=rule,
        situation=situation,
        status="niet-voldaan" if failed else "voldaan",
        outcome=rule.outcome if failed else None,
        requirement=rule.finding_requirement(),
        params={"min": rule.min_employees},
    )


def compile_size(c: Compiler, rule: SizeRule, field: str = "employees") -> None:
    for scope in c.scopes(rule.applies):
        enough = C.gte(field, rule.min_employees)
        too_few = C.lt(field, rule.min_employees)
        c.add(rule, c.scope_patterns(scope, [enough]), _emit(rule, Size.ENOUGH))
        c.add(rule, c.scope_patterns(scope, [too_few]), _emit(rule, Size.TOO_FEW))


def check_size(r: Reference, rule: SizeRule, ctx: Any) -> Iterator[Any]:
    if not ctx.holds(rule.applies):
        return
    failed = ctx.sub.provider.employees < rule.min_employees
    situation = Size.TOO_FEW if failed else Size.ENOUGH
    yield r.find(
        rule,
        situation,
        "niet-voldaan" if failed else "voldaan",
        rule.outcome if failed else None,
        params={"min": rule.min_employees},
    )


TOY = KindSpec(
    name="toy_size",
    model=SizeRule,
    situations=Size,
    compile=compile_size,
    reference=check_size,
)

TOY_RULE = {
    "id": "T1-omvang",
    "kind": "toy_size",
    "refs": ["R2"],
    "title": "Omvang van de aanbieder",
    "basis": "Een voorbeeld, alleen in deze test",
    "assumed": True,
    "min_employees": 0,  # set per test
    "messages": {
        "enough": "Minstens {min} medewerkers.",
        "too_few": "Minder dan {min} medewerkers.",
    },
}


def rules_with_toy(tmp_path: Path, **changes: Any) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    data = {"rules": [{**TOY_RULE, **changes}]}
    (root / "kit-2025" / "99-omvang.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return root


def zorgfix() -> Any:
    path = cases_dir() / "zorgfix-bv.yaml"
    return parse_case(yaml.safe_load(path.read_text(encoding="utf-8")), str(path)).submission


@pytest.mark.parametrize("extra", [0, 1])
def test_a_kind_defined_here_gives_the_same_finding_in_engine_and_reference(tmp_path, extra):
    sub = zorgfix()
    minimum = sub.provider.employees + extra  # 0: just enough; 1: one too few
    root = rules_with_toy(tmp_path, min_employees=minimum)
    kinds = {**registry.KINDS, "toy_size": TOY}
    ruleset = load_ruleset("kit-2025", root, kinds=kinds)
    assert ruleset.rule("T1-omvang").kind_spec is TOY

    found = {}
    for evaluator in (Engine(ruleset), Reference(ruleset)):
        result = evaluator.evaluate(sub, sub.submitted_on)
        found[type(evaluator).__name__] = [f for f in result.findings if f.rule == "T1-omvang"]
    assert found["Engine"] == found["Reference"]
    (finding,) = found["Engine"]
    if extra:
        assert (finding.status, finding.outcome) == ("niet-voldaan", "signaal")
        assert finding.message == f"Minder dan {minimum} medewerkers."
    else:
        assert (finding.status, finding.outcome) == ("voldaan", None)
        assert finding.message == f"Minstens {minimum} medewerkers."


def test_rules_check_accepts_the_toy_kind(tmp_path, monkeypatch):
    monkeypatch.setitem(registry.KINDS, "toy_size", TOY)
    result = CliRunner().invoke(app, ["rules", "check", str(rules_with_toy(tmp_path))])
    assert result.exit_code == 0, result.output


def test_rules_check_refuses_a_pattern_on_a_field_no_builder_makes(tmp_path, monkeypatch):
    """A kind whose pattern reads `employes` (no fact has it): durable_rules would silently
    match nothing; `kit rules check` names the file, the rule and the field, and exits 1."""

    class MisspeltRule(SizeRule):
        pass

    def misspelt(c: Compiler, rule: SizeRule) -> None:
        compile_size(c, rule, field="employes")

    spec = KindSpec("toy_size", MisspeltRule, Size, compile=misspelt)
    monkeypatch.setitem(registry.KINDS, "toy_size", spec)
    root = rules_with_toy(tmp_path)
    result = CliRunner().invoke(app, ["rules", "check", str(root)])
    assert result.exit_code == 1
    # once per version that holds the rule: kit-2025, and kit-2026 that extends it
    lines = [line for line in result.stderr.splitlines() if "employes" in line]
    assert len(lines) == 2
    for line in lines:
        assert line.startswith(f"fout: {root / 'kit-2025' / '99-omvang.yaml'}: regel T1-omvang: ")
        assert "leest veld 'employes' van feit 'prov', dat geen feitbouwer maakt" in line


def test_every_fact_keeps_to_the_fields_its_builder_declares():
    vocab = vocabulary()
    rulesets = shipped_rulesets()
    paths = sorted(cases_dir().glob("*.yaml"))
    assert paths
    for path in paths:
        sub = parse_case(yaml.safe_load(path.read_text(encoding="utf-8")), str(path)).submission
        for as_of in (sub.submitted_on, date(2026, 3, 1)):
            ruleset = select_ruleset(rulesets, as_of)
            _, counters = compile_ruleset(ruleset, vocab)
            made = fields_made(counters)
            facts, end = build_facts(sub, as_of, vocab, ruleset.care_functions, counters)
            for fact in [*facts, end]:
                assert set(fact) <= made[fact["t"]], (path.name, fact["t"], set(fact))
