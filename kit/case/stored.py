"""Values read back from the store. A row edited by hand, or a disk that lost a sector, gives
one Dutch error naming the record and the field, not a traceback: the region's list of
decisions must say where it is damaged, so a back-up can be put back or the row repaired."""

from __future__ import annotations

import json
from types import TracebackType
from typing import TYPE_CHECKING, Any

from kit.errors import KitError

if TYPE_CHECKING:
    from kit.case.models import Case

REPAIR = "zet een back-up terug of herstel die rij (kit replay controleert de screeningen)"


class DamagedStore(KitError):
    """A stored value kit cannot read back."""


def stored_json(text: str | bytes | None, where: str, empty: Any = None) -> Any:
    """The JSON value `text` of the stored field `where` (e.g. "screening SCR-000019, veld
    case_json"); `empty` for an empty field."""
    if not text:
        return empty
    try:
        return json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        why = f"fout bij teken {exc.pos}" if isinstance(exc, json.JSONDecodeError) else "geen tekst"
        raise DamagedStore(
            f"database beschadigd: {where} is geen geldige JSON ({why}); {REPAIR}"
        ) from None


def stored_case(case_json: str, code: str) -> Case:
    """The case a screening was made of (`code`: its SCR-… code)."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.case.checks import parse_case

    where = f"screening {code}, veld case_json"
    data = stored_json(case_json, where)
    if not isinstance(data, dict) or not data:
        raise DamagedStore(f"database beschadigd: {where} is leeg of geen casus; {REPAIR}")
    return parse_case(data, code, stored=True)


def unreadable_value(exc: BaseException, trace: TracebackType | None) -> str | None:
    """The Dutch message for a value the database layer could not convert (a date that is no
    date, a number that is no number), or None when `exc` is something else: a bug to show."""
    if not isinstance(exc, ValueError | TypeError | OverflowError):
        return None
    frames = []
    while trace is not None:
        frames.append(trace.tb_frame.f_code.co_filename)
        trace = trace.tb_next
    if not any("sqlalchemy" in name for name in frames[-3:]):
        return None
    text = str(exc)
    value = f" ({text.rsplit(': ', 1)[-1]})" if ": " in text else ""  # the value, not the English
    return f"database beschadigd: een opgeslagen datum of getal is onleesbaar{value}; {REPAIR}"


def database_trouble(exc: BaseException) -> str | None:
    """The Dutch line for an error from the database layer: a stored value it could not read,
    a database it could not reach, a read or write that failed. None for anything else: a bug
    to show. (The command line's last resort.)"""
    damaged = unreadable_value(exc, exc.__traceback__)
    if damaged is not None:
        return damaged
    if not type(exc).__module__.startswith("sqlalchemy"):
        return None
    from sqlalchemy.exc import OperationalError  # imported only now: `kit -h` stays quick

    why = (
        "niet te openen of niet bereikbaar"
        if isinstance(exc, OperationalError)
        else f"fout bij lezen of schrijven ({exc.__class__.__name__})"
    )
    return f"database {why}; er is niets opgeslagen"
