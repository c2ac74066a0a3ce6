"""Kind `bibob` (E5): the state of the Bibob investigation gives a status and an outcome, as the
rule lists them per state (an open investigation blocks a final verdict)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from kit.dates import dutch_date
from kit.engine import conditions as C
from kit.engine.productions import Emit, Ref
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase, Strict
from kit.text import render
from kit.vocab.codes import BibobState, Outcome, RequirementCode, Status
from kit.vocab.vocabulary import Vocabulary

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference


class Situation(StrEnum):
    NIET_GESTART = "niet-gestart"
    LOPEND = "lopend"
    GEEN_BEZWAAR = "geen-bezwaar"
    MINDERE_MATE_GEVAAR = "mindere-mate-gevaar"
    ERNSTIG_GEVAAR = "ernstig-gevaar"


class BibobResult(Strict):
    status: Status
    outcome: Outcome | None = None
    blocks: bool = False


class BibobRule(RuleBase):
    kind: Literal["bibob"]
    requirement: RequirementCode = "bibob-ernstig-gevaar"
    results: dict[BibobState, BibobResult]


def prepare(values: dict[str, Any], vocab: Vocabulary) -> None:
    """' (vastgelegd door de Bibob-functionarissen op 3 juni 2024, kenmerk B-17)', or ''."""
    fragments = SPEC.texts()["fragments"]
    parts = []
    values["on"] = ""  # the date of the conclusion, as a provider's letter says it
    if values.get("decided_on"):
        parts.append(render(fragments["decided_on"], {"date": dutch_date(values["decided_on"])}))
        values["on"] = " " + parts[-1]
    if values.get("reference"):
        parts.append(render(fragments["reference"], {"reference": values["reference"]}))
    values["recorded"] = render(fragments["recorded"], {"parts": ", ".join(parts)}) if parts else ""


def compile_rule(c: Compiler, rule: BibobRule) -> None:
    for scope in c.scopes(rule.applies):
        for state, result in rule.results.items():
            c.add(
                rule,
                c.scope_patterns(scope, [C.eq("bibob", state)]),
                Emit(
                    rule=rule,
                    situation=Situation(state),
                    status=result.status,
                    outcome=result.outcome,
                    requirement=rule.finding_requirement(),
                    sensitive=True,
                    params={
                        "decided_on": Ref("prov", "bibob_decided_on"),
                        "reference": Ref("prov", "bibob_reference"),
                    },
                ),
            )


def check(r: Reference, rule: BibobRule, ctx: Ctx) -> Iterator[Finding]:
    bibob = ctx.sub.bibob
    state = (
        "niet-gestart"
        if bibob is None
        else bibob.outcome
        if bibob.status == "afgerond"
        else bibob.status
    )
    result = rule.results.get(state) if state else None
    if result is not None and state is not None and ctx.holds(rule.applies):
        recorded = {
            "decided_on": bibob.decided_on.isoformat() if bibob and bibob.decided_on else "",
            "reference": (bibob.reference or "") if bibob else "",
        }
        yield r.find(
            rule, Situation(state), result.status, result.outcome, sensitive=True, data=recorded
        )


def outcomes(rule: BibobRule) -> str:
    """Per Bibob result the outcome a reviewer reads (kit.rules.describe)."""
    return "; ".join(
        f"{state}: {result.outcome or result.status}" for state, result in rule.results.items()
    )


SPEC = KindSpec(
    name="bibob",
    model=BibobRule,
    situations=Situation,
    compile=compile_rule,
    reference=check,
    prohibitive=True,
    prepare=prepare,
    outcomes=outcomes,
)
