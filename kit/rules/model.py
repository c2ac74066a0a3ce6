"""Typed rule kinds: what a rule file may say. Parameters live here as data, never in code.

Every rule has the same header (id, catalogue refs, requirement, title, basis, assumed,
applies, outcome, messages); `kind` picks the check and its parameters. One kind serves many
rules: `document` covers every organisation, quality and location document, for instance.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kit.codes import (  # noqa: F401
    BibobState,
    DiplomaLevel,
    DocumentType,
    Domain,
    EmploymentKind,
    GroundCode,
    LegalForm,
    LotCode,
    Outcome,
    Register,
    RegisterKindCode,
    RegistrationLevel,
    RequirementCode,
    RiskLight,
    RoleCode,
    Sanction,
    StaffFunction,
    Status,
    Subtender,
    Verdict,
)
from kit.vocabulary import vocabulary

_V = vocabulary()

CatalogueRef = Annotated[str, Field(pattern=r"^[EOQLSGRPVM][0-9]*$")]


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
        for lot in _V.lots.values():
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

    def finding_requirement(self) -> str:
        return self.requirement or ""


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

    def finding_requirement(self) -> str:
        return self.requirement or self.document


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


class ExclusionHistoryRule(RuleBase):
    """E7 across the rounds of one submission: an exclusion found in an earlier screening stays
    until a recorded decision lifts it, and an answer that changed since the previous round is
    put to a judgement (recorded as a decision on the change)."""

    kind: Literal["exclusion_history"]
    requirement: RequirementCode = "zelfverklaring"
    outcome: Outcome = "uitsluiting"
    changed_outcome: Outcome = "beoordeling"
    rejected_change_outcome: Outcome = "herstel"


class SelfDeclarationRule(RuleBase):
    kind: Literal["self_declaration"]
    requirement: RequirementCode = "zelfverklaring"
    grounds: list[GroundCode] = Field(min_length=1)


class BibobResult(Strict):
    status: Status
    outcome: Outcome | None = None
    blocks: bool = False


class BibobRule(RuleBase):
    kind: Literal["bibob"]
    requirement: RequirementCode = "bibob-ernstig-gevaar"
    results: dict[BibobState, BibobResult]


class LocationRule(RuleBase):
    kind: Literal["location_required"]
    requirement: RequirementCode = "locatie"
    outcome: Outcome = "voorwaardelijk"
    due: Literal["contract_start"] | None = "contract_start"


class Accepted(Strict):
    # `register` is also a method pydantic models inherit: the alias keeps the field required.
    register_: Register = Field(alias="register")
    kinds: list[RegisterKindCode] = Field(min_length=1)


class RegistrationRule(RuleBase):
    kind: Literal["registration"]
    requirement: RequirementCode = "registratie"
    functions: list[StaffFunction] = Field(min_length=1)
    accepted: list[Accepted] = Field(min_length=1)
    evc_defers: bool = False


class LevelFor(LotFilter):
    min_level: str


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
        for level in self.levels:
            if level.min_level not in _V.diploma_levels:
                raise ValueError(f"onbekend diplomaniveau {level.min_level!r}; toegestaan: {_V.diploma_levels}")
        return self


class VogRule(RuleBase):
    kind: Literal["vog"]
    requirement: RequirementCode = "vog"
    functions: list[StaffFunction] = Field(min_length=1)
    # Which staff the rule covers by how they work for the provider (S6: the zelfstandige
    # person works as zzp in a provider without employees; workers they hire are inhuur).
    employment: list[EmploymentKind] | None = None
    client_contact_only: bool = True
    max_months_before_start: int | None = Field(default=None, ge=1)
    max_age_months: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_period(self) -> VogRule:
        if (self.max_months_before_start is None) == (self.max_age_months is None):
            raise ValueError("geef precies een van max_months_before_start en max_age_months")
        return self


class GedragswetenschapperRule(RuleBase):
    kind: Literal["gedragswetenschapper"]
    requirement: RequirementCode = "gedragswetenschapper"
    functions: list[StaffFunction] = Field(min_length=1)
    employment: list[EmploymentKind] = Field(min_length=1)
    qualifying: list[Accepted] = Field(min_length=1)
    levels: list[LevelFor] = Field(min_length=1)
    recruiting_outcome: Outcome = "voorwaardelijk"
    due: Literal["contract_start"] = "contract_start"

    @model_validator(mode="after")
    def _registration_levels(self) -> GedragswetenschapperRule:
        for level in self.levels:
            if level.min_level not in _V.registration_levels:
                raise ValueError(
                    f"onbekend registratieniveau {level.min_level!r}; toegestaan: {_V.registration_levels}"
                )
        return self


class QualifiedStaffRule(RuleBase):
    kind: Literal["qualified_staff"]
    requirement: RequirementCode = "gekwalificeerd-personeel"
    functions: list[StaffFunction] = Field(min_length=1)
    qualified_by: list[str] = Field(min_length=1)




Measure = Literal[
    "personnel_cost_share", "profit_margin", "interests_in_care_companies",
    "real_estate_rented_from_board", "board_without_care_background", "fte",
]


class IndicatorRule(RuleBase):
    kind: Literal["indicator"]
    requirement: RequirementCode = "risico"
    outcome: Outcome = "signaal"
    measure: Measure
    above: float | None = None
    below: float | None = None
    equals: bool | None = None

    @model_validator(mode="after")
    def _one_threshold(self) -> IndicatorRule:
        if sum(x is not None for x in (self.above, self.below, self.equals)) != 1:
            raise ValueError("geef precies een van above, below en equals")
        return self


class LightLevel(Strict):
    light: RiskLight
    min_signals: int = Field(ge=0)


class RiskLightRule(RuleBase):
    kind: Literal["risk_light"]
    requirement: RequirementCode = "risico"
    outcome: Outcome = "signaal"
    levels: list[LightLevel] = Field(min_length=1)
    # R3: the light when no indicator signals but some could not be judged (never plain groen).
    incomplete: RiskLight


class ProcessRule(RuleBase):
    kind: Literal["process"]
    requirement: RequirementCode = "herstelronde"
    max_rounds: int = Field(ge=0)
    deadline_working_days: int = Field(ge=1)
    max_extra_rounds: int = Field(ge=0)
    # P2: days that are not working days besides weekends: the public holidays of this country
    # (the `holidays` package's calendar) and the region's own closing days.
    holidays: Literal["NL"] = "NL"
    closing_days: list[date] = []


class VerdictStep(Strict):
    outcome: Outcome
    verdict: Verdict
    all_lots: bool = False
    final_verdict: Verdict | None = None


class VerdictRule(RuleBase):
    kind: Literal["verdict"]
    requirement: RequirementCode = "uitspraak"
    ladder: list[VerdictStep] = Field(min_length=1)
    otherwise: Verdict
    withdrawn: Verdict


Rule = Annotated[
    DocumentRule | ExclusionRule | ExclusionHistoryRule | SelfDeclarationRule | BibobRule | LocationRule
    | RegistrationRule | DiplomaRule | VogRule | GedragswetenschapperRule | QualifiedStaffRule
    | IndicatorRule | RiskLightRule | ProcessRule | VerdictRule,
    Field(discriminator="kind"),
]

RULE_KINDS = sorted(
    cls.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
    for cls in (DocumentRule, ExclusionRule, ExclusionHistoryRule, SelfDeclarationRule, BibobRule, LocationRule,
                RegistrationRule, DiplomaRule, VogRule, GedragswetenschapperRule,
                QualifiedStaffRule, IndicatorRule, RiskLightRule, ProcessRule, VerdictRule)
)


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
