"""Dutch help and usage errors for the Typer/Click layer (its own texts are English only)."""

from __future__ import annotations

import re
import sys
from typing import Any

import typer
from typer import _click as click
from typer.core import TyperCommand, TyperGroup

HEADINGS = {"Options": "Opties", "Commands": "Commando's", "Arguments": "Argumenten"}
HELP_TEXT = "Toon deze hulp en stop."
EXIT_USAGE = 2
INTERRUPTED = 130

# Click's usage errors, as Dutch patterns; anything unmatched is shown as it is.
MESSAGES = [
    (r"No such command '(.+)'\.", r"onbekend commando '\1'"),
    (r"No such option: (\S+)(?: Did you mean (\S+)\?)?", r"onbekende optie \1"),
    (r"Missing argument '(.+)'\.", r"argument \1 ontbreekt"),
    (r"Missing option '(.+)'\.", r"optie \1 ontbreekt"),
    (r"Option '(.+)' requires an argument\.", r"optie \1 verwacht een waarde"),
    (r"Got unexpected extra arguments? \((.+)\)", r"onverwacht extra argument: \1"),
    (r"Invalid value for '(.+?)'(?: / '(.+?)')?: (.*)", r"ongeldige waarde voor \1: \3"),
    (r"Value error, '(.+)' is not one of (.+)\.", r"'\1' is niet een van \2"),
    (r"'(.+)' is not a valid integer( range)?\.", r"'\1' is geen geheel getal"),
    (r"(\S+) is not in the range x>=(\d+)\.", r"\1 is kleiner dan \2"),
    (r"' or '", r"', '"),
]


def translate(message: str) -> str:
    for pattern, replacement in MESSAGES:
        message = re.sub(pattern, replacement, message)
    return message


class DutchFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[OPTIES]").replace("COMMAND [ARGS]...", "COMMANDO [ARGUMENTEN]..."), prefix or "Gebruik: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))


class DutchContext(click.Context):
    formatter_class = DutchFormatter


class _DutchHelp:
    context_class = DutchContext

    def get_help_option(self, ctx: Any):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class DutchCommand(_DutchHelp, TyperCommand):
    pass


class DutchGroup(_DutchHelp, TyperGroup):
    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Usage errors in Dutch, exit code 2; Ctrl-C says so, exit 130."""
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
            code = result if isinstance(result, int) else 0
            if code == INTERRUPTED:  # typer turns Ctrl-C into exit code 130
                typer.echo("briefgen: afgebroken; wat al klaar was, is bewaard (de volgende build gaat verder)", err=True)
        except click.exceptions.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "briefgen"
            typer.echo(f"briefgen: {translate(exc.format_message())}", err=True)
            typer.echo(f"Zie '{command} --help'.", err=True)
            code = EXIT_USAGE
        except typer.Abort:
            typer.echo("briefgen: afgebroken", err=True)
            code = 1
        except click.exceptions.ClickException as exc:
            typer.echo(f"briefgen: {translate(exc.format_message())}", err=True)
            code = exc.exit_code
        if standalone_mode:
            sys.exit(code)
        return code
