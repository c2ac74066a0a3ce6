"""The rulings on a submission: `kit letter` (the decision), `kit assess` (a reviewer's
judgement of a document or an exclusion ground, also by criteria) and `kit bibob record` (the
Bibob outcome)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import MissingParameter  # as typer reports a missing option

from kit.cli.common import Ctx, acting, app, command_group, fail, out, parse_date
from kit.cli.criteria import answers_by_prompt, answers_from_file
from kit.cli.dutch import USAGE_EXIT
from kit.cli.findings import verdicts_now
from kit.cli.letters import LetterFormat, OutFile, write_letter
from kit.cli.options import Db, Note, Submission, as_of_option, by_option

Judgement = Annotated[
    str | None,
    typer.Option(
        "--oordeel",
        "--judgement",
        metavar="OORDEEL",
        help="voldoende of onvoldoende (niet bij --criteria of --interactief).",
    ),
]
OptionalNote = Annotated[
    str | None,
    typer.Option(
        "--toelichting",
        "--note",
        metavar="TEKST",
        help="De toelichting (bij --criteria staat die per criterium).",
    ),
]


@app.command("letter")
def decisionwrite_letter(
    ctx: Ctx,
    submission: Submission,
    out_file: OutFile = None,
    as_of: Annotated[
        str | None, as_of_option("Peildatum voor de uitspraak (standaard vandaag).")
    ] = None,
    fmt: LetterFormat = "md",
    db: Db = None,
) -> None:
    """Schrijf het besluit (Markdown of Word): per perceel de uitspraak, de redenen met
    grondslag, en de weg voor bezwaar. Een besluit dat gegevens uit de eigen verklaring of het
    Bibob-onderzoek noemt, schrijft toezicht (bij Bibob ook een Bibob-functionaris)."""
    write_letter(ctx, submission, as_of, db, out_file, "besluit", fmt)


# Over 60 lines: the ways a judgement is given (an outcome, criteria from a file or asked one at
# a time, an explanation, self-cleaning, a changed answer) checked against each other first.
@app.command()
def assess(
    ctx: Ctx,
    submission: Submission,
    requirement: Annotated[
        str,
        typer.Argument(
            metavar="EIS",
            help="Documentsoort (bijvoorbeeld calamiteitenprotocol) of, met "
            "--zelfreiniging of --wijziging, de uitsluitingsgrond.",
        ),
    ],
    judgement: Judgement = None,
    note: OptionalNote = None,
    by: Annotated[
        str | None, by_option("Naam van de beoordelaar (standaard KIT_USER of de gebruiker).")
    ] = None,
    criteria_file: Annotated[
        Path | None,
        typer.Option(
            "--criteria",
            metavar="BESTAND",
            help="Oordeel per criterium (Q12) uit een YAML-bestand: criterium: voldaan, "
            "niet-voldaan (met toelichting) of niet-van-toepassing.",
        ),
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactief",
            "--interactive",
            help="Oordeel per criterium (Q12): de criteria een voor een als vraag.",
        ),
    ] = False,
    uitleg: Annotated[
        bool,
        typer.Option(
            "--uitleg",
            help="Oordeel over de uitleg (pas toe of leg uit) in plaats van over de inhoud.",
        ),
    ] = False,
    zelfreiniging: Annotated[
        bool,
        typer.Option(
            "--zelfreiniging",
            help="Oordeel over de maatregelen tot "
            "zelfreiniging bij een uitsluitingsgrond "
            "(alleen toezicht).",
        ),
    ] = False,
    wijziging: Annotated[
        bool,
        typer.Option(
            "--wijziging",
            help="Oordeel over een eigen verklaring die sinds de "
            "vorige ronde is gewijzigd (alleen toezicht).",
        ),
    ] = False,
    for_provider: Annotated[
        bool,
        typer.Option(
            "--voor-aanbieder", help="De toelichting mag in brieven aan de aanbieder staan."
        ),
    ] = False,
    decided_on: Annotated[
        str | None,
        typer.Option(
            "--datum",
            "--date",
            metavar="DATUM",
            help="De dag van het oordeel, JJJJ-MM-DD (standaard vandaag).",
        ),
    ] = None,
    db: Db = None,
) -> None:
    """Leg een oordeel vast; de uitspraak volgt het laatste oordeel."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store, record_decision

    flags = [
        name
        for name, on in (
            ("--uitleg", uitleg),
            ("--zelfreiniging", zelfreiniging),
            ("--wijziging", wijziging),
        )
        if on
    ]
    if len(flags) > 1:
        fail(f"{' en '.join(flags)}: kies er een", USAGE_EXIT)
    if criteria_file is not None or interactive:
        if flags or judgement is not None or note is not None:
            used = [
                *flags,
                *(["--oordeel"] if judgement else []),
                *(["--toelichting"] if note else []),
            ]
            fail(
                f"{', '.join(used)}: gaat niet samen met een oordeel per criterium "
                "(--criteria of --interactief)",
                USAGE_EXIT,
            )
        if criteria_file is not None and interactive:
            fail("--criteria en --interactief: kies er een", USAGE_EXIT)
        _assess_by_criteria(
            ctx, submission, requirement, by, criteria_file, for_provider, decided_on, db
        )
        return
    if judgement is None or note is None:  # required without --criteria or --interactief
        missing = "judgement" if judgement is None else "note"
        param: Any = next(p for p in ctx.command.params if p.name == missing)
        raise MissingParameter(ctx=ctx, param=param)
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.screening.decisions import JUDGEMENTS

    if judgement not in JUDGEMENTS:  # a wrong value on the command line: a usage error
        fail(
            f"--oordeel: onbekend oordeel {judgement!r}; kies uit {', '.join(JUDGEMENTS)}",
            USAGE_EXIT,
        )
    day = parse_date(decided_on, "--datum")
    actor = acting(ctx, by)
    kind = {
        "--uitleg": "uitleg",
        "--zelfreiniging": "zelfreiniging",
        "--wijziging": "verklaring",
    }.get(flags[0] if flags else "", "inhoud")
    store = open_store(db)
    _, outcome = record_decision(
        store,
        actor,
        submission,
        kind,
        requirement,
        judgement,
        note,
        shared=for_provider,
        decided_on=day,
    )
    out.print(
        f"Oordeel vastgelegd ({requirement}: {judgement}, door {actor.name}); nieuwe screening "
        f"{outcome.screening_id}. {verdicts_now(store, outcome)}"
    )


def _assess_by_criteria(
    ctx: Ctx,
    submission: str,
    document: str,
    by: str | None,
    criteria_file: Path | None,
    for_provider: bool,
    decided_on: str | None,
    db: str | None,
) -> None:
    """`kit assess … --criteria FILE | --interactief`: one judgement by criteria (Q12)."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.services.criteria import criteria_for, record_criteria_judgement

    day = parse_date(decided_on, "--datum")
    actor = acting(ctx, by)
    store = open_store(db)
    if criteria_file is not None:
        answers, source = answers_from_file(criteria_file), str(criteria_file)
    else:
        criteria = criteria_for(store, submission, document)
        answers, source = answers_by_prompt(document, criteria), "--interactief"
    result, _, outcome = record_criteria_judgement(
        store, actor, submission, document, answers, source, for_provider, day
    )
    failed = result.not_met()
    detail = f"; niet voldaan: {', '.join(failed)}" if failed else ""
    out.print(
        f"Oordeel per criterium vastgelegd ({document}: {result.judgement}{detail}, door "
        f"{actor.name}); nieuwe screening {outcome.screening_id}. {verdicts_now(store, outcome)}"
    )


bibob_app = command_group(
    "bibob", "Bibob: de uitkomst van het onderzoek vastleggen (alleen de rol bibob)."
)


@bibob_app.command("record")
def bibob_record(
    ctx: Ctx,
    submission: Submission,
    status: Annotated[
        str,
        typer.Option("--status", metavar="STATUS", help="niet-gestart, lopend of afgerond."),
    ],
    date_: Annotated[
        str,
        typer.Option(
            "--datum",
            "--date",
            metavar="DATUM",
            help="Datum van het Bibob-advies of -besluit, JJJJ-MM-DD.",
        ),
    ],
    reference: Annotated[
        str,
        typer.Option(
            "--kenmerk", "--reference", metavar="KENMERK", help="Kenmerk van het advies of besluit."
        ),
    ],
    note: Note,
    by: Annotated[str, by_option("Naam van de Bibob-functionaris.")],
    outcome: Annotated[
        str | None,
        typer.Option(
            "--uitkomst",
            "--outcome",
            metavar="UITKOMST",
            help="Bij afgerond: geen-bezwaar, mindere-mate-gevaar of ernstig-gevaar.",
        ),
    ] = None,
    db: Db = None,
) -> None:
    """Leg de uitkomst van het Bibob-onderzoek vast; een nieuwe screening past haar toe.

    Wat wordt vastgelegd, zien alleen de rollen bibob en toezicht."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store, record_bibob

    actor = acting(ctx, by)
    day = parse_date(date_, "--datum")
    assert day is not None
    store = open_store(db)
    actor.require("bibob", what="een Bibob-uitkomst vastleggen")
    _, screened = record_bibob(store, actor, submission, status, outcome, day, reference, note)
    out.print(
        f"Bibob-uitkomst vastgelegd bij {submission} door {by}; "
        f"nieuwe screening {screened.screening_id}. {verdicts_now(store, screened)}"
    )
