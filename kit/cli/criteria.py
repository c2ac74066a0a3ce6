"""Where a judgement by criteria comes from on the command line (`kit assess … --criteria FILE`
or `--interactief`): a file, or one question at a time on the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kit.cli.common import out
from kit.criteria_judgement import NOTE_KEY, OUTCOME_KEY, outcome_words, read_answers
from kit.rules.criteria import Criterion

# What a reviewer may type at the prompt, per outcome (index into outcome_words()).
_SHORT = {"j": 0, "ja": 0, "n": 1, "nee": 1, "nvt": 2, "n.v.t.": 2}


def answers_from_file(path: Path) -> Any:
    return read_answers(path)


def _ask_outcome(criterion: Criterion) -> str:
    words = outcome_words()
    allowed = "j(a) / n(ee)" + (" / nvt" if criterion.may_not_apply else "")
    while True:
        typed = str(typer.prompt(f"  Voldaan? {allowed}")).strip().lower()
        index = _SHORT.get(typed)
        if typed in words:
            index = words.index(typed)
        if index is None or (index == 2 and not criterion.may_not_apply):
            out.print(f"  Antwoord met {allowed}.")
            continue
        return words[index]


def answers_by_prompt(document: str, criteria: list[Criterion]) -> dict[str, Any]:
    """One question per criterion; a criterion not met asks for the reviewer's remark."""
    failed = outcome_words()[1]
    out.print(f"Beoordeling van {document}: {len(criteria)} criteria.")
    answers: dict[str, Any] = {}
    for number, criterion in enumerate(criteria, 1):
        required = "" if criterion.required else " (niet verplicht)"
        out.print(f"\n{number}. {criterion.question}{required}")
        out.print(f"   Grondslag: {criterion.basis}")
        outcome = _ask_outcome(criterion)
        if outcome == failed:
            note = ""
            while not note.strip():
                note = str(typer.prompt("  Toelichting (wat ontbreekt?)"))
            answers[criterion.code] = {OUTCOME_KEY: outcome, NOTE_KEY: note}
        else:
            answers[criterion.code] = outcome
    return answers
