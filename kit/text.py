"""Outside text shown safely: control and format characters written out instead of acted on."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str, newlines: bool = False) -> str:
    """`text` with every control and format character (C0, C1, DEL, bidi overrides, zero-width)
    written out; with `newlines`, line breaks stay line breaks."""
    if text.isprintable() and "\n" not in text:
        return text
    shown = []
    for char in text:
        if char == "\n" and newlines:
            shown.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(char)
            shown.append(
                _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
            )
        else:
            shown.append(char)
    return "".join(shown)


def visible_value(value: object) -> object:
    """A template's value as it is printed (Jinja's `finalize`, for the letters and the web
    pages): a text made visible, on one line; anything else as it is."""
    return visible(value) if isinstance(value, str) else value


class _Blank(dict[str, object]):
    """format_map that leaves an unknown placeholder visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, params: Mapping[str, object]) -> str:
    """`template` with its {name} placeholders filled from `params`; an unknown one stays."""
    return template.format_map(_Blank(params))
