"""Kind `exclusion_ground` (E1-E4): a declared ground excludes within its lookback period,
unless it is no conviction (a strafbeschikking), paid or arranged (E2), or self-cleaning is
accepted (E4). A declared ground without a date cannot be judged against the lookback."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from kit.dates import dutch_date, months_between
from kit.engine import conditions as C
from kit.engine.messages import shared_texts
from kit.engine.productions import Emit, Pattern, Ref
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase
from kit.text import render
from kit.vocab.codes import GroundCode, Outcome, Sanction
from kit.vocab.vocabulary import Vocabulary

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    EXCLUDED = "excluded"
    UNDATED = "undated"
    SELF_CLEANING = "self_cleaning"
    SELF_CLEANING_ACCEPTED = "self_cleaning_accepted"
    SELF_CLEANING_REJECTED = "self_cleaning_rejected"
    CLEAR_NO = "clear_no"
    CLEAR_OLD = "clear_old"
    CLEAR_SANCTION = "clear_sanction"
    CLEAR_PAID = "clear_paid"


S = Situation


class ExclusionRule(RuleBase):
    kind: Literal["exclusion_ground"]
    grounds: list[GroundCode] = Field(min_length=1)
    lookback_years: int | None = Field(default=None, ge=1)
    not_a_conviction: list[Sanction] = []
    excused_if_paid_or_arranged: bool = False
    self_cleaning_outcome: Outcome = "beoordeling"
    # A ground answered `true` without an event date cannot be judged against the lookback.
    undated_outcome: Outcome = "herstel"
    outcome: Outcome = "uitsluiting"


def who_text(subject: str) -> str:
    """'provider' -> 'de aanbieder', 'board:B2' -> 'bestuurslid B2'."""
    who = shared_texts()["who"]
    return (
        str(who["provider"])
        if subject == "provider"
        else render(who["board"], {"id": subject.removeprefix("board:")})
    )


def whose_text(subject: str, role: str) -> str:
    """Whom a provider's letter says a declaration concerns, by role, never by name:
    'uw organisatie', 'uw bestuurder B2', 'uw toezichthouder B3'."""
    whose = shared_texts()["letter_who"]
    if subject == "provider":
        return str(whose["provider"])
    return render(whose.get(role) or whose["board"], {"id": subject.removeprefix("board:")})


def declared_values(values: dict[str, Any]) -> None:
    """Who and when of a declaration as the messages say them ({who}, {when}) and as the
    provider's letters do ({whose}; {on} and {dated} the date in a sentence, or "")."""
    subject = values.get("who")
    if subject is not None:
        values["whose"] = whose_text(str(subject), str(values.get("role") or ""))
        values["who"] = who_text(str(subject))
    if "when" in values:
        day = dutch_date(values["when"]) if values["when"] else ""
        fragments = SPEC.texts()["fragments"]
        values["when"] = f", {day}" if day else ""
        for name in ("on", "dated"):
            values[name] = render(fragments[name], {"date": day}) if day else ""


def prepare(values: dict[str, Any], vocab: Vocabulary) -> None:
    declared_values(values)


# The self-cleaning judgement recorded by toezicht (E4): situation, status, outcome ("": the
# rule's).
CLEANING = {
    "geen": (S.SELF_CLEANING, "onbepaald", "self_cleaning"),
    "voldoende": (S.SELF_CLEANING_ACCEPTED, "voldaan", None),
    "onvoldoende": (S.SELF_CLEANING_REJECTED, "niet-voldaan", ""),
}


def _cleaning_outcome(rule: ExclusionRule, outcome: str | None) -> str | None:
    return (
        rule.self_cleaning_outcome
        if outcome == "self_cleaning"
        else rule.outcome
        if outcome == ""
        else outcome
    )


# Over 60 lines: one production block per situation of the kind, in the order its YAML lists
# them and check() reads them; split, the variants of one situation would be apart.
def compile_rule(c: Compiler, rule: ExclusionRule) -> None:
    months = rule.lookback_years * 12 if rule.lookback_years else None
    for scope in c.scopes(rule.applies):
        for ground in rule.grounds:

            def emit(situation: S, status: str, out: str | None, ground: str = ground) -> Emit:
                return Emit(
                    rule=rule,
                    situation=situation,
                    status=status,
                    outcome=out,
                    requirement=ground,
                    subject=("", Ref("decl", "subject")),
                    params={
                        "ground_label": c.vocab.ground_label(ground),
                        "who": Ref("decl", "subject"),
                        "role": Ref("decl", "board_role"),
                        "when": Ref("decl", "event_date"),
                        "text": Ref("decl", "self_cleaning_text"),
                        "note": Ref("decl", "sc_note"),
                        "sanction": Ref("decl", "sanction"),
                        "years": rule.lookback_years,
                    },
                    sensitive=True,
                )

            def decl(*conds: C.Cond) -> list[Pattern]:
                return [("decl", C.fact("decl", *conds), False)]

            base = c.scope_patterns(scope)
            declared = [C.eq("ground", ground), C.eq("answer", True)]
            counts = [C.neq("sanction", s) for s in rule.not_a_conviction]
            unpaid = [C.eq("paid_or_arranged", False)] if rule.excused_if_paid_or_arranged else []
            window = [C.lte("age_months", months)] if months else []
            if months:  # E1: without the date the lookback cannot be applied: ask for it
                c.add(
                    rule,
                    base + decl(*declared, C.absent("age_months"), *counts, *unpaid),
                    emit(S.UNDATED, "onbepaald", rule.undated_outcome),
                )
            applies = declared + window + counts + unpaid
            c.add(
                rule,
                base + decl(*applies, C.eq("self_cleaning", False)),
                emit(S.EXCLUDED, "niet-voldaan", rule.outcome),
            )
            # E4: self-cleaning goes to a judgement; the recorded decision settles it.
            for decision, (situation, status, out) in CLEANING.items():
                c.add(
                    rule,
                    base
                    + decl(*applies, C.eq("self_cleaning", True), C.eq("sc_decision", decision)),
                    emit(situation, status, _cleaning_outcome(rule, out)),
                )
            c.add(
                rule,
                base + decl(C.eq("ground", ground), C.eq("answer", False)),
                emit(S.CLEAR_NO, "voldaan", None),
            )
            if months:
                c.add(
                    rule,
                    base + decl(*declared, C.gt("age_months", months)),
                    emit(S.CLEAR_OLD, "voldaan", None),
                )
            for sanction in rule.not_a_conviction:
                c.add(
                    rule,
                    base + decl(*declared, C.eq("sanction", sanction)),
                    emit(S.CLEAR_SANCTION, "voldaan", None),
                )
            if rule.excused_if_paid_or_arranged:
                c.add(
                    rule,
                    base + decl(*declared, C.eq("paid_or_arranged", True)),
                    emit(S.CLEAR_PAID, "voldaan", None),
                )


def check(r: Reference, rule: ExclusionRule, ctx: Ctx) -> Iterator[Finding]:
    if not ctx.holds(rule.applies):
        return
    months = rule.lookback_years * 12 if rule.lookback_years else None
    for decl in ctx.sub.declarations:
        if decl.ground not in rule.grounds:
            continue
        subject = f"board:{decl.board_member}" if decl.board_member else "provider"
        sanction = decl.sanction or "vonnis"
        find = partial(
            r.find,
            rule,
            requirement=decl.ground,
            subject=subject,
            sensitive=True,
            params={
                "ground_label": r.vocab.ground_label(decl.ground),
                "years": rule.lookback_years,
            },
            data={
                "who": subject,
                "role": ctx.sub.provider.role_of(subject),
                "text": decl.self_cleaning or "",
                "sanction": sanction,
                "note": decl.self_cleaning_note or "",
                "when": decl.event_date.isoformat() if decl.event_date else None,
            },
        )
        if not decl.answer:
            yield find(S.CLEAR_NO, "voldaan", None)
            continue
        age = months_between(decl.event_date, ctx.as_of) if decl.event_date else None
        old = months is not None and age is not None and age > months
        counts = sanction not in rule.not_a_conviction
        paid = rule.excused_if_paid_or_arranged and bool(decl.paid_or_arranged)
        if months is not None and age is None and counts and not paid:
            yield find(S.UNDATED, "onbepaald", rule.undated_outcome)
        elif not old and counts and not paid:
            if decl.self_cleaning is None:
                yield find(S.EXCLUDED, "niet-voldaan", rule.outcome)
            else:
                situation, status, out = CLEANING[decl.self_cleaning_decision or "geen"]
                yield find(situation, status, _cleaning_outcome(rule, out))
        if old:
            yield find(S.CLEAR_OLD, "voldaan", None)
        if not counts:
            yield find(S.CLEAR_SANCTION, "voldaan", None)
        if paid:
            yield find(S.CLEAR_PAID, "voldaan", None)


def outcomes(rule: ExclusionRule) -> str:
    """The outcome, and the one with self-cleaning (kit.rules.describe)."""
    return f"{rule.outcome}; met zelfreiniging: {rule.self_cleaning_outcome}"


SPEC = KindSpec(
    name="exclusion_ground",
    model=ExclusionRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
    prohibitive=True,
    prepare=prepare,
    outcomes=outcomes,
)
