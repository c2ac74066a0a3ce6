"""A case as flat facts for the Rete network, with measurements taken at the as-of date.

The engine never does date arithmetic or joins on dates inside durable_rules (relational
joins between facts crash the library): each dated fact carries its age in whole months at
the as-of date, and rules compare that with the constants from the rule files. Counts the
rule set asks for (declarable care workers per group of lots) are measured here as well.

This module walks the case in a fixed order and calls one builder per fact type
(kit/engine/case_facts.py, kit/engine/staff_facts.py), each declaring the fields it makes
(kit.engine.fact_types); a kind that needs a new input extends a builder, not this walk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from kit.case.history import Prior
from kit.case.models import Submission
from kit.engine.case_facts import (
    declaration_fact,
    document_fact,
    end_fact,
    explanation_fact,
    location_fact,
    location_serves_fact,
    lot_fact,
    prior_facts,
    provider_fact,
)
from kit.engine.fact_types import FIELDS, Counter, Fact
from kit.engine.staff_facts import (
    assignment_fact,
    diploma_fact,
    evc_fact,
    lot_registration_fact,
    registration_fact,
    staff_fact,
)
from kit.vocab.vocabulary import Vocabulary

__all__ = ["Counter", "Fact", "build_facts", "fields_made"]

Wanted = Callable[[list[Any]], list[Any]]


def build_facts(
    sub: Submission,
    as_of: date,
    vocab: Vocabulary,
    care_functions: list[str],
    counters: list[Counter],
    doc_types: frozenset[str] | None = None,
    prior: Prior | None = None,
) -> tuple[list[Fact], Fact]:
    """All facts of one submission, and the end-marker fact asserted after them. With
    `doc_types`, documents of other types (that no rule asks for) are left out. `prior` is what
    earlier screenings of the same submission found (kit.screening.prior)."""
    facts: list[Fact] = prior_facts(prior) if prior else []
    documents = {doc.id: doc for doc in sub.all_documents()}
    active = set(sub.active_lots())
    roles: dict[str, str] = {reg.lot: reg.role for reg in sub.lots}
    counted = {
        c.name: {
            code
            for code in active
            if code in c.lots and (c.roles is None or roles[code] in c.roles)
        }
        for c in counters
    }

    def wanted(docs: list[Any]) -> list[Any]:
        return docs if doc_types is None else [doc for doc in docs if doc.type in doc_types]

    facts += [lot_fact(code, vocab.lots[code], roles[code]) for code in sorted(active)]
    facts += [declaration_fact(i, decl, sub, as_of) for i, decl in enumerate(sub.declarations)]
    facts += [document_fact(doc, as_of, "provider", None, None) for doc in wanted(sub.documents)]
    facts += [explanation_fact(expl) for expl in sub.explanations]
    for loc in sub.locations:
        served = sorted(set(loc.lots) & active)
        if not served:
            continue
        facts.append(location_fact(loc, any(vocab.lots[code].residential for code in served)))
        facts += [location_serves_fact(loc.id, code, roles[code]) for code in served]
        owner = f"location:{loc.id}"
        facts += [document_fact(doc, as_of, owner, loc.id, None) for doc in wanted(loc.documents)]

    workers: dict[str, set[str]] = {c.name: set() for c in counters}
    for member in sub.staff:
        served = sorted(set(member.lots) & active)
        if not served:
            continue
        staff = _member_facts(
            member, served, documents, as_of, vocab, care_functions, roles, wanted
        )
        facts += staff
        if staff[0]["care"] and staff[0]["declarable"]:
            for counter in counters:
                if counted[counter.name] & set(served):
                    workers[counter.name].add(member.id)

    counts = {c.name: len(workers[c.name] if c.workers else counted[c.name]) for c in counters}
    facts.append(provider_fact(sub, as_of, counts))
    return facts, end_fact()


def _member_facts(
    member: Any,
    served: Sequence[str],
    documents: dict[str, Any],
    as_of: date,
    vocab: Vocabulary,
    care_functions: list[str],
    roles: dict[str, str],
    wanted: Wanted,
) -> list[Fact]:
    """A staff member serving `served` lots: the member first, then per lot, registrations,
    diplomas, the EVC certificate and the member's documents."""
    day = member.received_on or as_of  # staff data that arrived later is measured on arrival
    # S2: staff in an unfinished EVC trajectory do not count toward any requirement.
    staff = staff_fact(member, member.function in care_functions, bool(member.declarable), day)
    facts = [staff]
    facts += [assignment_fact(staff, code, vocab.lots[code], roles[code]) for code in served]
    for j, reg in enumerate(member.registrations):
        registration = registration_fact(member.id, j, reg, day, vocab)
        facts.append(registration)
        facts += [
            lot_registration_fact(j, registration, staff, code, roles[code]) for code in served
        ]
    for j, dip in enumerate(member.diplomas):
        proof = documents.get(dip.document) if dip.document else None
        facts.append(diploma_fact(member.id, j, dip, proof, day, vocab))
    evc = member.evc
    if evc is not None and evc.status == "afgerond" and evc.certificate:
        facts.append(evc_fact(member.id, documents[evc.certificate], day, vocab))
    owner = f"staff:{member.id}"
    facts += [document_fact(doc, as_of, owner, None, member.id) for doc in wanted(member.documents)]
    return facts


def fields_made(counters: Iterable[Counter] = ()) -> dict[str, frozenset[str]]:
    """Per fact type, the fields its builder makes; the provider fact also carries the counts
    a compiled rule set asks for (kit.engine.compiler.Compiler.counter)."""
    made = dict(FIELDS)  # complete: this module imports every builder
    made["prov"] = made["prov"] | {counter.name for counter in counters}
    return made
