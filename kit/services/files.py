"""The provider's document files on a case: a PDF or image uploaded with a submission (and the
round it came with), its type read from its first bytes (never from its name or what a browser
claims), its size limited, its bytes stored once by SHA-256 in the database; and who may open
it. A sensitive document (kit's vocabulary: VOG, diplomas, registrations, contracts, the Bibob
questionnaire) is for toezicht; Bibob material also for the Bibob officials (as
kit.screening.policy has it for their findings)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from kit.errors import AccessDenied, KitError
from kit.limits import max_file_bytes, plain_text
from kit.services.actor import Actor
from kit.store import Store
from kit.store.tables import BlobRow, CaseFileRow
from kit.views.casefiles import BIBOB_MATERIAL, categories, category_label, may_add, may_open

MAX_NAME = 120


@dataclass(frozen=True)
class Kind:
    media_type: str
    suffixes: tuple[str, ...]
    label: str


# What a document file may be, by the bytes it starts with.
KINDS = {
    b"%PDF-": Kind("application/pdf", (".pdf",), "PDF"),
    b"\x89PNG\r\n\x1a\n": Kind("image/png", (".png",), "PNG"),
    b"\xff\xd8\xff": Kind("image/jpeg", (".jpg", ".jpeg"), "JPEG"),
}
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\"<>|:*?]")


def kind_of(content: bytes) -> Kind | None:
    return next((kind for magic, kind in KINDS.items() if content.startswith(magic)), None)


def _checked_name(filename: str, kind: Kind) -> str:
    """The file's own name: no folder, no control or reserved characters, an extension that
    says what the content is (so a saved copy opens as what it is)."""
    name = plain_text(filename, "bestand").strip()
    if not name:
        raise KitError("bestand: kies een bestand")
    if (
        PurePosixPath(name).name != name
        or PureWindowsPath(name).name != name
        or name.startswith(".")
        or ".." in name
    ):
        raise KitError(f"bestand: {name!r} is een pad; geef alleen de bestandsnaam")
    if _UNSAFE_NAME.search(name) or len(name) > MAX_NAME:
        raise KitError(
            f'bestand: de naam mag geen tekens als " < > | : * ? bevatten en hoogstens '
            f"{MAX_NAME} tekens lang zijn"
        )
    if not name.lower().endswith(kind.suffixes):
        raise KitError(
            f"bestand {name}: de inhoud is {kind.label}, maar de naam eindigt niet op "
            f"{' of '.join(kind.suffixes)}. Er is niets opgeslagen."
        )
    return name


def add_case_file(
    store: Store, actor: Actor, submission_id: str, filename: str, content: bytes, category: str
) -> CaseFileRow:
    """Store one document file on the submission, with the round of its latest screening."""
    if category not in categories():
        raise KitError(f"soort document: onbekend {category!r}")
    if not may_add(actor.role, category):
        readers = "toezicht of bibob" if category in BIBOB_MATERIAL else "toezicht"
        raise AccessDenied(
            f"een {category_label(category)} toevoegen is voorbehouden aan "
            f"{readers if not may_open('reviewer', category) else 'reviewer of toezicht'} "
            f"(huidige rol: {actor.role})"
        )
    limit = max_file_bytes()
    if len(content) > limit:
        raise KitError(
            f"bestand {filename}: te groot; hoogstens {limit // 2**20} MB. Er is niets opgeslagen."
        )
    kind = kind_of(content)
    if kind is None:
        raise KitError(
            f"bestand {filename}: geen PDF, PNG of JPEG (gelezen aan de inhoud, niet aan de "
            "naam). Er is niets opgeslagen."
        )
    name = _checked_name(filename, kind)
    sub = store.submission(submission_id)
    screenings = store.screenings_of(sub.pk)
    digest = hashlib.sha256(content).hexdigest()
    blob = BlobRow(sha256=digest, content=content, size=len(content), media_type=kind.media_type)
    row = CaseFileRow(
        submission_pk=sub.pk,
        blob_sha256=digest,
        filename=name,
        category=category,
        round=screenings[-1].round if screenings else 0,
        added_by=actor.name,
        role=actor.role,
    )
    # The audit is read by beheer too: a sensitive file's name (a staff member's, often) is not
    # in it, only that it was added (its row keeps the name for those who may open it).
    shown = name if may_open("beheer", category) else "(gevoelig document)"
    audit = actor.event(
        "document-bestand", submission_id, file=shown, category=category, sha256=digest
    )
    store.add_case_file(blob, row, audit)
    return row


def open_case_file(
    store: Store, actor: Actor, submission_id: str, file_id: int
) -> tuple[CaseFileRow, BlobRow]:
    """A file and its bytes, for a role that may open it."""
    sub = store.submission(submission_id)
    found = store.case_file(sub.pk, file_id)
    if found is None:
        raise KitError(f"bestand {file_id} van {submission_id} bestaat niet")
    if not may_open(actor.role, found[0].category):
        raise AccessDenied(
            f"een {category_label(found[0].category)} is voorbehouden aan "
            f"{'toezicht of bibob' if found[0].category in BIBOB_MATERIAL else 'toezicht'} "
            f"(huidige rol: {actor.role})"
        )
    return found
