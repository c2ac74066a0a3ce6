"""What every rule file says, whatever its kind: the rule header, its scope (`applies`) and the
rule-set header. Each kind's own parameters live with the kind (kit/kinds/).

Every rule has the same header (id, catalogue refs, requirement, title, basis, assumed,
applies, outcome, messages); `kind` picks the check and its parameters. One kind serves many
rules: `document` covers every organisation, quality and location document, for instance.
"""

from __future__ import annotations

from datetime import date
from string import Formatter
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kit.vocab.codes import (
    Domain,
    LegalForm,
    LotCode,
    Outcome,
    RequirementCode,
    RoleCode,
    StaffFunction,
    Subtender,
)
from kit.vocab.vocabulary import vocabulary

CatalogueRef = Annotated[str, Field(pattern=r"^[EOQLSGRPVMC][0-9]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LotFilter(Strict):
    """Which registered (not withdrawn) lots something is about. Empty means: every lot."""

    lots: list[LotCode] | None = None
    domains: list[Domain] | None = None
    subtenders: list[Subtender] | None = None
    residential: bool | None = None
    needs_location: bool | None = None
    roles: list[RoleCode] | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in LotFilter.model_fields)

    def lot_codes(self) -> list[str]:
        """The vocabulary lots this filter can ever match (roles aside)."""
        out = []
        for lot in vocabulary().lots.values():
            if self.lots is not None and lot.code not in self.lots:
                continue
            if self.domains is not None and lot.domain not in self.domains:
                continue
            if self.subtenders is not None and lot.subtender not in self.subtenders:
                continue
            if self.residential is not None and lot.residential != self.residential:
                continue
            if self.needs_location is not None and lot.needs_location != self.needs_location:
                continue
            out.append(lot.code)
        return out


class WorkerCount(LotFilter):
    """At least `min` declarable care workers serve the lots of this filter (Q7, Q9)."""

    min: int = Field(ge=1)


class Applies(LotFilter):
    """The scope of a rule: all conditions hold; `any` holds when one of its scopes holds."""

    legal_forms: list[LegalForm] | None = None
    employees_min: int | None = Field(default=None, ge=0)
    employees_max: int | None = Field(default=None, ge=0)
    fte_min: float | None = Field(default=None, ge=0)
    fte_max: float | None = Field(default=None, ge=0)
    from_: date | None = Field(default=None, alias="from")
    until: date | None = None
    workers: WorkerCount | None = None
    any: list[Applies] | None = None

    def lot_filter(self) -> LotFilter:
        return LotFilter(**{name: getattr(self, name) for name in LotFilter.model_fields})


def template_problem(text: str) -> str | None:
    """Why a message template cannot be used, or None."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        return "accolades kloppen niet (gebruik {naam}, of {{ en }} voor een accolade)"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not name.isidentifier():
            return f"{{{name}}} is geen naam van een waarde (gebruik {{naam}})"
        if spec or conversion:
            return f"{{{name}}}: geen opmaak toegestaan, alleen {{{name}}}"
    return None


class RuleBase(Strict):
    id: str = Field(pattern=r"^[A-Z][0-9]*[A-Za-z0-9\-]*$", max_length=80)
    refs: list[CatalogueRef] = Field(min_length=1)
    requirement: RequirementCode | None = None
    title: str = Field(min_length=1)
    basis: str = Field(min_length=1)
    assumed: bool
    applies: Applies = Applies()
    outcome: Outcome = "herstel"
    messages: dict[str, str] = {}
    # What the provider's letters print: the title without what only a reviewer needs (whom the
    # rule applies to, how it is measured), and per situation a sentence addressed to the
    # provider that leaves out what only toezicht may read (kit/kinds/<kind>.yaml `letter:`
    # gives the kind's own; these replace it for this rule).
    letter_title: str | None = Field(default=None, min_length=1)
    letters: dict[str, str] = {}
    # The kind this model is the rule of (kit.kinds.base.KindSpec), set when the kind is made:
    # the engine, the reference evaluator and the texts ask a rule's kind for its hooks through
    # it, so that none of them imports the kinds (tools/imports.py, the layer order).
    kind_spec: ClassVar[Any] = None

    @field_validator("messages", "letters")
    @classmethod
    def _plain_placeholders(cls, messages: dict[str, str]) -> dict[str, str]:
        """A message is rendered for every finding: only {name} placeholders, so that a rule file
        cannot crash a screening or print Python internals ({0}, {x.y}, {x:>999}, {x!r})."""
        for situation, text in messages.items():
            problem = template_problem(text)
            if problem:
                raise ValueError(f"{situation}: {problem}")
        return messages

    def finding_requirement(self) -> str:
        return self.requirement or ""


class Procedure(Strict):
    code: str = Field(pattern=r"^[a-z0-9\-]+$")
    label: str
    contract_start: date


class InForce(Strict):
    from_: date = Field(alias="from")
    until: date | None = None


class RulesetHeader(Strict):
    """rules/<id>/ruleset.yaml: what a version is, what it extends, and what it removes."""

    id: str = Field(pattern=r"^[a-z0-9\-]+$")
    title: str
    extends: str | None = None
    in_force: InForce
    procedures: list[Procedure] | None = None
    care_functions: list[StaffFunction] | None = None
    # Partial re-screens (M3): which catalogue parts a reason runs again, e.g. bestuurswisseling.
    rescreen: dict[str, list[CatalogueRef]] | None = None
    remove: list[str] = []
