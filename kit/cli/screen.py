"""`kit screen` and `kit schema`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import Progress

from kit.cli.common import PROGRESS_FROM, Ctx, acting, app, err, error, fail, note, out, parse_date
from kit.cli.options import By, Db, as_of_option
from kit.cli.output import cell, grid, two_lines
from kit.errors import stopped_text

if TYPE_CHECKING:
    from datetime import date

    from kit.services import Store
    from kit.services.actor import Actor
    from kit.services.batch import Item
    from kit.views.show import Shown


@app.command()
def screen(
    ctx: Ctx,
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="BESTAND_OF_MAP", help="Casusbestanden of mappen met casussen."),
    ],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Druk de resultaten af als JSON (het resultaatobject van de specificatie; een "
            "lijst bij meer dan één bestand).",
        ),
    ] = False,
    as_of: Annotated[str | None, as_of_option("Peildatum JJJJ-MM-DD.")] = None,
    db: Db = None,
    by: By = None,
    not_applicable: Annotated[
        bool,
        typer.Option(
            "--niet-van-toepassing",
            help="Toon ook de regels die niet van toepassing waren, met de reden.",
        ),
    ] = False,
    again: Annotated[
        bool,
        typer.Option(
            "--opnieuw",
            help="Sla ook een nieuwe screening op als dezelfde casus op dezelfde peildatum met "
            "dezelfde regelset al gescreend is.",
        ),
    ] = False,
) -> None:
    """Screen inschrijvingen en sla elke screening op.

    Gevoelige gegevens (diploma's, VOG, registraties, Bibob) ziet alleen de rol toezicht; andere
    rollen zien bij die bevindingen de status met een neutraal bericht."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.case.reading import case_files
    from kit.screening.rescreen import not_ahead
    from kit.services import REGION_FROM, open_store, region_items, screen_files
    from kit.views.show import shown_outcome, shown_stored

    day = parse_date(as_of, "--peildatum")
    if day is not None:
        not_ahead(day, "een screening")
    actor = acting(ctx, by)
    files = case_files(paths)
    if not files:
        fail(f"geen casusbestanden (.yaml, .yml, .json) gevonden in {', '.join(map(str, paths))}")
    store = open_store(db, create=True)
    actor.may("screen")
    if len(files) >= REGION_FROM and not as_json:
        split = region_items(files)
        if split is not None:
            _screen_region(store, actor, split[0], split[1], day, len(files), again)
            return
    show_bar = len(files) >= PROGRESS_FROM and not as_json and err.is_terminal
    with Progress(console=err, transient=True, disable=not show_bar) as bar:
        task = bar.add_task("Screenen", total=len(files))
        batch = screen_files(
            files, store, actor, day, progress=lambda n: bar.advance(task, n), again=again
        )
    shown = [shown_outcome(o, actor.role) for o in batch.outcomes] + [
        shown_stored(store, code, actor.role) for _, code in batch.existing
    ]
    for message in batch.errors:
        error(message)
    for source, code in batch.existing:
        note(f"{source}: al gescreend: {code} (niets nieuws opgeslagen)")
    if as_json:
        results = [s.result for s in shown]
        single_file = len(paths) == 1 and paths[0].is_file()
        payload = results[0] if single_file and results else results
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        show_results(shown)
        if not_applicable:
            for one in shown:
                show_not_applicable(one.result)
        out.print(summary(len(batch.outcomes), len(batch.existing), len(batch.errors)))
    if batch.errors:
        raise typer.Exit(1)


def show_results(shown: list[Shown]) -> None:
    """Per provider and lot the verdict, the open findings and the risk light."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.output.labels import look, lot_label, lot_legend

    rows = [
        [
            two_lines(one.provider_name, one.result["submission_id"]),
            cell(lot_label(lot)),
            [look("verdicts", verdict)],
            cell("-" if one.open_per_lot.get(lot) is None else str(one.open_per_lot[lot])),
            [look("risks", one.result["risk"])],
            cell(one.result["screening_id"] or "-"),
        ]
        for one in shown
        for lot, verdict in one.result["lots"].items()
    ]
    if rows:
        grid(out, ["Aanbieder", "Perceel", "Uitspraak", "Open", "Risico", "Screening"], rows)
        legend = lot_legend({lot for one in shown for lot in one.result["lots"]})
        out.print(
            (legend + ". " if legend else "") + "Open: open bevindingen, signalen niet meegeteld.",
            soft_wrap=False,
        )


def show_not_applicable(result: dict[str, Any]) -> None:
    out.print(f"Niet van toepassing bij {result['submission_id']} ({result['screening_id']}):")
    grid(
        out,
        ["Regel", "Reden"],
        [[cell(item["rule"]), cell(item["reason"])] for item in result["not_applicable"]],
        flexible=1,
    )


def summary(stored: int, existing: int, errors: int, how: str = "") -> str:
    """The closing line of a screening run: stored, already screened, not screened."""
    line = f"{stored} inschrijving(en) gescreend en opgeslagen{how}"
    if existing:
        line += f"; {existing} al gescreend (niets nieuws opgeslagen; --opnieuw screent ze opnieuw)"
    if errors:
        line += f"; {errors} casus(sen) met fouten niet gescreend"
    return line + "."


def _screen_region(
    store: Store,
    actor: Actor,
    items: list[Item],
    errors: list[str],
    day: date | None,
    total: int,
    again: bool,
) -> None:
    """A region-sized batch in worker processes, with a summary instead of a table (the central
    list is `kit report`): counts, and the verdicts per lot."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.cli.changes import show_changes
    from kit.services import screen_region

    start = time.perf_counter()
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("Screenen", total=total)
        bar.advance(task, len(errors))
        report = screen_region(
            items,
            store,
            actor,
            day,
            progress=lambda r: bar.advance(task, r.submissions + len(r.errors) + len(r.existing)),
            again=again,
        )
    errors += report.errors
    for message in errors:
        error(message)
    if report.fault:
        error(stopped_text(report.submissions, total, "gescreend", report.fault))
        raise typer.Exit(1)
    for source, code in report.existing:
        note(f"{source}: al gescreend: {code} (niets nieuws opgeslagen)")
    how = f" in {time.perf_counter() - start:.1f} s ({report.findings} bevindingen)"
    out.print(
        summary(report.submissions, len(report.existing), len(errors), how)
        + " De centrale lijst: kit report."
    )
    show_changes(report.verdicts)
    if errors:
        raise typer.Exit(1)


@app.command()
def schema(
    result: Annotated[
        bool,
        typer.Option("--resultaat", "--result", help="Het schema van het screeningsresultaat."),
    ] = False,
) -> None:
    """Druk het JSON Schema van het casusbestand af."""
    if result:
        # start-up: kept out of `kit --help`; only this path needs it
        from kit.screening.result import ScreeningResult

        data = ScreeningResult.model_json_schema()
    else:
        # start-up: kept out of `kit --help`; only this path needs it
        from kit.case.models import json_schema

        data = json_schema()
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
