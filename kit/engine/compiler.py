"""Compile a rule set's typed rules into productions: durable_rules patterns plus an emitter.

A production is one durable_rules rule (a list of patterns, the end marker always first) and
the finding it proposes when it fires. Nothing here is specific to one requirement: each rule
kind turns its parameters into productions the same way for every rule of that kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kit.engine import conditions as C
from kit.engine.facts import Counter
from kit.engine.messages import measure_value
from kit.rules.loader import RuleSet
from kit.rules.model import (
    Applies,
    BibobRule,
    DiplomaRule,
    DocumentRule,
    ExclusionHistoryRule,
    ExclusionRule,
    GedragswetenschapperRule,
    IndicatorRule,
    LocationRule,
    LotFilter,
    RegistrationRule,
    SelfDeclarationRule,
    VogRule,
)
from kit.vocabulary import Vocabulary

Pattern = tuple[str, C.Cond, bool]  # alias, condition, negated
END_GROUP = 200  # productions per end-marker pattern (see Compiler.end_pattern)

# Situations of the document kind in which a document was found (and so is the evidence).
DOCUMENT_EVIDENCE = {"ok", "ok_equivalent", "unjudged", "insufficient", "too_old", "undated",
                     "incomplete", "expired", "future", "year_old", "year_open", "year_missing"}


@dataclass(frozen=True)
class Ref:
    """A value read from a matched fact when the production fires."""

    alias: str
    field: str


@dataclass(frozen=True)
class Emit:
    rule: Any
    situation: str
    status: str
    outcome: str | None
    requirement: str | Ref
    subject: str | tuple[str, Ref] = "provider"
    lot: Ref | None = None
    evidence: tuple[Ref, ...] = ()
    due: str | Ref | None = None
    item: str | Ref | None = None
    params: dict[str, Any] = field(default_factory=dict)
    sensitive: bool = False


@dataclass
class Production:
    name: str
    patterns: list[Pattern]
    emit: Emit | None


@dataclass
class Scope:
    """One conjunctive reading of `applies`: conditions on the end marker, lots that must exist."""

    end: list[C.Cond]
    lots: list[LotFilter]
    own_lot: bool = False  # lots[0] is the rule's own lot filter, not one from an `any` branch


class Compiler:
    def __init__(self, ruleset: RuleSet, vocab: Vocabulary):
        self.ruleset = ruleset
        self.vocab = vocab
        self.productions: list[Production] = []
        self.counters: dict[tuple[Any, ...], Counter] = {}

    # --- scope ------------------------------------------------------------------------
    def counter(self, flt: LotFilter, workers: bool) -> str:
        """The end-marker field that counts the active lots of `flt` (or the workers serving them)."""
        key = (frozenset(flt.lot_codes()), None if flt.roles is None else frozenset(flt.roles), workers)
        if key not in self.counters:
            self.counters[key] = Counter(f"{'workers' if workers else 'lots'}_{len(self.counters)}", *key)
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

    def scope_patterns(self, scope: Scope, extra_end: list[C.Cond] | None = None,
                       lot_subject: bool = False) -> list[Pattern]:
        """The end marker, then the provider fact with the scope's conditions, if it has any.
        The end marker is a bare fact: every action message repeats each matched fact, so the
        measurements ride on the provider fact, matched only where a scope asks for them.
        Lots that must exist are counted on the provider fact, not matched as lot facts: a fact
        binds to one pattern of a rule only, so two lot patterns (the rule's own filter and one
        of an `any` branch) could not both match the one lot that satisfies both. When the
        rule's subject is itself a lot (or a fact that carries one), its own filter goes on that
        subject instead."""
        lots = scope.lots[1:] if lot_subject and scope.own_lot else scope.lots
        conds = [*scope.end, *(extra_end or []), *(C.gte(self.counter(flt, False), 1) for flt in lots)]
        return [self.end_pattern()] + ([("prov", C.fact("prov", *conds), False)] if conds else [])

    def end_pattern(self) -> Pattern:
        """The end marker. One pattern feeds at most 256 rules in durable_rules (error 108), so
        every 200 productions the pattern differs by a condition that always holds."""
        group = len(self.productions) // END_GROUP
        return ("end", C.fact("end", *([C.absent(f"g{group}")] if group else [])), False)

    def add(self, rule: Any, patterns: list[Pattern], emit: Emit | None) -> None:
        self.productions.append(Production(f"p{len(self.productions)}:{rule.id}", patterns, emit))

    # --- kinds ------------------------------------------------------------------------
    def compile(self) -> list[Production]:
        self.productions.append(Production("sentinel", [self.end_pattern()], None))
        handlers = {
            DocumentRule: self.document, ExclusionRule: self.exclusion,
            ExclusionHistoryRule: self.exclusion_history,
            SelfDeclarationRule: self.self_declaration, BibobRule: self.bibob,
            LocationRule: self.location, RegistrationRule: self.registration,
            DiplomaRule: self.diploma, VogRule: self.vog,
            GedragswetenschapperRule: self.gedragswetenschapper, IndicatorRule: self.indicator,
        }
        for rule in self.ruleset.rules:
            handler = handlers.get(type(rule))
            if handler is not None:
                handler(rule)
        return self.productions

    def document(self, rule: DocumentRule) -> None:
        label = self.vocab.document_label(rule.document)
        sensitive = self.vocab.is_sensitive_document(rule.document)
        base_params = {
            "label": label, "Label": label[:1].upper() + label[1:], "max": rule.max_age_months,
            "age_hint": f" van hoogstens {rule.max_age_months} maanden oud" if rule.max_age_months else "",
            "note": Ref("doc", "note"), "shared": Ref("doc", "shared"), "doc_id": Ref("doc", "doc_label"),
            "age": Ref("doc", "age_months"), "loc_id": Ref("loc", "loc_id"),
            "issued": Ref("doc", "issued_on"), "measured": Ref("doc", "measured_on"),
            "year": Ref("doc", "covers_year"), "closed_years": rule.closed_years,
        }
        outcome = rule.outcome
        due = "contract_start" if rule.due == "contract_start" else None

        def emit(situation: str, status: str, out: str | None, **extra: Any) -> Emit:
            subject: str | tuple[str, Ref] = "provider"
            lot = None
            if rule.per == "location":
                subject = ("location", Ref("loc", "loc_id"))
            if rule.per == "lot":
                lot = Ref("lot", "lot")
            # A reused document (M2) names the earlier screening it comes from as evidence too.
            evidence = (Ref("doc", "doc_id"), Ref("doc", "reuse_of")) if situation in DOCUMENT_EVIDENCE else ()
            params = {**base_params, **extra.pop("params", {})}
            return Emit(rule, situation, status, out, rule.finding_requirement(), subject, lot, evidence,
                        extra.pop("due", None), None, params, sensitive)

        variants = [(rule.document, rule.max_age_months, None, False)]
        variants += [(eq.document, eq.max_age_months, eq.lots, True) for eq in rule.equivalents]
        rule_lots = rule.applies.lot_filter().lot_codes()
        subject_lot = rule.per != "provider"

        for scope in self.scopes(rule.applies):
            subject, owner, ok_subject = self._document_subject(rule, scope)
            for doc_type, max_age, only_lots, is_equivalent in variants:
                pats = self.scope_patterns(scope, lot_subject=subject_lot) + subject
                if only_lots is not None and rule.per == "lot":
                    pats = self._restrict_lot(pats, [c for c in rule_lots if c in only_lots])
                dc = [C.eq("type", doc_type), owner]
                fresh = [C.lte("age_months", max_age)] if max_age else []
                fresh += [C.eq("expired", "nee"), C.eq("future", "nee")]
                years = rule.closed_years if not is_equivalent else None
                if years:
                    fresh += [C.gte("years_back", 1), C.lte("years_back", years)]
                complete = [C.eq("complete", "ja")] if rule.require_complete else []
                judged = [C.eq("assessment", "voldoende")] if rule.content_review and not is_equivalent else []
                own_label = self.vocab.document_label(doc_type)
                own = {"label": own_label, "Label": own_label[:1].upper() + own_label[1:]}
                ok_params = {"eq_label": own_label}
                ok_pats = self.scope_patterns(scope, lot_subject=subject_lot) + ok_subject
                if only_lots is not None and rule.per == "lot":
                    ok_pats = self._restrict_lot(ok_pats, [c for c in rule_lots if c in only_lots])
                self.add(rule, ok_pats + [("doc", C.fact("doc", *dc, *fresh, *complete, *judged), False)],
                         emit("ok_equivalent" if is_equivalent else "ok", "voldaan", None, params=ok_params))
                self.add(rule, pats + [("doc", C.fact("doc", *dc, C.eq("expired", "ja")), False)],
                         emit("expired", "niet-voldaan", outcome, params=own))
                self.add(rule, pats + [("doc", C.fact("doc", *dc, C.eq("future", "ja")), False)],
                         emit("future", "niet-voldaan", outcome, params=own))
                if years:
                    for situation, cond in (("year_old", C.gt("years_back", years)),
                                            ("year_open", C.lt("years_back", 1)),
                                            ("year_missing", C.absent("years_back"))):
                        self.add(rule, pats + [("doc", C.fact("doc", *dc, cond), False)],
                                 emit(situation, "niet-voldaan", outcome, params=own))
                if max_age:
                    self.add(rule, pats + [("doc", C.fact("doc", *dc, C.gt("age_months", max_age)), False)],
                             emit("too_old", "niet-voldaan", outcome, params={**own, "max": max_age}))
                    self.add(rule, pats + [("doc", C.fact("doc", *dc, C.absent("age_months")), False)],
                             emit("undated", "niet-voldaan", outcome, params={**own, "max": max_age}))
                if rule.require_complete:
                    self.add(rule, pats + [("doc", C.fact("doc", *dc, *fresh, C.neq("complete", "ja")), False)],
                             emit("incomplete", "niet-voldaan", outcome, params=own))
                if rule.content_review and not is_equivalent:
                    self.add(rule, pats + [("doc", C.fact("doc", *dc, *fresh, *complete, C.eq("assessment", "geen")), False)],
                             emit("unjudged", "onbepaald", "beoordeling"))
                    self.add(rule, pats + [("doc", C.fact("doc", *dc, C.eq("assessment", "onvoldoende")), False)],
                             emit("insufficient", "niet-voldaan", outcome))
            # Absence: per group of lots that accept the same documents.
            groups: dict[tuple[str, ...], list[str]] = {}
            for code in rule_lots:
                accepted = tuple(v[0] for v in variants if v[2] is None or code in v[2])
                groups.setdefault(accepted, []).append(code)
            if rule.per != "lot":
                groups = {tuple(v[0] for v in variants): rule_lots}
            for accepted, codes in groups.items():
                pats = self.scope_patterns(scope, lot_subject=subject_lot) + subject
                if rule.per == "lot":
                    pats = self._restrict_lot(pats, codes)
                missing = ("none", C.fact("doc", C.one_of("type", list(accepted)), owner), True)
                scope_text = {"lot": " voor perceel {lot_label}", "location": " voor locatie {loc_id}"}.get(rule.per, "")
                explained = C.fact("expl", C.eq("requirement", rule.document))
                # An explanation (pas toe of leg uit, Q11) replaces the plain "missing" finding.
                unexplained = [("noexpl", explained, True)] if rule.explainable else []
                if outcome == "voorwaardelijk":
                    self.add(rule, pats + [missing] + unexplained,
                             emit("missing_due", "niet-voldaan", outcome, due=due, params={"scope_text": scope_text}))
                else:
                    self.add(rule, pats + [missing] + unexplained,
                             emit("missing", "niet-voldaan", outcome, params={"scope_text": scope_text}))
                if rule.explainable:
                    params = {"text": Ref("expl", "text"), "scope_text": scope_text, "note": Ref("expl", "note"),
                              "shared": Ref("expl", "shared")}
                    for decision, situation, status, result in (
                            ("geen", "explained", "onbepaald", "beoordeling"),
                            ("voldoende", "explained_accepted", "voldaan", None),
                            ("onvoldoende", "explained_rejected", "niet-voldaan", outcome)):
                        expl = ("expl", {"$and": [explained, C.eq("decision", decision)]}, False)
                        self.add(rule, pats + [missing, expl], emit(situation, status, result, params=params))
            if rule.location_flag:
                flagged = [("loc", C.fact("loc", C.eq(rule.location_flag, "nee")), False)] + subject[1:]
                self.add(rule, self.scope_patterns(scope, lot_subject=subject_lot) + flagged,
                         emit("flag", "niet-voldaan", outcome, params={"loc_id": Ref("loc", "loc_id")}))

    def _document_subject(self, rule: DocumentRule, scope: Scope) -> tuple[list[Pattern], C.Cond, list[Pattern]]:
        """Patterns that fix the subject, the owner condition on documents, and the subject
        patterns for a satisfied finding (a location flagged unfit can never satisfy)."""
        flt = rule.applies.lot_filter()
        if rule.per == "lot":
            lot = [("lot", C.fact("lot", *C.lot_conds(flt, self.vocab)), False)]
            return lot, C.eq("owner", "provider"), lot
        if rule.per == "location":
            serves = ("serves", C.fact("locserve", C.same("loc_id", "loc", "loc_id"),
                                       *C.lot_conds(flt, self.vocab)), False)
            loc = [("loc", C.fact("loc"), False), serves]
            fit = [("loc", C.fact("loc", C.neq(rule.location_flag, "nee")), False), serves] if rule.location_flag else loc
            return loc, C.same("location", "loc", "loc_id"), fit
        return [], C.eq("owner", "provider"), []

    @staticmethod
    def _restrict_lot(patterns: list[Pattern], codes: list[str]) -> list[Pattern]:
        out = []
        for alias, cond, negated in patterns:
            if alias == "lot":
                cond = {"$and": [cond, C.one_of("lot", codes) if codes else C.eq("lot", "__geen__")]}
            out.append((alias, cond, negated))
        return out

    def exclusion(self, rule: ExclusionRule) -> None:
        months = rule.lookback_years * 12 if rule.lookback_years else None
        for scope in self.scopes(rule.applies):
            for ground in rule.grounds:
                def emit(situation: str, status: str, out: str | None, ground: str = ground) -> Emit:
                    return Emit(rule, situation, status, out, ground, ("", Ref("decl", "subject")),
                                params={"ground_label": self.vocab.ground_label(ground),
                                        "who": Ref("decl", "subject"), "when": Ref("decl", "event_date"),
                                        "text": Ref("decl", "self_cleaning_text"), "note": Ref("decl", "sc_note"),
                                        "sanction": Ref("decl", "sanction"), "years": rule.lookback_years},
                                sensitive=True)
                base = self.scope_patterns(scope)
                declared = [C.eq("ground", ground), C.eq("answer", True)]
                counts = [C.neq("sanction", s) for s in rule.not_a_conviction]
                unpaid = [C.eq("paid_or_arranged", False)] if rule.excused_if_paid_or_arranged else []
                window = [C.lte("age_months", months)] if months else []
                if months:  # E1: without the date the lookback cannot be applied: ask for it
                    self.add(rule, base + [("decl", C.fact("decl", *declared, C.absent("age_months"), *counts,
                                                           *unpaid), False)],
                             emit("undated", "onbepaald", rule.undated_outcome))
                for applies in [declared + window + counts + unpaid]:
                    self.add(rule, base + [("decl", C.fact("decl", *applies, C.eq("self_cleaning", False)), False)],
                             emit("excluded", "niet-voldaan", rule.outcome))
                    # E4: self-cleaning goes to a judgement; the recorded decision settles it.
                    for decision, situation, status, out in (
                            ("geen", "self_cleaning", "onbepaald", rule.self_cleaning_outcome),
                            ("voldoende", "self_cleaning_accepted", "voldaan", None),
                            ("onvoldoende", "self_cleaning_rejected", "niet-voldaan", rule.outcome)):
                        cleaning = [C.eq("self_cleaning", True), C.eq("sc_decision", decision)]
                        self.add(rule, base + [("decl", C.fact("decl", *applies, *cleaning), False)],
                                 emit(situation, status, out))
                self.add(rule, base + [("decl", C.fact("decl", C.eq("ground", ground), C.eq("answer", False)), False)],
                         emit("clear_no", "voldaan", None))
                if months:
                    self.add(rule, base + [("decl", C.fact("decl", *declared, C.gt("age_months", months)), False)],
                             emit("clear_old", "voldaan", None))
                for sanction in rule.not_a_conviction:
                    self.add(rule, base + [("decl", C.fact("decl", *declared, C.eq("sanction", sanction)), False)],
                             emit("clear_sanction", "voldaan", None))
                if rule.excused_if_paid_or_arranged:
                    self.add(rule, base + [("decl", C.fact("decl", *declared, C.eq("paid_or_arranged", True)), False)],
                             emit("clear_paid", "voldaan", None))

    def self_declaration(self, rule: SelfDeclarationRule) -> None:
        for scope in self.scopes(rule.applies):
            for ground in rule.grounds:
                params = {"ground_label": self.vocab.ground_label(ground)}
                answered = ("decl", C.fact("decl", C.eq("ground", ground)), False)
                self.add(rule, self.scope_patterns(scope) + [answered],
                         Emit(rule, "ok", "voldaan", None, rule.finding_requirement(), item=ground, params=params))
                self.add(rule, self.scope_patterns(scope) + [(answered[0], answered[1], True)],
                         Emit(rule, "missing", "niet-voldaan", rule.outcome, rule.finding_requirement(),
                              item=ground, params=params))

    def exclusion_history(self, rule: ExclusionHistoryRule) -> None:
        """E7: exclusions of earlier screenings stand until lifted; changed answers are judged."""
        for scope in self.scopes(rule.applies):
            base = self.scope_patterns(scope)

            def carried(situation: str, status: str, out: str | None) -> Emit:
                return Emit(rule, situation, status, out, Ref("p", "requirement"), ("", Ref("p", "subject")),
                            evidence=(Ref("p", "screening"),), item="eerder",
                            params={"screening": Ref("p", "screening"), "who": Ref("p", "subject"),
                                    "requirement_code": Ref("p", "requirement"), "lift": Ref("p", "lifted_by")},
                            sensitive=True)

            self.add(rule, base + [("p", C.fact("pexcl", C.eq("lifted", "nee")), False)],
                     carried("carried", "niet-voldaan", rule.outcome))
            self.add(rule, base + [("p", C.fact("pexcl", C.eq("lifted", "ja")), False)],
                     carried("lifted", "voldaan", None))

            def change(situation: str, status: str, out: str | None) -> Emit:
                return Emit(rule, situation, status, out, rule.finding_requirement(), ("", Ref("p", "subject")),
                            evidence=(Ref("p", "screening"),), item=Ref("p", "ground"),
                            params={"screening": Ref("p", "screening"), "who": Ref("p", "subject"),
                                    "ground_code": Ref("p", "ground"), "before": Ref("p", "text"),
                                    "after": Ref("d", "text"), "note": Ref("d", "change_note")},
                            sensitive=True)

            prior = ("p", C.fact("pdecl"), False)
            same = [C.same("ground", "p", "ground"), C.same("subject", "p", "subject")]
            unchanged = C.fact("decl", *same, C.same("sig", "p", "sig"))
            self.add(rule, base + [prior, ("d", unchanged, False)], change("unchanged", "voldaan", None))
            self.add(rule, base + [prior, ("d", C.fact("decl", *same), True)],
                     change("removed", "onbepaald", rule.changed_outcome))
            for decision, situation, status, out in (
                    ("geen", "changed", "onbepaald", rule.changed_outcome),
                    ("voldoende", "change_accepted", "voldaan", None),
                    ("onvoldoende", "change_rejected", "niet-voldaan", rule.rejected_change_outcome)):
                now = C.fact("decl", *same, C.eq("change_decision", decision))
                self.add(rule, base + [prior, ("same", unchanged, True), ("d", now, False)],
                         change(situation, status, out))

    def bibob(self, rule: BibobRule) -> None:
        for scope in self.scopes(rule.applies):
            for state, result in rule.results.items():
                self.add(rule, self.scope_patterns(scope, [C.eq("bibob", state)]),
                         Emit(rule, state, result.status, result.outcome, rule.finding_requirement(),
                              params={"decided_on": Ref("prov", "bibob_decided_on"),
                                      "reference": Ref("prov", "bibob_reference")},
                              sensitive=True))

    def location(self, rule: LocationRule) -> None:
        flt = rule.applies.lot_filter()
        for scope in self.scopes(rule.applies):
            lot = ("lot", C.fact("lot", *C.lot_conds(flt, self.vocab)), False)
            serves = C.fact("locserve", C.same("lot", "lot", "lot"))  # alias "lot", its field "lot"
            due = "contract_start" if rule.due == "contract_start" else None
            self.add(rule, self.scope_patterns(scope, lot_subject=True) + [lot, ("ls", serves, False)],
                     Emit(rule, "ok", "voldaan", None, rule.finding_requirement(), lot=Ref("lot", "lot"),
                          evidence=(Ref("ls", "loc_id"),)))
            self.add(rule, self.scope_patterns(scope, lot_subject=True) + [lot, ("ls", serves, True)],
                     Emit(rule, "missing", "niet-voldaan", rule.outcome, rule.finding_requirement(),
                          lot=Ref("lot", "lot"), due=due))

    def _staff_variants(self, evc_defers: bool) -> list[tuple[list[C.Cond], str | None, bool]]:
        """(assignment conditions, due, deferred): EVC trajectories make a failure conditional (S2)."""
        if not evc_defers:
            return [([], None, False)]
        return [([C.neq("evc", "lopend")], None, False), ([C.eq("evc", "lopend")], "evc", True)]

    def registration(self, rule: RegistrationRule) -> None:
        flt = rule.applies.lot_filter()
        accepted = C.either([{"$and": [C.eq("register", a.register_), C.one_of("kind", list(a.kinds))]}
                             for a in rule.accepted])
        for scope in self.scopes(rule.applies):
            for evc, due_kind, deferred in self._staff_variants(rule.evc_defers):
                asg = ("a", C.fact("asg", *C.lot_conds(flt, self.vocab), C.one_of("function", list(rule.functions)), *evc), False)
                pats = self.scope_patterns(scope, lot_subject=True) + [asg]
                fail_outcome = "voorwaardelijk" if deferred else rule.outcome
                due = Ref("a", "evc_due") if deferred else None

                def emit(situation: str, status: str, out: str | None, evidence: tuple[Ref, ...] = (),
                         fail_due: Ref | None = None) -> Emit:
                    return Emit(rule, situation, status, out, rule.finding_requirement(),
                                ("staff", Ref("a", "staff")), Ref("a", "lot"), evidence, fail_due,
                                params={"staff": Ref("a", "staff"), "function": Ref("a", "function"),
                                        "register": Ref("r", "register"), "kind": Ref("r", "kind")},
                                sensitive=True)

                reg = C.fact("reg", C.same("staff", "a", "staff"), accepted)
                self.add(rule, pats + [("r", {"$and": [reg, C.eq("expired", "nee")]}, False)],
                         emit("ok", "voldaan", None, (Ref("r", "doc_id"),)))
                self.add(rule, pats + [("r", {"$and": [reg, C.eq("expired", "ja")]}, False)],
                         emit("expired", "niet-voldaan", fail_outcome, (Ref("r", "doc_id"),), due))
                self.add(rule, pats + [("r", reg, True)],
                         emit("missing_evc" if deferred else "missing", "niet-voldaan", fail_outcome, (), due))

    def diploma(self, rule: DiplomaRule) -> None:
        for scope in self.scopes(rule.applies):
            for level in rule.levels:
                rank = self.vocab.diploma_rank(level.min_level)
                for evc, _, deferred in self._staff_variants(rule.evc_defers):
                    asg = ("a", C.fact("asg", *C.lot_conds([rule.applies.lot_filter(), level], self.vocab),
                                       C.one_of("function", list(rule.functions)), *evc), False)
                    pats = self.scope_patterns(scope, lot_subject=True) + [asg]
                    fail_outcome = "voorwaardelijk" if deferred else rule.outcome
                    due = Ref("a", "evc_due") if deferred else None

                    def emit(situation: str, status: str, out: str | None, evidence: tuple[Ref, ...] = (),
                             fail_due: Ref | None = None, alias: str = "d", min_level: str = level.min_level) -> Emit:
                        return Emit(rule, situation, status, out, rule.finding_requirement(),
                                    ("staff", Ref("a", "staff")), Ref("a", "lot"), evidence, fail_due,
                                    params={"staff": Ref("a", "staff"), "min_level": min_level,
                                            "level": Ref("d", "level"), "kind": Ref("r", "kind"),
                                            "doc_id": Ref(alias, "doc_id"), "evc_level": Ref("e", "level"),
                                            "evc_provider": Ref("e", "provider"), "note": Ref("e", "note")},
                                    sensitive=True)

                    dipl = C.fact("dipl", C.same("staff", "a", "staff"), C.gte("level_rank", rank))
                    documented = [C.eq("documented", True)] if rule.require_document else []
                    self.add(rule, pats + [("d", {"$and": [dipl, *documented, C.eq("future", "nee")]}, False)],
                             emit("ok", "voldaan", None, (Ref("d", "doc_id"),)))
                    if rule.require_document:
                        self.add(rule, pats + [("d", {"$and": [dipl, C.eq("documented", False)]}, False)],
                                 emit("undocumented", "niet-voldaan", fail_outcome, (), due))
                    self.add(rule, pats + [("d", {"$and": [dipl, C.eq("future", "ja")]}, False)],
                             emit("future", "niet-voldaan", fail_outcome, (Ref("d", "doc_id"),), due))
                    lacking = [("d", dipl, True)]
                    if rule.derived_from_registration:
                        # S5: the registration proves the diploma, also when it has lapsed (S1's finding).
                        derived = C.fact("reg", C.same("staff", "a", "staff"), C.gte("implied_rank", rank))
                        for expired, situation in (("nee", "derived"), ("ja", "derived_lapsed")):
                            self.add(rule, pats + [("r", {"$and": [derived, C.eq("expired", expired)]}, False)],
                                     emit(situation, "voldaan", None, (Ref("r", "doc_id"),), alias="r"))
                        lacking.append(("r", derived, True))
                    if rule.evc_providers:
                        # S2: a completed EVC trajectory's certificate gives the level it states.
                        evc = C.fact("evc", C.same("staff", "a", "staff"), C.gte("level_rank", rank),
                                     C.eq("future", "nee"))
                        recognised = C.one_of("provider", list(rule.evc_providers))
                        others = {"$and": [C.neq("provider", p) for p in rule.evc_providers]}
                        # A certificate toezicht judged settles it either way (kit assess evc-certificaat).
                        for conds, situation, status, out in (
                                ([recognised, C.neq("assessment", "onvoldoende")], "evc", "voldaan", None),
                                ([others, C.eq("assessment", "geen")], "evc_unrecognised", "onbepaald",
                                 rule.evc_unrecognised_outcome),
                                ([others, C.eq("assessment", "voldoende")], "evc_accepted", "voldaan", None),
                                ([C.eq("assessment", "onvoldoende")], "evc_rejected", "niet-voldaan", fail_outcome)):
                            self.add(rule, pats + [("e", {"$and": [evc, *conds]}, False)],
                                     emit(situation, status, out, (Ref("e", "doc_id"),), alias="e"))
                        lacking.append(("e", evc, True))
                    self.add(rule, pats + lacking,
                             emit("too_low_evc" if deferred else "too_low", "niet-voldaan", fail_outcome, (), due))

    def vog(self, rule: VogRule) -> None:
        if rule.max_months_before_start is not None:
            measure, limit, old = "vog_months_before_start", rule.max_months_before_start, "too_old_start"
        else:
            measure, limit, old = "vog_age_months", rule.max_age_months, "too_old"
        contact = [C.eq("client_contact", True)] if rule.client_contact_only else []
        employment = [C.one_of("employment", list(rule.employment))] if rule.employment is not None else []
        for scope in self.scopes(rule.applies):
            staff = [C.one_of("function", list(rule.functions)), *employment, *contact]

            def emit(situation: str, status: str, out: str | None, evidence: tuple[Ref, ...] = ()) -> Emit:
                return Emit(rule, situation, status, out, rule.finding_requirement(), ("staff", Ref("s", "staff")),
                            None, evidence, params={"staff": Ref("s", "staff"), "max": limit,
                                                    "age": Ref("s", measure), "doc_id": Ref("s", "vog_doc"),
                                                    "issued": Ref("s", "vog_issued_on"),
                                                    "measured": Ref("s", "measured_on")},
                            sensitive=True)

            pats = self.scope_patterns(scope)
            self.add(rule, pats + [("s", C.fact("staff", *staff, C.eq("vog", "ja"), C.eq("vog_future", "ja")), False)],
                     emit("future", "niet-voldaan", rule.outcome, (Ref("s", "vog_doc"),)))
            staff.append(C.eq("vog_future", "nee"))
            self.add(rule, pats + [("s", C.fact("staff", *staff, C.eq("vog", "ja"), C.lte(measure, limit)), False)],
                     emit("ok", "voldaan", None, (Ref("s", "vog_doc"),)))
            self.add(rule, pats + [("s", C.fact("staff", *staff, C.eq("vog", "ja"), C.gt(measure, limit)), False)],
                     emit(old, "niet-voldaan", rule.outcome, (Ref("s", "vog_doc"),)))
            self.add(rule, pats + [("s", C.fact("staff", *staff, C.eq("vog", "ja"), C.absent(measure)), False)],
                     emit("no_start", "niet-voldaan", rule.outcome))
            self.add(rule, pats + [("s", C.fact("staff", *staff, C.eq("vog", "nee")), False)],
                     emit("missing", "niet-voldaan", rule.outcome))

    def gedragswetenschapper(self, rule: GedragswetenschapperRule) -> None:
        qualifying = C.either([{"$and": [C.eq("register", q.register_), C.one_of("kind", list(q.kinds))]}
                               for q in rule.qualifying])
        for scope in self.scopes(rule.applies):
            for level in rule.levels:
                lot = ("lot", C.fact("lot", *C.lot_conds([rule.applies.lot_filter(), level], self.vocab)), False)
                gw = C.fact("areg", C.same("lot", "lot", "lot"), C.one_of("function", list(rule.functions)),
                            C.one_of("employment", list(rule.employment)), C.eq("declarable", True),
                            qualifying, C.gte("level_rank", self.vocab.registration_rank(level.min_level)),
                            C.eq("expired", "nee"))
                params = {"min_level": level.min_level, "staff": Ref("g", "staff")}

                def emit(situation: str, status: str, out: str | None, evidence: tuple[Ref, ...] = (),
                         due: str | None = None, params: dict[str, Any] = params) -> Emit:
                    return Emit(rule, situation, status, out, rule.finding_requirement(), "provider",
                                Ref("lot", "lot"), evidence, due, params=params)

                self.add(rule, self.scope_patterns(scope, lot_subject=True) + [lot, ("g", gw, False)],
                         emit("ok", "voldaan", None, (Ref("g", "doc_id"),)))
                self.add(rule, self.scope_patterns(scope, [C.eq("recruiting", True)], True) + [lot, ("g", gw, True)],
                         emit("recruiting", "niet-voldaan", rule.recruiting_outcome, (), rule.due))
                self.add(rule, self.scope_patterns(scope, [C.eq("recruiting", False)], True) + [lot, ("g", gw, True)],
                         emit("missing", "niet-voldaan", rule.outcome))

    def indicator(self, rule: IndicatorRule) -> None:
        field_name = rule.measure
        if rule.equals is not None:
            hit, clear = C.eq(field_name, rule.equals), C.eq(field_name, not rule.equals)
            threshold = measure_value(field_name, rule.equals)
        elif rule.above is not None:
            hit, clear = C.gt(field_name, rule.above), C.lte(field_name, rule.above)
            threshold = f"meer dan {measure_value(field_name, rule.above)}"
        else:
            assert rule.below is not None
            hit, clear = C.lt(field_name, rule.below), C.gte(field_name, rule.below)
            threshold = f"minder dan {measure_value(field_name, rule.below)}"
        for scope in self.scopes(rule.applies):
            params = {"value": Ref("prov", field_name), "threshold": threshold, "measure": rule.measure}
            for cond, situation, status, out in ((hit, "triggered", "niet-voldaan", rule.outcome),
                                                 (clear, "clear", "voldaan", None),
                                                 (C.absent(field_name), "unknown", "onbepaald", rule.outcome)):
                self.add(rule, self.scope_patterns(scope, [cond]),
                         Emit(rule, situation, status, out, rule.finding_requirement(), params=params))


def compile_ruleset(ruleset: RuleSet, vocab: Vocabulary) -> tuple[list[Production], list[Counter]]:
    compiler = Compiler(ruleset, vocab)
    productions = compiler.compile()
    return productions, list(compiler.counters.values())


def needs(productions: list[Production]) -> dict[str, tuple[frozenset[str], frozenset[str] | None]]:
    """Per kind of fact (`t`): the fields some production reads (in a condition, a join or a
    message), and the `type` values its patterns name when every one of them names some. A fact
    of a kind no production reads, or of a type none names, can never match; a field outside
    them is never read. The runner leaves both out, which keeps the network small."""
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
            if named is None or types.get(kind, set()) is None:
                types[kind] = None
            else:
                types.setdefault(kind, set()).update(named)  # type: ignore[union-attr]
        emit = production.emit
        if emit is not None:
            refs = [emit.requirement, emit.lot, emit.due, emit.item, *emit.evidence, *emit.params.values()]
            if isinstance(emit.subject, tuple):
                refs.append(emit.subject[1])
            joins += [(r.alias, r.field) for r in refs if isinstance(r, Ref)]
        for alias, field_name in joins:
            if alias in kinds:
                fields[kinds[alias]].add(field_name)
    return {kind: (frozenset(names), None if types.get(kind) is None else frozenset(types[kind] or ()))
            for kind, names in fields.items()}


def _conjuncts(cond: C.Cond) -> list[C.Cond]:
    """The parts of a condition that must all hold (nested $and flattened)."""
    if "$and" not in cond:
        return [cond]
    return [part for sub in cond["$and"] for part in _conjuncts(sub)]


def _kind(cond: C.Cond) -> str:
    return str(next(part["t"] for part in _conjuncts(cond) if "t" in part))


def _fields(cond: C.Cond, out: set[str], joins: list[tuple[str, str]]) -> None:
    for key, value in cond.items():
        if key in ("$and", "$or"):
            for part in value:
                _fields(part, out, joins)
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
        if options and all(set(o) == {field_name} and not isinstance(o[field_name], dict) for o in options):
            return {o[field_name] for o in options}
    return None
