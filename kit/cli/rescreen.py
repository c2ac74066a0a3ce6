"""`kit rescreen`, `kit replay` and `kit diff`: re-screening, exact replay, differences."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kit.cli.common import DB_HELP, Ctx, acting, app, error, fail, out, parse_date, role_of
from kit.cli.output import Table
from kit.errors import KitError
from kit.verdict import subject_text

if TYPE_CHECKING:
    from kit.services.actor import Actor
    from kit.store import Store

Db = Annotated[str | None, typer.Option("--db", help=DB_HELP)]


def _print_diff(title: str, before: Sequence[Any], after: Sequence[Any], role: str) -> None:
    from kit.diff import diff_findings
    from kit.roles import message_for

    result = diff_findings(before, after)
    out.print(title)
    if result.is_empty():
        out.print("Geen verschil in openstaande bevindingen.")
        return
    table = Table()
    for column in ("Verschil", "Regel", "Onderwerp", "Perceel", "Uitkomst", "Bericht"):
        table.add_column(column, overflow="fold")
    rows = [("nieuw", f) for f in result.new] + [("opgelost", f) for f in result.resolved]
    rows += [("gewijzigd", new) for _, new in result.changed]
    for label, f in rows:
        table.add_row(
            label,
            f.rule,
            subject_text(f.subject),
            f.lot or "alle",
            f.outcome or f.status,
            message_for(role, f),
        )
    out.print(table)


@app.command()
def rescreen(
    ctx: Ctx,
    kvk: Annotated[str | None, typer.Argument(help="KvK-nummer van de aanbieder.")] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="bestuurswisseling (met --board).")
    ] = None,
    board: Annotated[
        Path | None, typer.Option("--board", help="Bestand met het nieuwe bestuur.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Peildatum JJJJ-MM-DD.")] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Herscreen elke opgeslagen inschrijving.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    db: Db = None,
) -> None:
    """Herscreen een aanbieder op een latere datum, na een bestuurswisseling, of de hele regio."""
    from kit.roles import visible_result
    from kit.services import rescreen_board_change, rescreen_provider
    from kit.store import Store

    day = parse_date(as_of, "--as-of")
    actor = acting(ctx)
    try:
        store = Store(db, create=False)
        actor.may("rescreen")
        if all_:
            if kvk or reason or board:
                fail("--all: niet samen met een KvK-nummer, --reason of --board")
            if day is None:
                fail("--all: geef de peildatum met --as-of")
            _rescreen_region(store, actor, day, as_json)
            return
        if kvk is None:
            fail("geef een KvK-nummer, of --all")
        if reason is None:
            if board is not None:
                fail("--board: hoort bij --reason bestuurswisseling")
            if day is None:
                fail(
                    "--as-of: geef de nieuwe peildatum "
                    "(of --reason bestuurswisseling --board BESTAND)"
                )
            base, outcome = rescreen_provider(store, actor, kvk, day)
        elif reason == "bestuurswisseling":
            if board is None:
                fail("--board: een bestuurswisseling vraagt het bestand met het nieuwe bestuur")
            base, outcome = rescreen_board_change(store, actor, kvk, board, day)
        else:
            fail(f"--reason: onbekende reden {reason!r}; bekend: bestuurswisseling")
    except KitError as exc:
        fail(exc.message)
    if as_json:
        sys.stdout.write(
            json.dumps(visible_result(outcome, actor.role), ensure_ascii=False, indent=2) + "\n"
        )
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
    out.print("Uitspraak: " + ", ".join(f"{lot}: {v}" for lot, v in outcome.lots.items()))
    assert base.id is not None
    _print_diff(f"Verschil met {base.code}:", store.findings(base.pk), outcome.findings, actor.role)


def _rescreen_region(store: Store, actor: Actor, day: date, as_json: bool) -> None:
    """Every stored submission again on `day`, in worker processes."""
    from kit.services import rescreen_region

    report = rescreen_region(store, actor, day)
    for message in report.errors:
        error(message)
    if as_json:
        sys.stdout.write(
            json.dumps(
                {
                    "as_of": str(day),
                    "screened": report.submissions,
                    "findings": report.findings,
                    "errors": report.errors,
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
    if report.errors:
        raise typer.Exit(1)


@app.command()
def replay(
    screening_id: Annotated[str, typer.Argument(help="Screening, bijvoorbeeld SCR-000124.")],
    db: Db = None,
) -> None:
    """Herhaal een opgeslagen screening en controleer dat de bevindingen gelijk zijn."""
    from kit.replay import replay as run_replay
    from kit.store import Store

    try:
        report = run_replay(Store(db, create=False), screening_id)
    except KitError as exc:
        fail(exc.message)
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
    first: Annotated[str, typer.Argument(help="Eerdere screening (SCR-…).")],
    second: Annotated[str, typer.Argument(help="Latere screening (SCR-…).")],
    db: Db = None,
) -> None:
    """Nieuwe, opgeloste en gewijzigde bevindingen tussen twee screeningen van een aanbieder."""
    from kit.store import Store

    try:
        store = Store(db, create=False)
        a, b = store.screening(first), store.screening(second)
        kvk = {
            s.provider_kvk
            for s in store.submissions()
            if s.id in (a.submission_pk, b.submission_pk)
        }
        if len(kvk) != 1:
            raise KitError(f"{first} en {second} zijn screeningen van verschillende aanbieders")
    except KitError as exc:
        fail(exc.message)
    assert a.id is not None and b.id is not None
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
        str, typer.Argument(help="Screening (SCR-…) of inschrijving (dan de laatste screening).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Druk het resultaat af als JSON.")
    ] = False,
    db: Db = None,
) -> None:
    """Toon een opgeslagen screening, zonder iets op te slaan."""
    from kit.show import find_screening, stored_result
    from kit.store import Store

    try:
        store = Store(db, create=False)
        result = stored_result(store, find_screening(store, ref), role_of(ctx))
    except KitError as exc:
        fail(exc.message)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(
        f"{result['screening_id']}: inschrijving {result['submission_id']} "
        f"(KvK {result['provider_kvk']}), "
        f"ronde {result['round']}, peildatum {result['as_of']}, regelset {result['ruleset']['id']}"
    )
    out.print(
        "Uitspraak: "
        + ", ".join(f"{lot}: {v}" for lot, v in result["lots"].items())
        + f"; risico {result['risk'] or '-'}"
    )
    table = Table()
    for column in ("Regel", "Onderwerp", "Perceel", "Uitkomst", "Bericht"):
        table.add_column(column, overflow="fold")
    for f in result["findings"]:
        if f["status"] != "voldaan":
            table.add_row(
                f["rule"],
                subject_text(f["subject"]),
                f["lot"] or "alle",
                f["outcome"] or f["status"],
                f["message"],
            )
    out.print(table)
