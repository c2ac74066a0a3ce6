"""The facts of a staff member: the member, their assignment to each lot they serve, their
registrations (also per lot), diplomas and EVC certificate. One builder per fact type, each
declaring the fields it makes (kit.engine.fact_types)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kit.engine.case_facts import lot_values
from kit.engine.fact_types import Fact, builds, future, months_between
from kit.vocab.vocabulary import Lot, Vocabulary

# What the assignment of a member to a lot repeats of the member, for patterns on one fact.
MEMBER_ON_LOT = ("function", "employment", "care", "declarable", "evc", "evc_due")


@builds(
    "staff",
    (
        *("staff", "function", "employment", "client_contact", "care", "declarable", "evc"),
        *("owner", "vog", "vog_future", "vog_after_start", "measured_on", "evc_due"),
        *("vog_issued_on", "vog_age_months", "vog_doc", "start_date", "vog_months_before_start"),
    ),
)
def staff_fact(member: Any, care: bool, declarable: bool, day: date) -> Fact:
    """A staff member, measured on the day their data arrived: function, employment, EVC and
    the VOG with its age."""
    vog = member.vog
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
        "vog": "ja" if vog is not None else "nee",
        "vog_future": future(vog.issued_on if vog else None, day),
        # S6: a VOG issued after the start date: the person worked without one.
        "vog_after_start": future(vog.issued_on if vog else None, member.start_date or date.max),
        "measured_on": day.isoformat(),
    }
    evc = member.evc
    if evc is not None and evc.expected_completion:
        staff["evc_due"] = evc.expected_completion.isoformat()
    if vog is not None:
        staff["vog_issued_on"] = vog.issued_on.isoformat()
        staff["vog_age_months"] = months_between(vog.issued_on, day)
        if vog.document:
            staff["vog_doc"] = vog.document
        if member.start_date is not None:
            staff["start_date"] = member.start_date.isoformat()
            staff["vog_months_before_start"] = months_between(vog.issued_on, member.start_date)
    return staff


@builds(
    "asg",
    (
        "staff",
        "lot",
        "domain",
        "subtender",
        "residential",
        "needs_location",
        "role",
        *MEMBER_ON_LOT,
    ),
)
def assignment_fact(staff: Fact, code: str, lot: Lot, role: str) -> Fact:
    """A staff member serving one active lot, with the lot's and the member's properties."""
    member = staff["staff"]
    asg: Fact = {
        "t": "asg",
        "key": f"asg:{member}:{code}",
        "staff": member,
        **lot_values(code, lot, role),
    }
    asg.update((name, staff[name]) for name in MEMBER_ON_LOT if name in staff)
    return asg


@builds(
    "reg",
    ("staff", "register", "kind", "level_rank", "implied_rank", "expired", "doc_id"),
)
def registration_fact(member_id: str, j: int, reg: Any, day: date, vocab: Vocabulary) -> Fact:
    """A registration (BIG, SKJ, ...) with its level and whether it is still valid on `day`."""
    kind = vocab.register_kinds[(reg.register_, reg.kind)]
    return {
        "t": "reg",
        "key": f"reg:{member_id}:{j}",
        "staff": member_id,
        "register": reg.register_,
        "kind": reg.kind,
        "level_rank": vocab.registration_rank(kind.level),
        "implied_rank": vocab.diploma_rank(kind.implies_diploma) if kind.implies_diploma else 0,
        # S1: ja (lapsed), nee (shown valid) or onbekend (shows no validity at all).
        "expired": {"geldig": "nee", "verlopen": "ja", "onbekend": "onbekend"}[
            reg.validity(day, vocab.revalidation_years[reg.register_])
        ],
        "doc_id": reg.document or "",
    }


@builds(
    "areg",
    (
        *("staff", "lot", "role", "function", "employment", "declarable", "register", "kind"),
        *("level_rank", "expired", "doc_id"),
    ),
)
def lot_registration_fact(j: int, reg: Fact, staff: Fact, code: str, role: str) -> Fact:
    """A registration of a member serving one active lot."""
    member = staff["staff"]
    return {
        "t": "areg",
        "key": f"areg:{member}:{j}:{code}",
        "staff": member,
        "lot": code,
        "role": role,
        "function": staff["function"],
        "employment": staff["employment"],
        "declarable": staff["declarable"],
        "register": reg["register"],
        "kind": reg["kind"],
        "level_rank": reg["level_rank"],
        "expired": reg["expired"],
        "doc_id": reg["doc_id"],
    }


@builds("dipl", ("staff", "level", "level_rank", "field", "documented", "doc_id", "future"))
def diploma_fact(
    member_id: str, j: int, dip: Any, proof: Any, day: date, vocab: Vocabulary
) -> Fact:
    """A diploma, and whether its proof is dated after the day it is measured on."""
    return {
        "t": "dipl",
        "key": f"dipl:{member_id}:{j}",
        "staff": member_id,
        "level": dip.level,
        "level_rank": vocab.diploma_rank(dip.level),
        "field": dip.field,
        "documented": dip.document is not None,
        "doc_id": dip.document or "",
        "future": future(
            proof.issued_on if proof else None,
            proof.received_on or day if proof else day,
        ),
    }


@builds(
    "evc",
    ("staff", "level", "level_rank", "provider", "doc_id", "future", "assessment", "note"),
)
def evc_fact(member_id: str, cert: Any, day: date, vocab: Vocabulary) -> Fact:
    """A finished EVC trajectory's certificate, with the level it shows."""
    assert cert.level is not None  # kit.case.models checks a certificate names its level
    return {
        "t": "evc",
        "key": f"evc:{member_id}",
        "staff": member_id,
        "level": cert.level,
        "level_rank": vocab.diploma_rank(cert.level),
        "provider": cert.evc_provider or "",
        "doc_id": cert.id,
        "future": future(cert.issued_on, cert.received_on or day),
        "assessment": cert.assessment or "geen",
        "note": cert.assessment_note or "",
    }
