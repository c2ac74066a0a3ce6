"""The facts of a case's own parts: lots, declarations, documents, explanations, locations, the
provider, and what earlier screenings found. One builder per fact type, each declaring the
fields it makes (kit.engine.fact_types)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kit.case.history import Prior
from kit.case.models import Submission
from kit.engine.fact_types import Fact, builds, future, months_between, yes_no
from kit.engine.messages import answer_text
from kit.vocab.vocabulary import Lot

LOT_FIELDS = ("lot", "domain", "subtender", "residential", "needs_location", "role")


@builds(
    "pexcl", ("requirement", "subject", "screening", "lifted", "lifted_by", "event_date", "role")
)
def prior_exclusion_fact(i: int, excl: Any) -> Fact:
    """An exclusion an earlier screening of the submission found (E7), lifted or standing."""
    return {
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


@builds("pdecl", ("ground", "subject", "sig", "text", "screening", "role"))
def prior_declaration_fact(i: int, decl: Any) -> Fact:
    """A declaration answer of the previous round (E7)."""
    return {
        "t": "pdecl",
        "key": f"pdecl:{i}",
        "ground": decl.ground,
        "subject": decl.subject,
        "sig": decl.signature,
        "text": decl.text,
        "screening": decl.screening,
        "role": decl.role,
    }


def prior_facts(prior: Prior) -> list[Fact]:
    """What earlier screenings of the submission found (E7): exclusions that stand or were
    lifted, and the previous round's declaration answers."""
    return [prior_exclusion_fact(i, excl) for i, excl in enumerate(prior.exclusions)] + [
        prior_declaration_fact(i, decl) for i, decl in enumerate(prior.declarations)
    ]


def lot_values(code: str, lot: Lot, role: str) -> Fact:
    """What a lot fact says of the lot (LOT_FIELDS); an assignment repeats it."""
    return {
        "lot": code,
        "domain": lot.domain,
        "subtender": lot.subtender,
        "residential": lot.residential,
        "needs_location": lot.needs_location,
        "role": role,
    }


@builds("lot", LOT_FIELDS)
def lot_fact(code: str, lot: Lot, role: str) -> Fact:
    return {"t": "lot", "key": f"lot:{code}", **lot_values(code, lot, role)}


@builds(
    "decl",
    (
        *("ground", "answer", "sanction", "self_cleaning", "self_cleaning_text", "sc_decision"),
        *("sc_note", "paid_or_arranged", "subject", "board_role", "sig", "text"),
        *("change_decision", "change_note", "event_date", "age_months"),
    ),
)
def declaration_fact(i: int, decl: Any, sub: Submission, as_of: date) -> Fact:
    """A self-declaration answer, with the age of the event it names."""
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
    return fact


@builds(
    "doc",
    (
        *("doc_id", "type", "owner", "assessment", "complete", "note", "shared", "measured_on"),
        *("future", "issued_on", "age_months", "covers_year", "years_back", "expired"),
        *("doc_label", "reuse_of", "location", "staff"),
    ),
)
def document_fact(
    doc: Any, as_of: date, owner: str, location: str | None, staff: str | None
) -> Fact:
    """A document of the provider, a location or a staff member, measured on its arrival."""
    day = doc.received_on or as_of  # a document that arrived later is measured on its arrival
    fact: Fact = {
        "t": "doc",
        "key": f"doc:{doc.id}",
        "doc_id": doc.id,
        "type": doc.type,
        "owner": owner,
        "assessment": doc.assessment or "geen",
        "complete": yes_no(doc.complete),
        "note": doc.assessment_note or "",
        "shared": bool(doc.assessment_shared),
        "measured_on": day.isoformat(),
        "future": future(doc.issued_on, day),
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


@builds("expl", ("requirement", "text", "decision", "note", "shared"))
def explanation_fact(expl: Any) -> Fact:
    """A provider's explanation why a requirement does not apply, with the reviewer's view."""
    return {
        "t": "expl",
        "key": f"expl:{expl.requirement}",
        "requirement": expl.requirement,
        "text": expl.text,
        "decision": expl.decision or "geen",
        "note": expl.decision_note or "",
        "shared": bool(expl.decision_shared),
    }


@builds("loc", ("loc_id", "residential", "maatschappelijke_bestemming"))
def location_fact(loc: Any, residential: bool) -> Fact:
    return {
        "t": "loc",
        "key": f"loc:{loc.id}",
        "loc_id": loc.id,
        "residential": residential,
        "maatschappelijke_bestemming": yes_no(loc.maatschappelijke_bestemming),
    }


@builds("locserve", ("loc_id", "lot", "role"))
def location_serves_fact(loc_id: str, code: str, role: str) -> Fact:
    """A location serving one active lot."""
    return {
        "t": "locserve",
        "key": f"locserve:{loc_id}:{code}",
        "loc_id": loc_id,
        "lot": code,
        "role": role,
    }


# Risk-analysis inputs (R2), on the provider fact when the case gives them.
MEASURES = (
    *("fte", "personnel_cost_share", "profit_margin", "interests_in_care_companies"),
    *("real_estate_rented_from_board", "board_without_care_background"),
)


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


@builds(
    "prov",
    (
        *("as_of", "legal_form", "employees", "bibob", "recruiting", "bibob_decided_on"),
        *("bibob_reference", *MEASURES),
    ),
)
def provider_fact(sub: Submission, as_of: date, counts: dict[str, int]) -> Fact:
    """What scopes ask about the provider as a whole: legal form, size, the as-of date, Bibob,
    the risk measurements and the counts of lots and workers (kit.engine.fact_types.Counter)."""
    bibob = sub.bibob
    provider: Fact = {
        "t": "prov",
        "key": "prov",
        "as_of": as_of.isoformat(),
        "legal_form": sub.provider.legal_form,
        "employees": sub.provider.employees,
        # E5: only a finished investigation has an outcome; an open one stays open (blocks).
        "bibob": "niet-gestart"
        if bibob is None
        else (bibob.outcome if bibob.status == "afgerond" else bibob.status),
        "recruiting": sub.recruiting_gedragswetenschapper,
        "bibob_decided_on": bibob.decided_on.isoformat() if bibob and bibob.decided_on else "",
        "bibob_reference": bibob.reference or "" if bibob else "",
    }
    provider.update(measures(sub))
    provider.update(counts)
    return provider


@builds("end", ())
def end_fact() -> Fact:
    """The end marker, asserted after every other fact: productions that need the whole case
    (absences, counts) fire on it."""
    return {"t": "end", "key": "end"}
