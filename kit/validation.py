"""pydantic validation errors as one Dutch line: the path inside the file and the problem."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

_NL = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld (tikfout?)",
    "date_parsing": "ongeldige datum, verwacht JJJJ-MM-DD",
    "date_from_datetime_parsing": "ongeldige datum, verwacht JJJJ-MM-DD",
    "date_from_datetime_inexact": "ongeldige datum, verwacht JJJJ-MM-DD zonder tijd",
    "date_type": "ongeldige datum, verwacht JJJJ-MM-DD",
    "bool_parsing": "verwacht ja/nee (true of false)",
    "bool_type": "verwacht ja/nee (true of false)",
    "int_parsing": "verwacht een geheel getal",
    "int_type": "verwacht een geheel getal",
    "int_from_float": "verwacht een geheel getal",
    "float_parsing": "verwacht een getal",
    "float_type": "verwacht een getal",
    "finite_number": "verwacht een eindig getal",
    "string_type": "verwacht tekst (zet getallen als een KvK-nummer tussen aanhalingstekens)",
    "list_type": "verwacht een lijst",
    "model_type": "verwacht een blok met velden",
    "model_attributes_type": "verwacht een blok met velden",
    "dict_type": "verwacht een blok met velden",
    "too_short": "mag niet leeg zijn",
    "string_too_short": "mag niet leeg zijn",
    "string_too_long": "is te lang",
    "greater_than_equal": "is te klein",
    "greater_than": "is te klein",
    "less_than_equal": "is te groot",
    "less_than": "is te groot",
    "union_tag_invalid": "onbekende soort",
    "union_tag_not_found": "verplicht veld ontbreekt",
}

_SILENT_VALUE = ("missing", "extra_forbidden", "union_tag_not_found")

_SHOWN_CHARS = 80  # of a value repeated in a message


def shown_value(value: Any) -> str:
    """A value as a message repeats it: short, on one line, a list or block by its kind only
    (repr of a large structure can take longer than the whole screening)."""
    if value is None:
        return "leeg"
    if isinstance(value, list | tuple):
        return "een lijst"
    if isinstance(value, Mapping):
        return "een blok met velden"
    if isinstance(value, str):
        value = value[:_SHOWN_CHARS] + ("…" if len(value) > _SHOWN_CHARS else "")
    elif isinstance(value, int) and abs(value) > 10**_SHOWN_CHARS:
        return "een getal met te veel cijfers"  # repr would raise ValueError past 4300 digits
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS + 3 else text[:_SHOWN_CHARS] + "…"


def path_text(loc: tuple[Any, ...]) -> str:
    """('submission', 'staff', 3, 'vog') -> 'submission.staff[3].vog'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part)
            # A field name from the file may hold a line break: keep the message on one line.
            text += ("." if text else "") + (name if name.isprintable() else repr(name))
    return text or "(bestand)"


def describe(error: Mapping[str, Any], show_value: bool = True) -> str:
    kind = error["type"]
    value = error.get("input")
    shown = shown_value(value) if show_value else "…"
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("' or '", "', '")
        return f"onbekende code {shown}; toegestaan: {expected}"
    if kind == "union_tag_invalid":
        tag = repr(ctx.get("tag", value)) if show_value else shown
        return f"onbekende soort {tag}; toegestaan: {ctx.get('expected_tags', '')}"
    if kind == "string_pattern_mismatch":
        if error["loc"] and error["loc"][-1] in ("kvk", "main_contractor_kvk"):
            return f"ongeldig KvK-nummer {shown}, verwacht 8 cijfers"
        return f"ongeldige waarde {shown} (verwacht patroon {ctx.get('pattern', '')})"
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "ongeldige waarde")))
    if kind in _NL:
        return _NL[kind] + ("" if kind in _SILENT_VALUE else f" (gegeven: {shown})")
    return f"ongeldige waarde {shown}"


# At most this many problems of one file are named in its one line; the rest are counted.
SHOWN_PROBLEMS = 10


def joined(problems: list[str], limit: int = SHOWN_PROBLEMS) -> str:
    """Several problems in one line: the first `limit`, then how many more."""
    more = f" (en nog {len(problems) - limit} fout(en))" if len(problems) > limit else ""
    return "; ".join(problems[:limit]) + more


def dutch_error(
    exc: ValidationError,
    tags: frozenset[str] = frozenset(),
    hide_under: frozenset[str] = frozenset(),
    limit: int = 1,
) -> str:
    """'path: problem' for the first `limit` errors in one line, with a count of the rest.

    `tags` are discriminator values pydantic puts at the front of a path (the rule kind);
    they are not fields a user wrote, so they are left out. Under a path part in `hide_under`
    (sensitive parts of a case) the offending value is not repeated."""
    errors = exc.errors()
    # A typo gives "unknown field" and "missing field" together: the typo is named first.
    errors = sorted(errors, key=lambda e: e["type"] != "extra_forbidden")
    problems = []
    for error in errors:
        loc = tuple(error["loc"])
        if loc and loc[0] in tags:
            loc = loc[1:]
        if error["type"].startswith("union_tag") and not loc:
            loc = ("kind",)
        show = not (set(map(str, loc)) & hide_under)
        problems.append(f"{path_text(loc)}: {describe(error, show)}")
    return joined(problems, limit)
