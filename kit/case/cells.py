"""A workbook cell's value as the case file wants it (kit.case.workbook): text, a date (also
written the Dutch way), a number, ja/nee, a code from a list; what cannot be read is Bad, with
the reason in Dutch."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from kit.case.layout import NO, YES, FieldType
from kit.validation import shown_value

_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


class Bad(Exception):
    """A cell whose value does not fit its column (the Dutch problem)."""


def _text(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, datetime | date):
        raise Bad("verwacht tekst")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise Bad("verwacht een datum zonder tijd")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        dutch = _DUTCH_DATE.match(text)
        try:
            if dutch:
                day, month, year = (int(part) for part in dutch.groups())
                return date(year, month, day)
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise Bad("verwacht een datum (dd-mm-jjjj)")


def _number(value: Any, whole: bool) -> int | float:
    if isinstance(value, bool):
        raise Bad("verwacht een getal")
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "," in text:  # a Dutch decimal comma: 14,5
            text = text.replace(".", "").replace(",", ".")
        try:
            value = int(text) if re.fullmatch(r"[-+]?\d+", text) else float(text)
        except ValueError:
            raise Bad("verwacht een getal") from None
    if not isinstance(value, int | float):
        raise Bad("verwacht een getal")
    if whole:
        if isinstance(value, float) and not value.is_integer():
            raise Bad("verwacht een geheel getal")
        return int(value)
    return value


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in (YES, NO, "true", "false"):
        return value.strip().lower() in (YES, "true")
    raise Bad(f"verwacht {YES} of {NO}")


def _code(value: Any, codes: tuple[str, ...]) -> str:
    text = _text(value).strip().lower()
    if text not in codes:
        raise Bad(f"{shown_value(_text(value))} is geen bekende code; kies uit {', '.join(codes)}")
    return text


def convert(value: Any, kind: FieldType) -> Any:
    """A cell's value as the case holds it (raises Bad)."""
    if kind.kind == "code":
        return _code(value, kind.codes)
    if kind.kind == "date":
        return _date(value)
    if kind.kind in ("int", "number"):
        return _number(value, kind.kind == "int")
    if kind.kind == "bool":
        return _bool(value)
    return _text(value)


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
