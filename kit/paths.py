"""Where the shipped data lives, for an editable checkout and for an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def shipped_rules_dir() -> Path:
    """The rules that ship with the package (whatever KIT_RULES_DIR says)."""
    return _shipped("rules")


def is_shipped(path: Path) -> bool:
    """Whether `path` is one of the package's own rule files (read as trusted)."""
    return path.resolve().is_relative_to(shipped_rules_dir().resolve())


def rules_dir() -> Path:
    """The rule-set root: `KIT_RULES_DIR` when set, else the shipped `rules/`."""
    return Path(os.environ.get("KIT_RULES_DIR") or shipped_rules_dir())


def kind_texts_path(kind: str) -> Path:
    """The Dutch texts of a rule kind (kit/kinds/<kind>.yaml): read by the kinds to render
    messages and, as data, by `kit rules check` to know a kind's situations and placeholders."""
    return _PACKAGE / "kinds" / f"{kind}.yaml"


def cases_dir() -> Path:
    return _shipped("cases")
