"""Vocabulary codes as Literal types, so models reject an unknown code with the allowed list
and the JSON Schema shows the enumeration. Built once from rules/vocabulary.yaml."""

from __future__ import annotations

from typing import Literal

from kit.vocabulary import vocabulary

_V = vocabulary()


def _codes(values: list[str] | tuple[str, ...]) -> object:
    return Literal[tuple(values)]  # type: ignore[valid-type]


LotCode = _codes(list(_V.lots))
Domain = _codes(sorted({lot.domain for lot in _V.lots.values()}))
Subtender = _codes(sorted({lot.subtender for lot in _V.lots.values()}))
RoleCode = _codes(_V.contract_roles)
LegalForm = _codes(_V.legal_forms)
SizeClass = _codes(list(_V.size_classes))
GroundCode = _codes(list(_V.exclusion_grounds))
DocumentType = _codes(list(_V.document_types))
Register = _codes(_V.registers)
RegisterKindCode = _codes(sorted({k for _, k in _V.register_kinds}))
DiplomaLevel = _codes(_V.diploma_levels)
DiplomaField = _codes(_V.diploma_fields)
RegistrationLevel = _codes(_V.registration_levels)
StaffFunction = _codes(_V.staff_functions)
EmploymentKind = _codes(_V.employment_kinds)
Sanction = _codes(_V.sanctions)
BibobStatus = _codes(_V.bibob_statuses)
BibobOutcome = _codes(_V.bibob_outcomes)
BibobState = _codes(_V.bibob_statuses + _V.bibob_outcomes)
EvcStatus = _codes(_V.evc_statuses)
Assessment = _codes(_V.assessments)
BoardRole = _codes(_V.board_roles)
Status = _codes(_V.finding_status)
Outcome = _codes(_V.finding_outcomes)
Verdict = _codes(_V.lot_verdicts)
RiskLight = _codes(_V.risk_lights)
RequirementCode = _codes(list(_V.document_types) + list(_V.exclusion_grounds) + _V.finding_requirements)
