"""Dutch help pages and usage errors for the Typer layer, whose own texts are English.

Only public APIs: the command classes are subclasses of ``typer.core.TyperCommand``/``TyperGroup``
(given with ``cls=``) that write their help pages themselves from the parameters' documented
attributes, and every error Typer raises (a ``typer.TyperException``) is caught at the one entry
point, ``DutchGroup.main``, and worded in Dutch by ``translate``. A message that ``translate`` does
not know becomes a general Dutch one: an English text never reaches the user, even when Typer
rewords its messages.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

from briefgen.problems import did_you_mean

EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130
HELP_TEXT = "Toon deze hulp en stop."
OPTIONS_METAVAR = "[OPTIES]"
SUBCOMMAND_METAVAR = "COMMANDO [ARGUMENTEN]..."
VALUE_METAVAR = "WAARDE"  # for an option that does not name its value itself
REQUIRED = "[verplicht]"
# Accepted on the command line for compatibility, not shown in the help: one name per option.
ALIASES = {"--format"}
ABORTED = "afgebroken"
# What Ctrl-C leaves, per command (build records each letter it delivered); other commands: ABORTED.
INTERRUPTED = {
    "build": "afgebroken; wat al klaar was, is bewaard (de volgende build gaat verder)",
    "check": "afgebroken; niet alle brieven zijn gecontroleerd",
}
USAGE_FALLBACK = "verkeerd gebruik van dit commando"
ERROR_FALLBACK = "het commando kon niet worden uitgevoerd"


class DutchUsageError(typer.BadParameter):
    """A usage error whose message is already complete Dutch (from a briefgen parser or callback)."""

    def format_message(self) -> str:
        return self.message


def _names(hint: str) -> str:
    """``'--formaat' / '-f'`` → ``--formaat``: the first name of an option (briefgen declares the long
    one first) or the name of an argument."""
    quoted = re.findall(r"'([^']*)'", hint)
    return quoted[0] if quoted else hint.strip()


def _one_of(choices: str) -> str:
    """``'a', 'b', 'c'`` → ``'a', 'b' of 'c'``."""
    head, _, last = choices.rpartition(", ")
    return f"{head} of {last}" if head else last


def _quoted(choices: str) -> list[str]:
    return re.findall(r"'([^']*)'", choices)


# What a Dutch user may type for a command, when no command is close to it.
DUTCH_COMMANDS = {"bouw": "build", "bouwen": "build", "maak": "build", "controleer": "check", "controleren": "check",
                  "lijst": "list", "toon": "list", "nieuw": "new", "volg": "watch", "bewaak": "watch", "importeer": "import"}


def _dutch_command(word: str) -> str | None:
    command = DUTCH_COMMANDS.get(word.lower())
    return f"'{command}'" if command else None


def _suggestion(possible: str | None) -> str:
    """``; bedoelde u 'build'?``; an alias is not suggested (``--formaat``, not ``--format``)."""
    shown = [name for name in (possible or "").split(", ") if name and name not in ALIASES]
    return f"; bedoelde u {_one_of(', '.join(shown))}?" if shown else ""


# Typer's reasons why a value is invalid (after "Invalid value for …:"); an unknown one is left out.
VALUE_MESSAGES: list[tuple[str, Callable[[re.Match], str]]] = [
    (r"(?:Value error, )?'(?P<v>.*)' is not one of (?P<c>.+?)\.?",
     lambda m: f"'{m['v']}' is geen van {_one_of(m['c'])}{did_you_mean(m['v'], _quoted(m['c']))}"),
]

# Typer's messages, matched as a whole; the first that matches wins.
MESSAGES: list[tuple[str, Callable[[re.Match], str]]] = [
    (
        r"No such command '(?P<n>.+)'\.(?: Did you mean (?P<s>.+)\?)?",
        lambda m: f"onbekend commando '{m['n']}'{_suggestion(m['s'] or _dutch_command(m['n']))}",
    ),
    (
        r"No such option: (?P<n>\S+)(?: \(Possible options: (?P<s>.+)\)| Did you mean (?P<t>\S+)\?)?",
        lambda m: f"onbekende optie {m['n']}{_suggestion(m['s'] or m['t'])}",
    ),
    (r"Missing argument (?P<h>'.+?')\.(?: .*)?", lambda m: f"argument {_names(m['h'])} ontbreekt"),
    (r"Missing option (?P<h>'.+?'(?: / '.+?')*)\.(?: .*)?", lambda m: f"optie {_names(m['h'])} ontbreekt"),
    (r"Missing command\.", lambda m: "commando ontbreekt"),
    (
        r"Option '(?P<o>.+)' requires (?:an argument|\d+ arguments)\.",
        lambda m: f"optie {m['o']} verwacht een waarde",
    ),
    (r"Option '(?P<o>.+)' does not take a value\.", lambda m: f"optie {m['o']} neemt geen waarde"),
    (
        r"Got unexpected extra argument(?:s|\(s\))? \((?P<a>.*)\)",
        lambda m: f"onverwacht argument: {m['a']}" if " " not in m["a"] else f"onverwachte argumenten: {m['a']}",
    ),
    (r"Invalid value for (?P<h>.+?): (?P<r>.*)", lambda m: f"ongeldige waarde voor {_names(m['h'])}{_reason(m['r'])}"),
    (r"Invalid value: (?P<r>.*)", lambda m: f"ongeldige waarde{_reason(m['r'])}"),
]


def _reason(text: str) -> str:
    for pattern, dutch in VALUE_MESSAGES:
        match = re.fullmatch(pattern, text, re.DOTALL)
        if match:
            return f": {dutch(match)}"
    return ""


def translate(exc: typer.TyperException) -> str:
    """The Dutch message for an error Typer raised; never English."""
    if isinstance(exc, DutchUsageError):
        return exc.format_message()
    text = exc.format_message()
    for pattern, dutch in MESSAGES:
        match = re.fullmatch(pattern, text, re.DOTALL)
        if match:
            return dutch(match)
    return USAGE_FALLBACK if exc.exit_code == EXIT_USAGE else ERROR_FALLBACK


def _metavar(param: Any) -> str:
    return param.metavar or (param.name or "").upper()


if TYPE_CHECKING:  # the mixin's methods override and call those of the command class it is mixed into
    _Command = TyperCommand
else:
    _Command = object


class _DutchHelp(_Command):
    """Help pages written here, in Dutch, instead of by Typer."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [OPTIONS_METAVAR]
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                continue
            piece = _metavar(param) if param.required else f"[{_metavar(param)}]"
            pieces.append(piece + ("..." if param.nargs != 1 else ""))
        if isinstance(self, TyperGroup):
            pieces.append(SUBCOMMAND_METAVAR)
        return pieces

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Gebruik: ")

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            if getattr(param, "hidden", False):
                continue
            if param.param_type_name == "argument":
                arguments.append((_metavar(param), getattr(param, "help", None) or ""))  # TyperArgument has help
            else:
                options.append((_option_names(param), _option_help(param)))
        for title, rows in (("Argumenten", arguments), ("Opties", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        if isinstance(self, TyperGroup):
            self.format_commands(ctx, formatter)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Errors of the parser itself carry no command; give them this one (for 'Zie … --help')."""
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            if getattr(exc, "ctx", None) is None:
                exc.ctx = ctx  # type: ignore[attr-defined]  # typer's UsageError, which has it, is not public
            raise


def _option_names(param: Any) -> str:
    def names(opts: list[str]) -> str:
        """Short names first, as Typer does: ``-f, --formaat``."""
        return ", ".join(sorted((o for o in opts if o not in ALIASES), key=lambda o: len(o) - len(o.lstrip("-"))))

    shown = " / ".join(filter(None, [names(param.opts), names(param.secondary_opts)]))
    if not getattr(param, "is_flag", False):
        shown += f" {param.metavar or VALUE_METAVAR}"
    return shown


def _option_help(param: Any) -> str:
    text = param.help or ""
    return f"{text}  {REQUIRED}" if param.required else text


class DutchCommand(_DutchHelp, TyperCommand):
    pass


class DutchGroup(_DutchHelp, TyperGroup):
    _running: str | None = None  # the command that runs (for the message after Ctrl-C)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Also notes which command runs, for the message after Ctrl-C."""
        name, cmd, rest = super().resolve_command(ctx, args)
        self._running = name
        return name, cmd, rest

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        commands = [
            (name, cmd) for name in self.list_commands(ctx)
            if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden
        ]
        if commands:  # a short help is wrapped, never cut off with "..." (each command has one that fits)
            with formatter.section("Commando's"):
                formatter.write_dl([(name, cmd.get_short_help_str(sys.maxsize)) for name, cmd in commands])

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """The one entry point: usage errors in Dutch with exit code 2; Ctrl-C says so, exit 130."""
        self._running = None
        try:
            result = super().main(
                args, prog_name, complete_var, standalone_mode=False, windows_expand_args=windows_expand_args, **extra
            )
            code = result if isinstance(result, int) else 0
            if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into exit code 130
                typer.echo(f"briefgen: {INTERRUPTED.get(self._running or '', ABORTED)}", err=True)
        except typer.Abort:
            typer.echo(f"briefgen: {ABORTED}", err=True)
            code = EXIT_PROBLEMS
        except typer.TyperException as exc:
            code = exc.exit_code
            ctx = getattr(exc, "ctx", None)
            if ctx is not None and exc.format_message() == ctx.get_help():
                typer.echo(exc.format_message(), err=True)  # a group called without a command: its help
            else:
                typer.echo(f"briefgen: {translate(exc)}", err=True)
                if code == EXIT_USAGE:
                    typer.echo(f"Zie '{ctx.command_path if ctx else 'briefgen'} --help'.", err=True)
        if standalone_mode:
            sys.exit(code)
        return code
