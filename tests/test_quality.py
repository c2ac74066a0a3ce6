"""The code checks .ci/run must pass: ruff (lint and format, line length from pyproject.toml) and
mypy --strict on kit/. They run as tests so that the README's one test command runs them all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent
TREES = ["kit", "tests", "bench", "tools"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("check", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(check):
    result = run(str(BIN / "ruff"), *check, *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict():
    result = run(str(BIN / "mypy"), "--strict", "kit")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_service_name_resolves():
    """kit.services imports its modules on first use: each public name must have a home."""
    import kit.services

    for name in kit.services.__all__:
        assert getattr(kit.services, name) is not None, name
