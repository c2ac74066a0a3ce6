"""Kind `document`: a document the provider must have, per provider, per lot or per location.

One kind serves every organisation, quality and location document (O1-O7, Q1-Q10, L2, L3): a
maximum age, completeness, a reviewer's content judgement, comply-or-explain (Q11), equivalent
evidence (Q10), the financial year a jaarrekening covers (O6), a location flag (L2).
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from kit.case.models import Document
from kit.dates import months_between
from kit.engine import conditions as C
from kit.engine.productions import Emit, Pattern, Ref, Scope
from kit.kinds.base import KindSpec, label_params
from kit.rules.applicability import texts as applicability_texts
from kit.rules.criteria import Criterion
from kit.rules.model import RuleBase, Strict
from kit.text import render
from kit.vocab.codes import DocumentType, LotCode

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference
    from kit.vocab.vocabulary import Vocabulary


class Situation(StrEnum):
    OK = "ok"
    OK_EQUIVALENT = "ok_equivalent"
    UNJUDGED = "unjudged"
    INSUFFICIENT = "insufficient"
    TOO_OLD = "too_old"
    UNDATED = "undated"
    EXPIRED = "expired"
    FUTURE = "future"
    YEAR_OLD = "year_old"
    YEAR_OPEN = "year_open"
    YEAR_MISSING = "year_missing"
    INCOMPLETE = "incomplete"
    MISSING = "missing"
    MISSING_DUE = "missing_due"
    EXPLAINED = "explained"
    EXPLAINED_ACCEPTED = "explained_accepted"
    EXPLAINED_REJECTED = "explained_rejected"
    FLAG = "flag"


S = Situation
# Situations in which a document was found (and so is the evidence).
EVIDENCED = {
    S.OK,
    S.OK_EQUIVALENT,
    S.UNJUDGED,
    S.INSUFFICIENT,
    S.TOO_OLD,
    S.UNDATED,
    S.INCOMPLETE,
    S.EXPIRED,
    S.FUTURE,
    S.YEAR_OLD,
    S.YEAR_OPEN,
    S.YEAR_MISSING,
}
# A comply-or-explain decision: the situation, status and outcome it gives (None: rule's outcome).
EXPLANATION = {
    None: (S.EXPLAINED, "onbepaald", "beoordeling"),
    "voldoende": (S.EXPLAINED_ACCEPTED, "voldaan", None),
    "onvoldoende": (S.EXPLAINED_REJECTED, "niet-voldaan", ""),
}


class Equivalent(Strict):
    """Another document that counts instead (Q10), optionally only for some lots."""

    document: DocumentType
    max_age_months: int | None = Field(default=None, ge=1)
    lots: list[LotCode] | None = None


class DocumentRule(RuleBase):
    kind: Literal["document"]
    per: Literal["provider", "lot", "location"] = "provider"
    document: DocumentType
    max_age_months: int | None = Field(default=None, ge=1)
    require_complete: bool = False
    content_review: bool = False
    explainable: bool = False
    equivalents: list[Equivalent] = []
    location_flag: Literal["maatschappelijke_bestemming"] | None = None
    due: Literal["contract_start"] | None = None
    # O6: the document names the financial year it covers (covers_year); it must be one of the
    # last `closed_years` closed years at the screening date (a year closes on 31 December).
    closed_years: int | None = Field(default=None, ge=1)
    # Q12: what a content judgement is made against (kit.rules.criteria).
    criteria: list[Criterion] = []

    def finding_requirement(self) -> str:
        return self.requirement or self.document


def _fragments(rule: DocumentRule) -> dict[str, Any]:
    """The rule's own wording: where the document is asked for and how old it may be."""
    texts = SPEC.texts()["fragments"]
    return {
        "scope_text": texts["scope"].get(rule.per, ""),
        "age_hint": texts["age_hint"] if rule.max_age_months else "",
        "max": rule.max_age_months,
        "closed_years": rule.closed_years,
    }


def _variants(rule: DocumentRule) -> list[tuple[str, int | None, list[str] | None, bool]]:
    """(document type, max age, only for these lots, is an equivalent) the rule accepts."""
    return [(rule.document, rule.max_age_months, None, False)] + [
        (e.document, e.max_age_months, list(e.lots) if e.lots is not None else None, True)
        for e in rule.equivalents
    ]


# --- durable_rules --------------------------------------------------------------------------


def _subject(c: Compiler, rule: DocumentRule) -> tuple[list[Pattern], C.Cond, list[Pattern]]:
    """Patterns that fix the subject, the owner condition on documents, and the subject
    patterns for a satisfied finding (a location flagged unfit can never satisfy)."""
    flt = rule.applies.lot_filter()
    if rule.per == "lot":
        lot: list[Pattern] = [("lot", C.fact("lot", *C.lot_conds(flt, c.vocab)), False)]
        return lot, C.eq("owner", "provider"), lot
    if rule.per == "location":
        serves = (
            "serves",
            C.fact("locserve", C.same("loc_id", "loc", "loc_id"), *C.lot_conds(flt, c.vocab)),
            False,
        )
        loc: list[Pattern] = [("loc", C.fact("loc"), False), serves]
        fit: list[Pattern] = (
            [("loc", C.fact("loc", C.neq(rule.location_flag, "nee")), False), serves]
            if rule.location_flag
            else loc
        )
        return loc, C.same("location", "loc", "loc_id"), fit
    return [], C.eq("owner", "provider"), []


# Over 60 lines: one production block per situation of the kind, in the order its YAML lists
# them and check() reads them; split, the variants of one situation would be apart.
def compile_rule(c: Compiler, rule: DocumentRule) -> None:
    sensitive = c.vocab.is_sensitive_document(rule.document)
    base = {
        **label_params(c.vocab, rule.document),
        **_fragments(rule),
        "note": Ref("doc", "note"),
        "shared": Ref("doc", "shared"),
        "doc_id": Ref("doc", "doc_label"),
        "age": Ref("doc", "age_months"),
        "loc_id": Ref("loc", "loc_id"),
        "issued": Ref("doc", "issued_on"),
        "measured": Ref("doc", "measured_on"),
        "year": Ref("doc", "covers_year"),
    }
    outcome = rule.outcome

    def emit(
        situation: S,
        status: str,
        out: str | None,
        params: dict[str, Any] | None = None,
        due: str | None = None,
    ) -> Emit:
        # A reused document (M2) names the earlier screening it comes from as evidence too.
        evidence = (Ref("doc", "doc_id"), Ref("doc", "reuse_of")) if situation in EVIDENCED else ()
        return Emit(
            rule=rule,
            situation=situation,
            status=status,
            outcome=out,
            requirement=rule.finding_requirement(),
            subject=("location", Ref("loc", "loc_id")) if rule.per == "location" else "provider",
            lot=Ref("lot", "lot") if rule.per == "lot" else None,
            evidence=evidence,
            due=due,
            params={**base, **(params or {})},
            sensitive=sensitive,
        )

    variants = _variants(rule)
    rule_lots = rule.applies.lot_filter().lot_codes()
    subject_lot = rule.per != "provider"
    for scope in c.scopes(rule.applies):
        subject, owner, ok_subject = _subject(c, rule)
        for doc_type, max_age, only_lots, is_equivalent in variants:
            restrict = only_lots is not None and rule.per == "lot"
            wanted = [code for code in rule_lots if only_lots is None or code in only_lots]
            pats = c.scope_patterns(scope, lot_subject=subject_lot) + subject
            ok_pats = c.scope_patterns(scope, lot_subject=subject_lot) + ok_subject
            if restrict:
                pats, ok_pats = c.restrict_lot(pats, wanted), c.restrict_lot(ok_pats, wanted)
            dc = [C.eq("type", doc_type), owner]
            fresh = [C.lte("age_months", max_age)] if max_age else []
            fresh += [C.eq("expired", "nee"), C.eq("future", "nee")]
            years = rule.closed_years if not is_equivalent else None
            if years:
                fresh += [C.gte("years_back", 1), C.lte("years_back", years)]
            complete = [C.eq("complete", "ja")] if rule.require_complete else []
            judged = (
                [C.eq("assessment", "voldoende")]
                if rule.content_review and not is_equivalent
                else []
            )
            own = label_params(c.vocab, doc_type)

            def doc(*conds: C.Cond, dc: list[C.Cond] = dc) -> list[Pattern]:
                return [("doc", C.fact("doc", *dc, *conds), False)]

            c.add(
                rule,
                ok_pats + doc(*fresh, *complete, *judged),
                emit(
                    S.OK_EQUIVALENT if is_equivalent else S.OK,
                    "voldaan",
                    None,
                    {"eq_label": own["label"]},
                ),
            )
            c.add(
                rule,
                pats + doc(C.eq("expired", "ja")),
                emit(S.EXPIRED, "niet-voldaan", outcome, own),
            )
            c.add(
                rule, pats + doc(C.eq("future", "ja")), emit(S.FUTURE, "niet-voldaan", outcome, own)
            )
            if years:
                for situation, cond in (
                    (S.YEAR_OLD, C.gt("years_back", years)),
                    (S.YEAR_OPEN, C.lt("years_back", 1)),
                    (S.YEAR_MISSING, C.absent("years_back")),
                ):
                    c.add(rule, pats + doc(cond), emit(situation, "niet-voldaan", outcome, own))
            if max_age:
                c.add(
                    rule,
                    pats + doc(C.gt("age_months", max_age)),
                    emit(S.TOO_OLD, "niet-voldaan", outcome, {**own, "max": max_age}),
                )
                c.add(
                    rule,
                    pats + doc(C.absent("age_months")),
                    emit(S.UNDATED, "niet-voldaan", outcome, {**own, "max": max_age}),
                )
            if rule.require_complete:
                c.add(
                    rule,
                    pats + doc(*fresh, C.neq("complete", "ja")),
                    emit(S.INCOMPLETE, "niet-voldaan", outcome, own),
                )
            if rule.content_review and not is_equivalent:
                c.add(
                    rule,
                    pats + doc(*fresh, *complete, C.eq("assessment", "geen")),
                    emit(S.UNJUDGED, "onbepaald", "beoordeling"),
                )
                c.add(
                    rule,
                    pats + doc(C.eq("assessment", "onvoldoende")),
                    emit(S.INSUFFICIENT, "niet-voldaan", outcome),
                )
        _absence(c, rule, scope, subject, owner, emit)
        if rule.location_flag:
            flagged: list[Pattern] = [
                ("loc", C.fact("loc", C.eq(rule.location_flag, "nee")), False),
                *subject[1:],
            ]
            c.add(
                rule,
                c.scope_patterns(scope, lot_subject=subject_lot) + flagged,
                emit(S.FLAG, "niet-voldaan", outcome, {"loc_id": Ref("loc", "loc_id")}),
            )


def _absence(
    c: Compiler, rule: DocumentRule, scope: Scope, subject: list[Pattern], owner: C.Cond, emit: Any
) -> None:
    """No document at all: per group of lots that accept the same documents. An explanation
    (pas toe of leg uit, Q11) replaces the plain missing finding."""
    variants = _variants(rule)
    rule_lots = rule.applies.lot_filter().lot_codes()
    groups: dict[tuple[str, ...], list[str]] = {}
    if rule.per == "lot":
        for code in rule_lots:
            accepted = tuple(v[0] for v in variants if v[2] is None or code in v[2])
            groups.setdefault(accepted, []).append(code)
    else:
        groups = {tuple(v[0] for v in variants): rule_lots}
    for accepted, codes in groups.items():
        pats = c.scope_patterns(scope, lot_subject=rule.per != "provider") + subject
        if rule.per == "lot":
            pats = c.restrict_lot(pats, codes)
        missing: Pattern = ("none", C.fact("doc", C.one_of("type", list(accepted)), owner), True)
        explained = C.fact("expl", C.eq("requirement", rule.document))
        unexplained: list[Pattern] = [("noexpl", explained, True)] if rule.explainable else []
        if rule.outcome == "voorwaardelijk":
            due = "contract_start" if rule.due == "contract_start" else None
            c.add(
                rule,
                [*pats, missing, *unexplained],
                emit(S.MISSING_DUE, "niet-voldaan", rule.outcome, due=due),
            )
        else:
            c.add(
                rule, [*pats, missing, *unexplained], emit(S.MISSING, "niet-voldaan", rule.outcome)
            )
        if rule.explainable:
            params = {
                "text": Ref("expl", "text"),
                "note": Ref("expl", "note"),
                "shared": Ref("expl", "shared"),
            }
            for decision, (situation, status, result) in EXPLANATION.items():
                expl: Pattern = (
                    "expl",
                    {"$and": [explained, C.eq("decision", decision or "geen")]},
                    False,
                )
                c.add(
                    rule,
                    [*pats, missing, expl],
                    emit(situation, status, result if result != "" else rule.outcome, params),
                )


# --- reference evaluator ----------------------------------------------------------------------


def check(r: Reference, rule: DocumentRule, ctx: Ctx) -> Iterator[Finding]:
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
        subjects += [
            (f"location:{loc.id}", None, loc, loc.documents)
            for loc in sub.locations
            if wanted & set(loc.lots) and ctx.holds(rule.applies, True)
        ]
    for subject, lot, loc, docs in subjects:
        yield from _check_subject(r, rule, ctx, subject, lot, loc, docs)


# Over 60 lines: the reference reading of the same situations, in the order compile_rule
# makes them, so that the two can be read side by side.
def _check_subject(
    r: Reference,
    rule: DocumentRule,
    ctx: Ctx,
    subject: str,
    lot: str | None,
    loc: Any,
    docs: list[Document],
) -> Iterator[Finding]:
    unfit = bool(rule.location_flag) and getattr(loc, rule.location_flag or "", None) is False
    base: dict[str, Any] = {**label_params(r.vocab, rule.document), **_fragments(rule)}

    def find(
        situation: S,
        status: str,
        outcome: str | None,
        doc: Document | None = None,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
    ) -> Finding:
        values: dict[str, Any] = {"loc_id": loc.id if loc is not None else None}
        if doc is not None:
            day = doc.received_on or ctx.as_of
            age = months_between(doc.issued_on, day) if doc.issued_on else None
            shown = f"{doc.id}, hergebruikt uit {doc.reuse_of}" if doc.reuse_of else doc.id
            values.update(
                doc_id=shown,
                note=doc.assessment_note or "",
                shared=bool(doc.assessment_shared),
                age=age,
                issued=doc.issued_on.isoformat() if doc.issued_on else None,
                measured=day.isoformat(),
                year=doc.covers_year,
            )
        return r.find(
            rule,
            situation,
            status,
            outcome,
            subject=subject,
            lot=lot,
            evidence=[doc.id, doc.reuse_of] if doc else [],
            params={**base, **(params or {})},
            data={**values, **(data or {})},
            sensitive=r.vocab.is_sensitive_document(rule.document),
            due=ctx.contract_start if situation == S.MISSING_DUE and rule.due else None,
        )

    present = False
    for doc_type, max_age, only_lots, equivalent in _variants(rule):
        if only_lots is not None and rule.per == "lot" and lot not in only_lots:
            continue
        own_label = label_params(r.vocab, doc_type)
        years = rule.closed_years if not equivalent else None
        for doc in (d for d in docs if d.type == doc_type):
            present = True
            day = doc.received_on or ctx.as_of
            age = months_between(doc.issued_on, day) if doc.issued_on else None
            expired = doc.valid_until is not None and doc.valid_until < day
            future = doc.issued_on is not None and doc.issued_on > day
            back = day.year - doc.covers_year if doc.covers_year is not None else None
            closed = not years or (back is not None and 1 <= back <= years)
            fresh = (
                not expired
                and not future
                and closed
                and (not max_age or (age is not None and age <= max_age))
            )
            complete_ok = not rule.require_complete or doc.complete is True
            judged = rule.content_review and not equivalent
            if (
                fresh
                and complete_ok
                and (not judged or doc.assessment == "voldoende")
                and not unfit
            ):
                yield find(
                    S.OK_EQUIVALENT if equivalent else S.OK,
                    "voldaan",
                    None,
                    doc,
                    {"eq_label": own_label["label"]},
                )
            if expired:
                yield find(S.EXPIRED, "niet-voldaan", rule.outcome, doc, own_label)
            if future:
                yield find(S.FUTURE, "niet-voldaan", rule.outcome, doc, own_label)
            if years and not closed:
                situation = (
                    S.YEAR_MISSING if back is None else S.YEAR_OLD if back > years else S.YEAR_OPEN
                )
                yield find(situation, "niet-voldaan", rule.outcome, doc, own_label)
            if max_age and (age is None or age > max_age):
                yield find(
                    S.TOO_OLD if age is not None else S.UNDATED,
                    "niet-voldaan",
                    rule.outcome,
                    doc,
                    {**own_label, "max": max_age},
                )
            if rule.require_complete and fresh and doc.complete is not True:
                yield find(S.INCOMPLETE, "niet-voldaan", rule.outcome, doc, own_label)
            if judged and fresh and complete_ok and doc.assessment is None:
                yield find(S.UNJUDGED, "onbepaald", "beoordeling", doc)
            if judged and doc.assessment == "onvoldoende":
                yield find(S.INSUFFICIENT, "niet-voldaan", rule.outcome, doc)
    explanations = (
        [e for e in ctx.sub.explanations if e.requirement == rule.document]
        if rule.explainable
        else []
    )
    if not present and not explanations:
        yield find(
            S.MISSING_DUE if rule.outcome == "voorwaardelijk" else S.MISSING,
            "niet-voldaan",
            rule.outcome,
        )
    for expl in [] if present else explanations:
        situation, status, outcome = EXPLANATION[expl.decision]
        yield find(
            situation,
            status,
            outcome if outcome != "" else rule.outcome,
            data={
                "text": expl.text,
                "note": expl.decision_note or "",
                "shared": bool(expl.decision_shared),
            },
        )
    if unfit:
        yield find(S.FLAG, "niet-voldaan", rule.outcome)


def not_applicable_lead(rule: DocumentRule, vocab: Vocabulary, why: str) -> str:
    """A document rule without a finding is introduced by its document (kit.rules.applicability)."""
    lead = applicability_texts()["lead"]["document"]
    return render(lead, {"label": vocab.document_label(rule.document), "why": why})


SPEC = KindSpec(
    name="document",
    model=DocumentRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
    not_applicable_lead=not_applicable_lead,
)
