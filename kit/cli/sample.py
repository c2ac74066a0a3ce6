"""`kit steekproef trek|vastleggen|toon`: the verification sample (C1-C2), toezicht's only."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kit.cli.common import Ctx, acting, command_group, out, parse_date
from kit.cli.findings import verdicts_now
from kit.cli.options import Db, Json, Procedure, Submission, by_option
from kit.cli.output import print_json

sample_app = command_group(
    "steekproef",
    "Steekproef van bewijsstukken (diploma's, registraties, VOG's, EVC-certificaten), "
    "gecontroleerd bij de bron (alleen toezicht).",
)


@sample_app.command("trek")
def draw_command(
    ctx: Ctx,
    procedure: Procedure = None,
    seed: Annotated[
        str | None,
        typer.Option(
            "--seed",
            metavar="SEED",
            help="Trek met deze seed (standaard een nieuwe); dezelfde seed trekt dezelfde "
            "steekproef.",
        ),
    ] = None,
    by: Annotated[str | None, by_option()] = None,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Trek per inschrijving de steekproef die de regelset voorschrijft (aandeel, minimum, alles
    bij een kleine aanbieder) en leg haar vast met de seed."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.services.sample import draw_sample

    drawn = draw_sample(open_store(db), acting(ctx, by), procedure, seed)
    if as_json:
        print_json(
            [
                {
                    "submission_id": sub,
                    "seed": drawn.draw.seed,
                    "credentials": drawn.totals[sub],
                    "sample": [{"staff": c.staff, "credential": c.key} for c in chosen],
                }
                for sub, chosen in drawn.per_submission.items()
            ]
        )
        return
    total = sum(len(chosen) for chosen in drawn.per_submission.values())
    out.print(
        f"Steekproef getrokken met seed {drawn.draw.seed}: {total} bewijsstuk(ken) bij "
        f"{len(drawn.per_submission)} inschrijving(en). Dezelfde opdracht met --seed "
        f"{drawn.draw.seed} trekt dezelfde steekproef."
    )
    for sub, chosen in drawn.per_submission.items():
        names = ", ".join(f"{c.staff} {c.key}" for c in chosen)
        out.print(f"  {sub}: {len(chosen)} van {drawn.totals[sub]}: {names}")
    for sub in drawn.skipped:
        out.print(f"  {sub}: de regelset van de laatste screening kent geen steekproef")


@sample_app.command("vastleggen")
def record_command(
    ctx: Ctx,
    submission: Submission,
    staff: Annotated[
        str, typer.Option("--medewerker", "--staff", metavar="MEDEWERKER", help="Bijv. S03.")
    ],
    credential: Annotated[
        str,
        typer.Option(
            "--bewijs",
            "--credential",
            metavar="BEWIJS",
            help="Het bewijsstuk zoals kit steekproef toon het noemt, bijv. diploma-1 of vog.",
        ),
    ],
    outcome: Annotated[
        str,
        typer.Option(
            "--uitkomst",
            metavar="UITKOMST",
            help="bevestigd, niet-bevestigd of niet-te-controleren.",
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--bron", metavar="BRON", help="De geraadpleegde bron, bijv. DUO, SKJ, BIG, Justis."
        ),
    ],
    note: Annotated[
        str,
        typer.Option("--toelichting", "--note", metavar="TEKST", help="Wat de bron zei."),
    ] = "",
    checked_on: Annotated[
        str | None,
        typer.Option(
            "--datum", "--date", metavar="DATUM", help="Dag van de controle (standaard vandaag)."
        ),
    ] = None,
    by: Annotated[str | None, by_option()] = None,
    db: Db = None,
) -> None:
    """Leg de controle van een bewijsstuk uit de steekproef vast. Niet-bevestigd wordt een
    beoordeling voor toezicht (E3, valse verklaringen); het sluit niet vanzelf uit."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.services.sample import record_check

    day = parse_date(checked_on, "--datum")
    actor = acting(ctx, by)
    store = open_store(db)
    _, screened = record_check(
        store, actor, submission, staff, credential, outcome, source, note, day
    )
    out.print(
        f"Controle vastgelegd ({staff} {credential}: {outcome}, bron {source}, door "
        f"{actor.name}); nieuwe screening {screened.screening_id}. "
        f"{verdicts_now(store, screened)}"
    )


@sample_app.command("toon")
def show_command(
    ctx: Ctx, procedure: Procedure = None, as_json: Json = False, db: Db = None
) -> None:
    """De bewijsstukken in de laatste steekproef per inschrijving, met hun controle (of open)."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.services.sample import read_sample

    rows = read_sample(open_store(db), acting(ctx), procedure)
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("Geen steekproef getrokken (kit steekproef trek).")
    for row in rows:
        state: Any = row["outcome"] or "open"
        done = (
            f" ({row['source']}, {row['checked_by']}, {row['checked_on']})"
            if row["outcome"]
            else ""
        )
        out.print(
            f"{row['submission_id']} {row['staff']} {row['credential']} ({row['label']}): "
            f"{state}{done}; seed {row['seed']}"
        )
