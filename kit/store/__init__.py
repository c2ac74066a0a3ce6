"""Persistence: the tables (tables.py), the repositories per area (screenings, requests, lists,
accounts, notes and assignments, audit, judgements by criteria, the verification sample) over
one connection and transaction helper (base.py), composed into the Store (db.py), and the
records they take and give (records.py)."""

from kit.store.db import (
    DEFAULT_URL,
    Conflict,
    Expected,
    Facts,
    Identical,
    Store,
    Stored,
    database_url,
)
from kit.store.tables import (
    AuditEventRow,
    CredentialCheckRow,
    CriterionOutcomeRow,
    DecisionRow,
    ExtraRoundRow,
    FindingRow,
    LotVerdictRow,
    NoteRow,
    RepairRequestRow,
    RulesetSnapshotRow,
    SampledCredentialRow,
    SampleDrawRow,
    ScreeningRow,
    SubmissionRow,
    screening_code,
)

__all__ = [
    "DEFAULT_URL",
    "AuditEventRow",
    "Conflict",
    "CredentialCheckRow",
    "CriterionOutcomeRow",
    "DecisionRow",
    "Expected",
    "ExtraRoundRow",
    "Facts",
    "FindingRow",
    "Identical",
    "LotVerdictRow",
    "NoteRow",
    "RepairRequestRow",
    "RulesetSnapshotRow",
    "SampleDrawRow",
    "SampledCredentialRow",
    "ScreeningRow",
    "Store",
    "Stored",
    "SubmissionRow",
    "database_url",
    "screening_code",
]
