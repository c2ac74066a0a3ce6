"""The service layer: every change to the store is one call here, which checks the acting role,
writes the change and its audit event in one transaction, and names the actor. The command line
and the web application call only these.

    actor = Actor("J. de Vries", "reviewer")
    screen_files(["cases/"], Store(), actor)
    record_decision(
        store, actor, "INS-2024-0042", "inhoud", "calamiteitenprotocol", "voldoende", "…"
    )
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kit.services.actor import AccessDenied, Actor, Role, current_user
    from kit.services.audit import AuditFilter, read_audit
    from kit.services.criteria import record_criteria_judgement
    from kit.services.decisions import grant_extra_round, record_bibob, record_decision
    from kit.services.documents import add_documents
    from kit.services.notes import add_note, read_notes
    from kit.services.opening import Store, open_store, upgrade_store
    from kit.services.requests import send_repair_request
    from kit.services.rescreen import rescreen_board_change, rescreen_provider, rescreen_region
    from kit.services.screening import REGION_FROM, region_items, screen_files, screen_region

# Where each name lives. Imported on first use, so a reading command that only needs the
# actor does not load the screening and decision machinery (a tenth of a second each time).
_HOMES = {
    "AccessDenied": "actor",
    "Actor": "actor",
    "Role": "actor",
    "current_user": "actor",
    "AuditFilter": "audit",
    "read_audit": "audit",
    "record_criteria_judgement": "criteria",
    "grant_extra_round": "decisions",
    "record_bibob": "decisions",
    "record_decision": "decisions",
    "add_documents": "documents",
    "add_note": "notes",
    "Store": "opening",
    "open_store": "opening",
    "upgrade_store": "opening",
    "read_notes": "notes",
    "send_repair_request": "requests",
    "rescreen_board_change": "rescreen",
    "rescreen_provider": "rescreen",
    "rescreen_region": "rescreen",
    "REGION_FROM": "screening",
    "region_items": "screening",
    "screen_files": "screening",
    "screen_region": "screening",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kit.services' has no attribute {name!r}")
    return getattr(import_module(f"kit.services.{home}"), name)


__all__ = [
    "REGION_FROM",
    "AccessDenied",
    "Actor",
    "AuditFilter",
    "Role",
    "Store",
    "add_documents",
    "add_note",
    "current_user",
    "grant_extra_round",
    "open_store",
    "read_audit",
    "read_notes",
    "record_bibob",
    "record_criteria_judgement",
    "record_decision",
    "region_items",
    "rescreen_board_change",
    "rescreen_provider",
    "rescreen_region",
    "screen_files",
    "screen_region",
    "send_repair_request",
    "upgrade_store",
]
