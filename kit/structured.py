"""YAML and JSON files read within kit.limits: the file's size, nesting, aliases, texts and
numbers. Any problem becomes one Dutch CaseError naming the file and the line or path. Used for
case files, update files, board changes and the shipped vocabulary."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kit.errors import CaseError, os_error_text
from kit.limits import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_NUMBER_CHARS,
    LimitError,
    TooLong,
    check_json_depth,
    check_values,
    json_int,
    line_of,
    read_bounded,
    too_deep,
    too_many,
)


class DuplicateKey(ValueError):
    """A key that a YAML block or JSON object has twice (line: where the second one is)."""

    def __init__(self, key: str, line: int | None = None) -> None:
        super().__init__(key)
        self.key, self.line = key, line


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """object_pairs_hook for json.loads: an object with a key twice is refused (DuplicateKey)."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return data


class _TextDatesLoader(yaml.SafeLoader):
    """YAML without its own date parsing: a date stays text, so an impossible date like
    2029-02-30 is reported by the models with its path instead of failing the whole file.

    Composing checks the limits of kit.limits as it goes, so nothing is nested or expanded past
    them: nesting past MAX_DEPTH, more than MAX_NODES values, and aliases (*alias) counted as
    what they expand to, so an alias bomb (a few hundred bytes that expand to gigabytes) is
    refused at the alias that crosses the limit. PyYAML itself writes aliases for a value used
    twice (yaml.safe_dump), so a few of them are fine; an alias inside its own anchor is not."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._loc: list[Any] = []
        self._depth = 0
        self._nodes = 0
        self._open: set[str] = set()  # anchors of the blocks being composed
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, nesting)

    def _refuse(self, problem: str, line: int | None) -> NoReturn:
        raise LimitError(problem, tuple(self._loc), line)

    def _measure(self, node: Node) -> tuple[int, int]:
        """How many values a node expands to, and how deep its blocks nest."""
        known = self._measured.get(id(node))
        if known is not None:
            return known
        size, depth = 1, 0
        if isinstance(node, SequenceNode | MappingNode):
            children: list[Node] = (
                node.value
                if isinstance(node, SequenceNode)
                else [part for pair in node.value for part in pair]
            )
            for child in children:
                child_size, child_depth = self._measure(child)
                size, depth = size + child_size, max(depth, child_depth)
            depth += 1
        self._measured[id(node)] = (size, depth)
        return size, depth

    def _alias(self, event: AliasEvent, line: int | None) -> None:
        node = self.anchors.get(event.anchor)
        if node is None:
            return  # an undefined alias: PyYAML's own error (geen geldige YAML)
        if event.anchor in self._open:
            self._refuse("YAML-verwijzing (*alias) naar het blok waar ze zelf in staat", line)
        size, depth = self._measure(node)
        self._nodes += size
        if self._nodes > MAX_NODES:
            self._refuse(
                f"YAML-verwijzingen (&anker/*alias) lopen op tot meer dan {MAX_NODES} onderdelen",
                line,
            )
        if self._depth + depth > MAX_DEPTH:
            self._refuse(too_deep(), line)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self.check_event()  # reads the next event into current_event (peek_event is untyped)
        event: Event = self.current_event
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        # A value's path: its key (a mapping) or index (a sequence); a key keeps its block's.
        named = parent is not None and index is not None
        if named:
            self._loc.append(index if isinstance(index, int) else getattr(index, "value", "?"))
        try:
            if isinstance(event, AliasEvent):
                self._alias(event, line)
                return super().compose_node(parent, index)
            self._nodes += 1
            if self._nodes > MAX_NODES:
                self._refuse(too_many(), line)
            nests = isinstance(event, CollectionStartEvent)
            if nests and self._depth >= MAX_DEPTH:
                self._refuse(too_deep(), line)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                self._open.add(anchor)
            self._depth += nests
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= nests
                self._open.discard(anchor or "")
        finally:
            if named:
                self._loc.pop()

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        """A key written twice in one block is refused: YAML would keep the last silently, so
        `round: 0` above `round: 1` would decide without anyone seeing it. Checked as written,
        before merge keys (`<<: *anchor`) fold other blocks in."""
        node: MappingNode = super().compose_mapping_node(anchor)
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value != "<<":  # not a merge
                if key_node.value in seen:
                    raise DuplicateKey(key_node.value, key_node.start_mark.line + 1)
                seen.add(key_node.value)
        return node

    def construct_decimal_int(self, node: ScalarNode) -> Any:
        """An integer as YAML 1.2 writes it: decimal only, so 012 is twelve (YAML 1.1: ten)."""
        if len(node.value) > MAX_NUMBER_CHARS:
            return TooLong(len(node.value))
        return int(node.value)


# YAML 1.2's core schema instead of PyYAML's YAML 1.1: a value is a boolean or a number only as
# itself. `yes`, `no`, `on`, `off`, `y`, `n` stay text; so do sexagesimal 190:20:30, hex 0x12,
# octal 0o12 and 1_000, which the case models then refuse where they expect a number (a number
# written as 0x12 is a typo or a trick in a case file, never what a provider means). Dates stay
# text too (see _TextDatesLoader). Nulls (~, null, empty) and merge keys (<<) are as in 1.1.
_CORE_TYPES = ("bool", "int", "float", "timestamp")
_CORE_RESOLVERS: tuple[tuple[str, str, str], ...] = (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
)


def _core_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    kept = {
        first: [
            (tag, regexp)
            for tag, regexp in resolvers
            if tag.removeprefix("tag:yaml.org,2002:") not in _CORE_TYPES
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for name, pattern, firsts in _CORE_RESOLVERS:
        for first in firsts:
            kept.setdefault(first, []).append((f"tag:yaml.org,2002:{name}", re.compile(pattern)))
    return kept


_TextDatesLoader.yaml_implicit_resolvers = _core_resolvers()
_TextDatesLoader.add_constructor("tag:yaml.org,2002:int", _TextDatesLoader.construct_decimal_int)


class _ShippedLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same reading (dates stay text) with libyaml's parser, for the files that ship inside
    the package: as trusted as the code, and read by every command (a tenth of a second saved
    each time). Outside files always go through _TextDatesLoader and its limits."""

    yaml_implicit_resolvers = _TextDatesLoader.yaml_implicit_resolvers


_ShippedLoader.add_constructor("tag:yaml.org,2002:int", _TextDatesLoader.construct_decimal_int)

# json.JSONDecodeError's English messages, in Dutch; another gives just "geen geldige JSON".
_JSON_PROBLEMS = {
    "Expecting value": "waarde verwacht",
    "Expecting ',' delimiter": "komma verwacht",
    "Expecting ':' delimiter": "dubbele punt verwacht",
    "Expecting property name enclosed in double quotes": "veldnaam tussen dubbele "
    "aanhalingstekens verwacht",
    "Unterminated string starting at": "tekst zonder afsluitend aanhalingsteken",
    "Invalid control character at": "stuurteken in een tekst",
    "Invalid \\escape": "ongeldige escape (\\)",
    "Invalid \\uXXXX escape": "ongeldige \\uXXXX-escape",
    "Extra data": "meer tekst na het einde van de JSON",
}


def _parse(path: Path, text: str, shipped: bool = False) -> Any:
    """Parse YAML or JSON within the limits of kit.limits (raises LimitError, or the parser's
    own error for a syntax error)."""
    if path.suffix.lower() == ".json":
        try:
            return json.loads(
                text, parse_int=json_int, object_pairs_hook=None if shipped else _unique_keys
            )
        except RecursionError:
            check_json_depth(text)  # finds the line where it gets too deep
            raise
    return yaml.load(text, Loader=_ShippedLoader if shipped else _TextDatesLoader)


def read_structured(path: Path, shipped: bool = False) -> Any:
    """YAML or JSON, by extension, within kit.limits: the file's size, nesting, aliases, texts
    and numbers. Any problem becomes a Dutch CaseError naming the file and the line or path.
    `shipped`: a file of the package itself (its rules, its vocabulary), read with libyaml."""
    text = ""
    try:
        raw = read_bounded(path)
        # Decoded as read_text would: UTF-8, universal newlines.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        data = _parse(path, text, shipped)
        check_values(data)
    except LimitError as exc:
        raise CaseError(f"{path}: {exc.where()}") from None
    except DuplicateKey as exc:
        where = f"regel {exc.line}: " if exc.line is not None else ""
        raise CaseError(
            f"{path}: {where}het veld {exc.key!r} staat twee keer in hetzelfde blok; "
            "laat er één staan"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = os_error_text(exc) if isinstance(exc, OSError) else "geen UTF-8-tekst"
        raise CaseError(f"{path}: bestand niet leesbaar ({why})") from None
    except json.JSONDecodeError as exc:
        problem = _JSON_PROBLEMS.get(exc.msg)
        problem = f" ({problem})" if problem else ""
        raise CaseError(f"{path}: regel {exc.lineno}: geen geldige JSON{problem}") from None
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, int) else 0
        line = line_of(text, exc.position) if isinstance(exc.position, int) else None
        where = f"regel {line}: " if line is not None else ""
        raise CaseError(f"{path}: {where}ongeldig teken U+{char:04X} (stuurteken)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}: " if mark is not None else ""
        raise CaseError(f"{path}: {where}geen geldige YAML") from None
    except (ValueError, RecursionError, KeyError, OverflowError, TypeError):
        # a value the parsers cannot convert (a YAML `!!bool maybe`, a huge sexagesimal number)
        raise CaseError(f"{path}: ongeldige waarde in het bestand") from None
    return data
