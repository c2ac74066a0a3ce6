#!/usr/bin/env python3
"""Write kit/vocab/codes.py: the vocabulary's codes (rules/vocabulary.yaml) as static Literal types.

Static, so that the type checker sees every code type, and pydantic models reject an unknown code
with the allowed list. tests/engine/test_codes.py fails when the checked-in module drifts from the
vocabulary; run this after changing the vocabulary:

    python tools/generate_codes.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "rules" / "vocabulary.yaml"
TARGET = ROOT / "kit" / "vocab" / "codes.py"

HEADER = '''"""Vocabulary codes as static Literal types (generated from rules/vocabulary.yaml by
tools/generate_codes.py; do not edit by hand). Models reject an unknown code with the allowed
list, the JSON Schema shows the enumeration, and the type checker sees every code type."""

from typing import Literal

'''


def _literal(name: str, values: list[str]) -> str:
    values = list(dict.fromkeys(values))  # a code may be both a document type and a requirement
    line = f"{name} = Literal[{', '.join(json.dumps(v) for v in values)}]"
    if len(line) <= 100:
        return line + "\n"
    inner = "".join(f"    {json.dumps(v)},\n" for v in values)
    return f"{name} = Literal[\n{inner}]\n"


def render(raw: dict) -> str:
    lots = raw["lots"]
    kinds = sorted({kind["code"] for spec in raw["registers"].values() for kind in spec["kinds"]})
    types = [
        ("LotCode", [lot["code"] for lot in lots]),
        ("Domain", sorted({lot["domain"] for lot in lots})),
        ("Subtender", sorted({lot["subtender"] for lot in lots})),
        ("RoleCode", list(raw["contract_roles"])),
        ("LegalForm", list(raw["legal_forms"])),
        ("SizeClass", [s["code"] for s in raw["size_classes"]]),
        ("GroundCode", [g["code"] for g in raw["exclusion_grounds"]]),
        ("DocumentType", [d["code"] for d in raw["document_types"]]),
        ("Register", list(raw["registers"])),
        ("RegisterKindCode", kinds),
        ("DiplomaLevel", list(raw["diploma_levels"])),
        ("DiplomaField", list(raw["diploma_fields"])),
        ("RegistrationLevel", list(raw["registration_levels"])),
        ("StaffFunction", list(raw["staff_functions"])),
        ("EmploymentKind", list(raw["employment_kinds"])),
        ("Sanction", list(raw["sanctions"])),
        ("BibobStatus", list(raw["bibob_statuses"])),
        ("BibobOutcome", list(raw["bibob_outcomes"])),
        ("BibobState", list(raw["bibob_statuses"]) + list(raw["bibob_outcomes"])),
        ("EvcStatus", list(raw["evc_statuses"])),
        ("Assessment", list(raw["assessments"])),
        ("BoardRole", list(raw["board_roles"])),
        ("Status", list(raw["finding_status"])),
        ("Outcome", list(raw["finding_outcomes"])),
        ("Verdict", list(raw["lot_verdicts"])),
        ("RiskLight", list(raw["risk_lights"])),
        ("CriterionOutcome", list(raw["criterion_outcomes"])),
        ("CredentialKind", list(raw["credential_kinds"])),
        ("VerificationOutcome", list(raw["verification_outcomes"])),
        (
            "RequirementCode",
            [d["code"] for d in raw["document_types"]]
            + [g["code"] for g in raw["exclusion_grounds"]]
            + list(raw["finding_requirements"]),
        ),
    ]
    return HEADER + "\n".join(_literal(name, values) for name, values in types)


def main() -> int:
    raw = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    text = render(raw)
    if "--check" in sys.argv:
        return 0 if TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.write_text(text, encoding="utf-8")
    print(TARGET.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
