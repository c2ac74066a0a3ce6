"""Decisions by people as records, applied to a case before it is screened.

Each kind of decision covers exactly what it was made on, so a changed submission is unjudged
again, as a reviewer would expect:
- inhoud (content judgement): the documents it was made on, by id;
- uitleg (comply or explain, Q11): the explanation text;
- zelfreiniging (self-cleaning, E4): the declarations of the ground with that self-cleaning text;
- verklaring (a self-declaration answer changed since the previous round, E7): the new answer;
- bibob: the Bibob outcome the Bibob officials recorded (status, outcome, date, reference);
- steekproef: a staff credential toezicht checked at its source (C2), per staff member and
  credential.
The latest decision for the same thing wins; earlier ones stay in the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kit.case.checks import document_holders
from kit.case.models import Case
from kit.case.stored import stored_json
from kit.errors import AccessDenied, KitError
from kit.kinds.diploma_level import DiplomaRule
from kit.kinds.document import DocumentRule
from kit.rules.loader import RuleSet
from kit.screening.policy import JUDGES
from kit.vocab.vocabulary import vocabulary

KINDS = {
    "inhoud": "inhoudelijk oordeel",
    "uitleg": "besluit over pas toe of leg uit",
    "zelfreiniging": "oordeel over zelfreiniging",
    "verklaring": "oordeel over een gewijzigde eigen verklaring",
    "bibob": "Bibob-uitkomst",
    "steekproef": "controle van een bewijsstuk bij de bron",
}
JUDGEMENTS = ("voldoende", "onvoldoende")


@dataclass(frozen=True)
class Decidable:
    """What a decision of a kind can be about in a rule set, and who may record it."""

    requirements: list[str]
    roles: tuple[str, ...]


def decidable(ruleset: RuleSet, kind: str, requirement: str | None = None) -> Decidable:
    """The requirements a decision of `kind` can be about, from the rule data, and the roles that
    may record it. Sensitive material (staff documents, self-declarations) is judged by toezicht."""
    vocab = vocabulary()
    if kind == "inhoud":
        types = {r.document for r in ruleset.of_kind(DocumentRule) if r.content_review}
        if any(r.evc_providers for r in ruleset.of_kind(DiplomaRule)):
            types.add("evc-certificaat")
        sensitive = requirement is not None and vocab.is_sensitive_document(requirement)
        return Decidable(sorted(types), JUDGES["inhoud-gevoelig" if sensitive else "inhoud"])
    if kind == "uitleg":
        return Decidable(
            sorted({r.document for r in ruleset.of_kind(DocumentRule) if r.explainable}),
            JUDGES["uitleg"],
        )
    if kind in ("zelfreiniging", "verklaring"):
        return Decidable(sorted(vocab.exclusion_grounds), JUDGES[kind])
    if kind == "bibob":
        return Decidable(["bibob"], JUDGES["bibob"])
    if kind == "steekproef":  # C2: staff credentials are sensitive
        return Decidable(list(vocab.credential_kinds), JUDGES["steekproef"])
    raise KitError(f"onbekende soort beslissing {kind!r}; bekend: {', '.join(KINDS)}")


def check_role(kind: str, requirement: str, role: str, ruleset: RuleSet) -> None:
    allowed = decidable(ruleset, kind, requirement).roles
    if role not in allowed:
        raise AccessDenied(
            f"een {KINDS[kind]} over {requirement} is voorbehouden aan de rol "
            f"{' of '.join(allowed)} (huidige rol: {role})"
        )


def decision_subject(
    case: Case,
    ruleset: RuleSet,
    kind: str,
    requirement: str,
    open_changes: Iterable[tuple[str, str]] = (),
) -> str:
    """What the decision is about in this case (stored with it); a Dutch error when there is
    nothing to decide. `open_changes` are the (ground, subject) pairs whose changed answer the
    latest screening put to a judgement (E7)."""
    allowed = decidable(ruleset, kind, requirement).requirements
    if requirement not in allowed:
        raise KitError(
            f"{requirement!r}: over deze eis gaat geen {KINDS[kind]}; "
            f"mogelijk: {', '.join(allowed)}"
        )
    sub = case.submission
    if kind == "inhoud":
        ids = sorted(d.id for d in sub.all_documents() if d.type == requirement)
        if not ids:
            raise KitError(
                f"inschrijving {sub.id}: "
                f"er is geen document van soort {requirement!r} om te beoordelen"
            )
        return json.dumps(ids)
    if kind == "uitleg":
        texts = [e.text for e in sub.explanations if e.requirement == requirement]
        if not texts:
            raise KitError(
                f"inschrijving {sub.id}: "
                f"er is geen uitleg (pas toe of leg uit) voor {requirement!r}"
            )
        return texts[0]
    if kind == "zelfreiniging":
        pairs = sorted(
            (d.subject, d.self_cleaning)
            for d in sub.declarations
            if d.ground == requirement and d.answer and d.self_cleaning
        )
        if not pairs:
            raise KitError(
                f"inschrijving {sub.id}: "
                f"de eigen verklaring noemt bij {requirement!r} geen maatregelen "
                "tot zelfreiniging om te beoordelen"
            )
        return json.dumps(pairs, ensure_ascii=False)
    changed = {subject for ground, subject in open_changes if ground == requirement}
    pairs = sorted(
        (d.subject, d.signature())
        for d in sub.declarations
        if d.ground == requirement and d.subject in changed
    )
    if not pairs:
        raise KitError(
            f"inschrijving {sub.id}: "
            f"de laatste screening legt bij {requirement!r} geen gewijzigde eigen "
            "verklaring ter beoordeling voor"
        )
    return json.dumps(pairs, ensure_ascii=False)


def bibob_subject(status: str, outcome: str | None, decided_on: str, reference: str) -> str:
    """What a recorded Bibob outcome says, as stored with the decision."""
    return json.dumps(
        {"status": status, "outcome": outcome, "decided_on": decided_on, "reference": reference},
        ensure_ascii=False,
        sort_keys=True,
    )


# Over 60 lines: one pass collects the latest decision of each kind (one branch per kind, later
# ones overwrite), then writes them into the case; split, that order would be harder to see.
def apply_decisions(case: Case, decisions: Iterable[Any]) -> Case:
    """The case with the latest decisions written into it (documents, explanations,
    declarations, the Bibob outcome)."""
    content: dict[str, tuple[str, str, bool]] = {}
    explained: dict[tuple[str, str], tuple[str, str, bool]] = {}
    cleaning: dict[tuple[str, str, str], tuple[str, str]] = {}
    changes: dict[tuple[str, str, str], tuple[str, str]] = {}
    bibob: dict[str, Any] | None = None
    checks: dict[tuple[str, str], dict[str, Any]] = {}
    for decision in decisions:  # in recording order: later ones overwrite
        shared = bool(getattr(decision, "shared", False))
        if decision.kind == "inhoud":
            for doc_id in stored_json(decision.subject, f"besluit {decision.id}, veld subject", []):
                content[doc_id] = (decision.judgement, decision.note, shared)
        elif decision.kind == "uitleg":
            explained[(decision.requirement, decision.subject)] = (
                decision.judgement,
                decision.note,
                shared,
            )
        elif decision.kind == "zelfreiniging":
            for subject, text in stored_json(
                decision.subject, f"besluit {decision.id}, veld subject", []
            ):
                cleaning[(decision.requirement, subject, text)] = (
                    decision.judgement,
                    decision.note,
                )
        elif decision.kind == "verklaring":
            for subject, signature in stored_json(
                decision.subject, f"besluit {decision.id}, veld subject", []
            ):
                changes[(decision.requirement, subject, signature)] = (
                    decision.judgement,
                    decision.note,
                )
        elif decision.kind == "bibob":
            bibob = stored_json(decision.subject, f"besluit {decision.id}, veld subject", {})
        elif decision.kind == "steekproef":
            check = stored_json(decision.subject, f"besluit {decision.id}, veld subject", {})
            checks[(check["staff"], check["credential"])] = check | {"outcome": decision.judgement}
    if not (content or explained or cleaning or changes or bibob or checks):
        return case
    data = case.to_json_data()
    sub = data["submission"]
    for _, holder in document_holders(sub):
        for doc in holder.get("documents", []):
            if doc["id"] in content:
                doc["assessment"], doc["assessment_note"], doc["assessment_shared"] = content[
                    doc["id"]
                ]
    for expl in sub.get("explanations", []):
        key = (expl["requirement"], expl["text"])
        if key in explained:
            expl["decision"], expl["decision_note"], expl["decision_shared"] = explained[key]
    for decl, parsed in zip(sub.get("declarations", []), case.submission.declarations, strict=True):
        ground, subject = parsed.ground, parsed.subject
        if parsed.self_cleaning and (ground, subject, parsed.self_cleaning) in cleaning:
            decl["self_cleaning_decision"], decl["self_cleaning_note"] = cleaning[
                (ground, subject, parsed.self_cleaning)
            ]
        if (ground, subject, parsed.signature()) in changes:
            decl["change_decision"], decl["change_note"] = changes[
                (ground, subject, parsed.signature())
            ]
    if checks:  # C2: the latest check of each credential of a staff member still declared
        staff = {member["id"] for member in sub.get("staff", [])}
        sub["verifications"] = [
            check for (member, _), check in sorted(checks.items()) if member in staff
        ] or None
    if bibob is not None:
        sub["bibob"] = {
            key: value
            for key, value in (
                ("status", bibob["status"]),
                ("outcome", bibob["outcome"]),
                ("decided_on", bibob["decided_on"]),
                ("reference", bibob["reference"]),
            )
            if value
        }
    return Case.model_validate(data)
