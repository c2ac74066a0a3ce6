"""Judgements a repair round's case file may not carry. A reviewer judges a document's content
in kit (kit assess, the web application), where it is recorded with who and when; a document
keeps that judgement by its id. So a later round's file may not give a document an other
judgement than it had, nor bring a new document in already judged: either would let what a
provider sends approve itself (Q1-Q3 need a reviewer's judgement)."""

from __future__ import annotations

from collections.abc import Iterable

from kit.case.models import JUDGEMENT_FIELDS, Case, Document
from kit.errors import CaseError
from kit.screening.prior import Earlier
from kit.validation import joined


def refuse_sent_judgements(case: Case, earlier: Iterable[Earlier], source: str) -> None:
    """Raise one Dutch CaseError naming every document path that carries a judgement it may not
    (`earlier`: the submission's earlier screenings, their cases as stored). A document may
    carry a judgement it carried in an earlier screening (the portal's export, or the one kit
    recorded); not another one, and a new document none. Round 0 (the submission as the portal
    exports it) is not checked, nor a document reused from an earlier screening (it brings that
    screening's judgement)."""
    sub = case.submission
    if sub.round == 0:
        return
    judged: dict[str, list[tuple[Judgement, str]]] = {}
    for screening in earlier:
        for doc in screening.case.submission.all_documents():
            judged.setdefault(doc.id, []).append((_judgement(doc), screening.code))
    problems = [
        f"{path}: {problem}"
        for path, doc in _documents_with_paths(case)
        if not doc.reuse_of and (problem := _problem(doc, judged.get(doc.id, []), sub.round))
    ]
    if problems:
        raise CaseError(f"{source}: {joined(problems)}" if source else joined(problems))


Judgement = tuple[str | None, str, bool]  # assessment, its note, shared with the provider


def _judgement(doc: Document) -> Judgement:
    return doc.assessment, doc.assessment_note or "", bool(doc.assessment_shared)


def _problem(doc: Document, before: list[tuple[Judgement, str]], round_no: int) -> str:
    sent = [field for field in JUDGEMENT_FIELDS if getattr(doc, field) is not None]
    if not sent:
        return ""
    if not before:
        return (
            f"document {doc.id!r} komt in herstelronde {round_no} binnen en heeft nog geen "
            f"oordeel ({', '.join(sent)}); een beoordelaar legt het vast in kit (kit assess of "
            "de webapplicatie)"
        )
    if any(_judgement(doc) == judgement for judgement, _ in before):
        return ""
    (assessment, _, _), code = before[-1]
    if doc.assessment == assessment:
        return (
            f"document {doc.id!r}: de toelichting bij het oordeel, of het delen ervan met de "
            f"aanbieder, wijkt af van {code}; dat legt een beoordelaar vast in kit (kit assess), "
            "niet het bestand"
        )
    earlier = f"beoordeeld als {assessment}" if assessment else "nog niet beoordeeld"
    return (
        f"document {doc.id!r} was in {code} {earlier}; een ander oordeel legt een beoordelaar "
        "vast in kit (kit assess), niet het bestand, en een nieuwe versie krijgt een nieuw id"
    )


def _documents_with_paths(case: Case) -> list[tuple[str, Document]]:
    """Each document with the path of its `assessment` in the case file."""
    sub = case.submission
    holders = [("submission", sub.documents)]
    holders += [
        (f"submission.locations[{i}]", loc.documents) for i, loc in enumerate(sub.locations)
    ]
    holders += [(f"submission.staff[{i}]", m.documents) for i, m in enumerate(sub.staff)]
    return [
        (f"{where}.documents[{j}].assessment", doc)
        for where, docs in holders
        for j, doc in enumerate(docs)
    ]
