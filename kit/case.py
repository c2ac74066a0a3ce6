"""The case file (one provider submission): pydantic models, loading and Dutch errors.

The models are the executable form of spec/case-format.md. Codes are checked against the
vocabulary; references between parts of a case (documents, lots, board members) are checked
after the shape is valid, so every error names the path inside the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, NoReturn

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from yaml.events import AliasEvent, CollectionStartEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kit.codes import (
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
from kit.dates import add_months
from kit.errors import CaseError, os_error_text
from kit.limits import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_NUMBER_CHARS,
    LimitError,
    TooLong,
    check_json_depth,
    check_values,
    json_int,
    line_of,
    read_bounded,
    too_deep,
    too_many,
)
from kit.validation import SHOWN_PROBLEMS, dutch_error, joined, path_text
from kit.vocabulary import vocabulary

# A date in a case: between 1900 and 2199. Anything else is a typo, and a date near the end of
# the calendar would overflow the date arithmetic of deadlines and ages.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Id = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


class Strict(BaseModel):
    """Unknown fields are errors: a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


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


class Document(Strict):
    id: str = Id
    type: DocumentType
    issued_on: Day | None = None
    valid_until: Day | None = None
    complete: bool | None = None
    assessment: Assessment | None = None
    assessment_note: str | None = None
    reuse_of: str | None = None
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
    document: str | None = None


class Registration(Strict):
    # `register` is also a method pydantic models inherit: the alias keeps the field required.
    register_: Register = Field(alias="register")
    kind: RegisterKindCode
    number: str | None = None
    registered_on: Day | None = None
    valid_until: Day | None = None
    document: str | None = None

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
    document: str | None = None


class Evc(Strict):
    status: EvcStatus
    expected_completion: Day | None = None
    certificate: str | None = None  # the evc-certificaat document of a completed trajectory (S2)


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
    id: str = Field(min_length=1, max_length=64)
    procedure: str = Field(min_length=1)
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


def reference_problems(sub: Submission) -> list[tuple[str, str]]:
    """Cross-references a valid shape can still get wrong, as (path, Dutch problem)."""
    problems: list[tuple[str, str]] = []
    registered = [reg.lot for reg in sub.lots]
    base = "submission"
    seen_lots: set[str] = set()
    for i, reg in enumerate(sub.lots):
        if reg.lot in seen_lots:
            problems.append(
                (f"{base}.lots[{i}].lot", f"perceel {reg.lot!r} staat dubbel in de inschrijving")
            )
        seen_lots.add(reg.lot)
        if reg.role == "onderaannemer" and not reg.main_contractor_kvk:
            problems.append(
                (
                    f"{base}.lots[{i}].main_contractor_kvk",
                    "een onderaannemer noemt het KvK-nummer van de hoofdaannemer",
                )
            )

    doc_ids: dict[str, str] = {}
    documents: dict[str, Document] = {}

    def collect(docs: list[Document], where: str) -> None:
        for j, doc in enumerate(docs):
            path = f"{where}.documents[{j}].id"
            if doc.id in doc_ids:
                problems.append((path, f"document-id {doc.id!r} komt al voor ({doc_ids[doc.id]})"))
            else:
                doc_ids[doc.id] = path
                documents[doc.id] = doc
            if doc.issued_on is None and doc.reuse_of is None:
                problems.append(
                    (
                        f"{where}.documents[{j}].issued_on",
                        "verplicht veld ontbreekt "
                        "(of verwijs met reuse_of naar een eerder document)",
                    )
                )

    collect(sub.documents, base)
    for i, loc in enumerate(sub.locations):
        collect(loc.documents, f"{base}.locations[{i}]")
    for i, member in enumerate(sub.staff):
        collect(member.documents, f"{base}.staff[{i}]")

    def ref(doc_id: str | None, path: str) -> None:
        if doc_id is not None and doc_id not in doc_ids:
            problems.append(
                (path, f"verwijst naar document {doc_id!r}, dat niet in de inschrijving staat")
            )

    board_ids = {m.id for m in sub.provider.board}
    for i, decl in enumerate(sub.declarations):
        if decl.board_member is not None and decl.board_member not in board_ids:
            problems.append(
                (
                    f"{base}.declarations[{i}].board_member",
                    f"onbekend bestuurslid {decl.board_member!r}",
                )
            )
    if sub.bibob and sub.bibob.status == "afgerond" and sub.bibob.outcome is None:
        problems.append(
            (f"{base}.bibob.outcome", "een afgerond Bibob-onderzoek heeft een uitkomst")
        )

    ids: set[str] = set()
    for i, loc in enumerate(sub.locations):
        if loc.id in ids:
            problems.append(
                (f"{base}.locations[{i}].id", f"locatie-id {loc.id!r} komt dubbel voor")
            )
        ids.add(loc.id)
        for j, lot in enumerate(loc.lots):
            if lot not in registered:
                problems.append(
                    (
                        f"{base}.locations[{i}].lots[{j}]",
                        f"perceel {lot!r} is niet ingeschreven in deze inschrijving",
                    )
                )
    ids = set()
    owner: str | None = None
    for i, member in enumerate(sub.staff):
        where = f"{base}.staff[{i}]"
        if member.id in ids:
            problems.append((f"{where}.id", f"medewerker-id {member.id!r} komt dubbel voor"))
        ids.add(member.id)
        if member.owner and owner is not None:
            problems.append(
                (
                    f"{where}.owner",
                    f"ten hoogste één medewerker is de eigenaar (owner: true); {owner!r} is het al",
                )
            )
        elif member.owner:
            owner = member.id
        for j, lot in enumerate(member.lots):
            if lot not in registered:
                problems.append(
                    (
                        f"{where}.lots[{j}]",
                        f"perceel {lot!r} is niet ingeschreven in deze inschrijving",
                    )
                )
        for j, dip in enumerate(member.diplomas):
            ref(dip.document, f"{where}.diplomas[{j}].document")
        for j, registration in enumerate(member.registrations):
            ref(registration.document, f"{where}.registrations[{j}].document")
            if (registration.register_, registration.kind) not in vocabulary().register_kinds:
                problems.append(
                    (
                        f"{where}.registrations[{j}].kind",
                        f"{registration.kind!r} is geen registratie "
                        f"in register {registration.register_!r}",
                    )
                )
        if member.vog is not None:
            ref(member.vog.document, f"{where}.vog.document")
        if not member.declarable and member.evc and member.evc.expected_completion is None:
            problems.append(
                (
                    f"{where}.evc.expected_completion",
                    "een lopend EVC-traject heeft een verwachte einddatum",
                )
            )
        if member.evc is not None and member.evc.certificate is not None:
            ref(member.evc.certificate, f"{where}.evc.certificate")
            cert = documents.get(member.evc.certificate)
            if member.evc.status != "afgerond":
                problems.append(
                    (
                        f"{where}.evc.certificate",
                        "alleen een afgerond EVC-traject heeft een certificaat",
                    )
                )
            elif cert is not None and cert.type != "evc-certificaat":
                problems.append(
                    (
                        f"{where}.evc.certificate",
                        f"document {cert.id!r} is geen evc-certificaat maar {cert.type}",
                    )
                )
            elif cert is not None and cert.level is None:
                problems.append(
                    (
                        f"{where}.evc.certificate",
                        f"het EVC-certificaat {cert.id!r} noemt geen niveau (level)",
                    )
                )
    return problems


# Parts of a case whose values only toezicht may read: errors there name the path, not the value.
# (`documents` too: a VOG or a diploma is a document, and its dates are toezicht's.)
SENSITIVE_PARTS = frozenset({"staff", "bibob", "declarations", "board", "documents"})


def parse_case(data: Any, source: str) -> Case:
    """Validate already-parsed data; raise CaseError with one Dutch line naming the source and,
    per problem (up to SHOWN_PROBLEMS), the path: a provider fixes them all in one go."""
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        found = dutch_error(exc, hide_under=SENSITIVE_PARTS, limit=SHOWN_PROBLEMS)
        raise CaseError(f"{source}: {found}") from None
    problems = reference_problems(case.submission)
    if problems:
        raise CaseError(
            f"{source}: " + joined([f"{path}: {problem}" for path, problem in problems])
        )
    return case


def document_holders(sub: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The parts of a submission (as data) that hold documents, with their path: the submission
    itself, each location and each staff member. The data form of Submission.all_documents."""
    holders = [("submission", sub)]
    holders += [
        (f"submission.locations[{i}]", loc) for i, loc in enumerate(sub.get("locations", []))
    ]
    holders += [(f"submission.staff[{i}]", member) for i, member in enumerate(sub.get("staff", []))]
    return holders


class DuplicateKey(ValueError):
    """A key that a YAML block or JSON object has twice (line: where the second one is)."""

    def __init__(self, key: str, line: int | None = None) -> None:
        super().__init__(key)
        self.key, self.line = key, line


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """object_pairs_hook for json.loads: an object with a key twice is refused (DuplicateKey)."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return data


class _TextDatesLoader(yaml.SafeLoader):
    """YAML without its own date parsing: a date stays text, so an impossible date like
    2029-02-30 is reported by the models with its path instead of failing the whole file.

    Composing checks the limits of kit.limits as it goes, so nothing is nested or expanded past
    them: nesting past MAX_DEPTH, more than MAX_NODES values, and aliases (*alias) counted as
    what they expand to, so an alias bomb (a few hundred bytes that expand to gigabytes) is
    refused at the alias that crosses the limit. PyYAML itself writes aliases for a value used
    twice (yaml.safe_dump), so a few of them are fine; an alias inside its own anchor is not."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._loc: list[Any] = []
        self._depth = 0
        self._nodes = 0
        self._open: set[str] = set()  # anchors of the blocks being composed
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, nesting)

    def _refuse(self, problem: str, line: int | None) -> NoReturn:
        raise LimitError(problem, tuple(self._loc), line)

    def _measure(self, node: Node) -> tuple[int, int]:
        """How many values a node expands to, and how deep its blocks nest."""
        known = self._measured.get(id(node))
        if known is not None:
            return known
        size, depth = 1, 0
        if isinstance(node, SequenceNode | MappingNode):
            children: list[Node] = (
                node.value
                if isinstance(node, SequenceNode)
                else [part for pair in node.value for part in pair]
            )
            for child in children:
                child_size, child_depth = self._measure(child)
                size, depth = size + child_size, max(depth, child_depth)
            depth += 1
        self._measured[id(node)] = (size, depth)
        return size, depth

    def _alias(self, event: AliasEvent, line: int | None) -> None:
        node = self.anchors.get(event.anchor)
        if node is None:
            return  # an undefined alias: PyYAML's own error (geen geldige YAML)
        if event.anchor in self._open:
            self._refuse("YAML-verwijzing (*alias) naar het blok waar ze zelf in staat", line)
        size, depth = self._measure(node)
        self._nodes += size
        if self._nodes > MAX_NODES:
            self._refuse(
                f"YAML-verwijzingen (&anker/*alias) lopen op tot meer dan {MAX_NODES} onderdelen",
                line,
            )
        if self._depth + depth > MAX_DEPTH:
            self._refuse(too_deep(), line)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self.check_event()  # reads the next event into current_event (peek_event is untyped)
        event: Event = self.current_event
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        # A value's path: its key (a mapping) or index (a sequence); a key keeps its block's.
        named = parent is not None and index is not None
        if named:
            self._loc.append(index if isinstance(index, int) else getattr(index, "value", "?"))
        try:
            if isinstance(event, AliasEvent):
                self._alias(event, line)
                return super().compose_node(parent, index)
            self._nodes += 1
            if self._nodes > MAX_NODES:
                self._refuse(too_many(), line)
            nests = isinstance(event, CollectionStartEvent)
            if nests and self._depth >= MAX_DEPTH:
                self._refuse(too_deep(), line)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                self._open.add(anchor)
            self._depth += nests
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= nests
                self._open.discard(anchor or "")
        finally:
            if named:
                self._loc.pop()

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        """A key written twice in one block is refused: YAML would keep the last silently, so
        `round: 0` above `round: 1` would decide without anyone seeing it. Checked as written,
        before merge keys (`<<: *anchor`) fold other blocks in."""
        node: MappingNode = super().compose_mapping_node(anchor)
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value != "<<":  # not a merge
                if key_node.value in seen:
                    raise DuplicateKey(key_node.value, key_node.start_mark.line + 1)
                seen.add(key_node.value)
        return node

    def construct_long_int(self, node: ScalarNode) -> Any:
        """An integer with thousands of digits is not converted (kit.limits.TooLong)."""
        if len(node.value) > MAX_NUMBER_CHARS:
            return TooLong(len(node.value))
        return self.construct_yaml_int(node)


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_TextDatesLoader.add_constructor("tag:yaml.org,2002:int", _TextDatesLoader.construct_long_int)


class _ShippedLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same reading (dates stay text) with libyaml's parser, for the files that ship inside
    the package: as trusted as the code, and read by every command (a tenth of a second saved
    each time). Outside files always go through _TextDatesLoader and its limits."""

    yaml_implicit_resolvers = _TextDatesLoader.yaml_implicit_resolvers


_ShippedLoader.add_constructor("tag:yaml.org,2002:int", _TextDatesLoader.construct_long_int)

# json.JSONDecodeError's English messages, in Dutch; another gives just "geen geldige JSON".
_JSON_PROBLEMS = {
    "Expecting value": "waarde verwacht",
    "Expecting ',' delimiter": "komma verwacht",
    "Expecting ':' delimiter": "dubbele punt verwacht",
    "Expecting property name enclosed in double quotes": "veldnaam tussen dubbele "
    "aanhalingstekens verwacht",
    "Unterminated string starting at": "tekst zonder afsluitend aanhalingsteken",
    "Invalid control character at": "stuurteken in een tekst",
    "Invalid \\escape": "ongeldige escape (\\)",
    "Invalid \\uXXXX escape": "ongeldige \\uXXXX-escape",
    "Extra data": "meer tekst na het einde van de JSON",
}


def _parse(path: Path, text: str, shipped: bool = False) -> Any:
    """Parse YAML or JSON within the limits of kit.limits (raises LimitError, or the parser's
    own error for a syntax error)."""
    if path.suffix.lower() == ".json":
        try:
            return json.loads(
                text, parse_int=json_int, object_pairs_hook=None if shipped else _unique_keys
            )
        except RecursionError:
            check_json_depth(text)  # finds the line where it gets too deep
            raise
    return yaml.load(text, Loader=_ShippedLoader if shipped else _TextDatesLoader)


def read_structured(path: Path, shipped: bool = False) -> Any:
    """YAML or JSON, by extension, within kit.limits: the file's size, nesting, aliases, texts
    and numbers. Any problem becomes a Dutch CaseError naming the file and the line or path.
    `shipped`: a file of the package itself (its rules, its vocabulary), read with libyaml."""
    text = ""
    try:
        raw = read_bounded(path)
        # Decoded as read_text would: UTF-8, universal newlines.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        data = _parse(path, text, shipped)
        check_values(data)
    except LimitError as exc:
        raise CaseError(f"{path}: {exc.where()}") from None
    except DuplicateKey as exc:
        where = f"regel {exc.line}: " if exc.line is not None else ""
        raise CaseError(
            f"{path}: {where}het veld {exc.key!r} staat twee keer in hetzelfde blok; "
            "laat er één staan"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = os_error_text(exc) if isinstance(exc, OSError) else "geen UTF-8-tekst"
        raise CaseError(f"{path}: bestand niet leesbaar ({why})") from None
    except json.JSONDecodeError as exc:
        problem = _JSON_PROBLEMS.get(exc.msg)
        problem = f" ({problem})" if problem else ""
        raise CaseError(f"{path}: regel {exc.lineno}: geen geldige JSON{problem}") from None
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, int) else 0
        line = line_of(text, exc.position) if isinstance(exc.position, int) else None
        where = f"regel {line}: " if line is not None else ""
        raise CaseError(f"{path}: {where}ongeldig teken U+{char:04X} (stuurteken)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}: " if mark is not None else ""
        raise CaseError(f"{path}: {where}geen geldige YAML") from None
    except (ValueError, RecursionError, KeyError, OverflowError, TypeError):
        # a value the parsers cannot convert (a YAML `!!bool maybe`, a huge sexagesimal number)
        raise CaseError(f"{path}: ongeldige waarde in het bestand") from None
    return data


# Fields kit sets itself, from a decision someone recorded (kit assess, kit bibob record) or from
# `kit documents add`; a file that sets them would make a decision nobody recorded, in a role
# its sender may not have. Per list or block: the fields it may not carry.
KIT_ONLY: dict[str, tuple[str, ...]] = {
    "declarations": (
        "self_cleaning_decision",
        "self_cleaning_note",
        "change_decision",
        "change_note",
    ),
    "explanations": ("decision", "decision_note", "decision_shared"),
    "bibob": ("decided_on", "reference"),
    "documents": ("received_on",),
    "staff": ("received_on",),
    "submission": ("verifications",),
}


def kit_only_paths(data: Any, extra: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The paths in parsed file data (a case, an update, a board change) that set a field only
    kit may set (KIT_ONLY, plus `extra`)."""
    refused = {**KIT_ONLY, **(extra or {})}
    found: list[str] = []

    def walk(value: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                here = (*loc, key)
                if key in refused and isinstance(item, dict):
                    found.extend(path_text((*here, f)) for f in refused[key] if f in item)
                if key in refused and isinstance(item, list):
                    for i, entry in enumerate(item):
                        if isinstance(entry, dict):
                            found.extend(
                                path_text((*here, i, f)) for f in refused[key] if f in entry
                            )
                walk(item, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*loc, i))

    walk(data, ())
    return found


def refuse_kit_only(
    data: Any, source: str, extra: dict[str, tuple[str, ...]] | None = None
) -> None:
    """A CaseError naming the fields of a file that only kit may set (KIT_ONLY)."""
    found = kit_only_paths(data, extra)
    if found:
        raise CaseError(
            f"{source}: "
            + joined(
                [
                    f"{path}: dit veld vult kit zelf in (een oordeel met kit assess of kit "
                    "bibob record, een ontvangstdatum met kit documents add --ontvangen); het "
                    "hoort niet in een bestand"
                    for path in found
                ]
            )
        )


# The region's intake workbook (kit.intake); .xlsm is read only to be refused with its reason.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def load_case(path: Path) -> Case:
    """A case file: read within the limits, with no field only kit may set, validated. An
    intake workbook is read by kit.intake into the same model, its errors naming the cells."""
    if is_workbook(path):
        from kit.intake.reader import read_workbook

        return read_workbook(path)
    data = read_structured(path)
    refuse_kit_only(data, str(path))
    return parse_case(data, str(path))


def case_data(path: Path) -> Any:
    """What a case file holds, as data for parse_case: YAML or JSON parsed within the limits
    (read_structured), a workbook read and checked whole."""
    return load_case(path).to_json_data() if is_workbook(path) else read_structured(path)


CASE_SUFFIXES = (".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES)


def case_files(paths: list[Path]) -> list[Path]:
    """Expand directories into their case files (sorted, not recursive into expected/ results)."""
    files: list[Path] = []
    for path in paths:
        try:
            if path.is_dir():
                files.extend(
                    sorted(
                        p
                        for p in path.iterdir()
                        if p.is_file() and p.suffix.lower() in CASE_SUFFIXES
                    )
                )
            elif path.exists():
                files.append(path)
            else:
                raise CaseError(f"{path}: bestand of map bestaat niet")
        except OSError as exc:
            raise CaseError(f"{path}: niet te lezen ({os_error_text(exc)})") from None
    return files


def json_schema() -> dict[str, Any]:
    return Case.model_json_schema(by_alias=True)
