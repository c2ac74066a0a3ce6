"""The Dutch message of a finding, from its kind's templates (kit/kinds/<kind>.yaml; a rule may
override any of them under `messages:`). Shared by the engine and the reference evaluator: both
render the same situation the same way.

Placeholders come from the rule's parameters and the case's values: {label}, {doc_id}, {age},
{max}, {lot_label}, {staff}, {due}, ... A kind adds its own readable values (`KindSpec.prepare`).
The kind of a rule is its model's `kind_spec` (kit.rules.model.RuleBase): this module, in the
engine's layer, imports no kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any

import yaml

from kit.dates import dutch_date
from kit.paths import kind_texts_path
from kit.text import render
from kit.vocab.vocabulary import Vocabulary


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
    path = kind_texts_path("shared")
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def neutral(status: str, kind: str | None = None) -> str:
    """What a role without access reads of a sensitive finding: the kind's own `neutral` text
    (bibob.yaml: the Bibob officials read it too), else the shared one (shared.yaml)."""
    own = kind_texts(kind).get("neutral", {}) if kind else {}
    return str(own.get(status) or shared_texts()["neutral"][status])


def render_message(
    rule: Any,
    situation: str,
    params: dict[str, Any],
    data: dict[str, Any],
    vocab: Vocabulary,
    lot: str | None,
    due: str | None,
    sensitive: bool = False,
) -> tuple[str, str]:
    """The Dutch message of a finding, and what the provider's letters print of it: the rule's
    or its kind's letter sentence for the situation (`letters`, `letter:`), else the message;
    a reviewer's note appears there only when the reviewer shared it. A sensitive finding
    without a letter sentence gives "": the letter then prints a neutral sentence by outcome.
    `params` are the rule's own values (some are templates themselves, e.g. scope_text); `data`
    are values from the case, inserted verbatim and never read as a template, so braces in a
    provider's text cannot break or change a message."""
    spec = rule.kind_spec
    values: dict[str, Any] = {**params, **data, "due": dutch_date(due)}
    if lot:
        values["lot_label"] = vocab.lots[lot].label
    for name in ("issued", "measured", "start"):
        if name in data:
            values[name] = dutch_date(data[name])
    if spec.prepare is not None:
        spec.prepare(values, vocab)
    for name, text in params.items():
        if isinstance(text, str) and "{" in text:
            values[name] = render(text, values)
    template = rule.messages.get(situation) or spec.template(situation)
    letter = rule.letters.get(situation) or spec.letter(situation)
    # The template puts its own full stop after the clause: a note ending in one loses it.
    note = (data.get("note") or "").strip().rstrip(".")
    values["note_clause"] = f": {note}" if note else ""
    message = render(template, values)
    if note and not data.get("shared"):
        values["note_clause"] = ""
    if letter:
        return message, render(letter, values)
    if sensitive:
        return message, ""
    return message, render(template, values) if note else message


def answer_text(decl: Any) -> str:
    """A declaration answer as a reader says it: 'ja, 12 mei 2021' (sensitive: toezicht only)."""
    words = shared_texts()["answers"]
    parts = [str(words["true" if decl.answer else "false"])]
    if decl.event_date is not None:
        parts.append(dutch_date(decl.event_date.isoformat()))
    if decl.sanction:
        parts.append(decl.sanction)
    if decl.paid_or_arranged is not None:
        parts.append(str(words["paid" if decl.paid_or_arranged else "unpaid"]))
    return ", ".join(parts)
