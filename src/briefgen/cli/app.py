"""The Typer app, its global options, and what every command shares: open the werkmap, report."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import typer

from briefgen import __version__
from briefgen.cli.dutch import DutchCommand, DutchGroup, DutchUsageError
from briefgen.fileio import describe
from briefgen.problems import BriefgenError, Problem, ProblemsError, WerkmapNotFound, WrongUsage
from briefgen.results import counted
from briefgen.settings import Settings, load_settings
from briefgen.werkmap import Werkmap, current_folder

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="briefgen",
    cls=DutchGroup,
    help="Maakt officiële brieven (raadsinformatiebrief, informatienota) als DOCX en PDF uit YAML-inhoud.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    ctx: typer.Context,
    werkmap: Path | None = typer.Option(
        None, "-C", "--werkmap", metavar="MAP", help="Werk in deze map (standaard: de huidige map of een map daarboven)."
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Toon de versie en stop."),
) -> None:
    """Maakt officiële brieven als DOCX en PDF uit YAML-inhoud."""
    ctx.obj = GlobalOptions(werkmap)


@dataclass(frozen=True)
class GlobalOptions:
    werkmap: Path | None


def command(*args, **kwargs):
    """``@app.command`` with Dutch help texts."""
    return app.command(*args, cls=DutchCommand, **kwargs)


def open_werkmap(ctx: typer.Context) -> tuple[Werkmap, Settings]:
    options = ctx.find_object(GlobalOptions)
    chosen = options.werkmap if options is not None else None
    if chosen is not None and not chosen.is_dir():
        fail(f"map bestaat niet: {chosen}", EXIT_USAGE)
    werkmap = Werkmap.find(chosen or current_folder())
    settings = load_settings(werkmap.root)
    print_problems(list(settings.warnings))
    return werkmap, settings


def print_problems(problems: list[Problem]) -> None:
    """Every problem once on its own line, grouped by file and in file order (results.counted); coloured on a terminal."""
    for problem in counted(problems):
        typer.secho(problem.format(), err=True, fg="red" if problem.is_error else "yellow")


def count(n: int, one: str, many: str) -> str:
    """``1 brief``, ``2 brieven``."""
    return f"{n} {one if n == 1 else many}"


def fail(message: str, code: int = EXIT_PROBLEMS) -> NoReturn:
    typer.echo(f"briefgen: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def stop_on_term() -> Iterator[None]:
    """Inside, ``kill`` (SIGTERM) ends the command as cleanly as Ctrl-C: LibreOffice stopped, nothing half-written.

    Only the main thread can set a signal handler; the one before is put back afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        if before is not None:  # None: set outside Python, nothing to put back
            signal.signal(signal.SIGTERM, before)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(body: Callable[[], int]) -> None:
    """Run a command body; core errors become a Dutch message and an exit code, never a traceback."""
    try:
        code = body()
    except ProblemsError as exc:
        print_problems(exc.problems)
        code = EXIT_PROBLEMS
    except (WerkmapNotFound, WrongUsage) as exc:  # e.g. run in the wrong folder: wrong usage, as the README's exit codes say
        fail(str(exc), EXIT_USAGE)
    except BriefgenError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.filename}: {describe(exc)}" if exc.filename else describe(exc))
    raise typer.Exit(code)


def at_least_one(option: str) -> Callable[[str], int]:
    """A parser for a whole number of at least 1, with a Dutch usage error."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise DutchUsageError(f"ongeldige waarde voor {option}: '{value}' is geen geheel getal van minstens 1")
        return number

    return parse


def iso_date(option: str) -> Callable[[str], dt.date]:
    """A parser for a date written JJJJ-MM-DD, with a Dutch usage error."""

    def parse(value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise DutchUsageError(f"ongeldige waarde voor {option}: '{value}' is geen datum (JJJJ-MM-DD)") from None

    return parse


def selected_paths(paths: list[Path] | None, werkmap: Werkmap | None = None) -> list[Path] | None:
    """The files and folders named on the command line; with ``werkmap``, each must lie in its content/
    (else a usage error: ``build /etc`` said "0 gebouwd" and succeeded)."""
    if not paths:
        return None
    missing = [p for p in paths if not p.exists()]
    if missing:
        fail(f"bestaat niet: {', '.join(map(str, missing))}", EXIT_USAGE)
    outside = [p for p in paths if werkmap is not None and not werkmap.in_content(p)]
    if werkmap is not None and outside:
        fail(f"ligt niet in {werkmap.shown(werkmap.content)}/ van de werkmap {werkmap.root}: "
             f"{', '.join(map(str, outside))}; geef brieven of mappen in {werkmap.shown(werkmap.content)}/", EXIT_USAGE)
    return paths
