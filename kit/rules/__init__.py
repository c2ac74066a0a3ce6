"""Rule sets: YAML files under rules/<id>/, validated on load, chosen by date, hashed."""

from kit.rules.loader import RuleSet, load_all, load_ruleset, select_ruleset

__all__ = ["RuleSet", "load_all", "load_ruleset", "select_ruleset"]
