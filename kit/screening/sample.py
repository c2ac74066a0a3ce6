"""The verification sample (C1): which of a submission's staff credentials toezicht checks at
the issuing source. The rule set says how many (a share, at least a minimum, every credential
of a small provider); the draw is reproducible: the same seed and the same credentials give the
same sample, so anyone can redraw it from the recorded seed.

Layer: screening (a pure function of the case and the rule; kit.services.sample records it).
"""

from __future__ import annotations

import math
import random
import secrets

from kit.case.credentials import Credential
from kit.kinds.verification_sample import VerificationSampleRule


def sample_size(rule: VerificationSampleRule, credentials: int, staff: int) -> int:
    """How many of `credentials` the rule prescribes for a provider with `staff` members."""
    if staff <= rule.all_up_to_staff:
        return credentials
    return min(credentials, max(rule.minimum, math.ceil(rule.share * credentials)))


def new_seed() -> str:
    """A seed for a draw that was not given one; recorded with the draw."""
    return secrets.token_hex(8)


def draw(
    rule: VerificationSampleRule,
    credentials: list[Credential],
    staff: int,
    seed: str,
    submission_id: str,
) -> list[Credential]:
    """The sample of one submission: seeded by the draw's seed and the submission, so each
    submission's sample is independent of the others in the draw and of their order."""
    ordered = sorted(credentials)
    size = sample_size(rule, len(ordered), staff)
    chosen = random.Random(f"{seed}/{submission_id}").sample(ordered, size)
    return sorted(chosen)
