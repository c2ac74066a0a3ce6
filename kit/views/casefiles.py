"""Who may open which of the provider's document files on a case: a sensitive document type
(kit's vocabulary: VOG, diplomas, registrations, contracts, the Bibob questionnaire) is for
toezicht, Bibob material also for the Bibob officials (as kit.screening.policy has it for their
findings); every other document for every role. Checked where a file is listed and where it is
served (kit.services.files)."""

from __future__ import annotations

from typing import Any

from kit.screening.policy import JUDGES, MAY, SUPERVISOR
from kit.store import Store
from kit.vocab.vocabulary import vocabulary

BIBOB_MATERIAL = ("bibob-vragenlijst", "bibob")  # the questionnaire and the investigation's papers


def categories() -> list[str]:
    """What a document file can be filed as: the vocabulary's document types and Bibob."""
    return [*vocabulary().document_types, "bibob"]


def category_label(code: str) -> str:
    return "Bibob-onderzoek" if code == "bibob" else vocabulary().document_label(code)


def may_open(role: str, category: str) -> bool:
    """Whether `role` may open a file of this category (served where the file is served)."""
    if category in BIBOB_MATERIAL:
        return role in (SUPERVISOR, *JUDGES["bibob"])
    if vocabulary().is_sensitive_document(category):
        return role == SUPERVISOR
    return True


def may_add(role: str, category: str) -> bool:
    """Whether `role` may add a file of this category: who records what arrives (the policy's
    `documents`), Bibob material also the Bibob officials; never what the role may not open."""
    adders = (
        (*MAY["documents"], *JUDGES["bibob"]) if category in BIBOB_MATERIAL else MAY["documents"]
    )
    return role in adders and may_open(role, category)


def visible_files(store: Store, submission_pk: int, role: str) -> list[dict[str, Any]]:
    """The submission's files this role may open, for the page."""
    return [
        {
            "id": f.id,
            "filename": f.filename,
            "category": f.category,
            "label": category_label(f.category),
            "round": f.round,
            "added_by": f.added_by,
        }
        for f in store.case_files(submission_pk)
        if may_open(role, f.category)
    ]
