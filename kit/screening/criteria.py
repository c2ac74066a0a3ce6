"""A content judgement made by criteria (Q12): the reviewer's outcome per criterion, checked
against the criteria the rule set lists for the document, and what follows from it.

The document is `voldoende` only when every required criterion is met (or not applicable where
the rule set allows that); otherwise `onvoldoende`, and the note the provider reads names each
criterion not met in the provider's words from the rule set. The outcomes themselves are stored
per criterion with the decision (kit.store CriterionOutcomeRow).

Layer: screening (what a judgement means), below services and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.errors import CaseError, KitError
from kit.limits import plain_text
from kit.rules.criteria import Criterion
from kit.structured import read_structured
from kit.vocab.vocabulary import vocabulary

OUTCOME_KEY = "uitkomst"
NOTE_KEY = "toelichting"


@dataclass(frozen=True)
class CriterionOutcome:
    code: str
    outcome: str
    note: str = ""


@dataclass(frozen=True)
class CriteriaJudgement:
    document: str
    outcomes: tuple[CriterionOutcome, ...]
    judgement: str  # voldoende or onvoldoende
    note: str  # what the decision records as its note (the provider may read it)

    def not_met(self) -> list[str]:
        failed = outcome_words()[1]
        return [o.code for o in self.outcomes if o.outcome == failed]


def outcome_words() -> tuple[str, str, str]:
    """(met, not met, not applicable) as the vocabulary spells them."""
    met, failed, not_applicable = vocabulary().criterion_outcomes
    return met, failed, not_applicable


def read_answers(path: Path) -> Any:
    """A criteria file (YAML or JSON), within the same limits as a case file."""
    try:
        return read_structured(path)
    except CaseError as exc:
        raise KitError(exc.message) from None


def _one(source: str, criterion: Criterion, value: Any) -> CriterionOutcome:
    met, failed, not_applicable = outcome_words()
    where = f"{source}: {criterion.code}"
    note: Any = ""
    if isinstance(value, dict):
        unknown = set(value) - {OUTCOME_KEY, NOTE_KEY}
        if unknown:
            raise KitError(
                f"{where}.{min(unknown)}: onbekend veld; gebruik {OUTCOME_KEY} en {NOTE_KEY}"
            )
        outcome, note = value.get(OUTCOME_KEY), value.get(NOTE_KEY, "")
        where_outcome = f"{where}.{OUTCOME_KEY}"
    else:
        outcome, where_outcome = value, where
    if outcome not in (met, failed, not_applicable):
        raise KitError(
            f"{where_outcome}: onbekende uitkomst {outcome!r}; kies uit "
            f"{', '.join((met, failed, not_applicable))}"
        )
    if not isinstance(note, str):
        raise KitError(f"{where}.{NOTE_KEY}: verwacht een tekst")
    note = plain_text(note, f"{where}.{NOTE_KEY}").strip()
    if outcome == not_applicable and not criterion.may_not_apply:
        raise KitError(
            f"{where_outcome}: de regelset staat {not_applicable} bij dit criterium niet toe; "
            f"kies {met} of {failed}"
        )
    if outcome == failed and not note:
        raise KitError(
            f"{where}.{NOTE_KEY}: bij {failed} hoort een toelichting (schrijf "
            f"'{criterion.code}: {{{OUTCOME_KEY}: {failed}, {NOTE_KEY}: ...}}')"
        )
    return CriterionOutcome(criterion.code, str(outcome), note)


def judge(
    document: str,
    criteria: list[Criterion],
    answers: Any,
    source: str,
    notes_for_provider: bool = False,
) -> CriteriaJudgement:
    """The judgement the answers give, or a Dutch KitError naming `source` and the criterion:
    every criterion of the document answered, no other code, a known outcome, a remark where not
    met. `notes_for_provider`: the reviewer's remarks may be read by the provider too."""
    if not criteria:
        raise KitError(f"{document}: de regelset noemt geen criteria voor dit document")
    if not isinstance(answers, dict) or not answers:
        raise KitError(
            f"{source}: verwacht per criterium een uitkomst, bijvoorbeeld "
            f"'{criteria[0].code}: {outcome_words()[0]}'"
        )
    known = {c.code: c for c in criteria}
    for code in answers:
        if code not in known:
            raise KitError(
                f"{source}: {code}: onbekend criterium voor {document}; bekend: {', '.join(known)}"
            )
    missing = [code for code in known if code not in answers]
    if missing:
        raise KitError(
            f"{source}: {missing[0]}: ontbreekt; elk criterium van {document} krijgt een "
            f"uitkomst (ontbrekend: {', '.join(missing)})"
        )
    outcomes = tuple(_one(source, c, answers[c.code]) for c in criteria)
    return conclude(document, criteria, outcomes, notes_for_provider)


def conclude(
    document: str,
    criteria: list[Criterion],
    outcomes: tuple[CriterionOutcome, ...],
    notes_for_provider: bool = False,
) -> CriteriaJudgement:
    """voldoende when every required criterion is met or not applicable; the note names the
    criteria not met in the provider's words (with the reviewer's remark when it may be read)."""
    _, failed, not_applicable = outcome_words()
    by_code = {c.code: c for c in criteria}
    failing = [o for o in outcomes if o.outcome == failed]
    decisive = [o for o in failing if by_code[o.code].required]
    judgement = "onvoldoende" if decisive else "voldoende"
    sentences = []
    for outcome in failing:
        text = by_code[outcome.code].when_not_met.strip()
        if notes_for_provider:
            text = f"{text.rstrip('.')} ({outcome.note.rstrip('.')})."
        sentences.append(text if by_code[outcome.code].required else f"Aandachtspunt: {text}")
    if decisive:
        note = "niet aan elk criterium voldaan. " + " ".join(sentences)
    else:
        skipped = [o.code for o in outcomes if o.outcome == not_applicable]
        note = "aan elk vereist criterium voldaan" + (
            f" ({not_applicable}: {', '.join(skipped)})" if skipped else ""
        )
        if sentences:
            note += ". " + " ".join(sentences)
    return CriteriaJudgement(document, outcomes, judgement, note)
