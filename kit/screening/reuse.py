"""Reuse of documents the region already has (M2): a case names an earlier screening of the
same provider (`reuse_of: SCR-…`) instead of sending a document again. The stored document
of that type is taken over with its dates, so the rules judge whether it is still valid on
the new date, and the finding names the earlier screening as evidence."""

from __future__ import annotations

from kit.case.checks import document_holders
from kit.case.models import Case
from kit.case.stored import stored_json
from kit.errors import CaseError, KitError
from kit.store import Store


def resolve_reuse(case: Case, store: Store | None, source: str) -> Case:
    """The case with every reused document filled in from the store; unknown or foreign
    screenings, and screenings without such a document, are Dutch errors naming the path."""
    sub = case.submission
    if not any(doc.reuse_of for doc in sub.all_documents()):
        return case
    data = case.to_json_data()
    for where, container in document_holders(data["submission"]):
        for j, doc in enumerate(container.get("documents", [])):
            if not doc.get("reuse_of"):
                continue
            path = f"{source}: {where}.documents[{j}].reuse_of"
            if store is None:
                raise CaseError(
                    f"{path}: hergebruik vraagt de opgeslagen screeningen (geen database)"
                )
            try:
                screening = store.screening(doc["reuse_of"])
            except KitError:
                raise CaseError(f"{path}: screening {doc['reuse_of']!r} bestaat niet") from None
            case_json = stored_json(
                screening.case_json, f"screening {screening.code}, veld case_json"
            )
            earlier = case_json["submission"]
            if earlier["provider"]["kvk"] != sub.provider.kvk:
                raise CaseError(
                    f"{path}: screening {doc['reuse_of']} is van een andere aanbieder "
                    f"(KvK {earlier['provider']['kvk']})"
                )
            stored = [
                d
                for _, holder in document_holders(earlier)
                for d in holder.get("documents", [])
                if d["type"] == doc["type"]
            ]
            if not stored:
                raise CaseError(f"{path}: screening {doc['reuse_of']} bevat geen {doc['type']}")
            chosen = max(stored, key=lambda d: d.get("issued_on") or "")
            for field in ("issued_on", "valid_until", "complete", "assessment", "assessment_note"):
                if field in chosen and field not in doc:
                    doc[field] = chosen[field]
    return Case.model_validate(data)
