"""Load a rule-set version from its directory, resolve `extends`, hash the result. The kinds
its rules are read with are handed in (kit.kinds.rulesets hands the registry).

A version states only what it changes: its rules replace parent rules with the same id or
add new ones, and `remove` drops parent rules. The content hash covers the resolved rules and
the vocabulary, so it changes whenever anything the engine reads changes.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, reduce
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import Field, TypeAdapter, ValidationError

from kit.errors import CaseError, RuleError, os_error_text
from kit.paths import is_shipped, rules_dir
from kit.rules.model import Procedure, RuleBase, RulesetHeader
from kit.structured import read_structured
from kit.validation import dutch_error
from kit.vocab.vocabulary import vocabulary

HEADER_FILE = "ruleset.yaml"
T = TypeVar("T", bound=RuleBase)
# The kinds a rule set is read with, by name: each a kit.kinds.base.KindSpec with its `model`.
# The registry (kit.kinds.registry.KINDS) is handed in by kit.kinds.rulesets: the rules sit below
# the kinds in the layer order and import none of them.
Kinds = Mapping[str, Any]


@lru_cache(maxsize=8)
def _adapter(models: tuple[type[RuleBase], ...]) -> TypeAdapter[Any]:
    union = reduce(operator.or_, models)  # the models' union, built at run time
    tagged: Any = Annotated[union, Field(discriminator="kind")]
    return TypeAdapter(tagged)


def rule_adapter(kinds: Kinds) -> TypeAdapter[Any]:
    """The validator of one rule of any of `kinds`, picked by its `kind` field."""
    return _adapter(tuple(spec.model for spec in kinds.values()))


@dataclass
class RuleSet:
    id: str
    title: str
    extends: str | None
    in_force_from: date
    in_force_until: date | None
    procedures: dict[str, Procedure]
    care_functions: list[str]
    rules: list[Any]  # each a model of its kind (kit.kinds), the kind at `rule.kind_spec`
    sources: dict[str, str] = field(default_factory=dict)
    sha256: str = ""
    rescreen: dict[str, list[str]] = field(default_factory=dict)
    kinds: Kinds = field(default_factory=dict, compare=False, repr=False)

    def covers(self, day: date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def period_text(self) -> str:
        until = self.in_force_until.isoformat() if self.in_force_until else "heden"
        return f"{self.id} ({self.in_force_from.isoformat()} t/m {until})"

    def rule(self, rule_id: str) -> Any:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def of_kind(self, cls: type[T]) -> list[T]:
        return [rule for rule in self.rules if isinstance(rule, cls)]

    def named_kind(self, kind: str) -> list[Any]:
        return [rule for rule in self.rules if rule.kind == kind]

    def process(self) -> Any:
        """The one `process` rule (kit.kinds.process.ProcessRule)."""
        return self.named_kind("process")[0]

    def verdict(self) -> Any:
        """The one `verdict` rule (kit.kinds.verdict.VerdictRule)."""
        return self.named_kind("verdict")[0]

    def procedure(self, code: str, source: str = "") -> Procedure:
        """The procedure a case names; an unknown one is refused with the known ones."""
        if code not in self.procedures:
            known = ", ".join(sorted(self.procedures))
            where = f"{source}: " if source else ""
            raise CaseError(
                f"{where}submission.procedure: onbekende procedure {code!r} in regelset {self.id}; "
                f"bekend: {known}"
            )
        return self.procedures[code]


def _read_yaml(path: Path) -> Any:
    """A rule file, read within the same input limits as a case file (kit.limits)."""
    try:
        return read_structured(path, shipped=is_shipped(path))
    except CaseError as exc:
        raise RuleError(exc.message) from None


def _read_header(directory: Path) -> RulesetHeader:
    path = directory / HEADER_FILE
    if not path.is_file():
        raise RuleError(f"{path}: bestand ontbreekt (elke regelset heeft een {HEADER_FILE})")
    data = _read_yaml(path)
    try:
        header = RulesetHeader.model_validate(data)
    except ValidationError as exc:
        raise RuleError(f"{path}: {dutch_error(exc)}") from None
    if header.id != directory.name:
        raise RuleError(
            f"{path}: id: {header.id!r} hoort gelijk te zijn aan de mapnaam {directory.name!r}"
        )
    return header


def _read_rules(directory: Path, kinds: Kinds) -> list[tuple[Any, str]]:
    """Every rule of the version's own files, with the file it came from; ids unique."""
    adapter = rule_adapter(kinds)
    rules: list[tuple[Any, str]] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == HEADER_FILE:
            continue
        data = _read_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            raise RuleError(f"{path}: rules: verwacht een lijst 'rules:' met regels")
        unknown = set(data) - {"rules", "area"}
        if unknown:
            raise RuleError(f"{path}: {min(unknown)}: onbekend veld (tikfout?)")
        for index, raw in enumerate(data["rules"]):
            rule_id = raw.get("id") if isinstance(raw, dict) else None
            label = f"regel {rule_id}" if rule_id else f"rules[{index}]"
            try:
                rule = adapter.validate_python(raw)
            except ValidationError as exc:
                raise RuleError(f"{path}: {label}: {dutch_error(exc, frozenset(kinds))}") from None
            if rule.id in seen:
                raise RuleError(f"{path}: regel {rule.id}: id: komt ook voor in {seen[rule.id]}")
            seen[rule.id] = str(path)
            rules.append((rule, str(path)))
    return rules


# Fields added after rule sets were first stored: hashed only when a rule sets them, so that a
# snapshot stored before they existed keeps its hash (and its replay stays trusted).
ADDED_LATER = ("criteria",)


def _hashed(rule: Any) -> dict[str, Any]:
    data = rule.model_dump(mode="json", by_alias=True)
    return {k: v for k, v in data.items() if not (k in ADDED_LATER and not v)}


def content_hash(ruleset: RuleSet, vocabulary_raw: Any) -> str:
    """The hash that identifies a rule set's content: what it says and the vocabulary it was
    read with. A stored snapshot is checked against it before a replay trusts it."""
    payload = {
        "id": ruleset.id,
        "in_force": {
            "from": ruleset.in_force_from.isoformat(),
            "until": ruleset.in_force_until.isoformat() if ruleset.in_force_until else None,
        },
        "procedures": [p.model_dump(mode="json") for p in ruleset.procedures.values()],
        "care_functions": ruleset.care_functions,
        "rescreen": ruleset.rescreen,
        "rules": [_hashed(r) for r in ruleset.rules],
        "vocabulary": vocabulary_raw,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Over 60 lines: one pass over a version and its parent, in the order a rule-set author reads
# the header; each step is a few lines that raise the error naming its file and field.
def load_ruleset(
    ruleset_id: str,
    root: Path | None = None,
    _chain: tuple[str, ...] = (),
    parents: Path | None = None,
    *,
    kinds: Kinds,
) -> RuleSet:
    """Load one version, resolving `extends` (beside it, else in `parents`: a draft version
    kept elsewhere may extend a shipped one); errors name the file, the rule id and the field."""
    root = root or rules_dir()
    directory = root / ruleset_id
    if not directory.is_dir():
        known = ", ".join(sorted(p.name for p in root.iterdir() if (p / HEADER_FILE).is_file()))
        raise RuleError(f"{directory}: onbekende regelset {ruleset_id!r}; bekend: {known}")
    if ruleset_id in _chain:
        raise RuleError(
            f"{directory / HEADER_FILE}: extends: "
            f"kringverwijzing {' -> '.join((*_chain, ruleset_id))}"
        )
    header = _read_header(directory)
    own = _read_rules(directory, kinds)
    header_path = str(directory / HEADER_FILE)

    if header.extends:
        beside = (root / header.extends / HEADER_FILE).is_file() or parents is None
        parent = load_ruleset(
            header.extends, root if beside else parents, (*_chain, ruleset_id), parents, kinds=kinds
        )
        rules = list(parent.rules)
        sources = dict(parent.sources)
        procedures = dict(parent.procedures)
        care_functions = list(parent.care_functions)
        rescreen = dict(parent.rescreen)
        for rule_id in header.remove:
            if rule_id not in sources:
                raise RuleError(
                    f"{header_path}: remove: regel {rule_id!r} staat niet in {parent.id}"
                )
            rules = [r for r in rules if r.id != rule_id]
            del sources[rule_id]
    else:
        if header.remove:
            raise RuleError(
                f"{header_path}: remove: alleen een regelset met extends kan regels verwijderen"
            )
        rules, sources, procedures, care_functions, rescreen = [], {}, {}, [], {}

    if header.procedures is not None:
        procedures.update({p.code: p for p in header.procedures})
    if header.care_functions is not None:
        care_functions = list(header.care_functions)
    if header.rescreen is not None:
        rescreen.update({reason: list(refs) for reason, refs in header.rescreen.items()})
    if not procedures:
        raise RuleError(f"{header_path}: procedures: verplicht veld ontbreekt")
    if not care_functions:
        raise RuleError(f"{header_path}: care_functions: verplicht veld ontbreekt")

    for rule, path in own:
        replaced = False
        for i, existing in enumerate(rules):
            if existing.id == rule.id:
                rules[i] = rule
                replaced = True
        if not replaced:
            rules.append(rule)
        sources[rule.id] = path

    ruleset = RuleSet(
        id=header.id,
        title=header.title,
        extends=header.extends,
        in_force_from=header.in_force.from_,
        in_force_until=header.in_force.until,
        procedures=procedures,
        care_functions=care_functions,
        rules=rules,
        sources=sources,
        rescreen=rescreen,
        kinds=kinds,
    )
    _check_references(ruleset, header_path)
    ruleset.sha256 = content_hash(ruleset, vocabulary().raw)
    return ruleset


def _check_references(ruleset: RuleSet, header_path: str) -> None:
    """What a single rule cannot check about itself."""
    ids = {rule.id for rule in ruleset.rules}
    for name in ("process", "verdict"):
        found = ruleset.named_kind(name)
        if len(found) != 1:
            raise RuleError(
                f"{header_path}: rules: een regelset heeft precies een regel van soort "
                f"{name!r} (gevonden: {len(found)})"
            )
    for rule in ruleset.rules:
        for other in getattr(rule, "qualified_by", []):
            if other not in ids:
                raise RuleError(
                    f"{ruleset.sources[rule.id]}: regel {rule.id}: qualified_by: "
                    f"onbekende regel {other!r}"
                )


def ruleset_ids(root: Path | None = None) -> list[str]:
    root = root or rules_dir()
    if not root.is_dir():
        raise RuleError(
            f"{root}: "
            f"{'map bestaat niet' if not root.exists() else 'dit is geen map met regelsets'}"
        )
    ids = sorted(p.name for p in root.iterdir() if (p / HEADER_FILE).is_file())
    if not ids:
        raise RuleError(
            f"{root}: geen regelsets gevonden (een regelset is een map met {HEADER_FILE})"
        )
    return ids


def load_all(root: Path | None = None, *, kinds: Kinds) -> dict[str, RuleSet]:
    root = root or rules_dir()
    try:
        return {rid: load_ruleset(rid, root, kinds=kinds) for rid in ruleset_ids(root)}
    except OSError as exc:  # a rule directory that cannot be listed or read
        where = exc.filename or root
        raise RuleError(f"{where}: niet te lezen ({os_error_text(exc)})") from None


def select_ruleset(rulesets: dict[str, RuleSet], as_of: date) -> RuleSet:
    """The version in force on `as_of`; a date no version covers is refused, naming the versions."""
    matching = [rs for rs in rulesets.values() if rs.covers(as_of)]
    if not matching:
        periods = "; ".join(
            rs.period_text() for rs in sorted(rulesets.values(), key=lambda r: r.in_force_from)
        )
        raise CaseError(f"geen regelset van kracht op {as_of.isoformat()}; beschikbaar: {periods}")
    if len(matching) > 1:
        names = ", ".join(rs.period_text() for rs in matching)
        raise RuleError(f"meer dan een regelset van kracht op {as_of.isoformat()}: {names}")
    return matching[0]
