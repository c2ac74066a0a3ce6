"""What the store hands back and takes besides its table rows: the records of a stored
screening's parts, the outcome of storing a batch, the judgements by criteria and the
verification sample as read, and the store's own errors (an identical screening, a conflict
with a concurrent writer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from kit.errors import KitError
from kit.store.tables import (
    CredentialCheckRow,
    CriterionOutcomeRow,
    DecisionRow,
    SampledCredentialRow,
    SampleDrawRow,
)


class Identical(KitError):
    """The same case, as-of date and rule set were screened before: nothing new is stored."""

    def __init__(self, code: str):
        super().__init__(f"al gescreend: {code}")
        self.code = code


class OpenFinding(NamedTuple):
    """An open finding as the lists read it (kit.views.standing): what a message for a role needs.
    (A tuple: a region has a hundred thousand of them, made straight from the query's rows.)"""

    screening_pk: int
    rule: str
    requirement: str
    subject: str
    lot: str | None
    item: str | None
    status: str
    outcome: str | None
    message: str
    neutral_message: str
    sensitive: bool
    due: date | None


class Conflict(KitError):
    """Another screening of the submission was stored after this one read its history."""


class StoredRequest(NamedTuple):
    """A repair request as the lists read it (kit.screening.review.request_of): without its
    letter."""

    id: int
    submission_pk: int
    review: int
    round: int
    screening_pk: int
    sent_on: date
    sent_by: str
    deadline: date
    named_json: str
    derived: bool


class StoredGrant(NamedTuple):
    """An extra round as the lists read it (kit.screening.review.grant_of)."""

    id: int
    submission_pk: int
    review: int
    granted_at: datetime


class Mark(NamedTuple):
    """A screening as a submission's rounds read it (kit.screening.review.Mark): the day it
    reflects is its known_on, or its as-of date when it was stored before 0007."""

    pk: int
    round: int
    known_on: date
    review: int


@dataclass(frozen=True)
class Facts:
    """What a submission's rounds are made of, read under its lock (add_repair_request): its
    latest screening, its repair requests and its extra rounds."""

    latest: int | None
    requests: tuple[int, ...]
    grants: tuple[int, ...]


@dataclass
class Stored:
    """What storing a batch of outcomes did, per outcome (same order): the new screening's code,
    the identical screening already stored (nothing new stored), or the error that kept it out."""

    codes: list[str | None] = field(default_factory=list)
    existing: dict[int, str] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)


# Per outcome, the latest screening of its submission when its history was read (None: none),
# keyed by (procedure, submission id): storing re-checks it under the lock.
Expected = dict[tuple[str, str], int | None]


# A criterion outcome on record with the decision it belongs to and the submission's id (Q12).
Judged = tuple[str, DecisionRow, CriterionOutcomeRow]


@dataclass(frozen=True)
class DrawSource:
    """A submission's latest screening, as a draw of the verification sample reads it (C1)."""

    submission_pk: int
    submission_id: str
    procedure: str
    screening_pk: int
    ruleset_id: str
    case_json: str


@dataclass(frozen=True)
class SampledState:
    """A credential in a submission's latest draw, with its latest check (None: still open)."""

    submission_id: str
    procedure: str
    provider_name: str
    sampled: SampledCredentialRow
    draw: SampleDrawRow
    check: CredentialCheckRow | None


class ScreeningRecord(Protocol):
    """One screening as the store keeps it (Store.save): a plain record the store defines, so the
    store depends on no screening code. kit.screening.screen.ScreeningOutcome is one. Storing
    sets its `screening_id`; the rest is read."""

    screening_id: str | None

    @property
    def case(self) -> Any: ...  # the case as screened: submission, canonical_json, sha256()
    @property
    def source(self) -> str: ...
    @property
    def as_of(self) -> date: ...
    @property
    def ruleset_id(self) -> str: ...
    @property
    def ruleset_sha256(self) -> str: ...
    @property
    def engine_version(self) -> str: ...
    @property
    def findings(self) -> Sequence[Any]: ...  # rule, requirement, …, evidence, due (engine)
    @property
    def lots(self) -> dict[str, str]: ...
    @property
    def risk(self) -> str | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def final(self) -> bool: ...
    @property
    def actor(self) -> str: ...
    @property
    def review(self) -> int: ...
    @property
    def known_on(self) -> date | None: ...
    @property
    def base_screening_pk(self) -> int | None: ...
    @property
    def rerun(self) -> list[str]: ...
    @property
    def prior(self) -> Any: ...  # what earlier screenings said; to_json() is stored
    @property
    def not_applicable(self) -> Sequence[Any]: ...  # each to_result() is stored
    @property
    def summary(self) -> dict[str, Any]: ...
