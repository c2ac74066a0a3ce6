"""Where the shipped data lives, for an editable checkout and for an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def rules_dir() -> Path:
    """The rule-set root: `KIT_RULES_DIR` when set, else the shipped `rules/`."""
    return Path(os.environ.get("KIT_RULES_DIR") or _shipped("rules"))


def cases_dir() -> Path:
    return _shipped("cases")
