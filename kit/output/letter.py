"""Letters to the provider, in Dutch, from templates the region can edit (kit/templates/letters).

Two letters, each for its own situation:
- the repair request (herstelverzoek): only while something open is still to be asked and a
  round is left (kit.screening.rounds); it lists only those lots, with the deadline it gets from
  the day it is sent;
- the decision letter (besluit): per lot the verdict, the reasons with their legal basis, and
  the route for objections; a lot on which nothing is decided yet (still judged, still to be
  repaired) gets no decision and no objection route, but what is still open. An exclusion is
  stated once, to the provider that made the declaration: the ground, whom it concerns (by
  role) and its date, or the Bibob conclusion with the right to give a view (zienswijze), and
  what can lift it.
What a provider reads of a finding is its letter text, written at screening per situation by
its rule kind (kit/kinds/<kind>.yaml `letter:`, a rule's `letters:`): addressed to the provider,
with a reviewer's note only when shared, and without what only toezicht and the Bibob officials
may read (dates, diplomas, register numbers, the Bibob investigation). Nothing internal is
printed: no screening code, rule set, rule code, or title qualifier meant for reviewers (a
rule's `letter_title`).
Who renders a letter matters where a finding's letter text states what only some roles may read
(the provider's self-declaration answers, the Bibob conclusion: a kind's `letter_restricted`):
the decision letter that states them is written by those roles (toezicht; for the Bibob
material also the Bibob officials) and refused to any other; the repair request, which a
reviewer sends, gives such a finding the neutral sentence when a role that may not read it
renders it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kit.output.docx_meta import with_properties
from kit.text import visible_value

TEMPLATES = Path(__file__).resolve().parent / "templates" / "letters"
# Who reads a letter besides the roles: the provider previewing its own submission (kit check,
# /voorcontrole), who may read what it declared itself.
PROVIDER = "aanbieder"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        # Every value on one line, control characters written out, Markdown's own characters
        # escaped: a provider's name or a reviewer's note cannot add a heading, a link, an
        # image, HTML or a table row to an official letter, nor send escape sequences to the
        # terminal that shows it.
        finalize=_markdown_value,
    )


_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~&!])")


def _markdown_value(value: object) -> object:
    """A value as Markdown shows it literally (a backslash before each of its characters)."""
    shown = visible_value(value)
    return _MARKDOWN.sub(r"\\\1", shown) if isinstance(shown, str) else shown


@lru_cache(maxsize=1)
def verdict_texts() -> dict[str, str]:
    return dict(yaml.safe_load((TEMPLATES / "uitleg.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def neutral_texts() -> dict[str, str]:
    return dict(yaml.safe_load((TEMPLATES / "neutraal.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def refusal_texts() -> dict[str, Any]:
    return dict(yaml.safe_load((TEMPLATES / "afwijzing.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def letter_texts() -> dict[str, Any]:
    """What the letters say around the findings (teksten.yaml)."""
    return dict(yaml.safe_load((TEMPLATES / "teksten.yaml").read_text(encoding="utf-8")))


def shown_text(
    message: str, sensitive: bool, outcome: str | None, about: str, refused: bool = False
) -> str:
    """What the provider reads of a finding: its message, or for a sensitive one a neutral
    sentence by its outcome (neutraal.yaml). `refused`: a reason of a refused lot, without the
    instructions to send something (afwijzing.yaml)."""
    if not sensitive:
        return without_instructions(message) if refused else message
    texts = neutral_texts()
    if refused and outcome == "herstel":
        text = str(refusal_texts()["herstel"])
    else:
        text = texts.get(outcome or "", texts["anders"])
    return text.replace("{voor}", f"voor {about} " if about else "")


@lru_cache(maxsize=1)
def _closing_instruction() -> re.Pattern[str]:
    opening = "|".join(re.escape(word) for word in refusal_texts()["instructions"])
    return re.compile(rf"\s+(?:{opening})\b[^.]*\.?\s*$")


def without_instructions(message: str) -> str:
    """The message without its closing sentences that tell the provider what to send."""
    closing = _closing_instruction()
    shorter = closing.sub("", message)
    while shorter != message:
        message, shorter = shorter, closing.sub("", shorter)
    return message


@dataclass(frozen=True)
class Item:
    """A finding as a letter prints it."""

    title: str
    about: str
    shown: str  # what the provider reads (Finding.letter, or a neutral sentence)
    outcome: str | None
    basis: str
    due: str
    subject: str
    requirement: str
    after: str = ""  # a sentence printed once after the item (not declarable, S2)
    withheld: bool = False  # its own text gave way to the neutral sentence (_withheld)


FORMATS = ("md", "docx")


def render_markdown(context: dict[str, Any], kind: str) -> str:
    """A letter of `kind` (herstelverzoek or besluit) as Markdown, from its context
    (kit.views.letters builds it)."""
    return _environment().get_template(f"{kind}.md.j2").render(context)


def render_docx(context: dict[str, Any], kind: str, submission_id: str) -> bytes:
    """The same letter as a Word document, from the region's template `<kind>.docx` (docxtpl:
    Jinja tags in a document edited in Word). Values are escaped for the document's XML and
    kept on one line; the document's properties name the letter and the region (docx_meta)."""
    # Start-up time: docxtpl loads python-docx and lxml, needed only for a Word letter.
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]  # docxtpl ships no types

    document = DocxTemplate(str(TEMPLATES / f"{kind}.docx"))
    document.render(_one_lined(context), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return with_properties(out.getvalue(), kind, submission_id, letter_texts())


def _one_lined(value: Any) -> Any:
    """The context with every text made visible and single-line (visible_value), all the way
    down: docxtpl renders the values itself."""
    if isinstance(value, dict):
        return {k: _one_lined(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_one_lined(v) for v in value]
    if isinstance(value, Item):
        return Item(**{k: _one_lined(v) for k, v in value.__dict__.items()})
    return visible_value(value)
