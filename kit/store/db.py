"""The store: SQLModel tables, append-only. SQLite by default, PostgreSQL via KIT_DATABASE_URL.

Screenings and findings are only ever inserted. Each screening records what it needs to be
replayed: the case as screened (JSON and hash), the rule-set id and content hash, the as-of
date and the engine version. Every write is one transaction, so a failure leaves nothing
half-done; a batch that fails is stored case by case on savepoints, so one bad case loses only
itself. The same case screened again on the same date under the same rule set gives the stored
screening back (Identical) instead of a copy.
"""

from __future__ import annotations

from kit.store.accounts import Accounts
from kit.store.audit import Audit
from kit.store.base import Connection
from kit.store.casework import CaseWork
from kit.store.connect import DEFAULT_URL, database_url
from kit.store.criteria import Criteria
from kit.store.desk import Desk
from kit.store.lists import Lists
from kit.store.maintenance import Maintenance
from kit.store.notes import NotesAndAssignments
from kit.store.records import Conflict, Expected, Facts, Identical, ScreeningRecord, Stored
from kit.store.requests import Requests
from kit.store.sample import Samples
from kit.store.screening_reads import ScreeningReads
from kit.store.screenings import Screenings

__all__ = [
    "DEFAULT_URL",
    "Conflict",
    "Connection",
    "Expected",
    "Facts",
    "Identical",
    "ScreeningRecord",
    "Store",
    "Stored",
    "database_url",
]


class Store(
    Samples,
    Screenings,
    ScreeningReads,
    Requests,
    Lists,
    Accounts,
    NotesAndAssignments,
    Audit,
    Criteria,
    Maintenance,
    Desk,
    CaseWork,
):
    """One database: the repositories of the store (kit/store/<area>.py) over one connection
    and transaction helper (kit.store.base.Connection). Every write is a single transaction that
    holds the write lock (SQLite) or locks the submissions it writes (PostgreSQL), so concurrent
    users store what a sequential run would."""
