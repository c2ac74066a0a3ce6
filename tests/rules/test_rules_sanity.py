"""`kit rules check` catches a rule file's own mistakes (issue 26, item 5): a reversed period,
a message for an unknown situation or with an unknown placeholder, absurd parameters. Each is
one Dutch line naming the rule file and the field, and the command exits non-zero."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kit.cli import app
from kit.paths import rules_dir
from kit.rules.sanity import MAX_PERIOD

runner = CliRunner()


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    return target


def _edit(path: Path, change) -> Path:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _edit_rule(root: Path, filename: str, rule_id: str, **changes) -> Path:
    def change(data):
        for rule in data["rules"]:
            if rule["id"] == rule_id:
                rule.update(changes)

    return _edit(root / "kit-2025" / filename, change)


def _problems(root: Path) -> list[str]:
    result = runner.invoke(app, ["rules", "check", str(root)])
    assert result.exit_code == 1, result.stdout
    return [line for line in result.stderr.splitlines() if line.strip()]


def _one_names(problems: list[str], path: Path, *parts: str) -> str:
    hits = [p for p in problems if str(path) in p and all(part in p for part in parts)]
    assert hits, problems
    return hits[0]


def test_a_rule_set_valid_until_before_it_starts(rules_copy):
    path = _edit(
        rules_copy / "kit-2026" / "ruleset.yaml",
        lambda data: data["in_force"].update({"until": "2025-06-30"}),
    )
    line = _one_names(_problems(rules_copy), path, "in_force.until", "2025-06-30", "omgedraaid")
    assert "in_force.from 2026-01-01" in line


def test_a_rule_valid_until_before_it_starts(rules_copy):
    path = _edit_rule(
        rules_copy,
        "30-kwaliteit.yaml",
        "Q8-igj-melding",
        applies={"domains": ["jeugd"], "from": "2025-03-01", "until": "2024-03-01"},
    )
    _one_names(_problems(rules_copy), path, "regel Q8-igj-melding", "applies.until", "omgedraaid")


def test_a_message_for_a_situation_the_kind_does_not_have(rules_copy):
    path = _edit_rule(
        rules_copy,
        "20-organisatie.yaml",
        "O1-kvk-uittreksel",
        messages={"te_oud": "{Label} is te oud."},
    )
    line = _one_names(_problems(rules_copy), path, "regel O1-kvk-uittreksel", "messages.te_oud")
    assert "onbekende situatie" in line and "too_old" in line


def test_a_message_with_a_placeholder_nothing_fills(rules_copy):
    path = _edit_rule(
        rules_copy,
        "20-organisatie.yaml",
        "O1-kvk-uittreksel",
        letters={"too_old": "{Label} is ouder dan {maximum} maanden."},
    )
    line = _one_names(_problems(rules_copy), path, "regel O1-kvk-uittreksel", "letters.too_old")
    assert "onbekende invulplek {maximum}" in line


def test_the_placeholders_a_kind_fills_are_accepted(rules_copy):
    _edit_rule(
        rules_copy,
        "20-organisatie.yaml",
        "O1-kvk-uittreksel",
        letters={"too_old": "{Label} ({doc_id}) is ouder dan {max} maanden{note_clause}."},
    )
    result = runner.invoke(app, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("filename", "rule_id", "field", "value"),
    [
        ("10-uitsluiting.yaml", "E1-verplichte-uitsluitingsgronden", "lookback_years", 10**14),
        ("10-uitsluiting.yaml", "E1-verplichte-uitsluitingsgronden", "lookback_years", 101),
        ("20-organisatie.yaml", "O1-kvk-uittreksel", "max_age_months", 1201),
    ],
)
def test_a_period_of_more_than_a_hundred_years(rules_copy, filename, rule_id, field, value):
    path = _edit_rule(rules_copy, filename, rule_id, **{field: value})
    _one_names(_problems(rules_copy), path, f"regel {rule_id}", f"{field}: {value}", "100 jaar")


def test_a_hundred_years_is_the_limit(rules_copy):
    _edit_rule(
        rules_copy,
        "10-uitsluiting.yaml",
        "E1-verplichte-uitsluitingsgronden",
        lookback_years=MAX_PERIOD["_years"],
    )
    result = runner.invoke(app, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 0, result.stderr


def test_a_negative_count(rules_copy):
    """Caught when the rule is read (the kind's model refuses it): still one line naming the file,
    the rule and the field, and a non-zero exit."""

    def change(data):
        rule = next(r for r in data["rules"] if r["id"] == "R3-risicolicht")
        rule["levels"][0]["min_signals"] = -1

    path = _edit(rules_copy / "kit-2025" / "70-risico.yaml", change)
    line = _one_names(_problems(rules_copy), path, "regel R3-risicolicht", "min_signals")
    assert "te klein" in line
