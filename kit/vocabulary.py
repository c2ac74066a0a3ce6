"""The shared codes (rules/vocabulary.yaml): lots, grounds, document types, registers, levels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kit.paths import rules_dir


@dataclass(frozen=True)
class Lot:
    code: str
    subtender: str
    domain: str
    label: str
    residential: bool
    needs_location: bool


@dataclass(frozen=True)
class RegisterKind:
    register: str
    code: str
    level: str
    implies_diploma: str | None


class Vocabulary:
    """Read-only view of the vocabulary file, with the orderings the rules compare against."""

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw
        self.lots = {
            d["code"]: Lot(
                d["code"],
                d["subtender"],
                d["domain"],
                d["label"],
                bool(d.get("residential")),
                bool(d.get("needs_location")),
            )
            for d in raw["lots"]
        }
        self.contract_roles: list[str] = list(raw["contract_roles"])
        self.legal_forms: list[str] = list(raw["legal_forms"])
        self.size_classes = {d["code"]: d for d in raw["size_classes"]}
        self.exclusion_grounds = {d["code"]: d for d in raw["exclusion_grounds"]}
        self.document_types = {d["code"]: d for d in raw["document_types"]}
        self.register_kinds: dict[tuple[str, str], RegisterKind] = {}
        for register, spec in raw["registers"].items():
            for kind in spec["kinds"]:
                self.register_kinds[(register, kind["code"])] = RegisterKind(
                    register, kind["code"], kind["level"], kind.get("implies_diploma")
                )
        self.registers: list[str] = list(raw["registers"])
        self.diploma_levels: list[str] = list(raw["diploma_levels"])
        self.diploma_fields: list[str] = list(raw["diploma_fields"])
        self.registration_levels: list[str] = list(raw["registration_levels"])
        self.staff_functions: list[str] = list(raw["staff_functions"])
        self.employment_kinds: list[str] = list(raw["employment_kinds"])
        self.finding_status: list[str] = list(raw["finding_status"])
        self.finding_outcomes: list[str] = list(raw["finding_outcomes"])
        self.lot_verdicts: list[str] = list(raw["lot_verdicts"])
        self.sanctions: list[str] = list(raw["sanctions"])
        self.bibob_statuses: list[str] = list(raw["bibob_statuses"])
        self.bibob_outcomes: list[str] = list(raw["bibob_outcomes"])
        self.evc_statuses: list[str] = list(raw["evc_statuses"])
        self.assessments: list[str] = list(raw["assessments"])
        self.board_roles: list[str] = list(raw["board_roles"])
        self.risk_lights: list[str] = list(raw["risk_lights"])
        self.document_labels: dict[str, str] = dict(raw["document_labels"])
        self.ground_labels: dict[str, str] = dict(raw["exclusion_ground_labels"])
        self.verdict_labels: dict[str, str] = dict(raw["verdict_labels"])
        self.finding_requirements: list[str] = list(raw["finding_requirements"])

    def diploma_rank(self, level: str) -> int:
        """1-based position in diploma_levels (0 means: no diploma)."""
        return self.diploma_levels.index(level) + 1

    def registration_rank(self, level: str) -> int:
        return self.registration_levels.index(level) + 1

    def document_label(self, code: str) -> str:
        return self.document_labels.get(code, code)

    def ground_label(self, code: str) -> str:
        return self.ground_labels.get(code, code)

    def is_sensitive_document(self, code: str) -> bool:
        return bool(self.document_types.get(code, {}).get("sensitive"))


def load_vocabulary(path: Path) -> Vocabulary:
    with open(path, encoding="utf-8") as handle:
        return Vocabulary(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary that ships beside the rule sets."""
    return load_vocabulary(rules_dir() / "vocabulary.yaml")
