"""Reviewer decisions as records, applied to a case before it is screened.

A content judgement (inhoud) covers the documents it was made on; a comply-or-explain
decision (uitleg) covers the explanation text it was made on. A new document or a new
explanation in a later round is therefore unjudged again, as a reviewer would expect.
The latest decision for the same thing wins; earlier ones stay in the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from kit.case import Case, document_holders
from kit.errors import KitError
from kit.rules.loader import RuleSet
from kit.rules.model import DocumentRule
from kit.store.tables import DecisionRow

KINDS = {"inhoud": "inhoudelijk oordeel", "uitleg": "besluit over pas toe of leg uit"}
JUDGEMENTS = ("voldoende", "onvoldoende")


def decidable(ruleset: RuleSet, kind: str) -> list[str]:
    """Document types a decision of `kind` can be about, from the rule data."""
    rules = ruleset.of_kind(DocumentRule)
    if kind == "inhoud":
        return sorted({r.document for r in rules if r.content_review})
    return sorted({r.document for r in rules if r.explainable})


def decision_subject(case: Case, ruleset: RuleSet, kind: str, requirement: str) -> str:
    """What the decision is about in this case; a Dutch error when there is nothing to decide."""
    allowed = decidable(ruleset, kind)
    if requirement not in allowed:
        raise KitError(f"{requirement!r}: over deze eis gaat geen {KINDS[kind]}; mogelijk: {', '.join(allowed)}")
    sub = case.submission
    if kind == "inhoud":
        ids = sorted(d.id for d in sub.all_documents() if d.type == requirement)
        if not ids:
            raise KitError(f"inschrijving {sub.id}: er is geen document van soort {requirement!r} om te beoordelen")
        return json.dumps(ids)
    texts = [e.text for e in sub.explanations if e.requirement == requirement]
    if not texts:
        raise KitError(f"inschrijving {sub.id}: er is geen uitleg (pas toe of leg uit) voor {requirement!r}")
    return texts[0]


def apply_decisions(case: Case, decisions: Iterable[DecisionRow]) -> Case:
    """The case with the latest decisions written into its documents and explanations."""
    content: dict[str, tuple[str, str]] = {}
    explained: dict[tuple[str, str], tuple[str, str]] = {}
    for decision in decisions:  # in recording order: later ones overwrite
        if decision.kind == "inhoud":
            for doc_id in json.loads(decision.subject or "[]"):
                content[doc_id] = (decision.judgement, decision.note)
        elif decision.kind == "uitleg":
            explained[(decision.requirement, decision.subject)] = (decision.judgement, decision.note)
    if not content and not explained:
        return case
    data = case.to_json_data()
    sub = data["submission"]
    for _, holder in document_holders(sub):
        for doc in holder.get("documents", []):
            if doc["id"] in content:
                doc["assessment"], doc["assessment_note"] = content[doc["id"]]
    for expl in sub.get("explanations", []):
        key = (expl["requirement"], expl["text"])
        if key in explained:
            expl["decision"], expl["decision_note"] = explained[key]
    return Case.model_validate(data)
