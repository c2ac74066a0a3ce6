"""The rule sets as kit reads them: the rule loader and the snapshots (kit.rules) handed the
registry of kinds. The rules sit below the kinds in the layer order and know none of them; every
layer above the kinds reads rule sets through this module.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kit.kinds.registry import KINDS
from kit.paths import rules_dir
from kit.rules import loader, snapshot
from kit.rules.loader import RuleSet


def load_ruleset(ruleset_id: str, root: Path | None = None, parents: Path | None = None) -> RuleSet:
    """One version with `extends` resolved (kit.rules.loader.load_ruleset)."""
    return loader.load_ruleset(ruleset_id, root, parents=parents, kinds=KINDS)


def load_all(root: Path | None = None) -> dict[str, RuleSet]:
    """Every version under `root` (the shipped rules by default)."""
    return loader.load_all(root, kinds=KINDS)


@lru_cache(maxsize=8)
def _cached_all(root: str) -> dict[str, RuleSet]:
    return load_all(Path(root))


def shipped_rulesets() -> dict[str, RuleSet]:
    """All versions under the rules root, loaded once per process."""
    return _cached_all(str(rules_dir()))


def ruleset_from_snapshot(content: str, sha256: str) -> RuleSet:
    """A stored rule-set snapshot read back (kit.rules.snapshot)."""
    return snapshot.ruleset_from_snapshot(content, sha256, kinds=KINDS)


def snapshot_problem(content: str, sha256: str) -> str | None:
    """Why a stored snapshot cannot be trusted (None: it can), kit.rules.snapshot."""
    return snapshot.snapshot_problem(content, sha256, kinds=KINDS)
