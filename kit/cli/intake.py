"""`kit intake sjabloon`, `kit intake naar-yaml` and `kit check`: the region's intake workbook,
and the provider's self-check before submitting."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml

from kit.cli.common import command_group, fail, out, parse_date
from kit.cli.options import as_of_option, out_option
from kit.errors import os_error_text
from kit.paths import write_file
from kit.timezone import today

if TYPE_CHECKING:
    from kit.output.letter import Item
    from kit.views.selfcheck import SelfCheck

intake_app = command_group(
    "intake", "De inschrijvingswerkmap van de regio: het sjabloon maken en een werkmap lezen."
)
from kit.cli.common import app  # noqa: E402  (after the group: `kit check` is a top-level command)

CaseFile = Annotated[
    Path,
    typer.Argument(
        metavar="BESTAND", help="De ingevulde werkmap (.xlsx) of een casusbestand (YAML, JSON)."
    ),
]


@intake_app.command("sjabloon")
def template(
    output: Annotated[Path, out_option("Waar de werkmap komt (.xlsx).")],
    procedure: Annotated[
        str | None,
        typer.Option(
            "--procedure",
            metavar="CODE",
            help="De procedure; staat dan al ingevuld (kies uit die van de regelset).",
        ),
    ] = None,
    as_of: Annotated[
        str | None, as_of_option("De regelset die op deze datum geldt (standaard vandaag).")
    ] = None,
    case_file: Annotated[
        Path | None,
        typer.Option(
            "--casus",
            metavar="BESTAND",
            help="Vul de werkmap in met deze casus (YAML, JSON of een werkmap), bijvoorbeeld "
            "de vorige inschrijving van een bekende aanbieder.",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overschrijven", help="Vervang een bestaand bestand.")
    ] = False,
) -> None:
    """Maak de werkmap die de regio publiceert: bladen met Nederlandse koppen en uitleg,
    keuzelijsten voor elke code, datumcellen als datum, uit de woordenlijst en de regelset die
    geldt."""

    # start-up: the engine (durable_rules) loads only when rules are evaluated
    from kit.case.reading import load_case
    from kit.output.template import template_bytes
    from kit.screening.screen import ruleset_for

    day = parse_date(as_of, "--peildatum") or today()
    ruleset = ruleset_for(day)
    if procedure is not None:
        ruleset.procedure(procedure, "--procedure")
    case = load_case(case_file) if case_file is not None else None
    if case is not None and procedure is not None and procedure != case.submission.procedure:
        fail(f"--procedure {procedure}: de casus noemt procedure {case.submission.procedure}")
    if output.suffix.lower() != ".xlsx":
        fail(f"{output}: geef een naam op .xlsx")
    if output.exists() and not overwrite:
        fail(f"{output}: bestaat al; kies een andere naam of geef --overschrijven")
    try:  # a template filled from a case holds its data: 0600
        write_file(output, template_bytes(ruleset, procedure, case), private=case is not None)
    except OSError as exc:
        fail(f"{output}: kan het bestand niet schrijven ({os_error_text(exc)})")
    out.print(f"{output}: sjabloon voor regelset {ruleset.id} geschreven.")


@intake_app.command("naar-yaml")
def to_yaml(path: CaseFile) -> None:
    """Druk de casus van een werkmap af als YAML (het casusformaat), voor wie casussen in git
    bewaart."""

    # start-up: kept out of `kit --help`; only this path needs it
    from kit.case.reading import load_case

    case = load_case(path)
    data = case.model_dump(mode="python", by_alias=True, exclude_none=True, exclude_defaults=True)
    sys.stdout.write(f"# {path.name}, gelezen door kit intake naar-yaml\n")
    sys.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


@app.command("check")
def check(
    path: CaseFile,
    as_of: Annotated[
        str | None, as_of_option("Peildatum JJJJ-MM-DD (standaard de indieningsdatum).")
    ] = None,
) -> None:
    """Voorcontrole: screen een werkmap of casus met de regelset die geldt en toon wat de
    aanbieder zou lezen, per perceel de verwachte uitspraak en per bevinding wat er nodig is.
    Er wordt niets opgeslagen."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.case.reading import load_case
    from kit.views.selfcheck import self_check

    day = parse_date(as_of, "--peildatum")
    checked = self_check(load_case(path), day)
    show_self_check(checked)


def show_self_check(checked: SelfCheck) -> None:
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.views.selfcheck import CHECKLIST_INTRO, PREVIEW_NOTICE, SEE_GENERAL

    out.print(
        f"Voorcontrole van {checked.provider} ({checked.submission}), gemeten op "
        f"{checked.day_text} met regelset {checked.ruleset}.",
        style="bold",
    )
    out.print(PREVIEW_NOTICE)
    if checked.general:
        out.print("\nVoor alle percelen:", style="bold")
        _items(checked.general)
    for lot in checked.lots:
        out.print(f"\n{lot.label}: verwacht {lot.verdict_label}", style="bold")
        if lot.explanation:
            out.print(f"  {lot.explanation}")
        _items(lot.items)
        if not lot.items and checked.general and lot.verdict not in ("toegelaten", "ingetrokken"):
            out.print(f"  {SEE_GENERAL}")
    if not checked.open_count:
        out.print("\nNiets open: alles wat de regels vragen is aangetoond.")
    if checked.checklists:
        out.print("\nControlelijst voor de inhoud (Q12):", style="bold")
        out.print(CHECKLIST_INTRO)
        for checklist in checked.checklists:
            out.print(f"\n{checklist.label}:", style="bold")
            for item in checklist.items:
                marks = [] if item.required else ["niet verplicht"]
                if item.may_not_apply:
                    marks.append("kan niet van toepassing zijn")
                extra = f" ({', '.join(marks)})" if marks else ""
                out.print(f"  [ ] {item.question}{extra}")


def _items(items: list[Item]) -> None:
    for item in items:
        about = f" ({item.about})" if item.about else ""
        due = f" Uiterlijk {item.due}." if item.due else ""
        out.print(f"  - {item.title}{about}: {item.shown}{due}")
