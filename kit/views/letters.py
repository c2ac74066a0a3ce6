"""The content of the letters to the provider, as a submission stands on a day: what the
repair request (herstelverzoek) asks and what the decision (besluit) says, read from the store
through the submission's state. kit.output.letter renders that content from the region's
templates; its docstring says what each letter holds and what a role may print.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from kit.case.history import BIBOB_REQUIREMENT
from kit.dates import dutch_date
from kit.errors import AccessDenied, KitError
from kit.output.letter import (
    PROVIDER,
    Item,
    letter_texts,
    render_docx,
    render_markdown,
    shown_text,
    verdict_texts,
    without_instructions,
)
from kit.screening.deadlines import deadline_of
from kit.screening.diff import repair_key
from kit.screening.policy import bibob_rules, may_see
from kit.screening.screen import ruleset_for
from kit.screening.verdict import lots_of, subject_lots, subject_text
from kit.views.submission import SubmissionState, current_verdicts, submission_state
from kit.vocab.vocabulary import vocabulary


def _letter_text(finding: Any, about: str, refused: bool) -> str:
    """What the provider reads of a finding: its letter text, without the instructions to send
    something in a refused lot's reasons; a neutral sentence by outcome where a sensitive
    finding has no text of its own. A finding stored before findings had a letter text reads
    as kit printed it then (its provider form, or the neutral sentence)."""
    letter = getattr(finding, "letter_message", None)
    if letter is None:
        message = finding.provider_message or finding.message
        return shown_text(message, finding.sensitive, finding.outcome, about, refused)
    if not letter:
        return shown_text("", True, finding.outcome, about, refused)
    return without_instructions(letter) if refused else letter


def _withheld(finding: Any, rule: Any, reader: str) -> bool:
    """Whether the finding's own letter text must not be printed in a letter `reader` renders:
    its kind's sentences state what only the roles that may read the finding may read (a
    kind's `letter_restricted`: self-declaration answers, the Bibob conclusion;
    kit.screening.policy), and `reader` is none of them. The provider previewing its own submission
    reads what it declared itself."""
    if reader == PROVIDER or not getattr(finding, "letter_message", None):
        return False  # no text of its own: the letter prints a neutral sentence anyway
    if rule is None:  # a rule its rule set no longer has: its text only for whom may read it
        restricted = bool(finding.sensitive)
    else:
        restricted = rule.kind_spec.letter_restricted
    return restricted and not may_see(reader, finding)


def _item(finding: Any, state: SubmissionState, reader: str, refused: bool = False) -> Item:
    rule: Any
    try:
        rule = state.ruleset.rule(finding.rule)
        title = rule.letter_title or rule.title
    except KeyError:
        rule, title = None, finding.requirement
    about = subject_text(finding.subject) if finding.subject != "provider" else ""
    withheld = _withheld(finding, rule, reader)
    shown = (
        shown_text("", True, finding.outcome, about, refused)
        if withheld
        else _letter_text(finding, about, refused)
    )
    due = dutch_date(finding.due.isoformat()) if finding.due else ""
    return Item(
        title=title,
        about=about,
        shown=shown,
        outcome=finding.outcome,
        basis=finding.basis,
        due="" if _names(shown, due) else due,  # a text that names its date says it once
        subject=finding.subject,
        requirement=finding.requirement,
        withheld=withheld,
    )


def _names(text: str, day: str) -> bool:
    """Whether `text` names the date `day` ('1 mei 2024'), not a longer one ('11 mei 2024')."""
    return bool(day) and re.search(rf"(?<!\d){re.escape(day)}(?!\d)", text) is not None


def _conditions(items: list[Item]) -> list[Item]:
    """Conditions, with once per staff member, after the last of theirs, that the staff
    member is not declarable until they are met (S2)."""
    last = {item.subject: i for i, item in enumerate(items) if item.subject.startswith("staff:")}
    sentence = str(letter_texts()["not_declarable"])
    return [
        replace(item, after=sentence.replace("{about}", item.about))
        if last.get(item.subject) == i
        else item
        for i, item in enumerate(items)
    ]


def _header(state: SubmissionState, today: date | None) -> dict[str, Any]:
    sub = state.case().submission
    procedure = state.ruleset.procedures.get(sub.procedure)
    return {
        "provider": sub.provider.name,
        "submission": sub.id,
        "kvk": sub.provider.kvk,
        "procedure": procedure.label if procedure else sub.procedure,
        "date": dutch_date((today or state.latest.as_of).isoformat()),
    }


def _open(findings: list[Any], outcome: str) -> list[Any]:
    return [f for f in findings if f.status != "voldaan" and f.outcome == outcome]


# Over 60 lines: the letter's context, field by field as the template reads it.
def repair_request_context(
    state: SubmissionState, findings: list[Any], verdicts: dict[str, str], today: date, reader: str
) -> dict[str, Any]:
    """What a herstelverzoek sent on `today` says (kit.screening.rounds): the open herstel findings
    no request asks yet, for the lots they concern, the round it opens and the deadline it gets
    (P2). Refused when none can be sent (excluded, nothing to ask, a request still running, no
    round left). A reviewer sends it (kit.services.actor): what only toezicht or the Bibob
    officials may read gets the neutral sentence when another role renders it, so that the
    request can be sent at all."""
    vocab = vocabulary()
    sub = state.case().submission
    rounds = state.rounds(today)
    refusal = rounds.refusal()
    if refusal is not None:
        raise KitError(refusal)
    asked = rounds.keys_to_send()
    active = sub.active_lots()
    by_subject = subject_lots(sub)
    repair = [f for f in _open(findings, "herstel") if repair_key(f) in asked]
    lots = [lot for lot in active if lot in rounds.to_send]
    deadline = deadline_of(ruleset_for(today).process(), today)
    provider_wide = [
        f
        for f in repair
        if f.lot is None and (f.subject == "provider" or f.subject.startswith("board:"))
    ]
    concerned = set(lots)

    def ours(items: list[Any]) -> list[Item]:
        return [
            _item(f, state, reader)
            for f in items
            if f in provider_wide or concerned & lots_of(f, set(active), by_subject)
        ]

    context = {
        **_header(state, today),
        "next_round": rounds.next_round,
        "allowed": rounds.allowed,
        "deadline": dutch_date(deadline.isoformat()),
        "working_days": rounds.process.deadline_working_days,
        # The deadline runs from the day this request is sent (P2).
        "requested": dutch_date(today.isoformat()),
        "left_after": max(rounds.allowed - rounds.next_round, 0),
        "repaired": [vocab.lots[lot].label for lot in lots],
        "provider_wide": [_item(f, state, reader) for f in provider_wide],
        "lots": [
            {
                "label": vocab.lots[lot].label,
                "repair": [
                    _item(f, state, reader)
                    for f in repair
                    if f not in provider_wide and lot in lots_of(f, set(active), by_subject)
                ],
            }
            for lot in lots
        ],
        "pending": ours(_open(findings, "beoordeling")),
        "conditions": _conditions(ours(_open(findings, "voorwaardelijk"))),
        "withdrawn": [vocab.lots[reg.lot].label for reg in sub.lots if reg.withdrawn],
    }
    return context


# Which open findings explain each verdict in the decision letter.
REASONS = {
    "uitgesloten": ("uitsluiting",),
    "afgewezen": ("herstel",),
    "herstel-nodig": ("herstel",),
    "in-beoordeling": ("beoordeling",),
    "toegelaten-onder-voorwaarden": ("voorwaardelijk",),
}


# Over 60 lines: the letter's context, field by field as the template reads it.
def decision_context(
    state: SubmissionState, findings: list[Any], verdicts: dict[str, str], today: date, reader: str
) -> dict[str, Any]:
    """What the besluit says: per lot the verdict, the findings behind it with their basis, and
    the route for objections for the lots decided. An exclusion is stated once, with what can
    lift it; a lot with no decision yet says what is still open. A besluit that states what
    only toezicht (Bibob material: also the Bibob officials) may read is theirs to write:
    refused to `reader` if it is another role."""
    vocab = vocabulary()
    sub = state.case().submission
    active = set(sub.active_lots())
    by_subject = subject_lots(sub)
    texts = verdict_texts()
    around = letter_texts()
    open_verdicts = set(around["no_decision_yet"])
    rejecting = _rejecting(state, findings, today)
    lots = []
    stated: list[tuple[Any, Item]] = []  # every finding the letter states, as it states it
    for reg in sub.lots:
        verdict = verdicts.get(reg.lot, "ingetrokken" if reg.withdrawn else "-")
        outcomes = REASONS.get(verdict, ())
        reasons = rejecting.get(reg.lot) if verdict == "afgewezen" else None
        if reasons is None:
            reasons = [
                f
                for f in findings
                if f.status != "voldaan"
                and f.outcome in outcomes
                and f.outcome != "uitsluiting"  # stated once, for every lot (below)
                and reg.lot in lots_of(f, active, by_subject)
            ]
        items = [_item(f, state, reader, refused=verdict == "afgewezen") for f in reasons]
        stated += zip(reasons, items, strict=True)
        lots.append(
            {
                "label": vocab.lots[reg.lot].label,
                "verdict": vocab.verdict_labels.get(verdict, verdict),
                "decided": verdict not in open_verdicts,
                "excluded": verdict == "uitgesloten",
                "explanation": texts.get(verdict, ""),
                "reasons": _conditions(items) if verdict in CONDITIONAL else items,
            }
        )
    excluding = _open(findings, "uitsluiting")
    exclusion = [_item(f, state, reader) for f in excluding]
    stated += zip(excluding, exclusion, strict=True)
    withheld = [f for f, item in stated if item.withheld]
    if withheld:
        raise _not_theirs(sub.id, reader, withheld)
    routes = {"bibob" if f.requirement == BIBOB_REQUIREMENT else "self_cleaning" for f in exclusion}
    words = around["exclusion"]
    decided = [lot["label"] for lot in lots if lot["decided"]]
    undecided = [lot["label"] for lot in lots if not lot["decided"]]
    return {
        **_header(state, today),
        "decision": bool(decided),
        "lots": lots,
        "exclusion": exclusion,
        "exclusion_intro": words["intro"] if exclusion else "",
        "lifting": [words[route] for route in ("self_cleaning", "bibob") if route in routes],
        "zienswijze": words["zienswijze"] if "bibob" in routes else "",
        "decided": decided,
        "undecided": undecided,
    }


def _rejecting(state: SubmissionState, latest: list[Any], day: date) -> dict[str, list[Any]]:
    """Per lot afgewezen on `day`, the findings that made it so, as they stood when that was
    judged (kit.screening.rounds.Rounds.rejected_on): on the day a request's deadline passed (P6:
    what came after, a judgement included, changes nothing of it), or in the last round (P3). Not
    whatever is open now: a judgement after the deadline may have closed the very finding."""
    read = {state.latest.pk: latest}
    out: dict[str, list[Any]] = {}
    for lot, keys in state.rounds(day).rejected_on.items():
        found = []
        for pk in sorted(set(keys.values())):
            if pk not in read:
                read[pk] = state.store.findings(pk)
            wanted = {key for key, at in keys.items() if at == pk}
            found += [f for f in read[pk] if f.status != "voldaan" and repair_key(f) in wanted]
        out[lot] = found
    return out


def _not_theirs(submission: str, reader: str, withheld: list[Any]) -> AccessDenied:
    """The refusal of a besluit that states what `reader` may not read, naming who writes it."""
    bibob = sum(f.rule in bibob_rules() for f in withheld)
    if bibob == len(withheld):
        what, writers = "gegevens uit het Bibob-onderzoek", "toezicht of een Bibob-functionaris"
    else:
        also = " en het Bibob-onderzoek" if bibob else ""
        what, writers = f"gegevens uit de eigen verklaring van de aanbieder{also}", "toezicht"
    return AccessDenied(
        f"inschrijving {submission}: dit besluit noemt {what}; het besluit schrijft {writers} "
        f"(huidige rol: {reader})"
    )


# Verdicts whose reasons are conditions (a staff member's: not declarable until met).
CONDITIONAL = ("toegelaten-onder-voorwaarden",)


LETTERS = {"herstelverzoek": repair_request_context, "besluit": decision_context}


def letter_text(store: Any, submission_id: str, kind: str, day: date, *, role: str) -> str:
    """The letter of `kind` (herstelverzoek or besluit) as Markdown, for a submission's latest
    screening as it stands on `day`, rendered by `role` (what it may print: the module's
    docstring): what `kit repair letter`, `kit letter` and the web application write; the
    preview of the DOCX."""
    return render_markdown(_context(store, submission_id, kind, day, role), kind)


def letter_docx(store: Any, submission_id: str, kind: str, day: date, *, role: str) -> bytes:
    """The same letter as a Word document (kit.output.letter.render_docx)."""
    return render_docx(_context(store, submission_id, kind, day, role), kind, submission_id)


def _context(store: Any, submission_id: str, kind: str, day: date, role: str) -> dict[str, Any]:
    if kind not in LETTERS:
        raise KitError(f"brief: onbekend {kind!r}; kies uit {', '.join(LETTERS)}")
    state = submission_state(store, submission_id)
    findings = store.findings(state.latest.pk)
    context: dict[str, Any] = LETTERS[kind](
        state, findings, current_verdicts(store, state, day), day, role
    )
    return context
