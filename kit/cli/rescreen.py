"""`kit rescreen`, `kit replay` and `kit diff`: re-screening, exact replay, differences."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.progress import Progress

from kit.cli.common import Ctx, acting, app, err, error, fail, out, parse_date, role_of
from kit.cli.dutch import USAGE_EXIT
from kit.cli.findings import finding_cells, finding_json, show_findings, verdicts_now
from kit.cli.options import Db, Json, as_of_option, json_option
from kit.cli.output import cell, grid, print_json
from kit.errors import KitError, stopped_text
from kit.screening.policy import visible_result
from kit.timezone import today

if TYPE_CHECKING:
    from kit.cli.changes import Verdicts
    from kit.services import Store
    from kit.services.actor import Actor
    from kit.services.batch import Report


def _print_diff(title: str, before: Sequence[Any], after: Sequence[Any], role: str) -> None:
    out.print(title)
    marked = _marked(before, after)
    if not marked:
        out.print("Geen verschil in openstaande bevindingen.")
        return
    show_findings([finding_cells(f, role, mark=mark) for mark, f in marked], marked=True)


def _marked(before: Sequence[Any], after: Sequence[Any]) -> list[tuple[str, Any]]:
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.screening.diff import diff_findings

    result = diff_findings(before, after)
    return (
        [("nieuw", f) for f in result.new]
        + [("opgelost", f) for f in result.resolved]
        + [("gewijzigd", new) for _, new in result.changed]
    )


@app.command()
def rescreen(
    ctx: Ctx,
    kvk: Annotated[
        str | None, typer.Argument(metavar="KVK", help="KvK-nummer van de aanbieder.")
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reden", "--reason", metavar="REDEN", help="bestuurswisseling (met --bestuur)."
        ),
    ] = None,
    board: Annotated[
        Path | None,
        typer.Option(
            "--bestuur", "--board", metavar="BESTAND", help="Bestand met het nieuwe bestuur."
        ),
    ] = None,
    as_of: Annotated[str | None, as_of_option("Peildatum JJJJ-MM-DD.")] = None,
    all_: Annotated[
        bool, typer.Option("--alle", "--all", help="Herscreen elke opgeslagen inschrijving.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Druk het resultaat af als JSON.")
    ] = False,
    db: Db = None,
) -> None:
    """Herscreen een aanbieder op een latere datum, na een bestuurswisseling, of de hele regio."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store, rescreen_board_change, rescreen_provider

    day = parse_date(as_of, "--peildatum")
    actor = acting(ctx)
    if all_ and (kvk or reason or board):
        fail("--alle: niet samen met een KvK-nummer, --reden of --bestuur", USAGE_EXIT)
    if all_ and day is None:
        fail("--alle: geef de peildatum met --peildatum", USAGE_EXIT)
    if not all_ and kvk is None:
        fail("geef een KvK-nummer, of --alle", USAGE_EXIT)
    if reason is None and board is not None:
        fail("--bestuur: hoort bij --reden bestuurswisseling", USAGE_EXIT)
    if reason not in (None, "bestuurswisseling"):
        fail(f"--reden: onbekende reden {reason!r}; bekend: bestuurswisseling", USAGE_EXIT)
    if reason is not None and board is None:
        fail("--bestuur: een bestuurswisseling vraagt het bestand met het nieuwe bestuur", 2)
    if not all_ and reason is None and day is None:
        fail("--peildatum: geef de nieuwe peildatum (of --reden bestuurswisseling --bestuur)", 2)
    store = open_store(db)
    actor.may("rescreen")
    if all_:
        assert day is not None
        _rescreen_region(store, actor, day, as_json)
        return
    assert kvk is not None
    if board is None:
        assert day is not None
        base, outcome = rescreen_provider(store, actor, kvk, day)
    else:
        base, outcome = rescreen_board_change(store, actor, kvk, board, day)
    if as_json:
        print_json([visible_result(outcome, actor.role)])
        return
    sub = outcome.case.submission
    parts = (
        f"; opnieuw beoordeeld: {', '.join(outcome.rerun)} (de rest blijft staan)"
        if outcome.rerun
        else ""
    )
    out.print(
        f"{sub.provider.name} ({sub.provider.kvk}), {sub.id}: {outcome.screening_id} op "
        f"{outcome.as_of.isoformat()} ({outcome.reason}){parts}"
    )
    out.print(verdicts_now(store, outcome))
    _print_diff(f"Verschil met {base.code}:", store.findings(base.pk), outcome.findings, actor.role)


def _rescreen_region(store: Store, actor: Actor, day: date, as_json: bool) -> None:
    """Every stored submission again on `day`, in worker processes, with a progress bar on a
    terminal and, at the end, what changed."""

    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.cli.changes import changes_json, show_changes
    from kit.services import rescreen_region

    total = store.counts()["submissions"]
    before = _standing_on(store, day)
    with Progress(console=err, transient=True, disable=not err.is_terminal or as_json) as bar:
        task = bar.add_task("Herscreenen", total=total)
        report = rescreen_region(
            store,
            actor,
            day,
            progress=lambda r: bar.advance(task, r.submissions + len(r.errors) + len(r.existing)),
        )
    for message in report.errors:
        error(message)
    if report.fault:  # the database may be gone: say what was stored, read nothing more
        _stopped(report, total, day, as_json)
    verdicts = _changes(before, _standing_on(store, day))
    if as_json:
        sys.stdout.write(
            json.dumps(
                {
                    "as_of": str(day),
                    "screened": report.submissions,
                    "findings": report.findings,
                    "errors": report.errors,
                    "later": report.later,
                    "already": report.already,
                    **changes_json(verdicts),
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        out.print(
            f"{report.submissions} inschrijving(en) herscreend op {day} "
            f"({report.findings} bevindingen)"
            + (f"; {len(report.errors)} met fouten." if report.errors else ".")
        )
        if report.already:
            out.print(
                f"{len(report.already)} inschrijving(en) waren al herscreend op {day} (een "
                "eerdere run); niet nog eens opgeslagen."
            )
        if report.later:
            out.print(
                f"{len(report.later)} inschrijving(en) al gescreend na {day}, niet opnieuw "
                f"gescreend (een herscreening kijkt vooruit); hun laatste screening: "
                f"{', '.join(report.later)}"
            )
        show_changes(verdicts)
    if report.errors:
        raise typer.Exit(1)


def _stopped(report: Report, total: int, day: date, as_json: bool) -> NoReturn:
    """A run stopped by a full disk or a lost database: exactly what it stored, and why."""
    line = stopped_text(report.submissions, total, f"herscreend op {day}", report.fault)
    if as_json:
        summary = {
            "as_of": str(day),
            "screened": report.submissions,
            "total": total,
            "already": report.already,
            "errors": report.errors,
            "fault": report.fault,
        }
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    error(line)
    raise typer.Exit(1)


Standings = dict[tuple[str, str], tuple[int, str, dict[str, str]]]


def _standing_on(store: Store, day: date) -> Standings:
    """Per submission its latest screening and how its verdicts stand on `day`
    (kit.screening.rounds: afgewezen per P3), as `kit report` shows them."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.views.standing import standings

    return {
        (s.procedure, s.submission_id): (
            s.screening_pk,
            s.provider_name,
            {lot: s.verdict(lot, day) for lot in s.lots},
        )
        for s in standings(store)
    }


def _changes(before: Standings, after: Standings) -> Verdicts:
    """Per lot of each re-screened submission (a new latest screening): its verdict before and
    after, both as they stand on the re-screen's date (kit.cli.changes)."""
    found: Verdicts = []
    for key, (pk, name, lots) in sorted(after.items(), key=lambda item: (item[1][1], item[0])):
        was_pk, _, was = before.get(key, (None, name, {}))
        if pk != was_pk:
            submission_id = key[1]
            found += [(submission_id, name, lot, was.get(lot), v) for lot, v in lots.items()]
    return found


@app.command()
def replay(
    screening_id: Annotated[
        str, typer.Argument(metavar="SCREENING", help="Screening, bijvoorbeeld SCR-000124.")
    ],
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Herhaal een opgeslagen screening en controleer dat de bevindingen gelijk zijn.

    Uitkomst 0: identiek; 1: verschillend, of de opgeslagen gegevens zijn gewijzigd."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.views.replay import replay as run_replay

    report = run_replay(open_store(db), screening_id)
    if as_json:
        print_json([report.to_json()])
        if not report.identical:
            raise typer.Exit(1)
        return
    for reason in report.reasons:
        out.print(f"Let op: {reason}.")
    for problem in report.altered:
        out.print(f"Niet vertrouwd: {problem}.")
    if report.identical:
        out.print(f"{screening_id}: herhaald; bevindingen en uitspraken zijn identiek.")
        return
    if report.altered:
        out.print(
            f"{screening_id}: de opgeslagen gegevens zijn na de screening gewijzigd; deze "
            "herhaling bewijst niets over de oorspronkelijke uitkomst."
        )
        raise typer.Exit(1)
    out.print(f"{screening_id}: herhaald; de uitkomst verschilt.")
    if report.lots_before != report.lots_after:
        out.print(f"Uitspraak toen: {report.lots_before}; nu: {report.lots_after}")
    for label, rows in (("alleen toen", report.missing), ("alleen nu", report.extra)):
        for row in rows:
            out.print(f"- {label}: {row[0]} {row[2]} {row[3] or 'alle'}: {row[5]} {row[6] or ''}")
    raise typer.Exit(1)


@app.command("diff")
def diff_screenings(
    ctx: Ctx,
    first: Annotated[str, typer.Argument(metavar="SCREENING", help="Eerdere screening (SCR-…).")],
    second: Annotated[str, typer.Argument(metavar="SCREENING", help="Latere screening (SCR-…).")],
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Nieuwe, opgeloste en gewijzigde bevindingen tussen twee screeningen van een aanbieder."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.services import open_store
    from kit.services.reads import audit_read

    store = open_store(db)
    a, b = store.screening(first), store.screening(second)
    kvk = {
        s.provider_kvk for s in store.submissions() if s.id in (a.submission_pk, b.submission_pk)
    }
    if len(kvk) != 1:
        raise KitError(f"{first} en {second} zijn screeningen van verschillende aanbieders")
    assert a.id is not None and b.id is not None
    audit_read(store, acting(ctx), "verschil", kvk.pop(), screenings=[first, second])
    if as_json:
        role = role_of(ctx)
        marked = _marked(store.findings(a.pk), store.findings(b.pk))
        print_json([{"wat": mark, **finding_json(f, role)} for mark, f in marked])
        return
    _print_diff(
        f"{first} ({a.as_of}) → {second} ({b.as_of})",
        store.findings(a.pk),
        store.findings(b.pk),
        role_of(ctx),
    )


@app.command()
def show(
    ctx: Ctx,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="SCREENING|INSCHRIJVING",
            help="Screening (SCR-…) of inschrijving (dan haar laatste screening).",
        ),
    ],
    as_json: Annotated[
        bool, json_option("het resultaat (het resultaatobject van de specificatie)")
    ] = False,
    as_of: Annotated[
        str | None,
        as_of_option("Hoe de uitspraken op die dag staan, JJJJ-MM-DD (standaard vandaag)."),
    ] = None,
    db: Db = None,
) -> None:
    """Toon een opgeslagen screening, zonder iets op te slaan.

    Is een perceel van de laatste screening sindsdien afgewezen (de termijn van een
    herstelverzoek verstreken, of de laatste ronde laat iets open), dan staat erbij hoe de
    uitspraken nu luiden, met de reden."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.output.labels import look, lot_label
    from kit.services import open_store
    from kit.services.reads import audit_read
    from kit.views.show import find_screening, standing_now, stored_result

    day = parse_date(as_of, "--peildatum") or today()
    store = open_store(db)
    row = find_screening(store, ref)
    result = stored_result(store, row, role_of(ctx))
    audit_read(store, acting(ctx), "screening", result["submission_id"], screening=row.code)
    result["standing"] = standing_now(store, row, result["submission_id"], day)
    if as_json:
        print_json([result])
        return
    out.print(
        f"{result['screening_id']}: inschrijving {result['submission_id']} "
        f"(KvK {result['provider_kvk']}), ronde {result['round']}, peildatum {result['as_of']}, "
        f"regelset {result['ruleset']['id']}"
    )
    now = result["standing"]
    grid(
        out,
        ["Perceel", "Uitspraak", *([f"Nu ({day.isoformat()})"] if now else []), "Code"],
        [
            [
                cell(lot_label(lot)),
                [look("verdicts", v)],
                *([[look("verdicts", now["lots"].get(lot, v))]] if now else []),
                cell(lot),
            ]
            for lot, v in result["lots"].items()
        ],
        flexible=3 if now else 2,
    )
    if now and now["final"]:
        out.print(f"Definitief per {day.isoformat()}: {now['reason']};")
        out.print("wat nog hersteld moest worden, is afgewezen.")
    elif now:
        out.print(f"Per {day.isoformat()}: {now['reason']}.")
    risk = look("risks", result["risk"])
    out.print(f"Risico: {risk[0]}")
    open_findings = [f for f in result["findings"] if f["status"] != "voldaan"]
    out.print(f"Open bevindingen: {len(open_findings)}")
    if open_findings:
        show_findings([finding_cells(f, role_of(ctx)) for f in open_findings])
