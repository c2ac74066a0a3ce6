"""`kit repair status|grant-extra|diff|letter` and `kit assess`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import MissingParameter  # as typer reports a missing option

from kit.cli.common import (
    Ctx,
    acting,
    app,
    command_group,
    err,
    fail,
    out,
    parse_date,
    repair_app,
    role_of,
)
from kit.cli.criteria import answers_by_prompt, answers_from_file
from kit.cli.dutch import USAGE_EXIT
from kit.cli.findings import finding_cells, finding_json, show_findings, verdicts_now
from kit.cli.options import (
    AsOf,
    Db,
    Json,
    Note,
    Submission,
    as_of_option,
    by_option,
    out_option,
)
from kit.cli.output import cell, grid, print_json, visible
from kit.errors import os_error_text
from kit.paths import write_file

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


OutFile = Annotated[Path | None, out_option("Schrijf de brief naar dit bestand.")]
LetterFormat = Annotated[
    str,
    typer.Option(
        "--formaat",
        "--format",
        metavar="FORMAAT",
        help="md (Markdown, standaard) of docx (Word, naar --uitvoer).",
    ),
]


def _check_format(fmt: str, out_file: Path | None) -> None:
    """A letter's format: md or docx, and a Word document goes to a file."""
    # start-up: the letter module loads Jinja2; only this path needs it
    from kit.output.letter import FORMATS

    if fmt not in FORMATS:
        fail(f"--formaat: onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}", USAGE_EXIT)
    if fmt == "docx" and out_file is None:
        fail("--formaat docx schrijft een bestand; geef het op met --uitvoer", USAGE_EXIT)


@repair_app.command("status")
def status(
    submission: Submission, as_of: AsOf = None, as_json: Json = False, db: Db = None
) -> None:
    """Beoordeling, herstelverzoeken, rondes, wat nog te versturen is en de uitspraak per
    perceel met de reden."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.output.labels import look, lot_label
    from kit.services import open_store
    from kit.views.submission import submission_state

    day = parse_date(as_of, "--peildatum") or date.today()
    store = open_store(db)
    state = submission_state(store, submission)
    rounds = state.rounds(day)
    letters = {row.id: row.letter_md for row in store.requests_of(state.submission.pk)}
    deadline = rounds.deadline
    refusal = rounds.refusal()
    if as_json:
        common = {
            "submission_id": submission,
            "provider_name": state.submission.provider_name,
            "review": rounds.review,
        }
        print_json(
            [
                {
                    "soort": "perceel",
                    **common,
                    "last_round": rounds.used,
                    "rounds_allowed": rounds.allowed,
                    "extra_granted": rounds.extra_granted,
                    "deadline": deadline.isoformat() if deadline else None,
                    "lot": lot,
                    "verdict": verdict,
                    "reason": rounds.reasons.get(lot),
                    "to_send": len(rounds.to_send.get(lot, ())),
                }
                for lot, verdict in rounds.verdicts.items()
            ]
            + [
                {
                    "soort": "herstelverzoek",
                    **common,
                    "round": r.request.round,
                    "sent_on": r.request.sent_on.isoformat(),
                    "sent_by": r.request.sent_by,
                    "deadline": r.request.deadline.isoformat(),
                    "status": r.status,
                    "named": len(r.request.named),
                    "derived": r.request.derived,
                    "letter_md": letters.get(r.request.pk, ""),
                }
                for r in rounds.requests
            ]
        )
        return
    extra = f" (waarvan {rounds.extra_granted} extra toegekend)" if rounds.extra_granted else ""
    which = f"herscreening {rounds.review}" if rounds.review else "de eerste beoordeling"
    out.print(
        f"Inschrijving {submission} ({state.submission.provider_name}), {which}: "
        f"ronde {rounds.used} is de laatst gescreende ronde; {rounds.used} van {rounds.allowed} "
        f"herstelronde(s) benut{extra}."
    )
    if rounds.requests:
        grid(
            out,
            ["Verstuurd", "Door", "Ronde", "Termijn", "Stand"],
            [
                [
                    cell(r.request.sent_on.isoformat()),
                    cell(r.request.sent_by),
                    cell(str(r.request.round)),
                    cell(r.request.deadline.isoformat()),
                    cell(r.status),
                ]
                for r in rounds.requests
            ],
            flexible=1,
        )
    else:
        out.print("Er is in deze beoordeling nog geen herstelverzoek verstuurd.")
    for request in rounds.running():
        out.print(
            f"Herstelronde {request.round} kan tot en met {request.deadline.isoformat()} worden "
            f"ingediend ({rounds.process.deadline_working_days} werkdagen na het herstelverzoek "
            f"van {request.sent_on.isoformat()}; weekenden, feestdagen en sluitingsdagen tellen "
            "niet mee)."
        )
    if refusal is None:
        lots = ", ".join(lot_label(lot) for lot in rounds.to_send)
        out.print(
            f"Te versturen: {len(rounds.keys_to_send())} bevinding(en) ({lots}), in een "
            f"herstelverzoek voor herstelronde {rounds.next_round} (kit repair request)."
        )
    elif rounds.keys_to_send():
        out.print(f"Nog niet gevraagd: {refusal}.")
    grid(
        out,
        ["Perceel", "Uitspraak", "Reden", "Code"],
        [
            [
                cell(lot_label(lot)),
                [look("verdicts", v)],
                cell(rounds.reasons.get(lot, "")),
                cell(lot),
            ]
            for lot, v in rounds.verdicts.items()
        ],
        flexible=2,
    )


@repair_app.command("request")
def request(
    ctx: Ctx,
    submission: Submission,
    sent_on: Annotated[
        str,
        typer.Option(
            "--verzonden",
            metavar="DATUM",
            help="De dag waarop het verzoek is verstuurd, JJJJ-MM-DD; de termijn loopt vanaf "
            "die dag.",
        ),
    ],
    by: Annotated[str, by_option("Wie het verzoek verstuurt.")],
    out_file: OutFile = None,
    fmt: LetterFormat = "md",
    db: Db = None,
) -> None:
    """Verstuur het herstelverzoek: schrijf de brief en leg het verzoek vast (wie, wanneer,
    welke bevindingen, de termijn). Alleen de beoordelaar."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store, send_repair_request

    _check_format(fmt, out_file)
    day = parse_date(sent_on, "--verzonden")
    assert day is not None
    actor = acting(ctx, by)
    sent = send_repair_request(open_store(db), actor, submission, day, fmt == "docx", out_file)
    row = sent.row
    if out_file is None:
        typer.echo(sent.text, nl=False)
    else:
        out.print(f"Herstelverzoek geschreven naar {visible(str(out_file))}")
    # Without --uitvoer the letter itself is the output; the record is said beside it.
    (out if out_file is not None else err).print(
        f"Herstelverzoek vastgelegd: {submission}, herstelronde {row.round}, verstuurd op "
        f"{row.sent_on.isoformat()} door {row.sent_by}; uiterste datum "
        f"{row.deadline.isoformat()}."
    )


@repair_app.command("grant-extra")
def grant_extra(
    ctx: Ctx,
    submission: Submission,
    reason: Annotated[
        str, typer.Option("--reden", "--reason", metavar="REDEN", help="De gegronde reden.")
    ],
    by: Annotated[str, by_option("Wie namens inkoop besluit.")],
    db: Db = None,
) -> None:
    """Ken een extra herstelronde toe (alleen inkoop)."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import grant_extra_round, open_store

    actor = acting(ctx, by)
    row = grant_extra_round(open_store(db), actor, submission, reason)
    out.print(f"Extra herstelronde toegekend aan {submission} door {row.granted_by}: {row.reason}")


@repair_app.command("diff")
def diff(
    ctx: Ctx,
    submission: Submission,
    from_round: Annotated[
        int | None,
        typer.Option("--van-ronde", "--from-round", metavar="RONDE", help="Standaard de vorige."),
    ] = None,
    to_round: Annotated[
        int | None,
        typer.Option("--tot-ronde", "--to-round", metavar="RONDE", help="Standaard de laatste."),
    ] = None,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Nieuwe, opgeloste en nog openstaande bevindingen tussen twee rondes."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.screening.diff import diff_findings
    from kit.services import open_store
    from kit.views.submission import submission_state

    store = open_store(db)
    state = submission_state(store, submission)
    last = max(state.review.used, 0) if to_round is None else to_round
    first = (last - 1) if from_round is None else from_round
    if first < 0:
        fail(
            f"inschrijving {submission}: alleen ronde {last} is gescreend; "
            "er is nog niets te vergelijken "
            "(kit diff vergelijkt twee willekeurige screeningen)"
        )
    before, after = state.latest_of_round(first), state.latest_of_round(last)
    if before is None or after is None:
        number = state.review.number
        rounds = sorted({s.round for s in state.screenings if s.review == number})
        fail(
            f"inschrijving {submission}: "
            f"ronde {first if before is None else last} is niet gescreend "
            f"(gescreend: {', '.join(map(str, rounds))})"
        )
    result = diff_findings(store.findings(before.pk), store.findings(after.pk))
    if not as_json:
        out.print(
            f"Inschrijving {submission}: ronde {first} ({before.code}) → ronde {last} "
            f"({after.code})"
        )
    marked: list[tuple[str, Any]] = (
        [("nieuw", f) for f in result.new]
        + [("opgelost", f) for f in result.resolved]
        + [("nog open", f) for f in result.still_open]
        + [("gewijzigd", new) for _, new in result.changed]
    )
    if as_json:
        print_json([{"wat": mark, **finding_json(f, role_of(ctx))} for mark, f in marked])
        return
    show_findings([finding_cells(f, role_of(ctx), mark=mark) for mark, f in marked], marked=True)


def _letter(
    ctx: Ctx,
    submission: str,
    as_of: str | None,
    db: str | None,
    out_file: Path | None,
    kind: str,
    fmt: str = "md",
) -> None:
    """Render a letter of `kind` (kit.output.letter) for the latest screening on a date, in this
    invocation's role, and write it: Markdown (a preview, to the terminal or a file) or a Word
    document (to a file)."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.services import open_store
    from kit.services.reads import audit_read
    from kit.views.letters import letter_docx, letter_text

    _check_format(fmt, out_file)
    what = {"herstelverzoek": "Herstelverzoek", "besluit": "Besluit"}[kind]
    day = parse_date(as_of, "--peildatum") or date.today()
    store = open_store(db)
    audit_read(store, acting(ctx), kind, submission, formaat=fmt)
    if fmt == "docx":
        content = letter_docx(store, submission, kind, day, role=role_of(ctx))
    else:
        text = letter_text(store, submission, kind, day, role=role_of(ctx))
    if out_file is None:
        typer.echo(text, nl=False)
        return
    try:
        write_file(out_file, content if fmt == "docx" else text, private=True)
    except OSError as exc:
        fail(f"{out_file}: kan het bestand niet schrijven ({os_error_text(exc)})")
    out.print(f"{what} geschreven naar {visible(str(out_file))}")


@repair_app.command("letter")
def letter(
    ctx: Ctx,
    submission: Submission,
    out_file: OutFile = None,
    as_of: Annotated[
        str | None,
        as_of_option("De dag waarop het verzoek verstuurd zou worden (standaard vandaag)."),
    ] = None,
    fmt: LetterFormat = "md",
    db: Db = None,
) -> None:
    """Voorbeeld van het herstelverzoek (Markdown of Word) dat op die dag verstuurd zou worden,
    met de termijn die het dan krijgt; legt niets vast (dat doet kit repair request)."""
    _letter(ctx, submission, as_of, db, out_file, "herstelverzoek", fmt)


@app.command("letter")
def decision_letter(
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
    _letter(ctx, submission, as_of, db, out_file, "besluit", fmt)


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
