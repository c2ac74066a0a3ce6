"""The rule kinds: one module per kind, each with its model, its durable_rules productions, its
reference check, its Dutch messages (the YAML beside it) and its hit policy. This registry is
the only list of them. It is handed to the rule loader (kit.kinds.rulesets); the engine, the
reference evaluator and the aggregate step reach a rule's kind through the rule itself
(`RuleBase.kind_spec`), so none of them imports this module.

A new kind: write kit/kinds/<name>.py with `SPEC = KindSpec(...)` and kit/kinds/<name>.yaml with
its messages, and add the module and its model below (docs/rules.md, "Add a rule kind").
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from kit.engine.aggregate import Aggregated
from kit.engine.findings import prohibitive
from kit.kinds import (  # the kind modules, each with its SPEC
    bibob,
    diploma_level,
    document,
    exclusion_ground,
    exclusion_history,
    gedragswetenschapper,
    indicator,
    location_required,
    process,
    qualified_staff,
    registration,
    risk_light,
    self_declaration,
    verdict,
    verification_sample,
    vog,
)
from kit.kinds.base import KindSpec
from kit.kinds.bibob import BibobRule
from kit.kinds.diploma_level import DiplomaRule
from kit.kinds.document import DocumentRule
from kit.kinds.exclusion_ground import ExclusionRule
from kit.kinds.exclusion_history import ExclusionHistoryRule
from kit.kinds.gedragswetenschapper import GedragswetenschapperRule
from kit.kinds.indicator import IndicatorRule
from kit.kinds.location_required import LocationRule
from kit.kinds.process import ProcessRule
from kit.kinds.qualified_staff import QualifiedStaffRule
from kit.kinds.registration import RegistrationRule
from kit.kinds.risk_light import RiskLightRule
from kit.kinds.self_declaration import SelfDeclarationRule
from kit.kinds.verdict import VerdictRule
from kit.kinds.verification_sample import VerificationSampleRule
from kit.kinds.vog import VogRule

MODULES = (
    document,
    exclusion_ground,
    exclusion_history,
    self_declaration,
    bibob,
    location_required,
    registration,
    diploma_level,
    vog,
    gedragswetenschapper,
    qualified_staff,
    indicator,
    risk_light,
    process,
    verdict,
    verification_sample,
)
KINDS: dict[str, KindSpec[Any]] = {module.SPEC.name: module.SPEC for module in MODULES}
RULE_KINDS = sorted(KINDS)

AnyRule = (
    DocumentRule
    | ExclusionRule
    | ExclusionHistoryRule
    | SelfDeclarationRule
    | BibobRule
    | LocationRule
    | RegistrationRule
    | DiplomaRule
    | VogRule
    | GedragswetenschapperRule
    | QualifiedStaffRule
    | IndicatorRule
    | RiskLightRule
    | ProcessRule
    | VerdictRule
    | VerificationSampleRule
)
Rule = Annotated[AnyRule, Field(discriminator="kind")]


def spec_of(rule: Any) -> KindSpec[Any]:
    return KINDS[rule.kind]


__all__ = [
    "KINDS",
    "RULE_KINDS",
    "Aggregated",
    "AnyRule",
    "BibobRule",
    "DiplomaRule",
    "DocumentRule",
    "ExclusionHistoryRule",
    "ExclusionRule",
    "GedragswetenschapperRule",
    "IndicatorRule",
    "KindSpec",
    "LocationRule",
    "ProcessRule",
    "QualifiedStaffRule",
    "RegistrationRule",
    "RiskLightRule",
    "Rule",
    "SelfDeclarationRule",
    "VerdictRule",
    "VerificationSampleRule",
    "VogRule",
    "prohibitive",
    "spec_of",
]
