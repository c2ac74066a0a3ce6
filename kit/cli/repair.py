"""`kit repair status|request|grant-extra|diff|letter` and `kit letter`. `kit assess` and
`kit bibob record` are in kit.cli.rulings."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kit.cli.common import Ctx, acting, err, fail, out, parse_date, repair_app, role_of
from kit.cli.findings import finding_cells, finding_json, show_findings
from kit.cli.letters import LetterFormat, OutFile, check_letter_format, write_letter
from kit.cli.options import AsOf, Db, Json, Submission, as_of_option, by_option
from kit.cli.output import cell, grid, print_json, visible
from kit.timezone import today


# Over 60 lines: the status in the order a reviewer reads it (rounds, each request with its
# deadline, each lot's verdict and reason, what is still to send); each part a few print lines.
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

    day = parse_date(as_of, "--peildatum") or today()
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

    check_letter_format(fmt, out_file)
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
    write_letter(ctx, submission, as_of, db, out_file, "herstelverzoek", fmt)
