"""Compile a rule set's typed rules into productions: durable_rules patterns plus an emitter.

The Compiler holds what every rule kind shares: the scopes (`applies`) as conditions on the end
marker and the provider fact, the counts they need, and the list of productions. Each kind
turns its own parameters into productions (kit/kinds/<kind>.py, its spec's `compile`), the same
way for every rule of that kind; this module knows none of them by name and imports none: a
rule's kind is its model's `kind_spec`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kit.engine import conditions as C
from kit.engine.fact_types import Counter
from kit.engine.productions import Emit, Pattern, Production, Scope
from kit.rules.model import Applies, LotFilter, RuleBase
from kit.vocab.vocabulary import Vocabulary

if TYPE_CHECKING:
    from kit.rules.loader import RuleSet

END_GROUP = 200  # productions per end-marker pattern (see Compiler.end_pattern)


class Compiler:
    def __init__(self, ruleset: RuleSet, vocab: Vocabulary):
        self.ruleset = ruleset
        self.vocab = vocab
        self.productions: list[Production] = []
        self.counters: dict[tuple[Any, ...], Counter] = {}

    # --- scope ------------------------------------------------------------------------
    def counter(self, flt: LotFilter, workers: bool) -> str:
        """The end-marker field that counts the active lots of `flt` (or the workers serving
        them)."""
        key = (
            frozenset(flt.lot_codes()),
            None if flt.roles is None else frozenset(flt.roles),
            workers,
        )
        if key not in self.counters:
            self.counters[key] = Counter(
                f"{'workers' if workers else 'lots'}_{len(self.counters)}", *key
            )
        return self.counters[key].name

    def scopes(self, applies: Applies) -> list[Scope]:
        end: list[C.Cond] = []
        if applies.legal_forms is not None:
            end.append(C.one_of("legal_form", list(applies.legal_forms)))
        if applies.employees_min is not None:
            end.append(C.gte("employees", applies.employees_min))
        if applies.employees_max is not None:
            end.append(C.lte("employees", applies.employees_max))
        if applies.fte_min is not None:
            end.append(C.gte("fte", applies.fte_min))
        if applies.fte_max is not None:
            end.append(C.lte("fte", applies.fte_max))
        if applies.from_ is not None:
            end.append(C.gte("as_of", applies.from_.isoformat()))
        if applies.until is not None:
            end.append(C.lte("as_of", applies.until.isoformat()))
        if applies.workers is not None:
            end.append(C.gte(self.counter(applies.workers, True), applies.workers.min))
        flt = applies.lot_filter()
        base = Scope(end, [] if flt.is_empty() else [flt], not flt.is_empty())
        if not applies.any:
            return [base]
        out = []
        for sub in applies.any:
            for scope in self.scopes(sub):
                out.append(Scope(base.end + scope.end, base.lots + scope.lots, base.own_lot))
        return out

    def scope_patterns(
        self, scope: Scope, extra_end: list[C.Cond] | None = None, lot_subject: bool = False
    ) -> list[Pattern]:
        """The end marker, then the provider fact with the scope's conditions, if it has any.
        The end marker is a bare fact: every action message repeats each matched fact, so the
        measurements ride on the provider fact, matched only where a scope asks for them.
        Lots that must exist are counted on the provider fact, not matched as lot facts: a fact
        binds to one pattern of a rule only, so two lot patterns (the rule's own filter and one
        of an `any` branch) could not both match the one lot that satisfies both. When the
        rule's subject is itself a lot (or a fact that carries one), its own filter goes on that
        subject instead."""
        lots = scope.lots[1:] if lot_subject and scope.own_lot else scope.lots
        conds = [
            *scope.end,
            *(extra_end or []),
            *(C.gte(self.counter(flt, False), 1) for flt in lots),
        ]
        return [self.end_pattern()] + ([("prov", C.fact("prov", *conds), False)] if conds else [])

    def end_pattern(self) -> Pattern:
        """The end marker. One pattern feeds at most 256 rules in durable_rules (error 108), so
        every 200 productions the pattern differs by a condition that always holds."""
        group = len(self.productions) // END_GROUP
        return ("end", C.fact("end", *([C.absent(f"g{group}")] if group else [])), False)

    def add(self, rule: RuleBase, patterns: list[Pattern], emit: Emit | None) -> None:
        self.productions.append(Production(f"p{len(self.productions)}:{rule.id}", patterns, emit))

    def compile(self) -> list[Production]:
        self.productions.append(Production("sentinel", [self.end_pattern()], None))
        for rule in self.ruleset.rules:
            compile_rule = rule.kind_spec.compile
            if compile_rule is not None:
                compile_rule(self, rule)
        return self.productions

    @staticmethod
    def restrict_lot(patterns: list[Pattern], codes: list[str]) -> list[Pattern]:
        """The patterns with the `lot` pattern narrowed to `codes`."""
        out = []
        for alias, cond, negated in patterns:
            if alias == "lot":
                cond = {
                    "$and": [cond, C.one_of("lot", codes) if codes else C.eq("lot", "__geen__")]
                }
            out.append((alias, cond, negated))
        return out


def compile_ruleset(ruleset: RuleSet, vocab: Vocabulary) -> tuple[list[Production], list[Counter]]:
    compiler = Compiler(ruleset, vocab)
    productions = compiler.compile()
    return productions, list(compiler.counters.values())


def needs(productions: list[Production]) -> dict[str, tuple[frozenset[str], frozenset[str] | None]]:
    """Per kind of fact (`t`): the fields some pattern reads (in a condition or a join), and the
    `type` values its patterns name when every one of them names some. A fact of a kind no
    production reads, or of a type none names, can never match; a field outside them is never
    tested. The runner leaves both out, which keeps the network and the action messages small;
    the values a finding reads are taken from the full fact in Python."""
    fields: dict[str, set[str]] = {}
    types: dict[str, set[str] | None] = {}
    for production in productions:
        kinds: dict[str, str] = {}
        joins: list[tuple[str, str]] = []
        for alias, cond, _ in production.patterns:
            kind = _kind(cond)
            kinds[alias] = kind
            _fields(cond, fields.setdefault(kind, {"t"}), joins)
            named = _constants(cond, "type")
            known = types.get(kind, set())
            types[kind] = None if named is None or known is None else known | named
        for alias, field_name in joins:
            if alias in kinds:
                fields[kinds[alias]].add(field_name)
    return {
        kind: (frozenset(names), None if types.get(kind) is None else frozenset(types[kind] or ()))
        for kind, names in fields.items()
    }


def fields_read(productions: list[Production]) -> dict[str, set[tuple[str, str]]]:
    """Per rule id, every (fact type, field) its patterns need a fact to have: in a comparison,
    an equality, a presence test or a join. A test for a field's absence needs nothing (the end
    marker's group conditions, Compiler.end_pattern, are such tests)."""
    out: dict[str, set[tuple[str, str]]] = {}
    for production in productions:
        if production.emit is None:
            continue
        reads = out.setdefault(production.emit.rule.id, set())
        kinds = {alias: _kind(cond) for alias, cond, _ in production.patterns}
        for alias, cond, _ in production.patterns:
            joins: list[tuple[str, str]] = []
            names: set[str] = set()
            _fields(cond, names, joins, absent=False)
            reads.update((kinds[alias], name) for name in names)
            reads.update((kinds[other], name) for other, name in joins if other in kinds)
    return out


def _conjuncts(cond: C.Cond) -> list[C.Cond]:
    """The parts of a condition that must all hold (nested $and flattened)."""
    if "$and" not in cond:
        return [cond]
    return [part for sub in cond["$and"] for part in _conjuncts(sub)]


def _kind(cond: C.Cond) -> str:
    return str(next(part["t"] for part in _conjuncts(cond) if "t" in part))


def _fields(cond: C.Cond, out: set[str], joins: list[tuple[str, str]], absent: bool = True) -> None:
    """The fields `cond` tests (with `absent=False`: not those it tests only for absence)."""
    for key, value in cond.items():
        if key in ("$and", "$or"):
            for part in value:
                _fields(part, out, joins, absent)
        elif key == "$nex" and not absent:
            continue
        elif key.startswith("$"):
            out.update(value)
        else:
            out.add(key)
            if isinstance(value, dict):
                joins.extend(value.items())


def _constants(cond: C.Cond, field_name: str) -> set[str] | None:
    """The values `field_name` must take in `cond` (an equality, or a choice of them), if any."""
    for part in _conjuncts(cond):
        if field_name in part and not isinstance(part[field_name], dict):
            return {part[field_name]}
        options = part.get("$or")
        if options and all(
            set(o) == {field_name} and not isinstance(o[field_name], dict) for o in options
        ):
            return {o[field_name] for o in options}
    return None
