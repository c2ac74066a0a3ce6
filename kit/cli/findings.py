"""Findings as the command line shows them, in one layout everywhere (show, documents add, repair
diff, diff, rescreen): rule over subject, lot over outcome, due date, and the message as the
reader's role may read it, wrapping; it reads well from 80 columns on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kit.cli.output import Cell, cell, grid, out
from kit.screening.policy import message_for
from kit.timezone import today

if TYPE_CHECKING:
    from rich.console import Console


def _field(finding: Any, name: str) -> Any:
    return finding.get(name) if isinstance(finding, Mapping) else getattr(finding, name, None)


def finding_cells(finding: Any, role: str, note: str = "", mark: str = "") -> list[Cell]:
    """The cells of one finding; `mark` ("nieuw", "opgelost") goes first, `note` under the
    message (the evidence that closed it, say). A stored result's finding (a dict) carries its
    message for the role already."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.output.labels import lot_label
    from kit.screening.verdict import subject_text

    message = (
        str(finding["message"]) if isinstance(finding, Mapping) else message_for(role, finding)
    )
    due = _field(finding, "due")
    cells: list[Cell] = [
        [
            (str(_field(finding, "rule")), ""),
            (subject_text(str(_field(finding, "subject"))), "dim"),
        ],
        [
            (lot_label(_field(finding, "lot")), ""),
            (str(_field(finding, "outcome") or _field(finding, "status")), "dim"),
        ],
        cell(str(due) if due else "-"),
        [(message, "")] + ([(note, "dim")] if note else []),
    ]
    return ([cell(mark)] if mark else []) + cells


def show_findings(
    rows: Sequence[list[Cell]], marked: bool = False, target: Console | None = None
) -> None:
    headers = ["Regel", "Perceel", "Vervalt", "Bericht"]
    if marked:
        headers = ["Wat", *headers]
    grid(target or out, headers, list(rows), flexible=len(headers) - 1)


def finding_json(finding: Any, role: str) -> dict[str, Any]:
    """A finding as the read commands' JSON gives it, with the message for the reader's role."""

    if isinstance(finding, Mapping):
        return dict(finding)
    due = getattr(finding, "due", None)
    evidence = getattr(finding, "evidence", ())
    return {
        "rule": finding.rule,
        "requirement": finding.requirement,
        "subject": finding.subject,
        "lot": finding.lot,
        "status": finding.status,
        "outcome": finding.outcome,
        "message": message_for(role, finding),
        "due": str(due) if due else None,
        "evidence": finding.evidence_list() if isinstance(evidence, str) else list(evidence),
    }


def verdicts_now(store: Any, outcome: Any) -> str:
    """'Uitspraak: lot: verdict, …' of a screening just stored, as it stands today: a lot that a
    passed repair deadline or the last round made afgewezen says so (kit.views.show.standing_now),
    as `kit show`, `kit report` and the letters say; the line then says why."""

    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.views.show import standing_now

    row = store.screening(outcome.screening_id)
    now = standing_now(store, row, outcome.case.submission.id, today())
    lots = now["lots"] if now else outcome.lots
    shown = ", ".join(f"{lot}: {verdict}" for lot, verdict in lots.items())
    why = ("definitief: " if now and now["final"] else "") + (now["reason"] if now else "")
    return f"Uitspraak: {shown}" + (f" ({why})" if now else "")
