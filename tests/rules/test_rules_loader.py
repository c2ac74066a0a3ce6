"""Rule files: validated on load with errors naming file, rule id and field; versions by date."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from kit.errors import CaseError, RuleError
from kit.kinds.check import check_all
from kit.kinds.rulesets import load_all, load_ruleset
from kit.paths import rules_dir
from kit.rules.loader import select_ruleset

SPEC_VOCABULARY = Path(__file__).resolve().parents[3] / "shared" / "spec" / "vocabulary.yaml"
SHIPPED_SPEC = Path(__file__).resolve().parents[1] / "spec" / "vocabulary.yaml"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    return target


def _edit_rule(root: Path, ruleset: str, filename: str, rule_id: str, **changes) -> Path:
    path = root / ruleset / filename
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["id"] == rule_id:
            rule.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_shipped_rule_sets_load_and_check_clean():
    report = check_all()
    assert report.problems == []
    assert set(load_all()) == {"kit-2025", "kit-2026"}


def test_unknown_document_code_names_file_rule_and_field(rules_copy):
    path = _edit_rule(
        rules_copy, "kit-2025", "20-organisatie.yaml", "O1-kvk-uittreksel", document="kvk"
    )
    with pytest.raises(RuleError) as info:
        load_ruleset("kit-2025", rules_copy)
    assert info.value.message.startswith(
        f"{path}: regel O1-kvk-uittreksel: document: onbekende code 'kvk'"
    )


def test_unknown_rule_kind(rules_copy):
    _edit_rule(
        rules_copy, "kit-2025", "20-organisatie.yaml", "O1-kvk-uittreksel", kind="documentje"
    )
    with pytest.raises(RuleError) as info:
        load_ruleset("kit-2025", rules_copy)
    assert (
        "regel O1-kvk-uittreksel" in info.value.message
        and "onbekende soort 'documentje'" in info.value.message
    )


def test_bad_date(rules_copy):
    path = _edit_rule(
        rules_copy,
        "kit-2025",
        "30-kwaliteit.yaml",
        "Q8-igj-melding",
        applies={"domains": ["jeugd"], "from": "2024-13-01"},
    )
    with pytest.raises(RuleError) as info:
        load_ruleset("kit-2025", rules_copy)
    assert info.value.message.startswith(
        f"{path}: regel Q8-igj-melding: applies.from: ongeldige datum"
    )


def test_duplicate_rule_id(rules_copy):
    _edit_rule(
        rules_copy, "kit-2025", "20-organisatie.yaml", "O2-ubo-uittreksel", id="O1-kvk-uittreksel"
    )
    with pytest.raises(RuleError) as info:
        load_ruleset("kit-2025", rules_copy)
    assert "regel O1-kvk-uittreksel: id: komt ook voor in" in info.value.message


def test_parameters_in_yaml_are_used(rules_copy):
    _edit_rule(rules_copy, "kit-2025", "20-organisatie.yaml", "O1-kvk-uittreksel", max_age_months=3)
    assert load_ruleset("kit-2025", rules_copy).rule("O1-kvk-uittreksel").max_age_months == 3


def test_extends_inherits_and_adds_and_hash_changes(rules_copy):
    base = load_ruleset("kit-2025", rules_copy)
    child = load_ruleset("kit-2026", rules_copy)
    assert [r.id for r in base.rules] == [r.id for r in child.rules if r.id != "Q9-intern-toezicht"]
    assert "Q9-intern-toezicht" not in {r.id for r in base.rules}
    assert base.sha256 != child.sha256
    before = child.sha256
    _edit_rule(rules_copy, "kit-2025", "20-organisatie.yaml", "O1-kvk-uittreksel", max_age_months=5)
    assert load_ruleset("kit-2026", rules_copy).sha256 != before


def test_version_by_date_and_refusal_names_versions():
    rulesets = load_all()
    assert select_ruleset(rulesets, date(2024, 4, 2)).id == "kit-2025"
    assert select_ruleset(rulesets, date(2025, 12, 31)).id == "kit-2025"
    assert select_ruleset(rulesets, date(2026, 1, 1)).id == "kit-2026"
    with pytest.raises(CaseError) as info:
        select_ruleset(rulesets, date(2023, 12, 31))
    assert "kit-2025 (2024-01-01 t/m 2025-12-31)" in info.value.message
    assert "kit-2026 (2026-01-01 t/m heden)" in info.value.message


def test_check_reports_a_rule_that_can_never_apply(rules_copy):
    _edit_rule(
        rules_copy,
        "kit-2025",
        "30-kwaliteit.yaml",
        "Q8-igj-melding",
        applies={"domains": ["wmo"], "residential": True, "needs_location": False},
    )
    report = check_all(rules_copy)
    assert any("Q8-igj-melding" in p and "kan nooit gelden" in p for p in report.problems)


def test_check_reports_two_rules_for_the_same_requirement_and_scope(rules_copy):
    path = rules_copy / "kit-2025" / "20-organisatie.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    twin = dict(data["rules"][0], id="O1-kvk-tweede")
    data["rules"].append(twin)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = check_all(rules_copy)
    assert any("O1-kvk-tweede" in p and "dezelfde eis" in p for p in report.problems)


def test_vocabulary_keeps_every_spec_code():
    """rules/vocabulary.yaml holds the contract's vocabulary unchanged (it may only add). The
    contract ships in tests/spec/ so this runs in every clone."""
    spec = yaml.safe_load(SHIPPED_SPEC.read_text(encoding="utf-8"))
    ours = yaml.safe_load((rules_dir() / "vocabulary.yaml").read_text(encoding="utf-8"))
    for key, value in spec.items():
        assert ours[key] == value, key


def test_the_shipped_spec_copy_is_the_contract():
    """Where the shared spec sits beside the checkout (the development machine), the copy in
    tests/spec/ must be identical: a changed contract fails here, loudly, until it is copied."""
    if not SPEC_VOCABULARY.exists():
        assert SHIPPED_SPEC.exists()
        return
    assert SHIPPED_SPEC.read_text(encoding="utf-8") == SPEC_VOCABULARY.read_text(
        encoding="utf-8"
    ), f"{SHIPPED_SPEC} differs from {SPEC_VOCABULARY}: copy the contract into the project"
