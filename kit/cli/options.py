"""The options and arguments the commands share: one Dutch name each (the English name of
kit 0.2 stays as an alias for a release), a placeholder that names the value, one help text."""

from __future__ import annotations

from typing import Annotated, Any

import typer

DB_HELP = "Database-URL (standaard KIT_DATABASE_URL of sqlite:///kit.db)."


def as_of_option(help: str = "Peildatum JJJJ-MM-DD (standaard vandaag).") -> Any:
    return typer.Option("--peildatum", "--as-of", metavar="DATUM", help=help)


def by_option(help: str = "Wie het doet (standaard KIT_USER of de gebruiker).") -> Any:
    return typer.Option("--door", "--by", metavar="NAAM", help=help)


def out_option(help: str) -> Any:
    return typer.Option("--uitvoer", "--out", metavar="BESTAND", help=help)


def json_option(what: str = "de lijst") -> Any:
    return typer.Option("--json", help=f"Druk {what} af als JSON: een lijst van objecten.")


Db = Annotated[str | None, typer.Option("--db", metavar="URL", help=DB_HELP)]
AsOf = Annotated[str | None, as_of_option()]
By = Annotated[str | None, by_option()]
Json = Annotated[bool, json_option()]
Submission = Annotated[
    str,
    typer.Argument(metavar="INSCHRIJVING", help="Inschrijvingsnummer, bijvoorbeeld INS-2024-0042."),
]
Note = Annotated[
    str, typer.Option("--toelichting", "--note", metavar="TEKST", help="De toelichting.")
]

# Filters of the lists (report, monitor, werkvoorraad): each narrows the rows it names.
Procedure = Annotated[
    str | None, typer.Option("--procedure", metavar="PROCEDURE", help="Alleen deze procedure.")
]
Lot = Annotated[
    str | None, typer.Option("--perceel", metavar="PERCEEL", help="Alleen dit perceel (code).")
]
Verdict = Annotated[
    str | None,
    typer.Option("--uitspraak", metavar="UITSPRAAK", help="Alleen deze uitspraak."),
]
Risk = Annotated[str | None, typer.Option("--risico", metavar="KLEUR", help="Alleen dit risico.")]
Provider = Annotated[
    str | None,
    typer.Option(
        "--aanbieder", metavar="NAAM", help="Alleen aanbieders met dit in naam of KvK-nummer."
    ),
]
Overdue = Annotated[
    bool, typer.Option("--achterstallig", help="Alleen wat over de vervaldatum is.")
]
PasswordStdin = Annotated[
    bool,
    typer.Option("--wachtwoord-stdin", help="Lees het wachtwoord van standaardinvoer (één regel)."),
]
