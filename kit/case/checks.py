"""The checks on a case beyond its shape: references between its parts (documents, lots, board
members), the fields only kit may set, and validation into the model with one Dutch line per
problem, naming the path inside the file."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kit.case.models import Case, Document, Submission
from kit.errors import CaseError
from kit.timezone import today
from kit.validation import SHOWN_PROBLEMS, dutch_error, joined, path_text
from kit.vocab.vocabulary import vocabulary


# Over 60 lines: one check per reference between parts of the case, each a few lines naming its
# path; listed in the order of the case file.
def reference_problems(sub: Submission, stored: bool = False) -> list[tuple[str, str]]:
    """Cross-references a valid shape can still get wrong, and a submission dated after today
    (in the Netherlands), as (path, Dutch problem). A date in the future would hold the
    submission's deadlines and document ages until that day. `stored`: a case kit stored
    earlier, whose date was accepted then (and is corrected by kit corrigeer-datum, not by
    refusing to read it)."""
    problems: list[tuple[str, str]] = []
    if not stored and sub.submitted_on > (day := today()):
        problems.append(
            (
                "submission.submitted_on",
                f"{sub.submitted_on.isoformat()} ligt na vandaag ({day.isoformat()}); een "
                "inschrijving kan niet later ingediend zijn dan vandaag",
            )
        )
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


def parse_case(data: Any, source: str, stored: bool = False) -> Case:
    """Validate already-parsed data; raise CaseError with one Dutch line naming the source and,
    per problem (up to SHOWN_PROBLEMS), the path: a provider fixes them all in one go."""
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        found = dutch_error(exc, hide_under=SENSITIVE_PARTS, limit=SHOWN_PROBLEMS)
        raise CaseError(f"{source}: {found}") from None
    problems = reference_problems(case.submission, stored)
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
