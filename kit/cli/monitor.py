"""`kit monitor`: toezicht's list of open conditions and non-declarable staff."""

from __future__ import annotations

import json
import sys

import typer

from kit.cli.common import Ctx, acting, app, no_cycle_collection, out, parse_date
from kit.cli.options import AsOf, Db, Json, Lot, Overdue, Procedure, Provider, Risk, Verdict
from kit.cli.output import cell, grid, two_lines
from kit.cli.report import list_filter
from kit.screening.policy import SUPERVISOR
from kit.timezone import today

# Exit status when something is overdue: distinct from errors (1) and usage errors (2).
OVERDUE_EXIT = 3


@app.command()
def monitor(
    ctx: Ctx,
    as_of: AsOf = None,
    procedure: Procedure = None,
    lot: Lot = None,
    verdict: Verdict = None,
    risk: Risk = None,
    provider: Provider = None,
    overdue: Overdue = False,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Openstaande voorwaarden en niet-declarabele medewerkers van alle aanbieders, op
    vervaldatum.

    Uitkomst 0: niets achterstallig; 3: iets is achterstallig (vervalt voor de peildatum)."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.output.labels import lot_label
    from kit.screening.verdict import subject_text
    from kit.services import open_store
    from kit.services.reads import audit_list_read
    from kit.views.monitor import monitor as build

    day = parse_date(as_of, "--peildatum") or today()
    chosen = list_filter(procedure, lot, verdict, risk, provider, overdue)
    store, actor = open_store(db), acting(ctx)
    with no_cycle_collection():  # the region's rows; printing them is quick
        report = build(store, day, actor.role, chosen)
    audit_list_read(store, actor, "monitor", [*report.conditions, *report.not_declarable])
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(f"Openstaande voorwaarden per {day.isoformat()}: {len(report.conditions)}")
        grid(
            out,
            ["Vervalt", "Stand", "Aanbieder", "Perceel", "Wat nog moet"],
            [
                [
                    cell(c.due.isoformat() if c.due else "-"),
                    cell("te laat", "bold red") if c.overdue else cell("open"),
                    two_lines(c.provider_name, c.submission_id),
                    cell(lot_label(c.lot)),
                    [(c.title, ""), (f"{subject_text(c.subject)}: {c.message}", "dim")],
                ]
                for c in report.conditions
            ],
            flexible=4,
            limits={2: 24},
        )
        why = " (EVC-traject loopt)" if report.role == SUPERVISOR else ""  # toezicht only
        out.print(f"\nNiet-declarabele medewerkers{why}: {len(report.not_declarable)}")
        grid(
            out,
            ["Tot", "Stand", "Aanbieder", "Medewerker", "Percelen"],
            [
                [
                    cell(s.until.isoformat() if s.until else "-"),
                    cell("te laat", "bold red") if s.overdue else cell("loopt"),
                    two_lines(s.provider_name, s.submission_id),
                    [(f"medewerker {s.staff}", ""), (s.function, "dim")],
                    cell(", ".join(lot_label(code) for code in s.lots)),
                ]
                for s in report.not_declarable
            ],
            flexible=4,
            limits={2: 24},
        )
        out.print(
            f"{report.overdue} achterstallig per {day.isoformat()}."
            if report.overdue
            else f"Niets achterstallig per {day.isoformat()}."
        )
    if report.overdue:
        raise typer.Exit(OVERDUE_EXIT)
