"""How `kit rules impact` and `kit rules diff` show what they found: tables, JSON, xlsx."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from kit.cli.changes import changes_json, show_changes
from kit.cli.output import cell, grid, out
from kit.errors import KitError, os_error_text
from kit.rules.diff import RuleChange
from kit.rules.loader import RuleSet
from kit.views.criteria_impact import CriteriaImpact
from kit.views.impact import Impact

Compared = tuple[RuleSet | None, RuleSet | None, list[tuple[str, str, str]], list[RuleChange]]


def impact_json(
    found: Impact, criteria: list[CriteriaImpact] | None = None
) -> list[dict[str, Any]]:
    """One list, each item saying its `soort`: the totals, the verdict transitions per lot,
    the providers whose verdict changes, the rules whose findings change, and the documents
    whose criteria change (Q12)."""
    changes = changes_json(found.verdicts)
    return [
        {
            "soort": "samenvatting",
            "submissions": found.submissions,
            "verdicts_changed": len(found.changed()),
            "extra_repair_requests": len(found.more_repair),
            "fewer_repair_requests": len(found.less_repair),
            "errors": sorted(found.errors),
        },
        *({"soort": "overgang", **item} for item in changes["per_lot"]),
        *({"soort": "aanbieder", **item} for item in changes["changed"]),
        *(
            {"soort": "regel", "rule": r, "title": t, "added": a, "removed": d}
            for r, t, a, d in found.rules()
        ),
        *(item.to_json() for item in criteria or []),
    ]


def show_impact(
    found: Impact, changed: str, day: date | None, criteria: list[CriteriaImpact] | None = None
) -> None:
    on = f"op {day.isoformat()}" if day else "elk op de datum van zijn screening"
    out.print(
        f"Doorgerekend: {found.submissions} inschrijvingen ({on}), de regels van kracht "
        f"tegen {changed}; niets opgeslagen."
    )
    show_changes(found.verdicts)
    rules = found.rules()
    out.print(f"\nRegels met andere bevindingen: {len(rules)}")
    if rules:
        grid(
            out,
            ["Regel", "Wat", "Erbij", "Eraf"],
            [[cell(r), cell(t), cell(str(a)), cell(str(d))] for r, t, a, d in rules],
            flexible=1,
        )
    out.print(
        f"\nGeschatte extra herstelverzoeken: {len(found.more_repair)} "
        f"(en {len(found.less_repair)} inschrijvingen hoeven niet meer te herstellen)"
    )
    for item in criteria or []:
        out.print(
            f"\nCriteria van {item.document} wijzigen ({item.ruleset}): {item.judgements} "
            f"oordeel/oordelen per criterium bij {item.submissions} inschrijving(en) zijn tegen "
            "de huidige criteria gemaakt; zij blijven staan, een nieuw oordeel gebruikt de "
            "gewijzigde."
        )
        for what, was, becomes in item.changes:
            out.print(f"  {what}: {was} → {becomes}")


def write_impact(found: Impact, changed: str, path: Path) -> None:
    """The same as a workbook: transitions, providers, rules (kit.output.xlsx neutralises texts that
    a spreadsheet would take for a formula)."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.output.xlsx import Sheet, write_workbook

    summary = Sheet("Samenvatting", ["Wat", "Aantal"], frozen_columns=1)
    for what, n in (
        ("Inschrijvingen doorgerekend", found.submissions),
        ("Uitspraken die veranderen", len(found.changed())),
        ("Extra herstelverzoeken (geschat)", len(found.more_repair)),
        ("Inschrijvingen die niet meer hoeven te herstellen", len(found.less_repair)),
        ("Niet door te rekenen (fouten)", len(found.errors)),
    ):
        summary.add([what, n])
    for message in sorted(found.errors):
        summary.add([message, None])
    counts = Counter((lot, before, after) for _, _, lot, before, after in found.verdicts)
    lots = Sheet("Overgangen", ["Perceel", "Van", "Naar", "Aantal"], frozen_columns=1)
    for (lot, before, after), n in sorted(counts.items(), key=lambda kv: str(kv[0])):
        lots.add([lot, before or "nieuw", after, n])
    providers = Sheet(
        "Aanbieders", ["Aanbieder", "Inschrijving", "Perceel", "Van", "Naar"], frozen_columns=1
    )
    for sub, name, lot, before, after in sorted(found.changed(), key=lambda v: (v[1], v[0])):
        providers.add([name, sub, lot, before or "nieuw", after])
    rules = Sheet("Regels", ["Regel", "Wat", "Erbij", "Eraf"], frozen_columns=1)
    for rule, title, added, removed in found.rules():
        rules.add([rule, title, added, removed])
    try:
        write_workbook(path, [summary, lots, providers, rules], f"KIT: doorrekening van {changed}")
    except OSError as exc:
        raise KitError(f"{path}: kan het bestand niet schrijven ({os_error_text(exc)})") from None


def show_diff(found: list[Compared]) -> None:
    """Per pair of versions what changed, as `kit rules show` reads."""
    for old, new, header, rules in found:
        if old is None or new is None:
            only = old or new
            assert only is not None
            side = "alleen in A" if new is None else "alleen in B"
            out.print(f"{only.id}: {side} ({only.period_text()})", style="bold")
            continue
        names = old.id if old.id == new.id else f"{old.id} → {new.id}"
        out.print(f"{names}: {len(rules)} regel(s) anders", style="bold")
        for what, was, becomes in header:
            out.print(f"  {what}: {was} → {becomes}")
        for change in rules:
            out.print(f"\n{change.rule}: {change.soort} ({change.title})")
            for what, was, becomes in change.changes:
                out.print(f"  {what}: {was} → {becomes}")
        out.print()
