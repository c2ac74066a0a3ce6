"""A resolved rule set as one JSON document, and back: the store keeps one per content hash so
a screening can be replayed with exactly the rules it used."""

from __future__ import annotations

import json
from datetime import date

from pydantic import TypeAdapter

from kit.kinds.registry import Rule
from kit.rules.loader import RuleSet
from kit.rules.model import Procedure

_RULE = TypeAdapter(Rule)


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
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def ruleset_from_snapshot(content: str, sha256: str) -> RuleSet:
    data = json.loads(content)
    until = data["in_force_until"]
    return RuleSet(
        id=data["id"],
        title=data["title"],
        extends=data["extends"],
        in_force_from=date.fromisoformat(data["in_force_from"]),
        in_force_until=date.fromisoformat(until) if until else None,
        procedures={p["code"]: Procedure.model_validate(p) for p in data["procedures"]},
        care_functions=list(data["care_functions"]),
        rules=[_RULE.validate_python(r) for r in data["rules"]],
        sources={r["id"]: "snapshot" for r in data["rules"]},
        sha256=sha256,
        rescreen={k: list(v) for k, v in data["rescreen"].items()},
    )
