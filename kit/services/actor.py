"""Who acts, and the check of what the acting role may do (the table: kit.screening.policy),
made here, where every change is made, so the command line and the web application enforce the
same rules."""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from typing import Any

from kit.errors import AccessDenied as AccessDenied
from kit.errors import KitError
from kit.limits import plain_text
from kit.screening.policy import MAY
from kit.screening.policy import ROLES as ROLES  # the table lives in the policy; kept here too
from kit.screening.policy import Role as Role
from kit.store.tables import AuditEventRow


@dataclass(frozen=True)
class Actor:
    """The person acting and the role they act in; every change names them in its audit event."""

    name: str
    role: Role = "reviewer"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise KitError(f"onbekende rol {self.role!r}; kies uit {', '.join(ROLES)}")
        if not self.name.strip():
            raise KitError("wie handelt? een naam mag niet leeg zijn")

        plain_text(self.name, "--door")

    def require(self, *allowed: str, what: str = "deze handeling") -> None:
        if self.role not in allowed:
            raise AccessDenied(
                f"{what} is voorbehouden aan de rol {' of '.join(allowed)} "
                f"(huidige rol: {self.role})"
            )

    def may(self, action: str) -> None:
        self.require(*MAY[action])

    def event(self, action: str, subject: str, **detail: Any) -> AuditEventRow:
        """The audit event of a change this actor makes."""
        return AuditEventRow(
            actor=self.name,
            role=self.role,
            action=action,
            subject=subject,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        )


def current_user() -> str:
    """The login name on this machine (KIT_USER overrides): who acts on the command line."""
    return os.environ.get("KIT_USER") or getpass.getuser()
