"""The `kit` command line: thin; it parses arguments, calls the library and prints in Dutch."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from kit.errors import KitError

app = typer.Typer(help="KIT-screening: Kwaliteit en Integriteit Twente.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
rules_app = typer.Typer(help="Regelsets controleren en tonen.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)
if not out.is_terminal:  # piped or captured: do not squeeze tables into 80 columns
    out = Console(highlight=False, width=200)

PROGRESS_FROM = 25  # cases; smaller batches finish before a bar would be readable


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]fout:[/red] {message}", markup=True)
    raise typer.Exit(code)


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: ongeldige datum {value!r}, verwacht JJJJ-MM-DD")


@app.command()
def screen(
    paths: Annotated[list[Path], typer.Argument(help="Casusbestanden of mappen met casussen.")],
    as_json: Annotated[bool, typer.Option("--json", help="Druk de resultaten af als JSON.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Peildatum JJJJ-MM-DD.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL (standaard KIT_DATABASE_URL of sqlite:///kit.db).")] = None,
) -> None:
    """Screen inschrijvingen en sla elke screening op."""
    from kit.case import case_files
    from kit.screening import screen as run_screen

    day = parse_date(as_of, "--as-of")
    try:
        files = case_files(paths)
        show_bar = len(files) >= PROGRESS_FROM and not as_json and err.is_terminal
        with Progress(console=err, transient=True, disable=not show_bar) as bar:
            task = bar.add_task("Screenen", total=len(files))
            batch = run_screen(files, day, db, progress=lambda n: bar.advance(task, n))
    except KitError as exc:
        fail(exc.message)
    for message in batch.errors:
        err.print(f"[red]fout:[/red] {message}")
    if as_json:
        results = [o.to_result() for o in batch.outcomes]
        single_file = len(paths) == 1 and paths[0].is_file()
        payload = results[0] if single_file and results else results
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title="KIT-screening")
        for column in ("Aanbieder", "KvK", "Perceel", "Uitspraak", "Open bevindingen", "Risico", "Screening"):
            table.add_column(column)
        for outcome in batch.outcomes:
            sub = outcome.case.submission
            for lot, verdict in outcome.lots.items():
                table.add_row(sub.provider.name, sub.provider.kvk, lot, verdict,
                              str(outcome.open_findings(lot)) if verdict != "ingetrokken" else "-",
                              outcome.risk or "-", outcome.screening_id or "-")
        out.print(table)
        stored = len(batch.outcomes)
        out.print(f"{stored} inschrijving(en) gescreend en opgeslagen"
                  + (f"; {len(batch.errors)} casus(sen) met fouten niet gescreend." if batch.errors else "."))
    if batch.errors:
        raise typer.Exit(1)


@rules_app.command("check")
def rules_check(
    directory: Annotated[Path | None, typer.Argument(help="Map met regelsets (standaard rules/).")] = None,
) -> None:
    """Controleer alle regelsets in een map."""
    from kit.rules.check import check_all

    try:
        report = check_all(directory)
    except KitError as exc:
        fail(exc.message)
    for line in report.lines:
        out.print(line)
    for warning in report.warnings:
        err.print(f"[yellow]waarschuwing:[/yellow] {warning}")
    if report.problems:
        for problem in report.problems:
            err.print(f"[red]fout:[/red] {problem}")
        raise typer.Exit(1)


@rules_app.command("show")
def rules_show(ruleset_id: Annotated[str, typer.Argument(help="Regelset, bijvoorbeeld kit-2025.")]) -> None:
    """Toon de regels van een regelset als leesbare tabel."""
    from kit.rules.describe import basis_text, parameters_text, scope_text
    from kit.rules.loader import load_ruleset

    try:
        ruleset = load_ruleset(ruleset_id)
    except KitError as exc:
        fail(exc.message)
    until = ruleset.in_force_until.isoformat() if ruleset.in_force_until else "heden"
    table = Table(title=f"{ruleset.title} ({ruleset.id}, van kracht {ruleset.in_force_from} t/m {until})",
                  show_lines=True)
    for column in ("Regel", "Eis", "Omschrijving", "Reikwijdte", "Parameters", "Uitkomst", "Grondslag"):
        table.add_column(column, overflow="fold")
    for rule in ruleset.rules:
        table.add_row(rule.id, ", ".join(rule.refs), rule.title, scope_text(rule.applies),
                      parameters_text(rule), rule.outcome, basis_text(rule))
    out.print(table)
    out.print(f"sha256: {ruleset.sha256}")


@app.command()
def schema(
    result: Annotated[bool, typer.Option("--result", help="Het schema van het screeningsresultaat.")] = False,
) -> None:
    """Druk het JSON Schema van het casusbestand af."""
    if result:
        from kit.result import ScreeningResult

        data = ScreeningResult.model_json_schema()
    else:
        from kit.case import json_schema

        data = json_schema()
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        app()
    except KitError as exc:  # a library error the command did not catch itself
        err.print(f"[red]fout:[/red] {exc.message}")
        sys.exit(1)
    except SQLAlchemyError as exc:
        err.print(f"[red]fout:[/red] database: {exc.__class__.__name__}: {str(exc).splitlines()[0]}; "
                  "er is niets opgeslagen")
        sys.exit(1)
