"""Kind `registration` (S1, S2): staff of the rule's functions in its lots hold a valid
registration of an accepted register kind; an EVC trajectory makes a failure conditional. A
registration shows its validity by its end date, or by its registration date plus the register's
revalidation period (the vocabulary's `revalidation_years`); one that shows neither is not
shown valid."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from kit.engine import conditions as C
from kit.engine.productions import Emit, Pattern, Ref
from kit.kinds.base import KindSpec
from kit.kinds.staff import Accepted, accepted_cond, evc_outcomes, evc_variants
from kit.rules.model import RuleBase
from kit.vocab.codes import RequirementCode, StaffFunction

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    OK = "ok"
    EXPIRED = "expired"
    UNDATED = "undated"
    MISSING = "missing"
    MISSING_EVC = "missing_evc"


S = Situation


class RegistrationRule(RuleBase):
    kind: Literal["registration"]
    requirement: RequirementCode = "registratie"
    functions: list[StaffFunction] = Field(min_length=1)
    accepted: list[Accepted] = Field(min_length=1)
    evc_defers: bool = False


# Over 60 lines: one production block per situation of the kind, in the order its YAML lists
# them and check() reads them; split, the variants of one situation would be apart.
def compile_rule(c: Compiler, rule: RegistrationRule) -> None:
    flt = rule.applies.lot_filter()
    accepted = accepted_cond(rule.accepted)
    for scope in c.scopes(rule.applies):
        for evc, deferred in evc_variants(rule.evc_defers):
            asg: Pattern = (
                "a",
                C.fact(
                    "asg",
                    *C.lot_conds(flt, c.vocab),
                    C.one_of("function", list(rule.functions)),
                    *evc,
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
            ) -> Emit:
                return Emit(
                    rule=rule,
                    situation=situation,
                    status=status,
                    outcome=out,
                    requirement=rule.finding_requirement(),
                    subject=("staff", Ref("a", "staff")),
                    lot=Ref("a", "lot"),
                    evidence=evidence,
                    due=fail_due,
                    params={
                        "staff": Ref("a", "staff"),
                        "function": Ref("a", "function"),
                        "register": Ref("r", "register"),
                        "kind": Ref("r", "kind"),
                    },
                    sensitive=True,
                )

            reg = C.fact("reg", C.same("staff", "a", "staff"), accepted)
            c.add(
                rule,
                [*pats, ("r", {"$and": [reg, C.eq("expired", "nee")]}, False)],
                emit(S.OK, "voldaan", None, (Ref("r", "doc_id"),)),
            )
            for expired, situation in (("ja", S.EXPIRED), ("onbekend", S.UNDATED)):
                c.add(
                    rule,
                    [*pats, ("r", {"$and": [reg, C.eq("expired", expired)]}, False)],
                    emit(situation, "niet-voldaan", fail, (Ref("r", "doc_id"),), due),
                )
            c.add(
                rule,
                [*pats, ("r", reg, True)],
                emit(S.MISSING_EVC if deferred else S.MISSING, "niet-voldaan", fail, (), due),
            )


def check(r: Reference, rule: RegistrationRule, ctx: Ctx) -> Iterator[Finding]:
    accepted = {(a.register_, kind) for a in rule.accepted for kind in a.kinds}
    for member, lot, deferred in r.assignments(rule, ctx, ctx.lots(rule.applies.lot_filter())):
        fail = "voorwaardelijk" if deferred else rule.outcome
        evc = member.evc
        due = (
            evc.expected_completion.isoformat()
            if deferred and evc and evc.expected_completion
            else None
        )
        find = partial(r.staff_finding, rule, member, lot, due, {}, function=member.function)
        regs = [reg for reg in member.registrations if (reg.register_, reg.kind) in accepted]
        for reg in regs:
            validity = r.validity(reg, member, ctx)
            situation = {"geldig": S.OK, "verlopen": S.EXPIRED, "onbekend": S.UNDATED}[validity]
            yield find(
                situation,
                "voldaan" if situation == S.OK else "niet-voldaan",
                fail,
                reg.document,
                register=reg.register_,
                kind=reg.kind,
            )
        if not regs:
            yield find(S.MISSING_EVC if deferred else S.MISSING, "niet-voldaan", fail)


def outcomes(rule: RegistrationRule) -> str:
    """The outcome, and the conditional one of staff in an EVC trajectory (kit.rules.describe)."""
    return evc_outcomes(rule.outcome, rule.evc_defers)


SPEC = KindSpec(
    name="registration",
    model=RegistrationRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
    outcomes=outcomes,
)
