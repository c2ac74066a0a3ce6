"""What a region-sized run changed: per lot how many verdicts went from what to what, and the
providers whose verdict changed (`kit rescreen --alle`, `kit screen` of a region)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kit.cli.output import cell, grid, out, two_lines
from kit.output.labels import look, lot_label

Verdicts = list[tuple[str, str, str, str | None, str]]  # kit.services.batch.Report.verdicts


def changes_json(verdicts: Verdicts) -> dict[str, Any]:
    """Per lot the (from, to) counts, and every provider and lot whose verdict changed."""
    counts = Counter((lot, before, after) for _, _, lot, before, after in verdicts)
    return {
        "per_lot": [
            {"lot": lot, "from": before, "to": after, "count": n}
            for (lot, before, after), n in sorted(counts.items(), key=lambda kv: _order(kv[0]))
        ],
        "changed": [
            {"submission_id": sub, "provider_name": name, "lot": lot, "from": before, "to": after}
            for sub, name, lot, before, after in changed(verdicts)
        ],
    }


def changed(verdicts: Verdicts) -> Verdicts:
    """The verdicts that changed, by provider, submission and lot: the same order every run,
    whichever worker finished first."""
    return sorted(
        (v for v in verdicts if v[3] is not None and v[3] != v[4]),
        key=lambda v: (v[1], v[0], v[2]),
    )


def _order(key: tuple[str, str | None, str]) -> tuple[str, str, str]:
    lot, before, after = key
    return lot, before or "", after


def show_changes(verdicts: Verdicts) -> None:
    """The per-lot summary, then the providers whose verdict changed."""
    if not verdicts:
        return
    counts = Counter((lot, before, after) for _, _, lot, before, after in verdicts)
    out.print("Uitspraken per perceel (van → naar):")
    grid(
        out,
        ["Perceel", "Van", "Naar", "Aantal"],
        [
            [
                cell(lot_label(lot)),
                [look("verdicts", before)] if before else cell("nieuw"),
                [look("verdicts", after)],
                cell(str(n)),
            ]
            for (lot, before, after), n in sorted(counts.items(), key=lambda kv: _order(kv[0]))
        ],
        flexible=0,
    )
    moved = changed(verdicts)
    providers = len({sub for sub, *_ in moved})
    out.print(
        f"Percelen met een gewijzigde uitspraak: {len(moved)}, bij {providers} "
        + ("aanbieder" if providers == 1 else "aanbieders")
    )
    if moved:
        grid(
            out,
            ["Aanbieder", "Perceel", "Van", "Naar"],
            [
                [
                    two_lines(name, sub),
                    cell(lot_label(lot)),
                    [look("verdicts", before)],
                    [look("verdicts", after)],
                ]
                for sub, name, lot, before, after in moved
            ],
        )
