"""Persistence: tables (tables.py) and the Store (db.py)."""

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
    CriterionOutcomeRow,
    DecisionRow,
    ExtraRoundRow,
    FindingRow,
    LotVerdictRow,
    NoteRow,
    RepairRequestRow,
    RulesetSnapshotRow,
    ScreeningRow,
    SubmissionRow,
    screening_code,
)

__all__ = [
    "DEFAULT_URL",
    "AuditEventRow",
    "Conflict",
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
    "ScreeningRow",
    "Store",
    "Stored",
    "SubmissionRow",
    "database_url",
    "screening_code",
]
