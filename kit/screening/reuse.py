"""Reuse of documents the region already has (M2): a case names an earlier screening of the
same provider (`reuse_of: SCR-…`) instead of sending a document again. The stored document
of that type is taken over with its dates, so the rules judge whether it is still valid on
the new date, and the finding names the earlier screening as evidence."""

from __future__ import annotations

from collections.abc import Mapping

from kit.case.checks import document_holders
from kit.case.models import Case
from kit.case.stored import stored_json
from kit.errors import CaseError


def resolve_reuse(case: Case, earlier: Mapping[str, tuple[str, str]] | None, source: str) -> Case:
    """The case with every reused document filled in from the earlier screenings it names
    (`earlier`: per code as the case gives it, the screening's code and stored case, as
    kit.views.history.reused_cases reads them; None without a store); unknown or foreign
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
            if earlier is None:
                raise CaseError(
                    f"{path}: hergebruik vraagt de opgeslagen screeningen (geen database)"
                )
            if doc["reuse_of"] not in earlier:
                raise CaseError(f"{path}: screening {doc['reuse_of']!r} bestaat niet")
            code, stored_case_json = earlier[doc["reuse_of"]]
            case_json = stored_json(stored_case_json, f"screening {code}, veld case_json")
            before = case_json["submission"]
            if before["provider"]["kvk"] != sub.provider.kvk:
                raise CaseError(
                    f"{path}: screening {doc['reuse_of']} is van een andere aanbieder "
                    f"(KvK {before['provider']['kvk']})"
                )
            stored = [
                d
                for _, holder in document_holders(before)
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
