"""`kit rules check`, `show`, `diff` and `impact`."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from kit.cli.common import error, fail, out, parse_date, rules_app, warning
from kit.cli.options import Db, Json, as_of_option, out_option
from kit.cli.output import err, print_json, visible
from kit.rules.criteria import criterion_line


@rules_app.command("check")
def rules_check(
    directory: Annotated[
        Path | None,
        typer.Argument(metavar="MAP", help="Map met regelsets (standaard rules/)."),
    ] = None,
) -> None:
    """Controleer alle regelsets in een map."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.kinds.check import check_all

    report = check_all(directory)
    for line in report.lines:
        out.print(line)
    for message in report.warnings:
        warning(message)
    if report.problems:
        for problem in report.problems:
            error(problem)
        raise typer.Exit(1)


@rules_app.command("show")
def rules_show(
    ruleset_id: Annotated[
        str, typer.Argument(metavar="REGELSET", help="Regelset, bijvoorbeeld kit-2025.")
    ],
    as_json: Json = False,
) -> None:
    """Toon de regels van een regelset, leesbaar: per regel wat zij eist, voor wie, met welke
    uitkomst en op welke grondslag."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.kinds.rulesets import load_ruleset
    from kit.rules.describe import basis_text, outcomes_text, parameters_text, scope_text

    ruleset = load_ruleset(ruleset_id)
    described = [
        {
            "rule": rule.id,
            "refs": list(rule.refs),
            "title": rule.title,
            "scope": scope_text(rule.applies),
            "parameters": parameters_text(rule),
            "outcome": outcomes_text(rule),
            "basis": basis_text(rule),
            "criteria": [
                c.model_dump(mode="json") | {"text": criterion_line(c)}
                for c in getattr(rule, "criteria", [])
            ],
        }
        for rule in ruleset.rules
    ]
    if as_json:
        print_json(described)
        return
    until = ruleset.in_force_until.isoformat() if ruleset.in_force_until else "heden"
    out.print(
        f"{ruleset.title} ({ruleset.id}, van kracht {ruleset.in_force_from} t/m {until}): "
        f"{len(ruleset.rules)} regels"
    )
    width = max(out.width - 4, 40)
    for rule in described:
        out.print(f"\n{rule['rule']} ({', '.join(rule['refs'])}): {rule['title']}", style="bold")
        for label, key in (
            ("Voor", "scope"),
            ("Eisen", "parameters"),
            ("Uitkomst", "outcome"),
            ("Grondslag", "basis"),
        ):
            if rule[key] and rule[key] != "-":
                out.print(_indented(f"{label}: {rule[key]}", width))
        if rule["criteria"]:
            out.print(_indented("Criteria (Q12), het oordeel per criterium:", width))
            for criterion in rule["criteria"]:
                out.print(_indented(f"  - {criterion['text']}", width))
    out.print()
    for code, procedure in ruleset.procedures.items():
        out.print(
            f"Procedure {code}: {procedure.label}, "
            f"contractstart {procedure.contract_start.isoformat()}"
        )
    for reason, refs in ruleset.rescreen.items():
        out.print(
            f"Herscreening (M3) bij {reason}: opnieuw beoordeeld {', '.join(refs)}; "
            "de rest blijft staan"
        )
    out.print(f"sha256: {ruleset.sha256}")


def _indented(text: str, width: int) -> str:

    return textwrap.fill(
        text, width, initial_indent="  ", subsequent_indent="    ", break_long_words=False
    )


@rules_app.command("impact")
def rules_impact(
    changed: Annotated[
        str,
        typer.Argument(
            metavar="REGELS",
            help="De gewijzigde regels: een map met regelsets (een kopie van rules/), de map van "
            "één regelset, of de id van een meegeleverde regelset.",
        ),
    ],
    as_of: Annotated[
        str | None,
        as_of_option(
            "Reken alles door op deze dag, JJJJ-MM-DD (standaard: elke inschrijving op de datum "
            "waarop zij gescreend is)."
        ),
    ] = None,
    out_file: Annotated[Path | None, out_option("Schrijf de doorrekening als xlsx.")] = None,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Reken een regelwijziging vooraf door: de laatste zaak van elke opgeslagen inschrijving
    onder de huidige en onder de gewijzigde regels, zonder iets op te slaan.

    Zonder --peildatum telt voor elke inschrijving de datum waarop zij gescreend is."""

    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.kinds.choice import checked, choose
    from kit.services import open_store
    from kit.views.criteria_impact import criteria_impact
    from kit.views.impact import impact

    day = parse_date(as_of, "--peildatum")
    choice = choose(changed)
    problems = checked(choice)
    if problems:
        for problem in problems:
            error(problem)
        fail(
            f"{changed}: de gewijzigde regels zijn niet in orde (kit rules check); "
            "niets doorgerekend"
        )
    store = open_store(db)
    total = store.counts()["submissions"]
    with Progress(console=err, transient=True, disable=not err.is_terminal or as_json) as bar:
        task = bar.add_task("Doorrekenen", total=total)
        found = impact(store, choice, day, progress=lambda n: bar.advance(task, n))
    criteria = criteria_impact(store, choice)
    if out_file is not None:
        # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
        from kit.cli.impact import write_impact

        write_impact(found, changed, out_file)
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.cli.impact import impact_json, show_impact

    for message in found.errors:
        error(message)
    if as_json:
        print_json(impact_json(found, criteria))
    else:
        show_impact(found, changed, day, criteria)
    if out_file is not None:  # beside --json, on stderr: stdout stays one JSON list
        (err if as_json else out).print(f"Doorrekening geschreven naar {visible(str(out_file))}")


@rules_app.command("diff")
def rules_diff(
    old: Annotated[str, typer.Argument(metavar="A", help="De regelset of map van nu.")],
    new: Annotated[str, typer.Argument(metavar="B", help="De gewijzigde regelset of map.")],
    as_json: Json = False,
) -> None:
    """De verschillen tussen twee regelsets, regel voor regel: toegevoegd, verwijderd en wat
    er per regel verandert. Twee mappen met regelsets: per regelset met dezelfde id."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.cli.impact import show_diff
    from kit.kinds.choice import choose, paired

    pairs = paired(choose(old), choose(new))
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.rules.diff import diff_rulesets, ruleset_changes

    found = [
        (a, b, ruleset_changes(a, b) if a and b else [], diff_rulesets(a, b) if a and b else [])
        for a, b in pairs
    ]
    if as_json:
        print_json(
            [
                {
                    "soort": "regelset",
                    "old": a.id if a else None,
                    "new": b.id if b else None,
                    "changes": [{"what": w, "was": x, "becomes": y} for w, x, y in header],
                    "rules": [change.to_json() for change in rules],
                }
                for a, b, header, rules in found
            ]
        )
        return
    show_diff(found)
