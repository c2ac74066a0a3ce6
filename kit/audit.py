"""Who is acting: the user name and role for decisions and audit events."""

from __future__ import annotations

import getpass
import json
import os
from typing import Any

from kit.store.tables import AuditEventRow

ROLES = ("reviewer", "toezicht", "bibob", "inkoop")


def current_user() -> str:
    return os.environ.get("KIT_USER") or getpass.getuser()


def event(actor: str, role: str, action: str, subject: str, **detail: Any) -> AuditEventRow:
    return AuditEventRow(
        actor=actor,
        role=role,
        action=action,
        subject=subject,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
    )
