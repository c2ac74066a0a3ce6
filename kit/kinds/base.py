"""What every rule kind provides: its rule model, its situations, how it compiles to
durable_rules productions, how the reference evaluator checks it, its Dutch message templates
(the YAML file beside its module) and its hit policy.

A kind module defines `SPEC = KindSpec(...)`; kit.kinds collects them into the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kit.engine.aggregate import Aggregated
from kit.engine.messages import kind_texts
from kit.rules.model import RuleBase

if TYPE_CHECKING:
    from kit.engine.compiler import Compiler
    from kit.engine.findings import Finding
    from kit.reference.context import Ctx
    from kit.reference.evaluator import Reference
    from kit.vocab.vocabulary import Vocabulary

R = TypeVar("R", bound=RuleBase)

# The values a kind adds to a message before it is rendered (labels, readable dates, ...).
Prepare = Callable[[dict[str, Any], "Vocabulary"], None]


@dataclass(frozen=True)
class KindSpec(Generic[R]):
    """One rule kind. `compile` and `reference` read the case (through facts and through plain
    Python, independently); an aggregate kind reads the other rules' findings instead (`stage`
    orders them). `fold` rewrites the resolved findings before the aggregates run, where a
    kind's finding and another rule's are one (E7: a carried exclusion is evidence of the
    ground's own finding). A prohibitive kind keeps the most severe of several candidates for
    one finding (one recent conviction excludes), a requirement the least severe (one valid
    document suffices).

    What only some kinds do is a hook here, never a switch on the kind's name elsewhere:
    `outcomes` says the outcomes a rule can give as a reviewer reads them (kit.rules.describe;
    default: its `outcome`), `not_applicable_lead` how a rule without a finding is introduced
    (kit.rules.applicability; default: by its title), and `gives_findings=False` marks a kind
    that decides about rounds and verdicts, not about the case. Making a spec binds it to its
    model (`RuleBase.kind_spec`): the engine, the reference and the rules' texts reach a rule's
    kind through the rule, and import no kind."""

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
    outcomes: Callable[[R], str] | None = None
    not_applicable_lead: Callable[[R, Vocabulary, str], str] | None = None
    gives_findings: bool = True

    def __post_init__(self) -> None:
        self.model.kind_spec = self

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


def label_params(vocab: Vocabulary, doc_type: str) -> dict[str, str]:
    """A document type's label, as it starts a sentence and inside one."""
    text = vocab.document_label(doc_type)
    return {"label": text, "Label": text[:1].upper() + text[1:]}
