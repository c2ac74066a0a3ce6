"""A letter from the command line (kit letter, kit repair letter and request): its format
(Markdown or Word) and its file, rendered for the latest screening in the invocation's role."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import Ctx, acting, fail, out, parse_date, role_of
from kit.cli.dutch import USAGE_EXIT
from kit.cli.options import out_option
from kit.cli.output import visible
from kit.errors import os_error_text
from kit.paths import write_file
from kit.timezone import today

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


def check_letter_format(fmt: str, out_file: Path | None) -> None:
    """A letter's format: md or docx, and a Word document goes to a file."""
    # start-up: the letter module loads Jinja2; only this path needs it
    from kit.output.letter import FORMATS

    if fmt not in FORMATS:
        fail(f"--formaat: onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}", USAGE_EXIT)
    if fmt == "docx" and out_file is None:
        fail("--formaat docx schrijft een bestand; geef het op met --uitvoer", USAGE_EXIT)


def write_letter(
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

    check_letter_format(fmt, out_file)
    what = {"herstelverzoek": "Herstelverzoek", "besluit": "Besluit"}[kind]
    day = parse_date(as_of, "--peildatum") or today()
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
