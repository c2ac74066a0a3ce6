"""Persistence: tables (tables.py) and the Store (db.py)."""

from kit.store.db import DEFAULT_URL, Conflict, Expected, Identical, Store, Stored, database_url
from kit.store.tables import (
    AuditEventRow,
    DecisionRow,
    ExtraRoundRow,
    FindingRow,
    LotVerdictRow,
    NoteRow,
    RulesetSnapshotRow,
    ScreeningRow,
    SubmissionRow,
    screening_code,
)

__all__ = [
    "DEFAULT_URL",
    "AuditEventRow",
    "Conflict",
    "DecisionRow",
    "Expected",
    "ExtraRoundRow",
    "FindingRow",
    "Identical",
    "LotVerdictRow",
    "NoteRow",
    "RulesetSnapshotRow",
    "ScreeningRow",
    "Store",
    "Stored",
    "SubmissionRow",
    "database_url",
    "screening_code",
]
