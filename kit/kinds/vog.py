"""Kind `vog` (S6, S3): staff in contact with clients have a certificate of conduct (VOG) issued
at most so many months before their start date and not after it, or (the zelfstandige's own, the
staff member the case marks as `owner`) at most so old at submission."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from kit.dates import months_between
from kit.engine import conditions as C
from kit.engine.productions import Emit, Ref
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase
from kit.vocab.codes import EmploymentKind, RequirementCode, StaffFunction

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    OK = "ok"
    FUTURE = "future"
    AFTER_START = "after_start"
    TOO_OLD_START = "too_old_start"
    TOO_OLD = "too_old"
    NO_START = "no_start"
    MISSING = "missing"


S = Situation


class VogRule(RuleBase):
    kind: Literal["vog"]
    requirement: RequirementCode = "vog"
    functions: list[StaffFunction] = Field(min_length=1)
    # Which staff the rule covers by how they work for the provider (S6: the zelfstandige
    # person works as zzp in a provider without employees; workers they hire are inhuur).
    employment: list[EmploymentKind] | None = None
    # Whether the rule covers the owner in person (the zelfstandige, S6) or everyone else; by
    # default both.
    owner: bool | None = None
    client_contact_only: bool = True
    max_months_before_start: int | None = Field(default=None, ge=1)
    max_age_months: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_period(self) -> VogRule:
        if (self.max_months_before_start is None) == (self.max_age_months is None):
            raise ValueError("geef precies een van max_months_before_start en max_age_months")
        return self


# Over 60 lines: one production block per situation of the kind, in the order its YAML lists
# them and check() reads them; split, the variants of one situation would be apart.
def compile_rule(c: Compiler, rule: VogRule) -> None:
    if rule.max_months_before_start is not None:
        measure, limit, old = (
            "vog_months_before_start",
            rule.max_months_before_start,
            S.TOO_OLD_START,
        )
    else:
        assert rule.max_age_months is not None
        measure, limit, old = "vog_age_months", rule.max_age_months, S.TOO_OLD
    contact = [C.eq("client_contact", True)] if rule.client_contact_only else []
    employment = (
        [C.one_of("employment", list(rule.employment))] if rule.employment is not None else []
    )
    owner = [C.eq("owner", rule.owner)] if rule.owner is not None else []
    for scope in c.scopes(rule.applies):
        staff = [C.one_of("function", list(rule.functions)), *employment, *owner, *contact]

        def emit(
            situation: S, status: str, out: str | None, evidence: tuple[Ref, ...] = ()
        ) -> Emit:
            return Emit(
                rule=rule,
                situation=situation,
                status=status,
                outcome=out,
                requirement=rule.finding_requirement(),
                subject=("staff", Ref("s", "staff")),
                evidence=evidence,
                sensitive=True,
                params={
                    "staff": Ref("s", "staff"),
                    "max": limit,
                    "age": Ref("s", measure),
                    "doc_id": Ref("s", "vog_doc"),
                    "issued": Ref("s", "vog_issued_on"),
                    "measured": Ref("s", "measured_on"),
                    "start": Ref("s", "start_date"),
                },
            )

        pats = c.scope_patterns(scope)
        c.add(
            rule,
            [
                *pats,
                ("s", C.fact("staff", *staff, C.eq("vog", "ja"), C.eq("vog_future", "ja")), False),
            ],
            emit(S.FUTURE, "niet-voldaan", rule.outcome, (Ref("s", "vog_doc"),)),
        )
        staff.append(C.eq("vog_future", "nee"))
        if rule.max_months_before_start is not None:
            c.add(
                rule,
                [
                    *pats,
                    (
                        "s",
                        C.fact("staff", *staff, C.eq("vog", "ja"), C.eq("vog_after_start", "ja")),
                        False,
                    ),
                ],
                emit(S.AFTER_START, "niet-voldaan", rule.outcome, (Ref("s", "vog_doc"),)),
            )
            staff.append(C.eq("vog_after_start", "nee"))
        c.add(
            rule,
            [
                *pats,
                ("s", C.fact("staff", *staff, C.eq("vog", "ja"), C.lte(measure, limit)), False),
            ],
            emit(S.OK, "voldaan", None, (Ref("s", "vog_doc"),)),
        )
        c.add(
            rule,
            [*pats, ("s", C.fact("staff", *staff, C.eq("vog", "ja"), C.gt(measure, limit)), False)],
            emit(old, "niet-voldaan", rule.outcome, (Ref("s", "vog_doc"),)),
        )
        c.add(
            rule,
            [*pats, ("s", C.fact("staff", *staff, C.eq("vog", "ja"), C.absent(measure)), False)],
            emit(S.NO_START, "niet-voldaan", rule.outcome),
        )
        c.add(
            rule,
            [*pats, ("s", C.fact("staff", *staff, C.eq("vog", "nee")), False)],
            emit(S.MISSING, "niet-voldaan", rule.outcome),
        )


def check(r: Reference, rule: VogRule, ctx: Ctx) -> Iterator[Finding]:
    if not ctx.holds(rule.applies):
        return
    limit = rule.max_months_before_start or rule.max_age_months
    assert limit is not None
    for member in ctx.sub.staff:
        if (
            member.function not in rule.functions
            or not ctx.serves(member.lots)
            or (rule.employment is not None and member.employment not in rule.employment)
            or (rule.owner is not None and member.owner != rule.owner)
            or (rule.client_contact_only and not member.has_client_contact)
        ):
            continue
        vog = member.vog
        find = partial(r.staff_finding, rule, member, None, None, {"max": limit})
        if vog is None:
            yield find(S.MISSING, "niet-voldaan", rule.outcome)
            continue
        day = ctx.day(member)
        # A VOG dated after the day it is measured on, or (S6) after the start date.
        issued = {"doc_id": vog.document, "issued": vog.issued_on.isoformat()}
        dated_after = partial(find, status="niet-voldaan", outcome=rule.outcome, **issued)
        if vog.issued_on > day:
            yield dated_after(S.FUTURE, evidence=vog.document, measured=day.isoformat())
            continue
        if rule.max_months_before_start is not None:
            if member.start_date is None:
                yield find(S.NO_START, "niet-voldaan", rule.outcome, doc_id=vog.document)
                continue
            if vog.issued_on > member.start_date:
                yield dated_after(
                    S.AFTER_START, evidence=vog.document, start=member.start_date.isoformat()
                )
                continue
            age, too_old = months_between(vog.issued_on, member.start_date), S.TOO_OLD_START
        else:
            age, too_old = months_between(vog.issued_on, day), S.TOO_OLD
        if age <= limit:
            yield find(S.OK, "voldaan", None, vog.document, doc_id=vog.document, age=age)
        else:
            yield find(
                too_old, "niet-voldaan", rule.outcome, vog.document, doc_id=vog.document, age=age
            )


SPEC = KindSpec(
    name="vog", model=VogRule, situations=Situation, compile=compile_rule, reference=check
)
