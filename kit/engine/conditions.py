"""Small builders for durable_rules' JSON conditions, so generated rules read like the YAML.

Only constant comparisons and equality joins are produced: relational joins between two
facts crash durable_rules 2.0.28 as soon as one fact fails them (see durable-rules.md).
"""

from __future__ import annotations

from typing import Any

from kit.rules.model import LotFilter
from kit.vocab.vocabulary import Vocabulary

Cond = dict[str, Any]


def eq(field: str, value: Any) -> Cond:
    return {field: value}


def neq(field: str, value: Any) -> Cond:
    return {"$neq": {field: value}}


def gte(field: str, value: Any) -> Cond:
    return {"$gte": {field: value}}


def gt(field: str, value: Any) -> Cond:
    return {"$gt": {field: value}}


def lte(field: str, value: Any) -> Cond:
    return {"$lte": {field: value}}


def lt(field: str, value: Any) -> Cond:
    return {"$lt": {field: value}}


def present(field: str) -> Cond:
    return {"$ex": {field: 1}}


def absent(field: str) -> Cond:
    return {"$nex": {field: 1}}


def same(field: str, alias: str, other_field: str) -> Cond:
    """Equality join with a fact matched earlier in the rule."""
    return {field: {alias: other_field}}


def one_of(field: str, values: list[Any]) -> Cond:
    if len(values) == 1:
        return eq(field, values[0])
    return {"$or": [eq(field, v) for v in values]}


def either(conds: list[Cond]) -> Cond:
    return conds[0] if len(conds) == 1 else {"$or": conds}


def fact(kind: str, *conds: Cond) -> Cond:
    """A pattern on facts of type `kind` with all of `conds`."""
    parts = [eq("t", kind), *conds]
    return parts[0] if len(parts) == 1 else {"$and": parts}


def lot_conds(flt: LotFilter | list[LotFilter], vocab: Vocabulary) -> list[Cond]:
    """Lot filters, all of which must hold, on any fact that carries a lot and the provider's
    role in it (lot, asg, areg, locserve)."""
    filters = flt if isinstance(flt, list) else [flt]
    conds: list[Cond] = []
    codes = [code for code in vocab.lots if all(code in f.lot_codes() for f in filters)]
    if len(codes) < len(vocab.lots):
        conds.append(one_of("lot", codes) if codes else eq("lot", "__geen__"))
    for f in filters:
        if f.roles is not None:
            conds.append(one_of("role", list(f.roles)) if f.roles else eq("role", "__geen__"))
    return conds
