"""The policy table: who may write what, who reads sensitive values and who judges what. The
one place for the role rules; kit.services enforces the writes (Actor.may), kit.views and the
letters the reads (may_see, message_for), kit.screening.decisions the judgements (JUDGES).

Sensitive values (diploma details, VOG dates, registration numbers, Bibob answers and the
self-cleaning texts in them, toezicht notes) are for supervisors (toezicht) only; the Bibob
officials also read the outcome of the Bibob investigation. Every other role sees a sensitive
finding's status with its neutral message. Findings come from the engine (`Finding.neutral`)
or the store (`FindingRow.neutral_message`); both work here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

Role = Literal["reviewer", "toezicht", "bibob", "inkoop", "beheer"]
ROLES: tuple[Role, ...] = ("reviewer", "toezicht", "bibob", "inkoop", "beheer")
SUPERVISOR = "toezicht"

# Who may make which change. Reading is for every role, with sensitive values for toezicht
# only (may_see); restricted notes are toezicht's alone.
MAY: dict[str, tuple[Role, ...]] = {
    "screen": ("reviewer", "toezicht", "inkoop"),
    "rescreen": ("reviewer", "toezicht", "inkoop"),
    "documents": ("reviewer", "toezicht"),
    "repair_request": ("reviewer",),
    "extra_round": ("inkoop",),
    "bibob": ("bibob",),
    "notes": ("toezicht",),
    "accounts": ("beheer",),
    "assign": ("inkoop", "beheer"),
    "audit": ("beheer", "toezicht"),
    # The verification sample (C1-C2): drawing, recording a check and reading it (credentials
    # are sensitive); the consistency report of the judgements by criteria (Q12).
    "sample": ("toezicht",),
    "consistency": ("beheer", "toezicht"),
    # Operations (issue 26): a backup and a restore hold everything, so the administrator; the
    # AVG access export holds sensitive material, so toezicht; removing what has passed its
    # retention period is the administrator's; a submission's date is corrected by procurement.
    "backup": ("beheer",),
    "restore": ("beheer",),
    "retention": ("beheer",),
    "access_request": ("toezicht",),
    "correct_date": ("inkoop",),
}

# Who records which judgement (kit assess, kit bibob record): a document's content or an
# explanation a reviewer or toezicht, a sensitive document (staff, VOG, diploma) toezicht, the
# self-cleaning and a changed self-declaration toezicht, the Bibob outcome the Bibob officials.
JUDGES: dict[str, tuple[Role, ...]] = {
    "inhoud": ("reviewer", "toezicht"),
    "inhoud-gevoelig": ("toezicht",),
    "uitleg": ("reviewer", "toezicht"),
    "zelfreiniging": ("toezicht",),
    "verklaring": ("toezicht",),
    "bibob": ("bibob",),
    "steekproef": ("toezicht",),
}


@lru_cache(maxsize=1)
def bibob_rules() -> frozenset[str]:
    """Ids of the rules that carry the Bibob outcome, in every shipped rule-set version."""
    # Start-up time: the rule sets load every kind; kit's commands import this module at start.
    from kit.kinds.bibob import BibobRule
    from kit.kinds.rulesets import shipped_rulesets

    return frozenset(
        rule.id for rs in shipped_rulesets().values() for rule in rs.of_kind(BibobRule)
    )


def may_see(role: str, finding: Any) -> bool:
    """Whether `role` may read the full message of `finding`."""
    if not finding.sensitive or role == SUPERVISOR:
        return True
    return role == "bibob" and finding.rule in bibob_rules()


JUDGING = tuple(dict.fromkeys(role for roles in JUDGES.values() for role in roles))


def judged_by(finding: Any) -> tuple[str, ...]:
    """The roles that may record the judgement an open `beoordeling` finding waits for, as
    kit.screening.decisions.decidable grants them per kind of decision: the Bibob outcome the Bibob
    officials; sensitive material (staff documents, exclusion grounds and self-declarations)
    toezicht; any other document a reviewer or toezicht."""
    if finding.rule in bibob_rules():
        return JUDGES["bibob"]
    return JUDGES["inhoud-gevoelig"] if finding.sensitive else JUDGES["inhoud"]


def neutral_of(finding: Any) -> str:
    neutral = getattr(finding, "neutral_message", None)
    return str(neutral if neutral is not None else finding.neutral)


def message_for(role: str, finding: Any) -> str:
    """The message `role` may read: the full one, or the neutral one for a sensitive finding."""
    return finding.message if may_see(role, finding) else neutral_of(finding)


def visible_result(outcome: Any, role: str) -> dict[str, Any]:
    """The screening result of spec/case-format.md as `role` may read it."""
    result: dict[str, Any] = outcome.to_result()
    for item, finding in zip(result["findings"], outcome.findings, strict=True):
        item["message"] = message_for(role, finding)
    return result
