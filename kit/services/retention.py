"""Retention (`kit db opschonen`): what kit removes once its period has passed, and the AVG
access export (`kit avg inzage`). The periods are data (rules/bewaartermijnen.yaml, checked by
a strict model), never constants here.

What goes: a submission whose last activity (its latest screening's date, decision or repair
request) lies more than the period before the reference day, with everything of it; toezicht
notes and audit events older than theirs. What stays although old: a submission whose screenings
a case of another, kept submission reuses (reuse_of): that later screening, and any decision
on it, depends on them. Everything is removed in one transaction with an audit event that
counts what went; nothing is half-removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kit.errors import KitError
from kit.paths import rules_dir
from kit.services.actor import Actor
from kit.store import Store
from kit.structured import read_structured
from kit.timezone import NL, today
from kit.validation import dutch_error

RETENTION_FILE = "bewaartermijnen.yaml"


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    jaren: int = Field(ge=1, le=100)
    vanaf: str = Field(min_length=1)


class Periods(BaseModel):
    """The retention period of each kind of record kit removes."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    inschrijvingen: Period
    notities: Period
    auditregels: Period


def retention_periods(path: Path | None = None) -> Periods:
    """The periods in `path` (default: rules/bewaartermijnen.yaml beside the rule sets),
    checked; a problem is a Dutch error naming the file and field."""
    source = path or rules_dir() / RETENTION_FILE
    raw = read_structured(source)
    try:
        return Periods.model_validate(raw)
    except ValidationError as exc:
        raise KitError(f"{source}: {dutch_error(exc)}") from None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Cleanup:
    removed: dict[str, int]
    kept_for_reuse: list[str]  # submission ids past their period, kept (a later case reuses them)


def clean_up(store: Store, actor: Actor, day: date, periods: Periods | None = None) -> Cleanup:
    """Remove what has passed its retention period on `day` (see the module's docstring)."""
    actor.may("retention")
    if day > today():
        raise KitError(f"--peildatum {day.isoformat()} ligt in de toekomst; er is niets verwijderd")
    chosen = periods or retention_periods()
    dossier_before = _years_before(day, chosen.inschrijvingen.jaren)
    expired = sorted(
        pk for pk, last in store.dossiers_last_active().items() if last < dossier_before
    )
    reused = store.reused_elsewhere(expired)
    going = [pk for pk in expired if pk not in reused]
    ids = store.submission_ids(sorted(reused))
    event = actor.event(
        "opschonen",
        day.isoformat(),
        periods={kind: getattr(chosen, kind).jaren for kind in Periods.model_fields},
        kept_for_reuse=ids,
    )
    removed = store.remove(
        going,
        _start(_years_before(day, chosen.notities.jaren)),
        _start(_years_before(day, chosen.auditregels.jaren)),
        event,
        {},
    )
    return Cleanup(removed, ids)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, NL)


def access_export(store: Store, actor: Actor, kvk: str) -> dict[str, Any]:
    """Everything kit holds on the provider with KvK number `kvk`, for an access request
    (AVG art. 15): toezicht only, and the export itself is audited (its counts, no values)."""
    actor.may("access_request")
    counts = {kind: len(rows) for kind, rows in store.provider_records(kvk).items()}
    store.add(audit=actor.event("avg-inzage", kvk, counts=counts))
    records = store.provider_records(kvk)  # with the event just recorded
    return {"provider_kvk": kvk, "made_on": today().isoformat(), "records": records}
