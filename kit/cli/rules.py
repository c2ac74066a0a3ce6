"""`kit rules check` and `kit rules show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import error, fail, out, rules_app, warning
from kit.cli.options import Json
from kit.cli.output import print_json
from kit.errors import KitError


@rules_app.command("check")
def rules_check(
    directory: Annotated[
        Path | None,
        typer.Argument(metavar="MAP", help="Map met regelsets (standaard rules/)."),
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
    ruleset_id: Annotated[
        str, typer.Argument(metavar="REGELSET", help="Regelset, bijvoorbeeld kit-2025.")
    ],
    as_json: Json = False,
) -> None:
    """Toon de regels van een regelset, leesbaar: per regel wat zij eist, voor wie, met welke
    uitkomst en op welke grondslag."""
    from kit.rules.describe import basis_text, outcomes_text, parameters_text, scope_text
    from kit.rules.loader import load_ruleset

    try:
        ruleset = load_ruleset(ruleset_id)
    except KitError as exc:
        fail(exc.message)
    described = [
        {
            "rule": rule.id,
            "refs": list(rule.refs),
            "title": rule.title,
            "scope": scope_text(rule.applies),
            "parameters": parameters_text(rule),
            "outcome": outcomes_text(rule),
            "basis": basis_text(rule),
        }
        for rule in ruleset.rules
    ]
    if as_json:
        print_json(described)
        return
    until = ruleset.in_force_until.isoformat() if ruleset.in_force_until else "heden"
    out.print(
        f"{ruleset.title} ({ruleset.id}, van kracht {ruleset.in_force_from} t/m {until}): "
        f"{len(ruleset.rules)} regels"
    )
    width = max(out.width - 4, 40)
    for rule in described:
        out.print(f"\n{rule['rule']} ({', '.join(rule['refs'])}): {rule['title']}", style="bold")
        for label, key in (
            ("Voor", "scope"),
            ("Eisen", "parameters"),
            ("Uitkomst", "outcome"),
            ("Grondslag", "basis"),
        ):
            if rule[key] and rule[key] != "-":
                out.print(_indented(f"{label}: {rule[key]}", width))
    out.print()
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


def _indented(text: str, width: int) -> str:
    import textwrap

    return textwrap.fill(
        text, width, initial_indent="  ", subsequent_indent="    ", break_long_words=False
    )
