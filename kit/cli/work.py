"""`kit werkvoorraad`, `kit audit` and `kit completion`: a reviewer's day."""

from __future__ import annotations

from typing import Annotated

import typer
from typer._completion_shared import get_completion_script

from kit.cli.common import Ctx, acting, app, fail, no_cycle_collection, out, parse_date
from kit.cli.dutch import USAGE_EXIT
from kit.cli.options import AsOf, Db, Json, Lot, Procedure, Provider, Risk, Verdict
from kit.cli.output import cell, grid, print_json, two_lines
from kit.cli.report import list_filter
from kit.timezone import minute_text, today


# Over 60 lines: three tables (judgements, requests to send, near deadlines), each a few lines
# of printing in the order the reviewer works through them.
@app.command()
def werkvoorraad(
    ctx: Ctx,
    as_of: AsOf = None,
    within: Annotated[
        int,
        typer.Option(
            "--binnen", metavar="DAGEN", help="Hersteltermijnen die binnen zoveel dagen aflopen."
        ),
    ] = 5,
    procedure: Procedure = None,
    lot: Lot = None,
    verdict: Verdict = None,
    risk: Risk = None,
    provider: Provider = None,
    everything: Annotated[
        bool,
        typer.Option("--alle", help="Ook de oordelen die een andere rol vastlegt."),
    ] = False,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Wat op een beoordelaar wacht: documenten en uitleg die een inhoudelijk oordeel vragen
    (langst wachtend eerst), herstelverzoeken die nog verstuurd moeten worden, en inschrijvingen
    waarvan de hersteltermijn bijna afloopt.

    De oordelen zijn die uw rol vastlegt (toezicht: gevoelige stukken en uitsluitingsgronden;
    bibob: de Bibob-uitkomst); --alle toont ook de andere, met wie ze vastlegt."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.output.labels import lot_label
    from kit.screening.verdict import subject_text
    from kit.services import open_store
    from kit.services.reads import audit_list_read
    from kit.views.worklist import worklist

    day = parse_date(as_of, "--peildatum") or today()
    if within < 0:
        fail("--binnen: geef een aantal dagen (0 of meer)", USAGE_EXIT)
    chosen = list_filter(procedure, lot, verdict, risk, provider, False)
    store, actor = open_store(db), acting(ctx)
    role = actor.role
    with no_cycle_collection():  # the region's rows; printing them is quick
        work = worklist(store, day, role, within, chosen, everything)
    audit_list_read(store, actor, "werkvoorraad", work.rows)
    if as_json:
        print_json(work.to_json())
        return
    others = (
        f" ({work.others} andere wachten op een andere rol; --alle toont ze)" if work.others else ""
    )
    out.print(f"Te beoordelen per {day.isoformat()}: {len(work.judgements)}{others}")
    grid(
        out,
        ["Wacht sinds", "Dagen", "Aanbieder", "Perceel", "Wat"],
        [
            [
                cell(j.waiting_since.isoformat()),
                cell(str(j.days_waiting)),
                two_lines(j.provider_name, j.submission_id),
                cell(lot_label(j.lot)),
                [
                    (
                        j.title
                        + ("" if role in j.judged_by else f" (door {' of '.join(j.judged_by)})"),
                        "",
                    ),
                    (f"{subject_text(j.subject)}: {j.message}", "dim"),
                ],
            ]
            for j in work.judgements
        ],
        flexible=4,
        limits={2: 24},
    )
    out.print(f"\nHerstelverzoek te versturen: {len(work.requests)}")
    grid(
        out,
        ["Wacht sinds", "Dagen", "Aanbieder", "Ronde", "Percelen met herstel"],
        [
            [
                cell(r.waiting_since.isoformat()),
                cell(str(r.days_waiting)),
                two_lines(r.provider_name, r.submission_id),
                cell(str(r.round)),
                [
                    (", ".join(lot_label(code) for code in r.lots), ""),
                    (f"{r.findings} bevinding(en)", "dim"),
                ],
            ]
            for r in work.requests
        ],
        flexible=4,
        limits={2: 24},
    )
    out.print(f"\nHersteltermijn loopt af binnen {within} dagen: {len(work.deadlines)}")
    grid(
        out,
        ["Termijn", "Dagen", "Aanbieder", "Ronde", "Percelen met herstel"],
        [
            [
                cell(d.deadline.isoformat()),
                cell(str(d.days_left)),
                two_lines(d.provider_name, d.submission_id),
                cell(str(d.round)),
                cell(", ".join(lot_label(code) for code in d.lots)),
            ]
            for d in work.deadlines
        ],
        flexible=4,
        limits={2: 24},
    )


@app.command()
def audit(
    ctx: Ctx,
    who: Annotated[
        str | None, typer.Option("--door", "--by", metavar="NAAM", help="Wie (deel van de naam).")
    ] = None,
    role: Annotated[
        str | None, typer.Option("--als", metavar="ROL", help="In welke rol gehandeld.")
    ] = None,
    action: Annotated[
        str | None,
        typer.Option("--actie", metavar="ACTIE", help="Soort handeling, bijvoorbeeld screening."),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option("--onderwerp", metavar="TEKST", help="Onderwerp, bijvoorbeeld INS-2024-0042."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--sinds", metavar="DATUM", help="Vanaf deze dag (NL-tijd).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--tot", metavar="DATUM", help="Tot en met deze dag (NL-tijd).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--max", metavar="AANTAL", help="Ten hoogste zoveel, nieuwste eerst.")
    ] = 100,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Wie deed wat, wanneer: het auditspoor, nieuwste eerst. Tijden in Nederlandse tijd.

    Details van beslissingen over gevoelige zaken (zelfreiniging, eigen verklaring, Bibob)
    ziet alleen toezicht."""
    # start-up: the store (SQLAlchemy) loads only for this command
    from kit.output.labels import detail_text
    from kit.services import AuditFilter, open_store, read_audit
    from kit.services.actor import ROLES

    if role is not None and role not in ROLES:
        fail(f"--als: onbekende rol {role!r}; kies uit {', '.join(ROLES)}", USAGE_EXIT)
    if limit < 1:
        fail("--max: geef een aantal van 1 of meer", USAGE_EXIT)
    chosen = AuditFilter(
        who,
        role,
        action,
        subject,
        parse_date(since, "--sinds"),
        parse_date(until, "--tot"),
        limit,
    )
    events = read_audit(open_store(db), acting(ctx), chosen)
    if as_json:
        print_json(events)
        return
    out.print(f"Auditspoor: {len(events)} gebeurtenis(sen), nieuwste eerst")
    grid(
        out,
        ["Wanneer (NL)", "Wie", "Actie", "Details"],
        [
            [
                cell(minute_text(e["at"])),
                [(e["actor"], ""), (e["role"], "dim")],
                [(e["action"], ""), (e["subject"], "dim")],
                cell(detail_text(e["detail"])),
            ]
            for e in events
        ],
        flexible=3,
        limits={1: 18, 2: 24},
    )


@app.command()
def completion(
    shell: Annotated[str, typer.Argument(metavar="SHELL", help="bash, zsh of fish.")],
) -> None:
    """Druk het script af dat de shell kit-opdrachten laat aanvullen met Tab.

    Bijvoorbeeld: kit completion bash >> ~/.bashrc"""

    if shell not in ("bash", "zsh", "fish"):
        fail(f"onbekende shell {shell!r}; kies uit bash, zsh, fish", USAGE_EXIT)
    out.file.write(
        get_completion_script(prog_name="kit", complete_var="_KIT_COMPLETE", shell=shell)
    )
