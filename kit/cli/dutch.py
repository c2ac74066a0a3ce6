"""typer and click in Dutch: help headings, the help option, and usage errors.

typer (with its bundled click) writes its own messages in English: "Usage:", "Show this message
and exit.", "Missing option '--by'", "No such command". A user of kit reads Dutch only, so this
module translates the headings through the gettext hook typer itself uses, gives the help option
a Dutch text, and turns every usage error into one Dutch line (`fout: …; zie kit … -h`, exit
2). It relies on typer's internals, so pyproject pins typer to the minor version it was written
for; tests/test_cli_dutch.py fails on any English that comes back.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import typer.core
from typer import _click
from typer._click import decorators as _decorators
from typer._click import exceptions as _exceptions
from typer._click import formatting as _formatting
from typer._completion_classes import completion_init

from kit.cli.output import error, fit_width
from kit.errors import KitError

USAGE_EXIT = 2

# typer.core's gettext messages (help headings and markers), in Dutch.
_HEADINGS = {
    "Arguments": "Argumenten",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "required": "verplicht",
    "(dynamic)": "(wisselend)",
    "Aborted!": "Afgebroken.",
}
HELP_TEXT = "Toon deze hulp en stop."


def _translate(message: str) -> str:
    return _HEADINGS.get(message, message)


def _help_option(param_decls: list[str]) -> Callable[[Any], Any]:
    decorate = _original_help_option(param_decls)

    def with_dutch_help(command: Any) -> Any:
        command = decorate(command)
        command.params[-1].help = HELP_TEXT
        return command

    return with_dutch_help


_original_help_option = _decorators.help_option
_original_write_usage = _formatting.HelpFormatter.write_usage


def _write_usage(
    self: _formatting.HelpFormatter, prog: str, args: str = "", prefix: str | None = None
) -> None:
    _original_write_usage(self, prog, args, "Gebruik: " if prefix is None else prefix)


def _argument_usage(self: typer.core.TyperArgument) -> str:
    """An argument in the usage line as its placeholder says it: BESTAND, [BESTAND], BESTAND..."""
    name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
    return name + ("..." if self.nargs != 1 else "")


def _no_type(self: typer.core.TyperArgument, ctx: Any) -> None:
    """No Python type (`<str>`) beside an argument's placeholder: the placeholder names it."""
    return None


def install() -> None:
    """Put the Dutch texts in place (idempotent)."""
    typer.core._ = _translate  # type: ignore[attr-defined]  # typer's gettext hook
    _decorators.help_option = _help_option
    _formatting.HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]
    typer.core.TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
    typer.core.TyperArgument.display_type_rich = _no_type  # type: ignore[method-assign,assignment]


# --- usage errors ----------------------------------------------------------------------------

_TYPES = {
    "integer": "geheel getal",
    "int": "geheel getal",
    "float": "getal",
    "number": "getal",
    "boolean": "ja/nee-waarde",
}


def _name(param: Any) -> str:
    if param is None:
        return "waarde"
    if getattr(param, "param_type_name", "") == "option":
        return " / ".join(param.opts)
    return str(param.metavar or (param.name or "waarde").upper())


def usage_message(exc: _exceptions.UsageError) -> str:
    """One Dutch line for a usage error (without the `fout:` prefix)."""
    text = exc.message
    if isinstance(exc, _exceptions.NoSuchOption):
        found = f"onbekende optie {exc.option_name}"
        if exc.possibilities:
            found += f" (bedoelt u {' of '.join(sorted(exc.possibilities))}?)"
        return found
    if isinstance(exc, _exceptions.MissingParameter):
        kind = "optie" if getattr(exc.param, "param_type_name", "") == "option" else "argument"
        return f"{kind} {_name(exc.param)} ontbreekt"
    if isinstance(exc, _exceptions.BadParameter):
        value = re.search(r"Value ('.*'|\".*\") is not a valid (\w+)", text)
        if value:
            kind = _TYPES.get(value.group(2), value.group(2))
            return f"{_name(exc.param)}: {value.group(1)} is geen geldig {kind}"
        expected = re.search(r"should be a valid (\w+)", text)
        if expected:
            kind = _TYPES.get(expected.group(1), expected.group(1))
            return f"{_name(exc.param)}: verwacht een {kind}"
        return f"{_name(exc.param)}: ongeldige waarde"
    if isinstance(exc, _exceptions.BadOptionUsage):
        if "requires an argument" in text:
            return f"optie {exc.option_name} heeft een waarde nodig"
        if "does not take a value" in text:
            return f"optie {exc.option_name} neemt geen waarde"
        return f"optie {exc.option_name}: ongeldig gebruik"
    command = re.match(r"No such command '(.*)'\.", text)
    if command:
        found = f"onbekende opdracht {command.group(1)!r}"
        if exc.ctx is not None and isinstance(exc.ctx.command, typer.core.TyperGroup):
            known = exc.ctx.command.list_commands(exc.ctx)
            close = difflib.get_close_matches(command.group(1), known, n=2)
            if close:
                found += f" (bedoelt u {' of '.join(close)}?)"
        return found
    if text.startswith("Missing command"):
        return "geef een opdracht"
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", text)
    if extra:
        return f"onverwacht extra argument: {extra.group(1)}"
    return f"ongeldige aanroep ({text})"


def fail_usage(exc: _exceptions.UsageError) -> NoReturn:
    ctx = exc.ctx
    hint = f"; zie {ctx.command_path} -h" if ctx is not None else ""
    error(usage_message(exc) + hint)
    sys.exit(USAGE_EXIT)


class KitGroup(typer.core.TyperGroup):
    """The `kit` group: runs its commands with click's standalone handling replaced by kit's
    own, so usage errors are Dutch and exit codes are kit's. A KitError a command raises ends
    here, as its one Dutch line on stderr and exit code 1: commands do not catch it themselves."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        fit_width()
        if os.environ.get("_KIT_COMPLETE"):  # the shell asks for completions (kit completion)
            completion_init()
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except _exceptions.NoArgsIsHelpError as exc:
            _click.echo(exc.ctx.get_help())
            code = 0
        except KitError as exc:  # the one handler of a user's error, for every command
            if not standalone_mode:
                raise
            error(exc.message)
            sys.exit(1)
        except _exceptions.UsageError as exc:
            if not standalone_mode:
                raise
            fail_usage(exc)
        except _exceptions.ClickException as exc:
            if not standalone_mode:
                raise
            error(exc.format_message())
            sys.exit(1)
        except typer.Abort:
            if not standalone_mode:
                raise
            error("afgebroken")
            sys.exit(130)
        if standalone_mode:
            sys.exit(code if isinstance(code, int) else 0)
        return code
