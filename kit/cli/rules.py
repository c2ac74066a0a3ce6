"""`kit rules check` and `kit rules show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import error, fail, out, rules_app, warning
from kit.cli.output import Table
from kit.errors import KitError


@rules_app.command("check")
def rules_check(
    directory: Annotated[
        Path | None, typer.Argument(help="Map met regelsets (standaard rules/).")
    ] = None,
) -> None:
    """Controleer alle regelsets in een map."""
    from kit.rules.check import check_all

    try:
        report = check_all(directory)
    except KitError as exc:
        fail(exc.message)
    for line in report.lines:
        out.print(line)
    for message in report.warnings:
        warning(message)
    if report.problems:
        for problem in report.problems:
            error(problem)
        raise typer.Exit(1)


@rules_app.command("show")
def rules_show(
    ruleset_id: Annotated[str, typer.Argument(help="Regelset, bijvoorbeeld kit-2025.")],
) -> None:
    """Toon de regels van een regelset als leesbare tabel."""
    from kit.rules.describe import basis_text, outcomes_text, parameters_text, scope_text
    from kit.rules.loader import load_ruleset

    try:
        ruleset = load_ruleset(ruleset_id)
    except KitError as exc:
        fail(exc.message)
    until = ruleset.in_force_until.isoformat() if ruleset.in_force_until else "heden"
    table = Table(
        title=f"{ruleset.title} ({ruleset.id}, van kracht {ruleset.in_force_from} t/m {until})",
        show_lines=True,
    )
    for column in (
        "Regel",
        "Eis",
        "Omschrijving",
        "Reikwijdte",
        "Parameters",
        "Uitkomst",
        "Grondslag",
    ):
        table.add_column(column, overflow="fold")
    for rule in ruleset.rules:
        table.add_row(
            rule.id,
            ", ".join(rule.refs),
            rule.title,
            scope_text(rule.applies),
            parameters_text(rule),
            outcomes_text(rule),
            basis_text(rule),
        )
    out.print(table)
    for code, procedure in ruleset.procedures.items():
        out.print(
            f"Procedure {code}: {procedure.label}, "
            f"contractstart {procedure.contract_start.isoformat()}"
        )
    for reason, refs in ruleset.rescreen.items():
        out.print(
            f"Herscreening (M3) bij {reason}: opnieuw beoordeeld {', '.join(refs)}; "
            "de rest blijft staan"
        )
    out.print(f"sha256: {ruleset.sha256}")
