"""What every rule kind provides: its rule model, its situations, how it compiles to
durable_rules productions, how the reference evaluator checks it, its Dutch message templates
(the YAML file beside its module) and its hit policy.

A kind module defines `SPEC = KindSpec(...)`; kit.kinds collects them into the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import yaml

from kit.paths import kind_texts_path
from kit.rules.model import RuleBase

if TYPE_CHECKING:
    from kit.case.models import Submission
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference
    from kit.rules.loader import RuleSet
    from kit.vocab.vocabulary import Vocabulary

R = TypeVar("R", bound=RuleBase)
HERE = Path(__file__).resolve().parent

# The values a kind adds to a message before it is rendered (labels, readable dates, ...).
Prepare = Callable[[dict[str, Any], "Vocabulary"], None]


@dataclass(frozen=True)
class Aggregated:
    """What an aggregate kind reads: the resolved findings of the other rules of a submission."""

    ruleset: RuleSet
    sub: Submission
    findings: list[Finding]
    vocab: Vocabulary
    order: int


@dataclass(frozen=True)
class KindSpec(Generic[R]):
    """One rule kind. `compile` and `reference` read the case (through facts and through plain
    Python, independently); an aggregate kind reads the other rules' findings instead (`stage`
    orders them). `fold` rewrites the resolved findings before the aggregates run, where a
    kind's finding and another rule's are one (E7: a carried exclusion is evidence of the
    ground's own finding). A prohibitive kind keeps the most severe of several candidates for
    one finding (one recent conviction excludes), a requirement the least severe (one valid
    document suffices)."""

    name: str
    model: type[R]
    situations: type[StrEnum]
    compile: Callable[[Compiler, R], None] | None = None
    reference: Callable[[Reference, R, Ctx], Iterable[Finding]] | None = None
    aggregate: Callable[[R, Aggregated], tuple[list[Finding], str | None]] | None = None
    fold: Callable[[R, list[Finding]], list[Finding]] | None = None
    stage: int = 0
    prohibitive: bool = False
    prepare: Prepare | None = None

    def texts(self) -> Mapping[str, Any]:
        return kind_texts(self.name)

    def template(self, situation: str) -> str:
        return str(self.texts()["messages"][situation])

    def letter(self, situation: str) -> str:
        """The sentence a provider's letter prints for `situation` ("": none of its own)."""
        return str(self.texts().get("letter", {}).get(situation, ""))

    @property
    def letter_restricted(self) -> bool:
        """Whether its letter sentences state what only the roles that may read its findings
        may read (kit.screening.policy.may_see): the provider's self-declaration answers, the Bibob
        conclusion. A letter prints them only when rendered by such a role (kit.output.letter)."""
        return bool(self.texts().get("letter_restricted", False))

    def not_applicable(self, variant: str | None = None) -> str:
        text = self.texts().get("not_applicable", "")
        if isinstance(text, dict):
            return str(text.get(variant or "default", text["default"]))
        return str(text)


@cache
def kind_texts(name: str) -> Mapping[str, Any]:
    """The Dutch texts of a kind: `messages` per situation, `letter` (what a provider's letter
    prints instead, where it differs), `not_applicable`, and its labels."""
    path = kind_texts_path(name)
    if not path.exists():
        return {"messages": {}}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {"messages": {}, **data}


@lru_cache(maxsize=1)
def shared_texts() -> Mapping[str, Any]:
    """Texts every kind shares: the neutral messages roles without access read."""
    return dict(yaml.safe_load((HERE / "shared.yaml").read_text(encoding="utf-8")))


def label_params(vocab: Vocabulary, doc_type: str) -> dict[str, str]:
    """A document type's label, as it starts a sentence and inside one."""
    text = vocab.document_label(doc_type)
    return {"label": text, "Label": text[:1].upper() + text[1:]}
