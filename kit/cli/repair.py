"""`kit repair status|grant-extra|diff|letter` and `kit assess`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from kit.cli.common import (
    Ctx,
    acting,
    app,
    command_group,
    fail,
    out,
    parse_date,
    repair_app,
    role_of,
)
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
from kit.errors import KitError, os_error_text

Judgement = Annotated[
    str,
    typer.Option("--oordeel", "--judgement", metavar="OORDEEL", help="voldoende of onvoldoende."),
]


@repair_app.command("status")
def status(
    submission: Submission, as_of: AsOf = None, as_json: Json = False, db: Db = None
) -> None:
    """Rondes, termijn en huidige uitspraak per perceel."""
    from kit.labels import look, lot_label
    from kit.repair import current_verdicts, submission_state
    from kit.store import Store

    day = parse_date(as_of, "--peildatum") or date.today()
    try:
        store = Store(db, create=False)
        state = submission_state(store, submission)
        verdicts = current_verdicts(store, state, day)
    except KitError as exc:
        fail(exc.message)
    rounds = state.rounds
    deadline = rounds.deadline()
    if as_json:
        print_json(
            [
                {
                    "submission_id": submission,
                    "provider_name": state.submission.provider_name,
                    "last_round": rounds.used,
                    "rounds_allowed": rounds.allowed,
                    "extra_granted": rounds.extra_granted,
                    "deadline": deadline.isoformat() if deadline else None,
                    "closed": rounds.closed(day),
                    "lot": lot,
                    "verdict": verdict,
                }
                for lot, verdict in verdicts.items()
            ]
        )
        return
    extra = f" (waarvan {rounds.extra_granted} extra toegekend)" if rounds.extra_granted else ""
    out.print(
        f"Inschrijving {submission} ({state.submission.provider_name}): "
        f"ronde {rounds.used} is de laatst "
        f"gescreende ronde; {rounds.used} van {rounds.allowed} herstelronde(s) benut{extra}."
    )
    if rounds.left == 0:
        out.print("Alle herstelrondes zijn benut; de uitspraak is definitief.")
    elif rounds.deadline_missed(day):
        out.print(
            f"De termijn voor herstelronde {rounds.used + 1} liep tot {deadline} "
            "en is verstreken: de herstelrondes zijn gesloten en de uitspraak is definitief."
        )
    elif deadline:
        out.print(
            f"Herstelronde {rounds.used + 1} kan tot en met {deadline.isoformat()} "
            "worden ingediend "
            f"({rounds.process.deadline_working_days} werkdagen na het herstelverzoek van "
            f"{rounds.request_date}; weekenden, feestdagen en sluitingsdagen tellen niet mee)."
        )
    else:
        out.print("Er staat geen herstelverzoek open: de laatste ronde vroeg niets te herstellen.")
    grid(
        out,
        ["Perceel", "Uitspraak", "Code"],
        [[cell(lot_label(lot)), [look("verdicts", v)], cell(lot)] for lot, v in verdicts.items()],
        flexible=2,
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
    from kit.services import grant_extra_round
    from kit.store import Store

    actor = acting(ctx, by)
    try:
        row = grant_extra_round(Store(db, create=False), actor, submission, reason)
    except KitError as exc:
        fail(exc.message)
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
    from kit.diff import diff_findings
    from kit.repair import submission_state
    from kit.store import Store

    try:
        store = Store(db, create=False)
        state = submission_state(store, submission)
    except KitError as exc:
        fail(exc.message)
    last = state.rounds.used if to_round is None else to_round
    first = (last - 1) if from_round is None else from_round
    if first < 0:
        fail(
            f"inschrijving {submission}: alleen ronde {last} is gescreend; "
            "er is nog niets te vergelijken "
            "(kit diff vergelijkt twee willekeurige screeningen)"
        )
    before, after = state.latest_of_round(first), state.latest_of_round(last)
    if before is None or after is None:
        rounds = sorted({s.round for s in state.screenings})
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
    submission: str,
    as_of: str | None,
    db: str | None,
    out_file: Path | None,
    kind: str,
    fmt: str = "md",
) -> None:
    """Render a letter of `kind` (kit.letter) for the latest screening on a date, and write it:
    Markdown (a preview, to the terminal or a file) or a Word document (to a file)."""
    from kit.cli.dutch import USAGE_EXIT
    from kit.letter import FORMATS, letter_docx, letter_text
    from kit.store import Store

    if fmt not in FORMATS:
        fail(f"--formaat: onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}", USAGE_EXIT)
    if fmt == "docx" and out_file is None:
        fail("--formaat docx schrijft een bestand; geef het op met --uitvoer", USAGE_EXIT)
    what = {"herstelverzoek": "Herstelverzoek", "besluit": "Besluit"}[kind]
    day = parse_date(as_of, "--peildatum") or date.today()
    try:
        store = Store(db, create=False)
        if fmt == "docx":
            content = letter_docx(store, submission, kind, day)
        else:
            text = letter_text(store, submission, kind, day)
    except KitError as exc:
        fail(exc.message)
    if out_file is None:
        typer.echo(text, nl=False)
        return
    try:
        if fmt == "docx":
            out_file.write_bytes(content)
        else:
            out_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{out_file}: kan het bestand niet schrijven ({os_error_text(exc)})")
    out.print(f"{what} geschreven naar {visible(str(out_file))}")


OutFile = Annotated[Path | None, out_option("Schrijf de brief naar dit bestand.")]
LetterFormat = Annotated[
    str,
    typer.Option(
        "--formaat",
        "--format",
        metavar="FORMAAT",
        help="md (Markdown, standaard: een voorbeeld) of docx (Word, naar --uitvoer).",
    ),
]


@repair_app.command("letter")
def letter(
    submission: Submission,
    out_file: OutFile = None,
    as_of: Annotated[str | None, as_of_option("Datum van de brief (standaard vandaag).")] = None,
    fmt: LetterFormat = "md",
    db: Db = None,
) -> None:
    """Schrijf het herstelverzoek (Markdown of Word), alleen voor percelen met iets te
    herstellen."""
    _letter(submission, as_of, db, out_file, "herstelverzoek", fmt)


@app.command("letter")
def decision_letter(
    submission: Submission,
    out_file: OutFile = None,
    as_of: Annotated[
        str | None, as_of_option("Peildatum voor de uitspraak (standaard vandaag).")
    ] = None,
    fmt: LetterFormat = "md",
    db: Db = None,
) -> None:
    """Schrijf het besluit (Markdown of Word): per perceel de uitspraak, de redenen met
    grondslag, en de weg voor bezwaar."""
    _letter(submission, as_of, db, out_file, "besluit", fmt)


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
    judgement: Judgement,
    note: Note,
    by: Annotated[
        str | None, by_option("Naam van de beoordelaar (standaard KIT_USER of de gebruiker).")
    ] = None,
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
    db: Db = None,
) -> None:
    """Leg een oordeel vast; de uitspraak volgt het laatste oordeel."""
    from kit.services import record_decision
    from kit.store import Store

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
    from kit.decisions import JUDGEMENTS

    if judgement not in JUDGEMENTS:  # a wrong value on the command line: a usage error
        fail(
            f"--oordeel: onbekend oordeel {judgement!r}; kies uit {', '.join(JUDGEMENTS)}",
            USAGE_EXIT,
        )
    actor = acting(ctx, by)
    kind = {
        "--uitleg": "uitleg",
        "--zelfreiniging": "zelfreiniging",
        "--wijziging": "verklaring",
    }.get(flags[0] if flags else "", "inhoud")
    try:
        store = Store(db, create=False)
        _, outcome = record_decision(
            store,
            actor,
            submission,
            kind,
            requirement,
            judgement,
            note,
            shared=for_provider,
        )
    except KitError as exc:
        fail(exc.message)
    out.print(
        f"Oordeel vastgelegd ({requirement}: {judgement}, door {actor.name}); nieuwe screening "
        f"{outcome.screening_id}. {verdicts_now(store, outcome)}"
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
    from kit.services import record_bibob
    from kit.store import Store

    actor = acting(ctx, by)
    day = parse_date(date_, "--datum")
    assert day is not None
    try:
        store = Store(db, create=False)
        actor.require("bibob", what="een Bibob-uitkomst vastleggen")
        _, screened = record_bibob(store, actor, submission, status, outcome, day, reference, note)
    except KitError as exc:
        fail(exc.message)
    out.print(
        f"Bibob-uitkomst vastgelegd bij {submission} door {by}; "
        f"nieuwe screening {screened.screening_id}. {verdicts_now(store, screened)}"
    )
