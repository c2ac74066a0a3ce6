"""Kind `exclusion_history` (E7): across the rounds of one submission. An exclusion found in an
earlier screening stays until a recorded decision lifts it, and a self-declaration answer that
changed since the previous round is put to a judgement (recorded as a decision on the change).
What earlier screenings found comes in as kit.case.history.Prior.

How the rule reports this is rule data (`carried_as`, `answers_under`), with kit 0.2's way as the
default: a screening stored under a rule set that does not name them replays as it was made.
With `carried_as: evidence`, one exclusion is one finding: where the ground's own rule still
excludes in this screening, the earlier screening becomes evidence of that finding (`fold`, run
on the resolved findings of engine and reference alike, since it reads another rule's finding);
the carried exclusion stays a finding of its own only where nothing excludes any more, for
instance because the ground is no longer declared."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from kit.engine import conditions as C
from kit.engine.messages import answer_text
from kit.engine.productions import Emit, Pattern, Ref
from kit.kinds.base import KindSpec
from kit.kinds.exclusion_ground import declared_values
from kit.rules.model import RuleBase
from kit.vocab.codes import Outcome, RequirementCode
from kit.vocab.vocabulary import Vocabulary

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    CARRIED = "carried"
    LIFTED = "lifted"
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    REMOVED = "removed"
    CHANGE_ACCEPTED = "change_accepted"
    CHANGE_REJECTED = "change_rejected"


S = Situation
CARRIED_ITEM = "eerder"  # the item of a carried exclusion (a compared answer's is its ground)


class ExclusionHistoryRule(RuleBase):
    kind: Literal["exclusion_history"]
    requirement: RequirementCode = "zelfverklaring"
    outcome: Outcome = "uitsluiting"
    changed_outcome: Outcome = "beoordeling"
    rejected_change_outcome: Outcome = "herstel"
    # `finding` (kit 0.2): a carried exclusion is a finding of its own beside the ground's.
    # `evidence`: it is evidence of the ground's own finding where that still excludes, and a
    # finding of its own only where nothing excludes any more.
    carried_as: Literal["finding", "evidence"] = "finding"
    # The requirement a compared answer is reported under: `zelfverklaring` (kit 0.2: one
    # indistinguishable row per ground for the roles that read the neutral text), or `ground`:
    # its own ground, one row per ground and person, as the exclusion grounds' findings are.
    answers_under: Literal["zelfverklaring", "ground"] = "zelfverklaring"


def prepare(values: dict[str, Any], vocab: Vocabulary) -> None:
    declared_values(values)
    if "requirement_code" in values:
        values["requirement_label"] = vocab.ground_label(str(values["requirement_code"]))
    if "ground_code" in values:
        values["ground_label"] = vocab.ground_label(str(values["ground_code"]))


def _judged(rule: ExclusionHistoryRule) -> dict[str, tuple[S, str, str | None]]:
    """A changed answer and toezicht's decision on it: situation, status, outcome."""
    return {
        "geen": (S.CHANGED, "onbepaald", rule.changed_outcome),
        "voldoende": (S.CHANGE_ACCEPTED, "voldaan", None),
        "onvoldoende": (S.CHANGE_REJECTED, "niet-voldaan", rule.rejected_change_outcome),
    }


# Over 60 lines: one production block per situation of the kind, in the order its YAML lists
# them and check() reads them; split, the variants of one situation would be apart.
def compile_rule(c: Compiler, rule: ExclusionHistoryRule) -> None:
    for scope in c.scopes(rule.applies):
        base = c.scope_patterns(scope)

        def carried(situation: S, status: str, out: str | None) -> Emit:
            return Emit(
                rule=rule,
                situation=situation,
                status=status,
                outcome=out,
                requirement=Ref("p", "requirement"),
                subject=("", Ref("p", "subject")),
                evidence=(Ref("p", "screening"),),
                item=CARRIED_ITEM,
                params={
                    "screening": Ref("p", "screening"),
                    "who": Ref("p", "subject"),
                    "role": Ref("p", "role"),
                    "when": Ref("p", "event_date"),
                    "requirement_code": Ref("p", "requirement"),
                    "lift": Ref("p", "lifted_by"),
                },
                sensitive=True,
            )

        c.add(
            rule,
            [*base, ("p", C.fact("pexcl", C.eq("lifted", "nee")), False)],
            carried(S.CARRIED, "niet-voldaan", rule.outcome),
        )
        c.add(
            rule,
            [*base, ("p", C.fact("pexcl", C.eq("lifted", "ja")), False)],
            carried(S.LIFTED, "voldaan", None),
        )

        def change(situation: S, status: str, out: str | None) -> Emit:
            return Emit(
                rule=rule,
                situation=situation,
                status=status,
                outcome=out,
                requirement=Ref("p", "ground")
                if rule.answers_under == "ground"
                else rule.finding_requirement(),
                subject=("", Ref("p", "subject")),
                evidence=(Ref("p", "screening"),),
                item=Ref("p", "ground"),
                params={
                    "screening": Ref("p", "screening"),
                    "who": Ref("p", "subject"),
                    "role": Ref("p", "role"),
                    "ground_code": Ref("p", "ground"),
                    "before": Ref("p", "text"),
                    "after": Ref("d", "text"),
                    "note": Ref("d", "change_note"),
                },
                sensitive=True,
            )

        prior: Pattern = ("p", C.fact("pdecl"), False)
        same = [C.same("ground", "p", "ground"), C.same("subject", "p", "subject")]
        unchanged = C.fact("decl", *same, C.same("sig", "p", "sig"))
        c.add(rule, [*base, prior, ("d", unchanged, False)], change(S.UNCHANGED, "voldaan", None))
        c.add(
            rule,
            [*base, prior, ("d", C.fact("decl", *same), True)],
            change(S.REMOVED, "onbepaald", rule.changed_outcome),
        )
        for decision, (situation, status, out) in _judged(rule).items():
            now = C.fact("decl", *same, C.eq("change_decision", decision))
            c.add(
                rule,
                [*base, prior, ("same", unchanged, True), ("d", now, False)],
                change(situation, status, out),
            )


# Over 60 lines: the reference reading of the same situations, in the order compile_rule
# makes them, so that the two can be read side by side.
def check(r: Reference, rule: ExclusionHistoryRule, ctx: Ctx) -> Iterator[Finding]:
    if not ctx.holds(rule.applies):
        return
    for excl in ctx.prior.exclusions:
        lifted = bool(excl.lifted_by)
        yield r.find(
            rule,
            S.LIFTED if lifted else S.CARRIED,
            "voldaan" if lifted else "niet-voldaan",
            rule.outcome,
            requirement=excl.requirement,
            subject=excl.subject,
            item=CARRIED_ITEM,
            evidence=[excl.screening],
            sensitive=True,
            data={
                "screening": excl.screening,
                "who": excl.subject,
                "role": excl.role,
                "when": excl.event_date,
                "requirement_code": excl.requirement,
                "lift": excl.lifted_by,
            },
        )
    for before in ctx.prior.declarations:
        now = [
            d
            for d in ctx.sub.declarations
            if (d.ground, d.subject) == (before.ground, before.subject)
        ]
        data = {
            "screening": before.screening,
            "who": before.subject,
            "role": before.role,
            "ground_code": before.ground,
            "before": before.text,
            "after": None,
            "note": "",
        }
        find = partial(
            r.find,
            rule,
            requirement=before.ground
            if rule.answers_under == "ground"
            else rule.finding_requirement(),
            subject=before.subject,
            item=before.ground,
            evidence=[before.screening],
            sensitive=True,
        )
        if not now:
            yield find(S.REMOVED, "onbepaald", rule.changed_outcome, data=data)
        elif same := [d for d in now if d.signature() == before.signature]:
            yield find(
                S.UNCHANGED,
                "voldaan",
                None,
                data={**data, "after": answer_text(same[0]), "note": same[0].change_note or ""},
            )
        else:
            for decl in now:
                situation, status, outcome = _judged(rule)[decl.change_decision or "geen"]
                yield find(
                    situation,
                    status,
                    outcome,
                    data={**data, "after": answer_text(decl), "note": decl.change_note or ""},
                )


def fold(rule: ExclusionHistoryRule, findings: list[Finding]) -> list[Finding]:
    """With `carried_as: evidence`: a carried exclusion whose ground another rule of this
    screening still finds excluding (same requirement and person) is no finding of its own; its
    earlier screening joins that finding's evidence. What nothing excludes any more stays."""
    if rule.carried_as != "evidence":
        return findings

    def excluding(f: Finding) -> bool:
        return f.status != "voldaan" and f.outcome == rule.outcome

    carried = {
        (f.requirement, f.subject): f
        for f in findings
        if f.rule == rule.id and f.item == CARRIED_ITEM and excluding(f)
    }
    standing = {(f.requirement, f.subject) for f in findings if f.rule != rule.id and excluding(f)}
    folded = set(carried) & standing
    if not folded:
        return findings
    out = []
    for f in findings:
        key = (f.requirement, f.subject)
        if key in folded:
            if f.rule == rule.id and f.item == CARRIED_ITEM:
                continue
            if f.rule != rule.id and excluding(f):
                evidence = tuple(sorted(set(f.evidence) | set(carried[key].evidence)))
                f = replace(f, evidence=evidence)
        out.append(f)
    return out


def outcomes(rule: ExclusionHistoryRule) -> str:
    """The outcome per situation (kit.rules.describe)."""
    return (
        f"{rule.outcome}; gewijzigde verklaring: {rule.changed_outcome}, "
        f"wijziging niet aanvaard: {rule.rejected_change_outcome}"
    )


SPEC = KindSpec(
    name="exclusion_history",
    model=ExclusionHistoryRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
    prohibitive=True,
    prepare=prepare,
    fold=fold,
    outcomes=outcomes,
)
