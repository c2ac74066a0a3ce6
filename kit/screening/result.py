"""The screening result of spec/case-format.md as pydantic models (and its JSON Schema)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from kit.vocab.codes import LotCode, Outcome, RiskLight, Status, Verdict


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RulesetRef(_Strict):
    id: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class FindingResult(_Strict):
    rule: str
    requirement: str
    subject: str = Field(pattern=r"^(provider|staff:.+|location:.+|board:.+)$")
    lot: LotCode | None
    status: Status
    outcome: Outcome | None
    message: str = Field(min_length=1)
    basis: str
    evidence: list[str]
    due: date | None


class NotApplicableResult(_Strict):
    rule: str
    requirement: str
    reason: str = Field(min_length=1)


class ScreeningResult(_Strict):
    screening_id: str | None = Field(pattern=r"^SCR-[0-9]{6,}$")
    submission_id: str
    provider_kvk: str = Field(pattern=r"^[0-9]{8}$")
    procedure: str
    round: int = Field(ge=0)
    as_of: date
    ruleset: RulesetRef
    lots: dict[LotCode, Verdict]
    risk: RiskLight | None
    rerun: list[str] | None = None  # catalogue parts a partial re-screen ran again (M3)
    findings: list[FindingResult]
    not_applicable: list[NotApplicableResult]
