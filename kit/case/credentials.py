"""The staff credentials of a submission that a verification sample draws from (C1): each
diploma, each register registration (SKJ, BIG), the VOG and a completed trajectory's EVC
certificate, with a stable key per staff member (diploma-1, registratie-skj, vog,
evc-certificaat), so a recorded check names exactly what was checked.

Layer: case (what a submission holds), read by the sample and by toezicht's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.case.models import Submission


@dataclass(frozen=True, order=True)
class Credential:
    staff: str
    key: str
    kind: str  # a vocabulary credential kind: diploma, registratie, vog, evc-certificaat
    label: str  # what toezicht reads (sensitive: diploma level, register number)


def credentials_of(sub: Submission) -> list[Credential]:
    """Every credential the submission declares, in staff order."""
    found: list[Credential] = []
    for member in sub.staff:
        for number, diploma in enumerate(member.diplomas, 1):
            label = f"diploma {diploma.level} {diploma.field}"
            found.append(Credential(member.id, f"diploma-{number}", "diploma", label))
        for registration in member.registrations:
            number_text = f" {registration.number}" if registration.number else ""
            found.append(
                Credential(
                    member.id,
                    f"registratie-{registration.register_}",
                    "registratie",
                    f"registratie {registration.register_.upper()}{number_text}",
                )
            )
        if member.vog is not None:
            label = f"VOG van {member.vog.issued_on.isoformat()}"
            found.append(Credential(member.id, "vog", "vog", label))
        if member.evc is not None and member.evc.certificate:
            label = f"EVC-certificaat {member.evc.certificate}"
            found.append(Credential(member.id, "evc-certificaat", "evc-certificaat", label))
    return _unique(found)


def _unique(found: list[Credential]) -> list[Credential]:
    """Two registrations in one register get -2, -3 after their key."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for credential in found:
        ident = (credential.staff, credential.key)
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] > 1:
            key = f"{credential.key}-{seen[ident]}"
            credential = Credential(credential.staff, key, credential.kind, credential.label)
        out.append(credential)
    return out


def credential_of(sub: Submission, staff: str, key: str) -> Credential | None:
    return next((c for c in credentials_of(sub) if (c.staff, c.key) == (staff, key)), None)
