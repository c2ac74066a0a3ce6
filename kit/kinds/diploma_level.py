"""Kind `diploma_level` (S4, S5, S2): care workers hold a diploma at the lot's level, backed by a
document; a registration that implies a diploma proves it, lapsed or not (S5); a completed EVC
trajectory's certificate from a recognised provider gives its level (S2)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from kit.engine import conditions as C
from kit.engine.productions import Emit, Pattern, Ref
from kit.kinds.base import KindSpec
from kit.kinds.staff import LevelFor, evc_outcomes, evc_variants
from kit.rules.model import RuleBase
from kit.vocab.codes import Outcome, RequirementCode, StaffFunction
from kit.vocab.vocabulary import vocabulary

if TYPE_CHECKING:
    from kit.case.models import StaffMember
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    OK = "ok"
    DERIVED = "derived"
    DERIVED_LAPSED = "derived_lapsed"
    EVC = "evc"
    EVC_ACCEPTED = "evc_accepted"
    EVC_UNRECOGNISED = "evc_unrecognised"
    EVC_REJECTED = "evc_rejected"
    UNDOCUMENTED = "undocumented"
    FUTURE = "future"
    TOO_LOW = "too_low"
    TOO_LOW_EVC = "too_low_evc"


S = Situation


class DiplomaRule(RuleBase):
    kind: Literal["diploma_level"]
    requirement: RequirementCode = "diploma-niveau"
    functions: list[StaffFunction] = Field(min_length=1)
    levels: list[LevelFor] = Field(min_length=1)
    require_document: bool = True
    derived_from_registration: bool = False
    evc_defers: bool = False
    # S2: a completed EVC trajectory's certificate gives the level it states when it comes from
    # one of these EVC providers; from another provider it goes to a reviewer.
    evc_providers: list[str] = []
    evc_unrecognised_outcome: Outcome = "beoordeling"

    @model_validator(mode="after")
    def _diploma_levels(self) -> DiplomaRule:
        levels = vocabulary().diploma_levels
        for level in self.levels:
            if level.min_level not in levels:
                raise ValueError(
                    f"onbekend diplomaniveau {level.min_level!r}; toegestaan: {levels}"
                )
        return self


def _certificate(assessment: str, recognised: bool, fail: str) -> tuple[S, str, str | None]:
    """An EVC certificate: toezicht's judgement settles it; else a recognised provider counts and
    another goes to a judgement. Outcome "unrecognised" is the rule's evc_unrecognised_outcome."""
    if assessment == "onvoldoende":
        return S.EVC_REJECTED, "niet-voldaan", fail
    if recognised:
        return S.EVC, "voldaan", None
    if assessment == "voldoende":
        return S.EVC_ACCEPTED, "voldaan", None
    return S.EVC_UNRECOGNISED, "onbepaald", "unrecognised"


# Over 60 lines: one production block per situation of the kind, in the order its YAML lists
# them and check() reads them; split, the variants of one situation would be apart.
def compile_rule(c: Compiler, rule: DiplomaRule) -> None:
    for scope in c.scopes(rule.applies):
        for level in rule.levels:
            rank = c.vocab.diploma_rank(level.min_level)
            for evc_conds, deferred in evc_variants(rule.evc_defers):
                asg: Pattern = (
                    "a",
                    C.fact(
                        "asg",
                        *C.lot_conds([rule.applies.lot_filter(), level], c.vocab),
                        C.one_of("function", list(rule.functions)),
                        *evc_conds,
                    ),
                    False,
                )
                pats = [*c.scope_patterns(scope, lot_subject=True), asg]
                fail = "voorwaardelijk" if deferred else rule.outcome
                due = Ref("a", "evc_due") if deferred else None

                def emit(
                    situation: S,
                    status: str,
                    out: str | None,
                    evidence: tuple[Ref, ...] = (),
                    fail_due: Ref | None = None,
                    alias: str = "d",
                    min_level: str = level.min_level,
                ) -> Emit:
                    return Emit(
                        rule=rule,
                        situation=situation,
                        status=status,
                        outcome=rule.evc_unrecognised_outcome if out == "unrecognised" else out,
                        requirement=rule.finding_requirement(),
                        subject=("staff", Ref("a", "staff")),
                        lot=Ref("a", "lot"),
                        evidence=evidence,
                        due=fail_due,
                        sensitive=True,
                        params={
                            "staff": Ref("a", "staff"),
                            "min_level": min_level,
                            "level": Ref("d", "level"),
                            "kind": Ref("r", "kind"),
                            "doc_id": Ref(alias, "doc_id"),
                            "evc_level": Ref("e", "level"),
                            "evc_provider": Ref("e", "provider"),
                            "note": Ref("e", "note"),
                        },
                    )

                dipl = C.fact("dipl", C.same("staff", "a", "staff"), C.gte("level_rank", rank))
                documented = [C.eq("documented", True)] if rule.require_document else []
                c.add(
                    rule,
                    [*pats, ("d", {"$and": [dipl, *documented, C.eq("future", "nee")]}, False)],
                    emit(S.OK, "voldaan", None, (Ref("d", "doc_id"),)),
                )
                if rule.require_document:
                    c.add(
                        rule,
                        [*pats, ("d", {"$and": [dipl, C.eq("documented", False)]}, False)],
                        emit(S.UNDOCUMENTED, "niet-voldaan", fail, (), due),
                    )
                c.add(
                    rule,
                    [*pats, ("d", {"$and": [dipl, C.eq("future", "ja")]}, False)],
                    emit(S.FUTURE, "niet-voldaan", fail, (Ref("d", "doc_id"),), due),
                )
                lacking: list[Pattern] = [("d", dipl, True)]
                if rule.derived_from_registration:
                    # S5: the registration proves the diploma, also when it has lapsed (S1's
                    # finding).
                    derived = C.fact(
                        "reg", C.same("staff", "a", "staff"), C.gte("implied_rank", rank)
                    )
                    # A registration that shows no validity proves the diploma as well.
                    for lapsed, situation in (
                        (C.neq("expired", "ja"), S.DERIVED),
                        (C.eq("expired", "ja"), S.DERIVED_LAPSED),
                    ):
                        c.add(
                            rule,
                            [*pats, ("r", {"$and": [derived, lapsed]}, False)],
                            emit(situation, "voldaan", None, (Ref("r", "doc_id"),), alias="r"),
                        )
                    lacking.append(("r", derived, True))
                if rule.evc_providers:
                    evc = C.fact(
                        "evc",
                        C.same("staff", "a", "staff"),
                        C.gte("level_rank", rank),
                        C.eq("future", "nee"),
                    )
                    recognised = C.one_of("provider", list(rule.evc_providers))
                    others = {"$and": [C.neq("provider", p) for p in rule.evc_providers]}
                    # A certificate toezicht judged settles it either way (kit assess
                    # evc-certificaat).
                    for conds, situation, status, out in (
                        ([recognised, C.neq("assessment", "onvoldoende")], S.EVC, "voldaan", None),
                        (
                            [others, C.eq("assessment", "geen")],
                            S.EVC_UNRECOGNISED,
                            "onbepaald",
                            "unrecognised",
                        ),
                        (
                            [others, C.eq("assessment", "voldoende")],
                            S.EVC_ACCEPTED,
                            "voldaan",
                            None,
                        ),
                        ([C.eq("assessment", "onvoldoende")], S.EVC_REJECTED, "niet-voldaan", fail),
                    ):
                        c.add(
                            rule,
                            [*pats, ("e", {"$and": [evc, *conds]}, False)],
                            emit(situation, status, out, (Ref("e", "doc_id"),), alias="e"),
                        )
                    lacking.append(("e", evc, True))
                c.add(
                    rule,
                    pats + lacking,
                    emit(S.TOO_LOW_EVC if deferred else S.TOO_LOW, "niet-voldaan", fail, (), due),
                )


# Over 60 lines: the reference reading of the same situations, in the order compile_rule
# makes them, so that the two can be read side by side.
def check(r: Reference, rule: DiplomaRule, ctx: Ctx) -> Iterator[Finding]:
    documents = {doc.id: doc for doc in ctx.sub.all_documents()}

    def dated_after(doc_id: str | None, member: StaffMember) -> bool:
        doc = documents.get(doc_id) if doc_id else None
        return bool(doc and doc.issued_on and doc.issued_on > (doc.received_on or ctx.day(member)))

    for level in rule.levels:
        rank = r.vocab.diploma_rank(level.min_level)
        for member, lot, deferred in r.assignments(
            rule, ctx, ctx.lots(rule.applies.lot_filter(), level)
        ):
            fail = "voorwaardelijk" if deferred else rule.outcome
            evc = member.evc
            due = (
                evc.expected_completion.isoformat()
                if deferred and evc and evc.expected_completion
                else None
            )
            find = partial(r.staff_finding, rule, member, lot, due, {"min_level": level.min_level})
            high = [d for d in member.diplomas if r.vocab.diploma_rank(d.level) >= rank]
            for dip in high:
                if dip.document is None and rule.require_document:
                    yield find(S.UNDOCUMENTED, "niet-voldaan", fail, level=dip.level)
                elif dated_after(dip.document, member):
                    yield find(
                        S.FUTURE,
                        "niet-voldaan",
                        fail,
                        dip.document,
                        level=dip.level,
                        doc_id=dip.document,
                    )
                else:
                    yield find(
                        S.OK, "voldaan", None, dip.document, level=dip.level, doc_id=dip.document
                    )
            derived = []
            if rule.derived_from_registration:
                for reg in member.registrations:
                    implied = r.vocab.register_kinds[(reg.register_, reg.kind)].implies_diploma
                    if implied and r.vocab.diploma_rank(implied) >= rank:
                        derived.append(reg)
                        lapsed = r.validity(reg, member, ctx) == "verlopen"
                        yield find(
                            S.DERIVED_LAPSED if lapsed else S.DERIVED,
                            "voldaan",
                            None,
                            reg.document,
                            kind=reg.kind,
                            doc_id=reg.document,
                        )
            certified = []
            cert = documents.get(evc.certificate) if evc and evc.certificate else None
            if (
                rule.evc_providers
                and cert is not None
                and evc is not None
                and evc.status == "afgerond"
                and cert.level
                and r.vocab.diploma_rank(cert.level) >= rank
                and not dated_after(cert.id, member)
            ):
                certified.append(cert)
                situation, status, out = _certificate(
                    cert.assessment or "geen", cert.evc_provider in rule.evc_providers, fail
                )
                outcome: Any = rule.evc_unrecognised_outcome if out == "unrecognised" else out
                yield find(
                    situation,
                    status,
                    outcome,
                    cert.id,
                    doc_id=cert.id,
                    evc_level=cert.level,
                    evc_provider=cert.evc_provider or "",
                    note=cert.assessment_note or "",
                )
            if not high and not derived and not certified:
                yield find(S.TOO_LOW_EVC if deferred else S.TOO_LOW, "niet-voldaan", fail)


def outcomes(rule: DiplomaRule) -> str:
    """The outcome, and the conditional one of staff in an EVC trajectory (kit.rules.describe)."""
    return evc_outcomes(rule.outcome, rule.evc_defers)


SPEC = KindSpec(
    name="diploma_level",
    model=DiplomaRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
    outcomes=outcomes,
)
