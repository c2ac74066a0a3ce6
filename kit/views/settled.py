"""What is still open to act on: work about a lot whose verdict is settled (rejected after
its rounds, withdrawn: kit/views/settled.yaml) changes nothing any more, so the werkvoorraad
leaves it out."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml

from kit.errors import KitError
from kit.views.standing import Standing
from kit.vocab.vocabulary import vocabulary

SETTINGS = Path(__file__).with_name("settled.yaml")


@cache
def settled_verdicts() -> frozenset[str]:
    """The lot verdicts after which no work is left (kit/views/settled.yaml), each checked
    against the vocabulary."""

    found = frozenset(yaml.safe_load(SETTINGS.read_text(encoding="utf-8"))["settled_verdicts"])
    unknown = found - set(vocabulary().lot_verdicts)
    if unknown:
        raise KitError(f"{SETTINGS.name}: settled_verdicts: onbekend {sorted(unknown)}")
    return found


def still_open(standing: Standing, lot: str | None, as_of: date) -> bool:
    """Whether work about `lot` (None: every lot) of a submission can still change something:
    not a submission decided in the old model, and a lot whose verdict is not settled."""
    if standing.final:
        return False
    lots = [lot] if lot is not None else list(standing.lots)
    settled = settled_verdicts()
    return any(standing.verdict(one, as_of) not in settled for one in lots if one in standing.lots)
