"""The case file (one provider submission): its pydantic models.

The models are the executable form of spec/case-format.md. Codes are checked against the
vocabulary; references between parts of a case (documents, lots, board members) are checked
after the shape is valid, so every error names the path inside the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from kit.dates import add_months
from kit.vocab.codes import (
    Assessment,
    BibobOutcome,
    BibobStatus,
    BoardRole,
    CredentialKind,
    DiplomaField,
    DiplomaLevel,
    DocumentType,
    EmploymentKind,
    EvcStatus,
    GroundCode,
    LegalForm,
    LotCode,
    Register,
    RegisterKindCode,
    RoleCode,
    Sanction,
    SizeClass,
    StaffFunction,
    VerificationOutcome,
)

# A date in a case: between 1900 and 2199. Anything else is a typo, and a date near the end of
# the calendar would overflow the date arithmetic of deadlines and ages.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
# A date is a date or its text JJJJ-MM-DD (YAML and JSON give text): never a number (pydantic
# would read 1700000000 as a Unix time) or another way of writing one.
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _as_written(value: Any) -> Any:
    written = isinstance(value, str) and DATE_TEXT.fullmatch(value)
    if not written and (isinstance(value, datetime) or not isinstance(value, date)):
        raise ValueError("ongeldige datum, verwacht JJJJ-MM-DD")  # the value: maybe sensitive
    return value


Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY, strict=False), BeforeValidator(_as_written)]
# Every id a case gives (the submission's, and its documents', staff's, locations' and board
# members'): ASCII letters and digits with - _ . inside, up to 64 characters. The case format
# (spec/case-format.md) names examples (INS-2024-0042, D1, S01) but no pattern: this is it. No
# trailing newline, quotes, spaces or look-alike letters from other scripts (INS-GООD-0001 with
# Cyrillic O's), which would make two ids that read the same.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
Id = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
# A reference to such an id (a staff member's diploma, VOG, registration or EVC certificate
# document): the same pattern, when given.
Ref = Field(default=None, min_length=1, max_length=64, pattern=ID_PATTERN)
# A stored screening a document is reused from: the code kit gives (SCR-000124).
SCREENING_PATTERN = r"^SCR-[0-9]{6,12}$"


class Strict(BaseModel):
    """Unknown fields are errors: a typo must not pass silently. Numbers and booleans only as
    themselves (strict): "12" is not a number, "yes" not a boolean, 1 not true."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)


class BoardMember(Strict):
    id: str = Id
    role: BoardRole
    since: Day | None = None
    care_background: bool | None = None


class RiskInputs(Strict):
    turnover: float | None = Field(default=None, ge=0)
    personnel_costs: float | None = Field(default=None, ge=0)
    profit: float | None = None
    interests_in_care_companies: int | None = Field(default=None, ge=0)
    real_estate_rented_from_board: bool | None = None


class Provider(Strict):
    kvk: str = Field(pattern=r"^[0-9]{8}$")
    name: str = Field(min_length=1)
    legal_form: LegalForm
    fte: float = Field(ge=0)
    employees: int = Field(ge=0)
    size_class: SizeClass | None = None
    board: list[BoardMember] = []
    risk: RiskInputs | None = None

    def role_of(self, subject: str) -> str:
        """The board role of a finding's subject `board:<id>` ("" for the provider itself, or a
        member the board does not list)."""
        return next((m.role for m in self.board if subject == f"board:{m.id}"), "")


class LotRegistration(Strict):
    lot: LotCode
    role: RoleCode
    main_contractor_kvk: str | None = Field(default=None, pattern=r"^[0-9]{8}$")
    withdrawn: bool = False


class Declaration(Strict):
    ground: GroundCode
    answer: bool
    event_date: Day | None = None
    sanction: Sanction | None = None
    board_member: str | None = None
    self_cleaning: str | None = None
    paid_or_arranged: bool | None = None
    # Set by kit from recorded toezicht decisions, not by the portal: the judgement of the
    # self-cleaning measures (E4) and of an answer that changed since the previous round (E7).
    self_cleaning_decision: Assessment | None = None
    self_cleaning_note: str | None = None
    change_decision: Assessment | None = None
    change_note: str | None = None

    @property
    def subject(self) -> str:
        return f"board:{self.board_member}" if self.board_member else "provider"

    def signature(self) -> str:
        """What a later round must not change silently (E7): the answer and what it rests on."""
        parts = [
            str(self.answer).lower(),
            self.event_date.isoformat() if self.event_date else "",
            self.sanction or "",
            "" if self.paid_or_arranged is None else str(self.paid_or_arranged).lower(),
        ]
        return "|".join(parts)


class Bibob(Strict):
    status: BibobStatus
    outcome: BibobOutcome | None = None
    # Set by kit from an outcome the Bibob officials recorded (kit bibob record).
    decided_on: Day | None = None
    reference: str | None = None


# A reviewer's judgement of a document's content: recorded in kit, never sent by a provider.
JUDGEMENT_FIELDS = ("assessment", "assessment_note", "assessment_shared")


class Document(Strict):
    id: str = Id
    type: DocumentType
    issued_on: Day | None = None
    valid_until: Day | None = None
    complete: bool | None = None
    assessment: Assessment | None = None
    assessment_note: str | None = None
    reuse_of: str | None = Field(default=None, pattern=SCREENING_PATTERN)
    covers_year: int | None = Field(default=None, ge=1900, le=9999)  # jaarrekening (O6)
    level: DiplomaLevel | None = None  # evc-certificaat (S2)
    evc_provider: str | None = Field(default=None, min_length=1, max_length=200)
    # The day the document arrived after the screening (kit documents add); it is measured on
    # that day, the submission's own documents on the screening date.
    received_on: Day | None = None
    # The reviewer marked the judgement's note as text for the provider's letters (the portal's
    # judgement, or kit assess --voor-aanbieder); an unmarked note never reaches a letter.
    assessment_shared: bool | None = None


class Explanation(Strict):
    requirement: DocumentType
    text: str = Field(min_length=1)
    # Set by kit from a recorded reviewer decision (kit assess --uitleg), not by the portal.
    decision: Assessment | None = None
    decision_note: str | None = None
    decision_shared: bool | None = None


class Location(Strict):
    id: str = Id
    lots: list[LotCode] = Field(min_length=1)
    maatschappelijke_bestemming: bool | None = None
    documents: list[Document] = []


class Diploma(Strict):
    level: DiplomaLevel
    field: DiplomaField
    document: str | None = Ref


class Registration(Strict):
    # `register` is also a method pydantic models inherit: the alias keeps the field required.
    register_: Register = Field(alias="register")
    kind: RegisterKindCode
    number: str | None = None
    registered_on: Day | None = None
    valid_until: Day | None = None
    document: str | None = Ref

    def validity(self, day: date, revalidation_years: int | None) -> str:
        """S1: 'geldig', 'verlopen' or 'onbekend' on `day`. A registration shows its validity by
        its valid_until, or else by its registration date plus the register's revalidation
        period (`revalidation_years` from the vocabulary); one that shows neither is not shown
        valid ('onbekend')."""
        until = self.valid_until
        if until is None and self.registered_on is not None and revalidation_years:
            until = add_months(self.registered_on, 12 * revalidation_years)
        if until is None:
            return "onbekend"
        return "verlopen" if until < day else "geldig"


class Vog(Strict):
    issued_on: Day
    document: str | None = Ref


class Evc(Strict):
    status: EvcStatus
    expected_completion: Day | None = None
    certificate: str | None = Ref  # the evc-certificaat document of a completed trajectory (S2)


class StaffMember(Strict):
    id: str = Id
    function: StaffFunction
    employment: EmploymentKind
    # S6: the zelfstandige (or the eenmanszaak's owner) in person; at most one per case. Whom
    # the owner hires, zzp or not, is not the owner.
    owner: bool = False
    lots: list[LotCode] = Field(min_length=1)
    start_date: Day | None = None
    client_contact: bool | None = None
    diplomas: list[Diploma] = []
    registrations: list[Registration] = []
    vog: Vog | None = None
    evc: Evc | None = None
    documents: list[Document] = []
    # The day this staff member's data arrived after the screening (kit documents add).
    received_on: Day | None = None

    @property
    def declarable(self) -> bool:
        """S2: staff in an unfinished EVC trajectory do not count toward any requirement."""
        return not (self.evc is not None and self.evc.status == "lopend")

    @property
    def has_client_contact(self) -> bool:
        """S6: every function has client contact; only support staff (ondersteunend) may be
        without it, which is their default unless the case says otherwise."""
        if self.function != "ondersteunend":
            return True
        return bool(self.client_contact)


class Verification(Strict):
    """Set by kit from a check toezicht recorded (kit steekproef vastleggen, C2): a staff
    credential checked at its issuing source, with the outcome and the source consulted."""

    staff: str = Id
    credential: str = Field(min_length=1, max_length=64)
    kind: CredentialKind
    outcome: VerificationOutcome
    source: str = Field(min_length=1, max_length=64)
    checked_on: Day


class Submission(Strict):
    id: str = Id
    procedure: str = Id
    submitted_on: Day
    round: int = Field(default=0, ge=0)
    provider: Provider
    lots: list[LotRegistration] = Field(min_length=1)
    declarations: list[Declaration] = []
    bibob: Bibob | None = None
    documents: list[Document] = []
    explanations: list[Explanation] = []
    locations: list[Location] = []
    recruiting_gedragswetenschapper: bool = False
    staff: list[StaffMember] = []
    # C2: None (not []) when nothing was checked, so a case's stored form stays as it was.
    verifications: list[Verification] | None = None

    def all_documents(self) -> list[Document]:
        """Every document of the case, wherever it is declared; ids share one namespace."""
        docs = list(self.documents)
        for location in self.locations:
            docs.extend(location.documents)
        for member in self.staff:
            docs.extend(member.documents)
        return docs

    def active_lots(self) -> list[str]:
        return [reg.lot for reg in self.lots if not reg.withdrawn]


class Case(Strict):
    """A case file: one submission."""

    submission: Submission

    def to_json_data(self) -> dict[str, Any]:
        """The case as its file would say it (field names as in the case format)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    @cached_property
    def canonical_json(self) -> str:
        """The case as stored: canonical JSON (sorted keys). A case is frozen, so this is made
        once; screening and storing use it several times (identity check, hash, storage)."""
        return json.dumps(self.to_json_data(), sort_keys=True, ensure_ascii=False)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Case:
        """A copy, without the canonical JSON of the original (a changed copy has its own)."""
        copied = super().model_copy(update=update, deep=deep)
        copied.__dict__.pop("canonical_json", None)
        return copied

    def sha256(self) -> str:
        """Hash of the case as screened, canonical JSON, so a screening can be replayed."""
        return hashlib.sha256(self.canonical_json.encode("utf-8")).hexdigest()


def json_schema() -> dict[str, Any]:
    return Case.model_json_schema(by_alias=True)
