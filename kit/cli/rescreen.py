"""`kit rescreen`, `kit replay` and `kit diff`: re-screening, exact replay, differences."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kit.audit import current_user, event
from kit.cli.common import DB_HELP, Who, app, err, fail, out, parse_date, require_role
from kit.errors import KitError
from kit.verdict import subject_text

Db = Annotated[str | None, typer.Option("--db", help=DB_HELP)]


def _print_diff(title: str, before: list, after: list) -> None:
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
            message_for(Who.role, f),
        )
    out.print(table)


@app.command()
def rescreen(
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
    from kit.rescreen import rescreen_board, rescreen_date
    from kit.roles import visible_result
    from kit.screening import store_outcomes
    from kit.store import Store

    require_role("reviewer", "toezicht", "inkoop")
    day = parse_date(as_of, "--as-of")
    actor = current_user()
    try:
        store = Store(db, create=False)
        if all_:
            if kvk or reason or board:
                fail("--all: niet samen met een KvK-nummer, --reason of --board")
            if day is None:
                fail("--all: geef de peildatum met --as-of")
            _rescreen_region(store, day, actor, as_json)
            return
        else:
            if kvk is None:
                fail("geef een KvK-nummer, of --all")
            base = store.latest_screening_of_provider(kvk)
            bases = [base]
            if reason is None:
                if board is not None:
                    fail("--board: hoort bij --reason bestuurswisseling")
                if day is None:
                    fail(
                        "--as-of: geef de nieuwe peildatum (of --reason bestuurswisseling --board BESTAND)"
                    )
                outcomes = [rescreen_date(store, base, day, actor)]
            elif reason == "bestuurswisseling":
                if board is None:
                    fail("--board: een bestuurswisseling vraagt het bestand met het nieuwe bestuur")
                outcomes = [rescreen_board(store, base, board, day, actor)]
            else:
                fail(f"--reason: onbekende reden {reason!r}; bekend: bestuurswisseling")
        store_outcomes(store, outcomes)
        store.add(
            audit=event(
                actor,
                Who.role,
                "herscreening",
                ",".join(o.screening_id or "" for o in outcomes),
                reason=reason or "peildatum",
                as_of=str(day),
                count=len(outcomes),
            )
        )
    except KitError as exc:
        fail(exc.message)
    if as_json:
        payload = [visible_result(o, Who.role) for o in outcomes]
        sys.stdout.write(
            json.dumps(payload[0] if not all_ else payload, ensure_ascii=False, indent=2) + "\n"
        )
        return
    for base, outcome in zip(bases, outcomes, strict=True):
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
        _print_diff(f"Verschil met {base.code}:", store.findings(base.id), outcome.findings)  # type: ignore[arg-type]


def _rescreen_region(store: object, day: object, actor: str, as_json: bool) -> None:
    """Every stored submission again on `day`, in worker processes (kit.batch.rescreen_stored)."""
    from kit.batch import rescreen_stored

    report = rescreen_stored(store.url, day, actor=actor)  # type: ignore[attr-defined, arg-type]
    store.add(
        audit=event(
            actor,
            Who.role,
            "herscreening",
            f"{report.submissions} inschrijvingen",  # type: ignore[attr-defined]
            reason="peildatum",
            as_of=str(day),
            count=report.submissions,
        )
    )
    for message in report.errors:
        err.print(f"[red]fout:[/red] {message}")
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
            f"{report.submissions} inschrijving(en) herscreend op {day} ({report.findings} bevindingen)"
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
    if report.identical:
        out.print(f"{screening_id}: herhaald; bevindingen en uitspraken zijn identiek.")
        return
    out.print(f"{screening_id}: herhaald; de uitkomst verschilt.")
    if report.lots_before != report.lots_after:
        out.print(f"Uitspraak toen: {report.lots_before}; nu: {report.lots_after}")
    for label, rows in (("alleen toen", report.missing), ("alleen nu", report.extra)):
        for row in rows:
            out.print(f"- {label}: {row[0]} {row[2]} {row[3] or 'alle'}: {row[5]} {row[6] or ''}")
    raise typer.Exit(1)


@app.command("diff")
def diff_screenings(
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
    _print_diff(
        f"{first} ({a.as_of}) → {second} ({b.as_of})", store.findings(a.id), store.findings(b.id)
    )  # type: ignore[arg-type]
