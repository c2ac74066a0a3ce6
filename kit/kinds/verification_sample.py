"""Kind `verification_sample` (C1, C2), an aggregate: the verification of staff credentials at
the issuing source. Its parameters say how large the sample is (a share of the credentials, a
minimum, and every credential of a small provider) and which sources may be consulted per kind
of credential (kit.screening.sample draws the sample, toezicht records the checks). Its
findings come from the checks recorded on the case (`verifications`, set by kit): a credential
the source did not confirm is a `beoordeling` for toezicht naming the ground of false
statements (E3); it never excludes by itself. A credential the source could not check is a
signal for toezicht."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from kit.engine.aggregate import Aggregated
from kit.engine.findings import propose
from kit.kinds.base import KindSpec
from kit.rules.model import RuleBase
from kit.vocab.codes import CredentialKind, GroundCode, Outcome

if TYPE_CHECKING:
    from kit.engine.findings import Finding


class Situation(StrEnum):
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"
    UNCHECKABLE = "uncheckable"


class VerificationSampleRule(RuleBase):
    kind: Literal["verification_sample"]
    outcome: Outcome = "beoordeling"
    # C1: the share of a submission's credentials drawn, at least `minimum`, and every
    # credential of a provider with at most `all_up_to_staff` staff members.
    share: float = Field(gt=0, le=1)
    minimum: int = Field(ge=1)
    all_up_to_staff: int = Field(ge=0)
    # C2: the sources a check may name, per kind of credential.
    sources: dict[CredentialKind, list[str]] = Field(min_length=1)
    # The exclusion ground a credential the source did not confirm may point to (E3).
    ground: GroundCode

    @model_validator(mode="after")
    def _sources_named(self) -> VerificationSampleRule:
        for kind, names in self.sources.items():
            if not names:
                raise ValueError(f"sources.{kind}: noem ten minste een bron")
        return self

    def finding_requirement(self) -> str:
        return self.requirement or self.ground


def aggregate(rule: VerificationSampleRule, agg: Aggregated) -> tuple[list[Finding], None]:
    """One finding per credential checked: confirmed is voldaan; not confirmed a judgement for
    toezicht (the rule's outcome, naming its ground); not checkable a signal for toezicht.
    Nothing checked: no finding (not_applicable says so)."""
    confirmed, not_confirmed, _ = agg.vocab.verification_outcomes
    staff = {member.id for member in agg.sub.staff}
    found = []
    for check in agg.sub.verifications or []:
        if check.staff not in staff:
            continue
        if check.outcome == confirmed:
            situation, status, outcome = Situation.CONFIRMED, "voldaan", None
        elif check.outcome == not_confirmed:
            situation, status, outcome = Situation.NOT_CONFIRMED, "onbepaald", rule.outcome
        else:
            situation, status, outcome = Situation.UNCHECKABLE, "niet-voldaan", "signaal"
        found.append(
            propose(
                rule,
                situation,
                status,
                outcome,
                rule.finding_requirement(),
                vocab=agg.vocab,
                subject=f"staff:{check.staff}",
                item=check.credential,
                params={"ground": agg.vocab.ground_label(rule.ground)},
                data={
                    "staff": check.staff,
                    "credential": check.credential,
                    "source": check.source,
                    "checked_on": check.checked_on.isoformat(),
                },
                sensitive=True,
                order=agg.order,
            )
        )
    return found, None


SPEC = KindSpec(
    name="verification_sample",
    model=VerificationSampleRule,
    situations=Situation,
    aggregate=aggregate,
    stage=3,  # after every other kind: it changes nothing another kind reads
)
