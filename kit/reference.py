"""Reference evaluator: the rule-set data interpreted in plain Python, as the engine's oracle.

It reads the same typed rules (kit.rules) and the same case (kit.case) as the durable_rules
engine, but shares none of its compilation or facts: each rule kind is a short function over
the submission that proposes candidate findings, written from spec/requirements.md. The
candidates go through the same hit policy (kit.engine.findings.resolve) and the same
aggregate kinds (S7, risk light), so both must give identical findings; the differential test
(tests/test_differential.py) checks that on generated regions, and bench/run.py compares speed.

    Reference(ruleset).evaluate(case.submission, as_of) -> EngineResult
    engine_for(ruleset, Reference)   # one per rule-set version per process
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from kit.case import Document, StaffMember, Submission
from kit.dates import months_between
from kit.engine.aggregate import complete
from kit.engine.evaluate import EngineResult
from kit.engine.findings import Finding, propose, resolve
from kit.engine.messages import measure_value
from kit.prior import Prior, answer_text
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
from kit.vocabulary import Vocabulary, vocabulary


@dataclass
class Ctx:
    """One submission at one as-of date, with the few things every rule kind asks for."""

    sub: Submission
    as_of: date
    contract_start: str
    care_functions: list[str]
    prior: Prior = field(default_factory=Prior)

    def __post_init__(self) -> None:
        self.roles = {reg.lot: reg.role for reg in self.sub.lots if not reg.withdrawn}

    def day(self, member: StaffMember) -> date:
        """The day a staff member's data is measured on: its arrival, or the screening date."""
        return member.received_on or self.as_of

    def lots(self, *filters: LotFilter) -> list[str]:
        """The active lots every filter matches (lot attributes and the provider's role in it)."""
        return [lot for lot, role in self.roles.items()
                if all(lot in flt.lot_codes() and (flt.roles is None or role in flt.roles) for flt in filters)]

    def serves(self, lots: list[str]) -> list[str]:
        """Those of `lots` that are active."""
        return [lot for lot in lots if lot in self.roles]

    def workers(self, flt: LotFilter) -> int:
        """Declarable care workers serving a lot of the filter (Q7, Q9); S2, S3 excluded."""
        lots = set(self.lots(flt))
        return sum(1 for m in self.sub.staff
                   if m.function in self.care_functions and declarable(m) and lots & set(m.lots))

    def holds(self, applies: Applies, on_subject: bool = False) -> bool:
        """The rule's scope. With `on_subject` the rule is about a lot (or a location or staff
        member serving one), and the caller tests its own lot filter on that lot instead."""
        prov = self.sub.provider
        checks = [
            applies.legal_forms is None or prov.legal_form in applies.legal_forms,
            applies.employees_min is None or prov.employees >= applies.employees_min,
            applies.employees_max is None or prov.employees <= applies.employees_max,
            applies.fte_min is None or prov.fte >= applies.fte_min,
            applies.fte_max is None or prov.fte <= applies.fte_max,
            applies.from_ is None or self.as_of >= applies.from_,
            applies.until is None or self.as_of <= applies.until,
            applies.workers is None or self.workers(applies.workers) >= applies.workers.min,
        ]
        flt = applies.lot_filter()
        if not on_subject:
            checks.append(flt.is_empty() or bool(self.lots(flt)))
        if not all(checks):
            return False
        return applies.any is None or any(self.holds(branch) for branch in applies.any)


def declarable(member: StaffMember) -> bool:
    return not (member.evc is not None and member.evc.status == "lopend")


def label(vocab: Vocabulary, doc_type: str) -> dict[str, str]:
    text = vocab.document_label(doc_type)
    return {"label": text, "Label": text[:1].upper() + text[1:]}


class Reference:
    """Same interface as kit.engine.Engine: evaluate(sub, as_of) -> EngineResult."""

    def __init__(self, ruleset: RuleSet, vocab: Vocabulary | None = None):
        self.ruleset = ruleset
        self.vocab = vocab or vocabulary()
        self.order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
        self.prohibitive = {r.id for r in ruleset.rules
                            if isinstance(r, (ExclusionRule, ExclusionHistoryRule, BibobRule))}
        self.kinds: dict[type, Callable[[Any, Ctx], Iterator[Finding]]] = {
            DocumentRule: self.document, ExclusionRule: self.exclusion,
            ExclusionHistoryRule: self.exclusion_history,
            SelfDeclarationRule: self.self_declaration, BibobRule: self.bibob,
            LocationRule: self.location, RegistrationRule: self.registration,
            DiplomaRule: self.diploma, VogRule: self.vog,
            GedragswetenschapperRule: self.gedragswetenschapper, IndicatorRule: self.indicator,
        }

    def evaluate(self, sub: Submission, as_of: date, source: str = "", prior: Prior | None = None) -> EngineResult:
        start = self.ruleset.procedure(sub.procedure, source).contract_start.isoformat()
        ctx = Ctx(sub, as_of, start, self.ruleset.care_functions, prior or Prior())
        candidates = [f for rule in self.ruleset.rules if type(rule) in self.kinds
                      for f in self.kinds[type(rule)](rule, ctx)]
        return EngineResult(*complete(self.ruleset, sub, resolve(candidates, self.prohibitive), self.vocab,
                                      self.order))

    def find(self, rule: Any, situation: str, status: str, outcome: str | None, **kw: Any) -> Finding:
        kw.setdefault("requirement", rule.finding_requirement())
        return propose(rule, situation, status, outcome, vocab=self.vocab, order=self.order[rule.id], **kw)

    # --- documents (O, Q, L2, L3) ------------------------------------------------------
    def document(self, rule: DocumentRule, ctx: Ctx) -> Iterator[Finding]:
        sub = ctx.sub
        own = rule.applies.lot_filter()
        # (subject, lot, location, documents it may use)
        subjects: list[tuple[str, str | None, Any, list[Document]]] = []
        if rule.per == "provider" and ctx.holds(rule.applies):
            subjects.append(("provider", None, None, sub.documents))
        elif rule.per == "lot":
            if ctx.holds(rule.applies, True):
                subjects += [("provider", lot, None, sub.documents) for lot in ctx.lots(own)]
        elif rule.per == "location":
            wanted = set(ctx.lots(own))
            subjects += [(f"location:{loc.id}", None, loc, loc.documents) for loc in sub.locations
                         if wanted & set(loc.lots) and ctx.holds(rule.applies, True)]
        for subject, lot, loc, docs in subjects:
            yield from self.document_subject(rule, ctx, subject, lot, loc, docs)

    def document_subject(self, rule: DocumentRule, ctx: Ctx, subject: str, lot: str | None, loc: Any,
                         docs: list[Document]) -> Iterator[Finding]:
        unfit = bool(rule.location_flag) and getattr(loc, rule.location_flag or "", None) is False
        scope_text = {"lot": " voor perceel {lot_label}", "location": " voor locatie {loc_id}"}.get(rule.per, "")
        base: dict[str, Any] = {
            **label(self.vocab, rule.document), "max": rule.max_age_months, "scope_text": scope_text,
            "age_hint": f" van hoogstens {rule.max_age_months} maanden oud" if rule.max_age_months else "",
            "closed_years": rule.closed_years,
        }

        def find(situation: str, status: str, outcome: str | None, doc: Document | None = None,
                 params: dict[str, Any] | None = None, data: dict[str, Any] | None = None) -> Finding:
            values: dict[str, Any] = {"loc_id": loc.id if loc is not None else None}
            if doc is not None:
                day = doc.received_on or ctx.as_of
                age = months_between(doc.issued_on, day) if doc.issued_on else None
                shown = f"{doc.id}, hergebruikt uit {doc.reuse_of}" if doc.reuse_of else doc.id
                values.update(doc_id=shown, note=doc.assessment_note or "", shared=bool(doc.assessment_shared),
                              age=age, issued=doc.issued_on.isoformat() if doc.issued_on else None,
                              measured=day.isoformat(), year=doc.covers_year)
            return self.find(rule, situation, status, outcome, subject=subject, lot=lot,
                             evidence=[doc.id, doc.reuse_of] if doc else [], params={**base, **(params or {})},
                             data={**values, **(data or {})},
                             sensitive=self.vocab.is_sensitive_document(rule.document),
                             due=ctx.contract_start if situation == "missing_due" and rule.due else None)

        variants = [(rule.document, rule.max_age_months, None, False)]
        variants += [(e.document, e.max_age_months, e.lots, True) for e in rule.equivalents]
        present = False
        for doc_type, max_age, only_lots, equivalent in variants:
            if only_lots is not None and rule.per == "lot" and lot not in only_lots:
                continue
            own_label = label(self.vocab, doc_type)
            years = rule.closed_years if not equivalent else None
            for doc in (d for d in docs if d.type == doc_type):
                present = True
                day = doc.received_on or ctx.as_of
                age = months_between(doc.issued_on, day) if doc.issued_on else None
                expired = doc.valid_until is not None and doc.valid_until < day
                future = doc.issued_on is not None and doc.issued_on > day
                back = day.year - doc.covers_year if doc.covers_year is not None else None
                closed = not years or (back is not None and 1 <= back <= years)
                fresh = (not expired and not future and closed
                         and (not max_age or (age is not None and age <= max_age)))
                complete_ok = not rule.require_complete or doc.complete is True
                judged = rule.content_review and not equivalent
                if fresh and complete_ok and (not judged or doc.assessment == "voldoende") and not unfit:
                    yield find("ok_equivalent" if equivalent else "ok", "voldaan", None, doc,
                               {"eq_label": own_label["label"]})
                if expired:
                    yield find("expired", "niet-voldaan", rule.outcome, doc, own_label)
                if future:
                    yield find("future", "niet-voldaan", rule.outcome, doc, own_label)
                if years and not closed:
                    situation = "year_missing" if back is None else "year_old" if back > years else "year_open"
                    yield find(situation, "niet-voldaan", rule.outcome, doc, own_label)
                if max_age and (age is None or age > max_age):
                    yield find("too_old" if age is not None else "undated", "niet-voldaan", rule.outcome,
                               doc, {**own_label, "max": max_age})
                if rule.require_complete and fresh and doc.complete is not True:
                    yield find("incomplete", "niet-voldaan", rule.outcome, doc, own_label)
                if judged and fresh and complete_ok and doc.assessment is None:
                    yield find("unjudged", "onbepaald", "beoordeling", doc)
                if judged and doc.assessment == "onvoldoende":
                    yield find("insufficient", "niet-voldaan", rule.outcome, doc)
        explanations = [e for e in ctx.sub.explanations if e.requirement == rule.document] if rule.explainable else []
        if not present and not explanations:
            yield find("missing_due" if rule.outcome == "voorwaardelijk" else "missing", "niet-voldaan",
                       rule.outcome)
        for expl in [] if present else explanations:
            situation, status, outcome = {
                None: ("explained", "onbepaald", "beoordeling"),
                "voldoende": ("explained_accepted", "voldaan", None),
                "onvoldoende": ("explained_rejected", "niet-voldaan", rule.outcome),
            }[expl.decision]
            yield find(situation, status, outcome, data={"text": expl.text, "note": expl.decision_note or "",
                                                         "shared": bool(expl.decision_shared)})
        if unfit:
            yield find("flag", "niet-voldaan", rule.outcome)

    # --- exclusion grounds, self-declaration, Bibob (E) -----------------------------------
    def exclusion(self, rule: ExclusionRule, ctx: Ctx) -> Iterator[Finding]:
        if not ctx.holds(rule.applies):
            return
        months = rule.lookback_years * 12 if rule.lookback_years else None
        for decl in ctx.sub.declarations:
            if decl.ground not in rule.grounds:
                continue
            subject = f"board:{decl.board_member}" if decl.board_member else "provider"
            sanction = decl.sanction or "vonnis"
            find = partial(self.find, rule, requirement=decl.ground, subject=subject, sensitive=True,
                           params={"ground_label": self.vocab.ground_label(decl.ground),
                                   "years": rule.lookback_years},
                           data={"who": subject, "text": decl.self_cleaning or "", "sanction": sanction,
                                 "note": decl.self_cleaning_note or "",
                                 "when": decl.event_date.isoformat() if decl.event_date else None})
            if not decl.answer:
                yield find("clear_no", "voldaan", None)
                continue
            age = months_between(decl.event_date, ctx.as_of) if decl.event_date else None
            old = months is not None and age is not None and age > months
            counts = sanction not in rule.not_a_conviction
            paid = rule.excused_if_paid_or_arranged and bool(decl.paid_or_arranged)
            if months is not None and age is None and counts and not paid:
                yield find("undated", "onbepaald", rule.undated_outcome)
            elif not old and counts and not paid:
                if decl.self_cleaning is not None and decl.self_cleaning_decision == "voldoende":
                    yield find("self_cleaning_accepted", "voldaan", None)
                elif decl.self_cleaning is not None and decl.self_cleaning_decision == "onvoldoende":
                    yield find("self_cleaning_rejected", "niet-voldaan", rule.outcome)
                elif decl.self_cleaning is not None:
                    yield find("self_cleaning", "onbepaald", rule.self_cleaning_outcome)
                else:
                    yield find("excluded", "niet-voldaan", rule.outcome)
            if old:
                yield find("clear_old", "voldaan", None)
            if not counts:
                yield find("clear_sanction", "voldaan", None)
            if paid:
                yield find("clear_paid", "voldaan", None)

    def exclusion_history(self, rule: ExclusionHistoryRule, ctx: Ctx) -> Iterator[Finding]:
        if not ctx.holds(rule.applies):
            return
        for excl in ctx.prior.exclusions:
            lifted = bool(excl.lifted_by)
            yield self.find(rule, "lifted" if lifted else "carried", "voldaan" if lifted else "niet-voldaan",
                            rule.outcome, requirement=excl.requirement, subject=excl.subject, item="eerder",
                            evidence=[excl.screening], sensitive=True,
                            data={"screening": excl.screening, "who": excl.subject,
                                  "requirement_code": excl.requirement, "lift": excl.lifted_by})
        for before in ctx.prior.declarations:
            now = [d for d in ctx.sub.declarations if (d.ground, d.subject) == (before.ground, before.subject)]
            data = {"screening": before.screening, "who": before.subject, "ground_code": before.ground,
                    "before": before.text, "after": None, "note": ""}
            find = partial(self.find, rule, subject=before.subject, item=before.ground,
                           evidence=[before.screening], sensitive=True)
            if not now:
                yield find("removed", "onbepaald", rule.changed_outcome, data=data)
            elif same := [d for d in now if d.signature() == before.signature]:
                yield find("unchanged", "voldaan", None,
                           data={**data, "after": answer_text(same[0]), "note": same[0].change_note or ""})
            else:
                for decl in now:
                    situation, status, outcome = {
                        None: ("changed", "onbepaald", rule.changed_outcome),
                        "voldoende": ("change_accepted", "voldaan", None),
                        "onvoldoende": ("change_rejected", "niet-voldaan", rule.rejected_change_outcome),
                    }[decl.change_decision]
                    yield find(situation, status, outcome,
                               data={**data, "after": answer_text(decl), "note": decl.change_note or ""})

    def self_declaration(self, rule: SelfDeclarationRule, ctx: Ctx) -> Iterator[Finding]:
        if not ctx.holds(rule.applies):
            return
        answered = {decl.ground for decl in ctx.sub.declarations}
        for ground in rule.grounds:
            ok = ground in answered
            yield self.find(rule, "ok" if ok else "missing", "voldaan" if ok else "niet-voldaan", rule.outcome,
                            item=ground, params={"ground_label": self.vocab.ground_label(ground)})

    def bibob(self, rule: BibobRule, ctx: Ctx) -> Iterator[Finding]:
        bibob = ctx.sub.bibob
        state = "niet-gestart" if bibob is None else bibob.outcome if bibob.status == "afgerond" else bibob.status
        result = rule.results.get(state) if state else None  # type: ignore[call-overload]
        if result is not None and ctx.holds(rule.applies):
            recorded = {"decided_on": bibob.decided_on.isoformat() if bibob and bibob.decided_on else "",
                        "reference": bibob.reference or "" if bibob else ""}
            yield self.find(rule, state, result.status, result.outcome, sensitive=True, data=recorded)

    # --- locations (L1) -------------------------------------------------------------------
    def location(self, rule: LocationRule, ctx: Ctx) -> Iterator[Finding]:
        if not ctx.holds(rule.applies, True):
            return
        for lot in ctx.lots(rule.applies.lot_filter()):
            places = [loc.id for loc in ctx.sub.locations if lot in loc.lots]
            for loc_id in places:
                yield self.find(rule, "ok", "voldaan", None, lot=lot, evidence=[loc_id])
            if not places:
                yield self.find(rule, "missing", "niet-voldaan", rule.outcome, lot=lot,
                                due=ctx.contract_start if rule.due else None)

    # --- staff (S1, S4, S6) and behavioural scientist (G) ---------------------------------
    def assignments(self, rule: Any, ctx: Ctx, lots: list[str]) -> Iterator[tuple[StaffMember, str, bool]]:
        """(member, lot, deferred by an EVC trajectory) for every staff member of the rule's
        functions working in one of `lots` (active ones only)."""
        if not ctx.holds(rule.applies, True):
            return
        for member in ctx.sub.staff:
            if member.function not in rule.functions:
                continue
            for lot in ctx.serves(member.lots):
                if lot in lots:
                    yield member, lot, rule.evc_defers and not declarable(member)

    def staff_finding(self, rule: Any, member: StaffMember, lot: str, due: str | None, params: dict[str, Any],
                      situation: str, status: str, outcome: str | None, evidence: Any = None,
                      **data: Any) -> Finding:
        return self.find(rule, situation, status, outcome, subject=f"staff:{member.id}", lot=lot,
                         evidence=[evidence], due=due if status != "voldaan" else None, params=params,
                         data={"staff": member.id, **data}, sensitive=True)

    def registration(self, rule: RegistrationRule, ctx: Ctx) -> Iterator[Finding]:
        accepted = {(a.register_, kind) for a in rule.accepted for kind in a.kinds}
        for member, lot, deferred in self.assignments(rule, ctx, ctx.lots(rule.applies.lot_filter())):
            fail = "voorwaardelijk" if deferred else rule.outcome
            due = member.evc.expected_completion.isoformat() if deferred and member.evc and member.evc.expected_completion else None
            find = partial(self.staff_finding, rule, member, lot, due, {}, function=member.function)
            regs = [r for r in member.registrations if (r.register_, r.kind) in accepted]
            for reg in regs:
                expired = reg.valid_until is not None and reg.valid_until < ctx.day(member)
                yield find("expired" if expired else "ok", "niet-voldaan" if expired else "voldaan", fail,
                           reg.document, register=reg.register_, kind=reg.kind)
            if not regs:
                yield find("missing_evc" if deferred else "missing", "niet-voldaan", fail)

    def diploma(self, rule: DiplomaRule, ctx: Ctx) -> Iterator[Finding]:
        documents = {doc.id: doc for doc in ctx.sub.all_documents()}

        def dated_after(doc_id: str | None, member: StaffMember) -> bool:
            doc = documents.get(doc_id) if doc_id else None
            return bool(doc and doc.issued_on and doc.issued_on > (doc.received_on or ctx.day(member)))

        for level in rule.levels:
            rank = self.vocab.diploma_rank(level.min_level)
            for member, lot, deferred in self.assignments(rule, ctx, ctx.lots(rule.applies.lot_filter(), level)):
                fail = "voorwaardelijk" if deferred else rule.outcome
                due = member.evc.expected_completion.isoformat() if deferred and member.evc and member.evc.expected_completion else None

                find = partial(self.staff_finding, rule, member, lot, due, {"min_level": level.min_level})
                high = [d for d in member.diplomas if self.vocab.diploma_rank(d.level) >= rank]
                for dip in high:
                    if dip.document is None and rule.require_document:
                        yield find("undocumented", "niet-voldaan", fail, level=dip.level)
                    elif dated_after(dip.document, member):
                        yield find("future", "niet-voldaan", fail, dip.document, level=dip.level, doc_id=dip.document)
                    else:
                        yield find("ok", "voldaan", None, dip.document, level=dip.level, doc_id=dip.document)
                derived = []
                if rule.derived_from_registration:
                    for reg in member.registrations:
                        implied = self.vocab.register_kinds[(reg.register_, reg.kind)].implies_diploma
                        if implied and self.vocab.diploma_rank(implied) >= rank:
                            derived.append(reg)
                            lapsed = reg.valid_until is not None and reg.valid_until < ctx.day(member)
                            yield find("derived_lapsed" if lapsed else "derived", "voldaan", None, reg.document,
                                       kind=reg.kind, doc_id=reg.document)
                certified = []
                cert = documents.get(member.evc.certificate) if member.evc and member.evc.certificate else None
                if (rule.evc_providers and cert is not None and member.evc and member.evc.status == "afgerond"
                        and cert.level and self.vocab.diploma_rank(cert.level) >= rank
                        and not dated_after(cert.id, member)):
                    certified.append(cert)
                    recognised = cert.evc_provider in rule.evc_providers
                    situation, status, outcome = (
                        ("evc_rejected", "niet-voldaan", fail) if cert.assessment == "onvoldoende" else
                        ("evc", "voldaan", None) if recognised else
                        ("evc_accepted", "voldaan", None) if cert.assessment == "voldoende" else
                        ("evc_unrecognised", "onbepaald", rule.evc_unrecognised_outcome))
                    yield find(situation, status, outcome, cert.id, doc_id=cert.id, evc_level=cert.level,
                               evc_provider=cert.evc_provider or "", note=cert.assessment_note or "")
                if not high and not derived and not certified:
                    yield find("too_low_evc" if deferred else "too_low", "niet-voldaan", fail)

    def vog(self, rule: VogRule, ctx: Ctx) -> Iterator[Finding]:
        if not ctx.holds(rule.applies):
            return
        limit = rule.max_months_before_start or rule.max_age_months
        for member in ctx.sub.staff:
            if (member.function not in rule.functions or not ctx.serves(member.lots)
                    or (rule.employment is not None and member.employment not in rule.employment)
                    or (rule.client_contact_only and not member.has_client_contact)):
                continue
            vog = member.vog
            find = partial(self.staff_finding, rule, member, None, None, {"max": limit})
            if vog is None:
                yield find("missing", "niet-voldaan", rule.outcome)
                continue
            day = ctx.day(member)
            if vog.issued_on > day:
                yield find("future", "niet-voldaan", rule.outcome, vog.document, doc_id=vog.document,
                           issued=vog.issued_on.isoformat(), measured=day.isoformat())
                continue
            if rule.max_months_before_start is not None:
                if member.start_date is None:
                    yield find("no_start", "niet-voldaan", rule.outcome, doc_id=vog.document)
                    continue
                age, too_old = months_between(vog.issued_on, member.start_date), "too_old_start"
            else:
                age, too_old = months_between(vog.issued_on, day), "too_old"
            assert limit is not None
            if age <= limit:
                yield find("ok", "voldaan", None, vog.document, doc_id=vog.document, age=age)
            else:
                yield find(too_old, "niet-voldaan", rule.outcome, vog.document, doc_id=vog.document, age=age)

    def gedragswetenschapper(self, rule: GedragswetenschapperRule, ctx: Ctx) -> Iterator[Finding]:
        qualifying = {(q.register_, kind) for q in rule.qualifying for kind in q.kinds}
        for level in rule.levels:
            rank = self.vocab.registration_rank(level.min_level)
            for lot in ctx.lots(rule.applies.lot_filter(), level):
                if not ctx.holds(rule.applies, True):
                    continue
                found = False
                for member in ctx.sub.staff:
                    if (lot not in member.lots or member.function not in rule.functions
                            or member.employment not in rule.employment or not declarable(member)):
                        continue
                    for reg in member.registrations:
                        kind = self.vocab.register_kinds[(reg.register_, reg.kind)]
                        valid = reg.valid_until is None or reg.valid_until >= ctx.day(member)
                        if ((reg.register_, reg.kind) in qualifying and valid
                                and self.vocab.registration_rank(kind.level) >= rank):
                            found = True
                            yield self.find(rule, "ok", "voldaan", None, lot=lot, evidence=[reg.document],
                                            params={"min_level": level.min_level}, data={"staff": member.id})
                if not found:
                    recruiting = ctx.sub.recruiting_gedragswetenschapper
                    yield self.find(rule, "recruiting" if recruiting else "missing", "niet-voldaan",
                                    rule.recruiting_outcome if recruiting else rule.outcome, lot=lot,
                                    due=ctx.contract_start if recruiting else None,
                                    params={"min_level": level.min_level}, data={"staff": None})

    # --- risk indicators (R2) -------------------------------------------------------------
    def indicator(self, rule: IndicatorRule, ctx: Ctx) -> Iterator[Finding]:
        if not ctx.holds(rule.applies):
            return
        value = measure(ctx.sub, rule.measure)
        if rule.equals is not None:
            threshold = measure_value(rule.measure, rule.equals)
            hit = None if value is None else value == rule.equals
        else:
            limit = rule.above if rule.above is not None else rule.below
            threshold = f"{'meer' if rule.above is not None else 'minder'} dan {measure_value(rule.measure, limit)}"
            hit = None if value is None else value > limit if rule.above is not None else value < limit
        situation, status = {None: ("unknown", "onbepaald"), True: ("triggered", "niet-voldaan"),
                             False: ("clear", "voldaan")}[hit]
        yield self.find(rule, situation, status, rule.outcome, data={"value": value},
                        params={"threshold": threshold, "measure": rule.measure})


def measure(sub: Submission, name: str) -> Any:
    """A risk-analysis input (R2) of the submission, or None when the case does not give it."""
    risk, board = sub.provider.risk, sub.provider.board
    if name == "fte":
        return sub.provider.fte
    if name == "board_without_care_background":
        if not board or any(m.care_background is None for m in board):
            return None
        return sum(1 for m in board if not m.care_background)
    if risk is None:
        return None
    if name in ("personnel_cost_share", "profit_margin"):
        part = risk.personnel_costs if name == "personnel_cost_share" else risk.profit
        return part / risk.turnover if risk.turnover and part is not None else None
    return getattr(risk, name)

