"""Every shipped case screens to the expected result stored beside it (cases/expected/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASES, shipped_case_files

from kit.case import load_case
from kit.screening import screen_case

EXPECTED = CASES / "expected"
FIELDS = ("rule", "requirement", "subject", "lot", "status", "outcome", "due")


def summary(path: Path) -> dict:
    outcome = screen_case(load_case(path), source=str(path))
    result = outcome.to_result()
    open_findings = [{k: f[k] for k in FIELDS} for f in result["findings"] if f["status"] != "voldaan"]
    open_findings.sort(key=lambda f: (f["rule"], f["subject"], f["lot"] or ""))
    return {"lots": result["lots"], "risk": result["risk"], "findings": open_findings}


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
