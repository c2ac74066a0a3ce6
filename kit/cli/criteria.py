"""Judging by criteria on the command line (Q12): where a judgement comes from (`kit assess …
--criteria FILE` or `--interactief`: a file, or one question at a time on the terminal), and
`kit consistentie`, the report of how reviewers judge each criterion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kit.cli.common import acting, app, out
from kit.cli.options import Db, Json
from kit.cli.output import print_json
from kit.rules.criteria import Criterion
from kit.screening.criteria import NOTE_KEY, OUTCOME_KEY, outcome_words, read_answers

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


def _share(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


@app.command("consistentie")
def consistency_command(ctx: typer.Context, as_json: Json = False, db: Db = None) -> None:
    """Hoe vaak elk criterium van een inhoudelijk oordeel niet voldaan is, in totaal en per
    beoordelaar (Q12): waar beoordelaars verschillen. Voor beheer en toezicht."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.services.criteria import read_consistency

    report = read_consistency(open_store(db), acting(ctx))
    if as_json:
        print_json(report.to_json())
        return
    if not report.criteria:
        out.print("Nog geen oordelen per criterium vastgelegd (kit assess … --criteria).")
        return
    document = ""
    for row in report.criteria:
        if row.document != document:
            document = row.document
            out.print(f"\n{document}", style="bold")
        per = ", ".join(
            f"{name} {t.not_met}/{t.judged - t.not_applicable}"
            for name, t in sorted(row.by_reviewer.items())
        )
        spread = f"; verschil {_share(row.spread)}" if row.spread is not None else ""
        out.print(
            f"  {row.criterion}: niet voldaan {row.total.not_met} van "
            f"{row.total.judged - row.total.not_applicable} ({_share(row.total.share_not_met)})"
            f"{spread}; per beoordelaar: {per}"
        )
    out.print("\nPer beoordelaar:", style="bold")
    for reviewer in report.reviewers:
        out.print(
            f"  {reviewer.reviewer}: {reviewer.judgements} oordeel/oordelen, "
            f"{reviewer.insufficient} onvoldoende; criteria niet voldaan "
            f"{reviewer.criteria.not_met} van {reviewer.criteria.judged} "
            f"({_share(reviewer.criteria.share_not_met)})"
        )
