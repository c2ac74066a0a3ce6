"""Shared pieces of the `kit` command line: the typer apps, consoles and error handling."""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import typer
from rich.console import Console

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


