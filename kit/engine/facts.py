"""A case as flat facts for the Rete network, with measurements taken at the as-of date.

The engine never does date arithmetic or joins on dates inside durable_rules (relational
joins between facts crash the library): each dated fact carries its age in whole months at
the as-of date, and rules compare that with the constants from the rule files. Counts the
rule set asks for (declarable care workers per group of lots) are measured here as well.
Every fact has a unique `key` (never `id`: durable_rules treats that as identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kit.case.history import Prior
from kit.case.models import Submission
from kit.engine.messages import answer_text
from kit.vocab.vocabulary import Vocabulary

Fact = dict[str, Any]


@dataclass(frozen=True)
class Counter:
    """A count the rule set needs on the end marker: the active lots among `lots` (in one of
    `roles`, when given), or with `workers` the declarable care workers serving one of them."""

    name: str
    lots: frozenset[str]
    roles: frozenset[str] | None = None
    workers: bool = True


def months_between(start: date, end: date) -> int:
    """kit.dates.months_between in closed form (no month arithmetic per candidate month): the
    months from start's month to end's, plus one when start's day of the month is earlier than
    end's (a day clamped to a month's end is never below end's day). Facts measure several ages
    each; the differential test holds this to the reference's use of kit.dates."""
    if end <= start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + (start.day < end.day)


def _bool(value: bool | None) -> str:
    return "onbekend" if value is None else ("ja" if value else "nee")


def _future(issued_on: date | None, day: date) -> str:
    """A document, VOG or diploma dated after the day it is measured on is no evidence."""
    return "ja" if issued_on is not None and issued_on > day else "nee"


def _doc_fact(doc: Any, as_of: date, owner: str, location: str | None, staff: str | None) -> Fact:
    day = doc.received_on or as_of  # a document that arrived later is measured on its arrival
    fact: Fact = {
        "t": "doc",
        "key": f"doc:{doc.id}",
        "doc_id": doc.id,
        "type": doc.type,
        "owner": owner,
        "assessment": doc.assessment or "geen",
        "complete": _bool(doc.complete),
        "note": doc.assessment_note or "",
        "shared": bool(doc.assessment_shared),
        "measured_on": day.isoformat(),
        "future": _future(doc.issued_on, day),
    }
    if doc.issued_on is not None:
        fact["issued_on"] = doc.issued_on.isoformat()
        fact["age_months"] = months_between(doc.issued_on, day)
    if doc.covers_year is not None:
        fact["covers_year"] = doc.covers_year
        fact["years_back"] = day.year - doc.covers_year
    # Always present: durable_rules matches no comparison on a missing field.
    fact["expired"] = "ja" if doc.valid_until is not None and doc.valid_until < day else "nee"
    fact["doc_label"] = doc.id
    if doc.reuse_of is not None:
        fact["reuse_of"] = doc.reuse_of
        fact["doc_label"] = f"{doc.id}, hergebruikt uit {doc.reuse_of}"
    if location is not None:
        fact["location"] = location
    if staff is not None:
        fact["staff"] = staff
    return fact


def _is_declarable(member: Any) -> bool:
    """S2: staff in an unfinished EVC trajectory do not count toward any requirement."""
    return bool(member.declarable)


def measures(sub: Submission) -> dict[str, Any]:
    """Risk-analysis inputs (R2) as measurements; a missing input is simply absent."""
    out: dict[str, Any] = {"fte": sub.provider.fte}
    risk = sub.provider.risk
    if risk is not None:
        if risk.turnover and risk.personnel_costs is not None:
            out["personnel_cost_share"] = risk.personnel_costs / risk.turnover
        if risk.turnover and risk.profit is not None:
            out["profit_margin"] = risk.profit / risk.turnover
        if risk.interests_in_care_companies is not None:
            out["interests_in_care_companies"] = risk.interests_in_care_companies
        if risk.real_estate_rented_from_board is not None:
            out["real_estate_rented_from_board"] = risk.real_estate_rented_from_board
    if sub.provider.board and all(m.care_background is not None for m in sub.provider.board):
        out["board_without_care_background"] = sum(
            1 for m in sub.provider.board if not m.care_background
        )
    return out


def prior_facts(prior: Prior) -> list[Fact]:
    """What earlier screenings of the submission found (E7): exclusions that stand or were
    lifted, and the previous round's declaration answers."""
    facts: list[Fact] = []
    for i, excl in enumerate(prior.exclusions):
        facts.append(
            {
                "t": "pexcl",
                "key": f"pexcl:{i}",
                "requirement": excl.requirement,
                "subject": excl.subject,
                "screening": excl.screening,
                "lifted": "ja" if excl.lifted_by else "nee",
                "lifted_by": excl.lifted_by,
                "event_date": excl.event_date,
                "role": excl.role,
            }
        )
    for i, decl in enumerate(prior.declarations):
        facts.append(
            {
                "t": "pdecl",
                "key": f"pdecl:{i}",
                "ground": decl.ground,
                "subject": decl.subject,
                "sig": decl.signature,
                "text": decl.text,
                "screening": decl.screening,
                "role": decl.role,
            }
        )
    return facts


def build_facts(
    sub: Submission,
    as_of: date,
    vocab: Vocabulary,
    care_functions: list[str],
    counters: list[Counter],
    doc_types: frozenset[str] | None = None,
    prior: Prior | None = None,
) -> tuple[list[Fact], Fact]:
    """All facts of one submission, and the end-marker fact asserted after them. The provider
    fact (`prov`) carries what scopes ask about the provider as a whole: legal form, size, the
    as-of date, Bibob, the risk measurements and the counts of lots and workers. With
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

    for code in sorted(active):
        lot = vocab.lots[code]
        facts.append(
            {
                "t": "lot",
                "key": f"lot:{code}",
                "lot": code,
                "domain": lot.domain,
                "subtender": lot.subtender,
                "residential": lot.residential,
                "needs_location": lot.needs_location,
                "role": roles[code],
            }
        )

    for i, decl in enumerate(sub.declarations):
        fact: Fact = {
            "t": "decl",
            "key": f"decl:{i}",
            "ground": decl.ground,
            "answer": decl.answer,
            "sanction": decl.sanction or "vonnis",
            "self_cleaning": decl.self_cleaning is not None,
            "self_cleaning_text": decl.self_cleaning or "",
            "sc_decision": decl.self_cleaning_decision or "geen",
            "sc_note": decl.self_cleaning_note or "",
            "paid_or_arranged": bool(decl.paid_or_arranged),
            "subject": decl.subject,
            "board_role": sub.provider.role_of(decl.subject),
            "sig": decl.signature(),
            "text": answer_text(decl),
            "change_decision": decl.change_decision or "geen",
            "change_note": decl.change_note or "",
        }
        if decl.event_date is not None:
            fact["event_date"] = decl.event_date.isoformat()
            fact["age_months"] = months_between(decl.event_date, as_of)
        facts.append(fact)

    def wanted(docs: list[Any]) -> list[Any]:
        return docs if doc_types is None else [doc for doc in docs if doc.type in doc_types]

    for doc in wanted(sub.documents):
        facts.append(_doc_fact(doc, as_of, "provider", None, None))
    for expl in sub.explanations:
        facts.append(
            {
                "t": "expl",
                "key": f"expl:{expl.requirement}",
                "requirement": expl.requirement,
                "text": expl.text,
                "decision": expl.decision or "geen",
                "note": expl.decision_note or "",
                "shared": bool(expl.decision_shared),
            }
        )

    for loc in sub.locations:
        served = sorted(set(loc.lots) & active)
        if not served:
            continue
        facts.append(
            {
                "t": "loc",
                "key": f"loc:{loc.id}",
                "loc_id": loc.id,
                "residential": any(vocab.lots[code].residential for code in served),
                "maatschappelijke_bestemming": _bool(loc.maatschappelijke_bestemming),
            }
        )
        for code in served:
            facts.append(
                {
                    "t": "locserve",
                    "key": f"locserve:{loc.id}:{code}",
                    "loc_id": loc.id,
                    "lot": code,
                    "role": roles[code],
                }
            )
        for doc in wanted(loc.documents):
            facts.append(_doc_fact(doc, as_of, f"location:{loc.id}", loc.id, None))

    workers: dict[str, set[str]] = {c.name: set() for c in counters}
    for member in sub.staff:
        served = sorted(set(member.lots) & active)
        if not served:
            continue
        declarable = _is_declarable(member)
        care = member.function in care_functions
        day = member.received_on or as_of  # staff data that arrived later is measured on arrival
        evc_due = (
            member.evc.expected_completion.isoformat()
            if member.evc is not None and member.evc.expected_completion
            else None
        )
        staff: Fact = {
            "t": "staff",
            "key": f"staff:{member.id}",
            "staff": member.id,
            "function": member.function,
            "employment": member.employment,
            "client_contact": member.has_client_contact,
            "care": care,
            "declarable": declarable,
            "evc": member.evc.status if member.evc else "geen",
            "owner": member.owner,
            "vog": "ja" if member.vog is not None else "nee",
            "vog_future": _future(member.vog.issued_on if member.vog else None, day),
            # S6: a VOG issued after the start date: the person worked without one.
            "vog_after_start": _future(
                member.vog.issued_on if member.vog else None, member.start_date or date.max
            ),
            "measured_on": day.isoformat(),
        }
        if evc_due:
            staff["evc_due"] = evc_due
        if member.vog is not None:
            staff["vog_issued_on"] = member.vog.issued_on.isoformat()
            staff["vog_age_months"] = months_between(member.vog.issued_on, day)
            if member.vog.document:
                staff["vog_doc"] = member.vog.document
            if member.start_date is not None:
                staff["start_date"] = member.start_date.isoformat()
                staff["vog_months_before_start"] = months_between(
                    member.vog.issued_on, member.start_date
                )
        facts.append(staff)
        for code in served:
            lot = vocab.lots[code]
            asg: Fact = {
                "t": "asg",
                "key": f"asg:{member.id}:{code}",
                "staff": member.id,
                "lot": code,
                "domain": lot.domain,
                "subtender": lot.subtender,
                "residential": lot.residential,
                "needs_location": lot.needs_location,
                "role": roles[code],
                "function": member.function,
                "employment": member.employment,
                "care": care,
                "declarable": declarable,
                "evc": staff["evc"],
            }
            if evc_due:
                asg["evc_due"] = evc_due
            facts.append(asg)
        for j, reg in enumerate(member.registrations):
            kind = vocab.register_kinds[(reg.register_, reg.kind)]
            fact = {
                "t": "reg",
                "key": f"reg:{member.id}:{j}",
                "staff": member.id,
                "register": reg.register_,
                "kind": reg.kind,
                "level_rank": vocab.registration_rank(kind.level),
                "implied_rank": vocab.diploma_rank(kind.implies_diploma)
                if kind.implies_diploma
                else 0,
                # S1: ja (lapsed), nee (shown valid) or onbekend (shows no validity at all).
                "expired": {"geldig": "nee", "verlopen": "ja", "onbekend": "onbekend"}[
                    reg.validity(day, vocab.revalidation_years[reg.register_])
                ],
                "doc_id": reg.document or "",
            }
            facts.append(fact)
            for code in served:
                facts.append(
                    {
                        "t": "areg",
                        "key": f"areg:{member.id}:{j}:{code}",
                        "staff": member.id,
                        "lot": code,
                        "role": roles[code],
                        "function": member.function,
                        "employment": member.employment,
                        "declarable": declarable,
                        "register": reg.register_,
                        "kind": reg.kind,
                        "level_rank": fact["level_rank"],
                        "expired": fact["expired"],
                        "doc_id": fact["doc_id"],
                    }
                )
        for j, dip in enumerate(member.diplomas):
            proof = documents.get(dip.document) if dip.document else None
            facts.append(
                {
                    "t": "dipl",
                    "key": f"dipl:{member.id}:{j}",
                    "staff": member.id,
                    "level": dip.level,
                    "level_rank": vocab.diploma_rank(dip.level),
                    "field": dip.field,
                    "documented": dip.document is not None,
                    "doc_id": dip.document or "",
                    "future": _future(
                        proof.issued_on if proof else None,
                        proof.received_on or day if proof else day,
                    ),
                }
            )
        if member.evc is not None and member.evc.status == "afgerond" and member.evc.certificate:
            cert = documents[member.evc.certificate]
            assert cert.level is not None  # kit.case.models checks a certificate names its level
            facts.append(
                {
                    "t": "evc",
                    "key": f"evc:{member.id}",
                    "staff": member.id,
                    "level": cert.level,
                    "level_rank": vocab.diploma_rank(cert.level),
                    "provider": cert.evc_provider or "",
                    "doc_id": cert.id,
                    "future": _future(cert.issued_on, cert.received_on or day),
                    "assessment": cert.assessment or "geen",
                    "note": cert.assessment_note or "",
                }
            )
        for doc in wanted(member.documents):
            facts.append(_doc_fact(doc, as_of, f"staff:{member.id}", None, member.id))
        if care and declarable:
            for counter in counters:
                if counted[counter.name] & set(served):
                    workers[counter.name].add(member.id)

    provider: Fact = {
        "t": "prov",
        "key": "prov",
        "as_of": as_of.isoformat(),
        "legal_form": sub.provider.legal_form,
        "employees": sub.provider.employees,
        # E5: only a finished investigation has an outcome; an open one stays open (blocks).
        "bibob": "niet-gestart"
        if sub.bibob is None
        else (sub.bibob.outcome if sub.bibob.status == "afgerond" else sub.bibob.status),
        "recruiting": sub.recruiting_gedragswetenschapper,
        "bibob_decided_on": sub.bibob.decided_on.isoformat()
        if sub.bibob and sub.bibob.decided_on
        else "",
        "bibob_reference": sub.bibob.reference or "" if sub.bibob else "",
    }
    provider.update(measures(sub))
    for counter in counters:
        provider[counter.name] = len(
            workers[counter.name] if counter.workers else counted[counter.name]
        )
    facts.append(provider)
    return facts, {"t": "end", "key": "end"}
