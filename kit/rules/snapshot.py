"""A resolved rule set as one JSON document, and back: the store keeps one per content hash so
a screening can be replayed with exactly the rules it used. The document carries the vocabulary
it was read with, so its content hash can be computed again: a snapshot edited in the database
no longer matches and is not trusted."""

from __future__ import annotations

import json
from datetime import date

from kit.rules.loader import Kinds, RuleSet, content_hash, rule_adapter
from kit.rules.model import Procedure
from kit.vocab.vocabulary import vocabulary


def snapshot_content(ruleset: RuleSet) -> str:
    return json.dumps(
        {
            "id": ruleset.id,
            "title": ruleset.title,
            "extends": ruleset.extends,
            "in_force_from": ruleset.in_force_from.isoformat(),
            "in_force_until": ruleset.in_force_until.isoformat()
            if ruleset.in_force_until
            else None,
            "procedures": [p.model_dump(mode="json") for p in ruleset.procedures.values()],
            "care_functions": ruleset.care_functions,
            "rescreen": ruleset.rescreen,
            "rules": [
                r.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {"kind": r.kind}
                for r in ruleset.rules
            ],
            "vocabulary": vocabulary().raw,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,  # dates in the vocabulary, as content_hash writes them
    )


def ruleset_from_snapshot(content: str, sha256: str, *, kinds: Kinds) -> RuleSet:
    data = json.loads(content)
    adapter = rule_adapter(kinds)
    until = data["in_force_until"]
    return RuleSet(
        id=data["id"],
        title=data["title"],
        extends=data["extends"],
        in_force_from=date.fromisoformat(data["in_force_from"]),
        in_force_until=date.fromisoformat(until) if until else None,
        procedures={p["code"]: Procedure.model_validate(p) for p in data["procedures"]},
        care_functions=list(data["care_functions"]),
        rules=[adapter.validate_python(r) for r in data["rules"]],
        sources={r["id"]: "snapshot" for r in data["rules"]},
        sha256=sha256,
        rescreen={k: list(v) for k, v in data["rescreen"].items()},
        kinds=kinds,
    )


def snapshot_problem(content: str, sha256: str, *, kinds: Kinds) -> str | None:
    """Why a stored snapshot cannot be trusted as the rule set with hash `sha256` (None: it can);
    a snapshot from before snapshots carried their vocabulary cannot be checked and says so."""
    try:
        data = json.loads(content)
        ruleset = ruleset_from_snapshot(content, sha256, kinds=kinds)
    except (ValueError, KeyError, TypeError):
        return "de opgeslagen regelset is onleesbaar"
    if "vocabulary" not in data:
        return None
    found = content_hash(ruleset, data["vocabulary"])
    if found != sha256:
        return (
            f"de opgeslagen regelset {ruleset.id} klopt niet met haar hash ({sha256[:12]}…, "
            f"berekend {found[:12]}…): ze is na de screening gewijzigd"
        )
    return None
