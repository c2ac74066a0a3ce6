"""The YAML requirement runner (tests/yaml_rules.py) refuses a rule file it would otherwise run
without checking anything: a misspelt or unknown key, a case without expectations."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT
from yaml_rules import shape_problems

GOOD = {
    "rule": "O1-kvk-uittreksel",
    "cases": [{"name": "schoon", "expect": {"problems": [], "lots": "toegelaten"}}],
}


def test_the_shipped_rule_files_have_the_shape():
    for path in sorted((ROOT / "tests" / "rules").glob("[!_]*.yaml")):
        assert shape_problems(yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


def test_a_good_file_has_no_problems():
    assert shape_problems(GOOD) == []


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # a misspelt expect: without the check the case passed whatever the engine did
        ({"name": "x", "expcet": {"lots": "toegelaten"}}, "onbekende sleutel 'expcet'"),
        ({"name": "x"}, "geen verwachting"),
        ({"name": "x", "expect": {}}, "geen verwachting"),
        ({"name": "x", "expect": {"lot": "toegelaten"}}, "expect: onbekende sleutel 'lot'"),
        (
            {"name": "x", "expect": {"not_applicable": [{"rule": "L1", "reason": "x"}]}},
            "not_applicable: onbekende sleutel 'reason'",
        ),
    ],
)
def test_an_unknown_key_or_a_case_without_expectations_is_refused(case, expected):
    problems = shape_problems({"rule": "O1-kvk-uittreksel", "cases": [case]})
    assert any(expected in problem for problem in problems), problems


def test_an_unknown_key_of_the_file_is_refused():
    assert shape_problems({**GOOD, "case": []}) == ["bestand: onbekende sleutel 'case'"]


def test_a_file_without_cases_is_refused():
    assert shape_problems({"rule": "O1-kvk-uittreksel"}) == ["bestand: geen cases"]
