"""Recording what a provider sends after a screening (`kit documents add`).

After the 2024 screening many providers still owed documents (an EVC to finish, a location, a
behavioural scientist). What arrives is written as a small update file in the shape of the
case format, merged into the latest stored case as a new case version, and screened again
through kit.screening.screen (same round, reason `documenten`), so the recorded decisions and the
round rules apply and the conditions it satisfies close with the evidence that closed them.

The update file (YAML or JSON); each entry adds, or replaces the entry with the same id:

    documents:   [{id: D15, type: igj-melding, issued_on: 2024-12-02}]     # provider documents
    locations:   [{id: L2, lots: [...], documents: [...]}]                 # whole locations
    staff:       [{id: S03, function: ..., diplomas: [...], ...}]          # whole staff members
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from kit.case.checks import SENSITIVE_PARTS, parse_case, refuse_kit_only
from kit.case.models import JUDGEMENT_FIELDS, Case, Document, Location, StaffMember, Strict
from kit.case.stored import stored_json
from kit.engine import Finding
from kit.errors import CaseError, KitError
from kit.screening.screen import ScreeningOutcome
from kit.store import FindingRow, ScreeningRow, Store
from kit.structured import read_structured
from kit.validation import dutch_error

REASON = "documenten"
PARTS = ("documents", "locations", "staff")


class CaseUpdate(Strict):
    """What arrived: entries in case-format shape that add or replace by id."""

    documents: list[Document] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    staff: list[StaffMember] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty_and_unique(self) -> CaseUpdate:
        if not (self.documents or self.locations or self.staff):
            raise ValueError("het bestand noemt niets: geef documents, locations en/of staff")
        for part in PARTS:
            ids = [entry.id for entry in getattr(self, part)]
            doubles = sorted({i for i in ids if ids.count(i) > 1})
            if doubles:
                raise ValueError(f"{part}: id {doubles[0]!r} staat dubbel in het bestand")
        return self

    def document_ids(self) -> set[str]:
        """Every document id the update brings, wherever it is declared."""
        docs = [
            *self.documents,
            *(d for loc in self.locations for d in loc.documents),
            *(d for member in self.staff for d in member.documents),
        ]
        return {doc.id for doc in docs}


def load_update(path: Path) -> CaseUpdate:
    """The update file, validated; errors name the file and the path inside it, in Dutch. Under
    `staff` (diplomas, registrations, VOG) an error names the path, never the value: only
    toezicht may read those, and this message reaches whoever recorded the file."""
    data = read_structured(path)
    # What a provider sends carries no judgement: a reviewer records that with kit assess.
    refuse_kit_only(data, str(path), {"documents": ("received_on", *JUDGEMENT_FIELDS)})
    try:
        return CaseUpdate.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise CaseError(f"{path}: {dutch_error(exc, hide_under=SENSITIVE_PARTS)}") from None


def _without_arrival(item: Any) -> Any:
    """An entry as it was sent: the arrival dates kit records are not part of what was sent."""
    if isinstance(item, dict):
        return {k: _without_arrival(v) for k, v in item.items() if k != "received_on"}
    if isinstance(item, list):
        return [_without_arrival(v) for v in item]
    return item


def _arrived(entry: dict[str, Any], part: str, day: date) -> dict[str, Any]:
    """The entry with its arrival date on every document (and on a staff member's own data),
    so it is measured on the day it arrived, not on the screening date."""
    if part == "documents":
        entry.setdefault("received_on", day.isoformat())
        return entry
    if part == "staff":
        entry.setdefault("received_on", day.isoformat())
    for doc in entry.get("documents", []):
        doc.setdefault("received_on", day.isoformat())
    return entry


def merge(
    case: Case, update: CaseUpdate, source: str, received_on: date | None = None
) -> tuple[Case, dict[str, dict[str, list[str]]]]:
    """A new case version: each entry replaces the one with its id or is added; the merged case
    is validated as a whole (references, lots). Entries that arrived on `received_on` are
    measured on that day. An entry equal to the stored one is left as it was ("ongewijzigd").
    Returns the case with what was added, replaced and unchanged."""
    data = case.to_json_data()
    sub = data["submission"]
    changes: dict[str, dict[str, list[str]]] = {}
    for part in PARTS:
        current: list[dict[str, Any]] = sub.setdefault(part, [])
        index = {item["id"]: i for i, item in enumerate(current)}
        done: dict[str, list[str]] = {"nieuw": [], "vervangen": [], "ongewijzigd": []}
        for entry in getattr(update, part):
            dumped = entry.model_dump(mode="json", by_alias=True, exclude_none=True)
            if entry.id in index and _without_arrival(current[index[entry.id]]) == _without_arrival(
                dumped
            ):
                done["ongewijzigd"].append(entry.id)
                continue
            if received_on is not None:
                dumped = _arrived(dumped, part, received_on)
            if entry.id in index:
                current[index[entry.id]] = dumped
                done["vervangen"].append(entry.id)
            else:
                current.append(dumped)
                done["nieuw"].append(entry.id)
        changes[part] = done
    return parse_case(data, source), changes


def judged_documents(store: Store, submission_pk: int) -> set[str]:
    """Document ids a reviewer has judged on content: their judgement follows the id."""
    ids: set[str] = set()
    for decision in store.decisions(submission_pk):
        if decision.kind == "inhoud":
            ids.update(stored_json(decision.subject, f"besluit {decision.id}, veld subject", []))
    return ids


@dataclass
class Received:
    """The new screening and what it changed against the screening it follows."""

    outcome: ScreeningOutcome
    before: ScreeningRow
    changes: dict[str, dict[str, list[str]]]
    closed: list[tuple[FindingRow, Finding | None]] = field(default_factory=list)
    opened: list[Finding] = field(default_factory=list)
    still_open: list[Finding] = field(default_factory=list)


class NothingNew(KitError):
    """Everything in the file is already in the latest case: nothing is stored."""
