"""The shared codes (rules/vocabulary.yaml): lots, grounds, document types, registers, levels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kit.errors import KitError
from kit.paths import is_shipped, rules_dir
from kit.structured import read_structured
from kit.validation import dutch_error


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
        # S1: how many years a registration counts from its registration date, per register
        # (None: the register states no period, so only a valid_until shows validity).
        self.revalidation_years: dict[str, int | None] = {
            register: spec.get("revalidation_years") for register, spec in raw["registers"].items()
        }
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
        self.criterion_outcomes: list[str] = list(raw["criterion_outcomes"])
        self.credential_kinds: list[str] = list(raw["credential_kinds"])
        self.verification_outcomes: list[str] = list(raw["verification_outcomes"])
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

    def requirement_label(self, code: str) -> str:
        """The Dutch name of a document type or exclusion ground, as a judgement is chosen
        about it; every one has a name (checked when the vocabulary is read)."""
        name = self.document_labels.get(code) or self.ground_labels.get(code)
        if not name:
            raise KitError(f"vocabulary.yaml: geen Nederlandse naam voor eis {code!r}")
        return name

    def is_sensitive_document(self, code: str) -> bool:
        return bool(self.document_types.get(code, {}).get("sensitive"))


class _Open(BaseModel):
    """A part of the vocabulary: the fields kit reads must be there; others may be added."""

    model_config = ConfigDict(extra="allow", strict=True)


class _Coded(_Open):
    code: str = Field(min_length=1)


class _Lot(_Coded):
    subtender: str
    domain: str
    label: str
    residential: bool = False
    needs_location: bool = False


class _RegisterKind(_Coded):
    level: str
    implies_diploma: str | None = None


class _Register(_Open):
    kinds: list[_RegisterKind] = Field(min_length=1)
    revalidation_years: int | None = Field(default=None, ge=1)


class VocabularyFile(_Open):
    """What kit needs from vocabulary.yaml: checked when it is read, so a broken file is one
    Dutch line naming the field, at `kit rules check` and before any screening starts."""

    lots: list[_Lot] = Field(min_length=1)
    contract_roles: list[str]
    legal_forms: list[str]
    size_classes: list[_Coded]
    exclusion_grounds: list[_Coded]
    document_types: list[_Coded]
    registers: dict[str, _Register]
    diploma_levels: list[str] = Field(min_length=1)
    diploma_fields: list[str]
    registration_levels: list[str] = Field(min_length=1)
    staff_functions: list[str]
    employment_kinds: list[str]
    finding_status: list[str]
    finding_outcomes: list[str]
    lot_verdicts: list[str]
    sanctions: list[str]
    bibob_statuses: list[str]
    bibob_outcomes: list[str]
    evc_statuses: list[str]
    assessments: list[str]
    criterion_outcomes: list[str] = Field(min_length=3, max_length=3)
    credential_kinds: list[str] = Field(min_length=1)
    verification_outcomes: list[str] = Field(min_length=3, max_length=3)
    board_roles: list[str]
    risk_lights: list[str]
    document_labels: dict[str, str]
    exclusion_ground_labels: dict[str, str]
    verdict_labels: dict[str, str]
    finding_requirements: list[str]


def _references(checked: VocabularyFile) -> list[str]:
    """Codes one part of the vocabulary uses that another part must define."""
    problems = []
    for register, spec in checked.registers.items():
        for i, kind in enumerate(spec.kinds):
            if kind.level not in checked.registration_levels:
                problems.append(
                    f"registers.{register}.kinds[{i}].level: onbekend niveau {kind.level!r}; "
                    f"kies uit registration_levels"
                )
            if kind.implies_diploma and kind.implies_diploma not in checked.diploma_levels:
                problems.append(
                    f"registers.{register}.kinds[{i}].implies_diploma: onbekend diplomaniveau "
                    f"{kind.implies_diploma!r}; kies uit diploma_levels"
                )
    # A document or ground is what a judgement is chosen about (kit.views.judgements): each
    # needs its Dutch name, or a form would offer the bare code.
    for part, labels in (
        ("document_types", checked.document_labels),
        ("exclusion_grounds", checked.exclusion_ground_labels),
    ):
        for item in getattr(checked, part):
            if not str(labels.get(item.code) or "").strip():
                where = "document_labels" if part == "document_types" else "exclusion_ground_labels"
                problems.append(
                    f"{where}: geen Nederlandse naam voor {item.code!r} uit {part}; voeg "
                    f"'{item.code}: <naam>' toe"
                )
    for part in ("lots", "size_classes", "exclusion_grounds", "document_types"):
        codes = [item.code for item in getattr(checked, part)]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            problems.append(f"{part}: code {code!r} komt meer dan eens voor")
    return problems


def load_vocabulary(path: Path) -> Vocabulary:
    """The vocabulary in `path`, checked; a problem is a KitError naming the file and field."""
    # Within the input limits, errors in Dutch naming the line (libyaml for the shipped one).
    raw = read_structured(path, shipped=is_shipped(path))
    try:
        checked = VocabularyFile.model_validate(raw)
    except ValidationError as exc:
        raise KitError(f"{path}: {dutch_error(exc)}") from None
    problems = _references(checked)
    if problems:
        more = f" (en nog {len(problems) - 1} fout(en))" if len(problems) > 1 else ""
        raise KitError(f"{path}: {problems[0]}{more}")
    return Vocabulary(raw)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary that ships beside the rule sets."""
    return load_vocabulary(rules_dir() / "vocabulary.yaml")
