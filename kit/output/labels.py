"""Short labels and colours for tables: the terminal's and the xlsx's (kit/output/labels.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kit.text import visible

LABELS = Path(__file__).with_name("labels.yaml")


@lru_cache(maxsize=1)
def _labels() -> dict[str, Any]:
    with LABELS.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@lru_cache(maxsize=256)
def lot_label(code: str | None) -> str:
    """The lot's short label; None (a finding about every lot): 'alle'."""
    if code is None:
        return "alle"
    return visible(str(_labels()["lots"].get(code, code)))


@lru_cache(maxsize=16)
def role_label(code: str) -> str:
    """An account role in the pages' words ('reviewer' -> 'beoordelaar')."""
    return visible(str(_labels().get("roles", {}).get(code, code)))


@lru_cache(maxsize=256)
def look(kind: str, code: str | None) -> tuple[str, str]:
    """(short label, terminal style) of a verdict (`verdicts`) or risk (`risks`) code."""
    if not code:
        return "-", ""
    spec = _labels()[kind].get(code)
    if spec is None:
        return visible(code), ""
    return str(spec["label"]), str(spec["style"])


def open_text(counts: dict[str, int | None]) -> str:
    """'2h 1v' for two open herstel and one voorwaardelijk finding; '-' for a withdrawn lot."""
    if any(n is None for n in counts.values()):
        return "-"
    letters = _labels()["outcomes"]
    return " ".join(f"{n}{letters.get(o, o)}" for o, n in counts.items() if n) or "0"


def open_legend() -> str:
    letters = _labels()["outcomes"]
    return "Open bevindingen: " + ", ".join(f"{letter} = {o}" for o, letter in letters.items())


def lot_legend(codes: set[str]) -> str:
    """The short labels used, with their codes."""
    shown = [f"{lot_label(code)} = {code}" for code in sorted(codes) if lot_label(code) != code]
    return "Percelen: " + "; ".join(shown) if shown else ""


def fill(kind: str, code: str | None) -> str | None:
    """The xlsx fill colour (RGB hex) of a verdict or risk code, if it has one."""
    spec = _labels()[kind].get(code) if code else None
    return str(spec["fill"]) if spec and spec.get("fill") else None


def overdue_colours() -> tuple[str, str]:
    """(fill, font colour) of an overdue date in the xlsx."""
    spec = _labels()["overdue"]
    return str(spec["fill"]), str(spec["font"])


def detail_text(detail: object) -> str:
    """An audit event's details on one line, in Dutch: 'oordeel: voldoende; eis: meldcode'
    (the JSON output keeps the stored keys)."""
    if not isinstance(detail, dict):
        return visible(str(detail))
    names = _labels()["audit_details"]
    return "; ".join(
        f"{names.get(key, key)}: {_value_text(value)}"
        for key, value in detail.items()
        if value not in (None, [], "")
    )


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value)
    return visible(str(value))


def field_label(form: str, name: str) -> str:
    """The label of field `name` of the page form sent to `form` (its route, as
    '/inschrijving/{submission_id}/oordeel'); a name the labels file does not give is a
    KeyError, so that a page never shows a field by its code."""
    found = typed_label(form, name)
    if found is None:
        raise KeyError(f"{form}: {name}")
    return found


def typed_label(form: str, name: str) -> str | None:
    """The label of a field as it was typed in the form sent to `form`: a per-criterion field
    ('uitkomst-<code>') gets its kind's label with the code; None for a hidden field."""
    fields: dict[str, str] = _labels()["form_fields"].get(form, {})
    if name in fields:
        return str(fields[name])
    for key, label in fields.items():
        if key.endswith("*") and name.startswith(key[:-1]) and name != key[:-1]:
            return f"{label} ({name[len(key) - 1 :]})"
    return None


def form_of(path: str) -> str | None:
    """The form (its route, as the labels file names it) a form posted to `path` was sent to,
    as '/inschrijving/{submission_id}/oordeel' for '/inschrijving/INS-2024-0042/oordeel'; None
    for a form the labels file does not name."""
    for form in _labels()["form_fields"]:
        pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(form))
        if re.fullmatch(pattern, path):
            return str(form)
    return None
