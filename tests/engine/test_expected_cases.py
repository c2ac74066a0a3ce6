"""Every shipped case screens to the expected result stored beside it (cases/expected/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASES, shipped_case_files

from kit.case.reading import load_case
from kit.kinds.rulesets import shipped_rulesets
from kit.screening.screen import screen_case

EXPECTED = CASES / "expected"
FIELDS = ("rule", "requirement", "subject", "lot", "status", "outcome", "due")


def summary(path: Path) -> dict:
    outcome = screen_case(load_case(path), source=str(path))
    result = outcome.to_result()
    open_findings = [
        {k: f[k] for k in FIELDS} for f in result["findings"] if f["status"] != "voldaan"
    ]
    open_findings.sort(key=lambda f: (f["rule"], f["subject"], f["lot"] or ""))
    return {
        "lots": result["lots"],
        "risk": result["risk"],
        "findings": open_findings,
        "not_applicable": result["not_applicable"],
    }


# Rules that never give a finding of their own, and why: they are not "not applicable", they
# decide about rounds and verdicts from the other rules' findings.
NO_FINDINGS = {
    "process": "the repair-round rule decides which round may be screened "
    "and when the verdict is final",
    "verdict": "the verdict rule turns the findings into lot verdicts",
}


@pytest.mark.parametrize("path", shipped_case_files(), ids=lambda p: p.stem)
def test_every_rule_is_a_finding_or_not_applicable(path: Path):
    outcome = screen_case(load_case(path), source=str(path))
    ruleset = shipped_rulesets()[outcome.ruleset_id]
    found = {f.rule for f in outcome.findings}
    listed = {n.rule for n in outcome.not_applicable}
    assert not found & listed
    for rule in ruleset.rules:
        if rule.kind in NO_FINDINGS:
            assert rule.id not in found | listed
            continue
        assert rule.id in found | listed, (
            f"{rule.id} is neither a finding nor listed as not applicable"
        )
    assert all(n.reason.endswith(".") and len(n.reason) > 20 for n in outcome.not_applicable)


def test_every_case_has_an_expected_result():
    missing = [p.name for p in shipped_case_files() if not (EXPECTED / f"{p.stem}.json").exists()]
    assert missing == []


@pytest.mark.parametrize("path", shipped_case_files(), ids=lambda p: p.stem)
def test_case_screens_to_its_expected_result(path: Path):
    expected_path = EXPECTED / f"{path.stem}.json"
    if not expected_path.exists():
        pytest.fail(f"no expected result {expected_path}")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert summary(path) == expected
