"""The command line: the only place that prints and chooses exit codes."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from briefgen import __version__, pipeline
from briefgen.problems import BriefgenError, Problem, ProblemsError
from briefgen.settings import load_settings
from briefgen.werkmap import Werkmap

app = typer.Typer(
    name="briefgen",
    help="Maakt officiële brieven (raadsinformatiebrief, informatienota) als DOCX en PDF uit YAML-inhoud.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Formaat(str, Enum):
    alle = "alle"
    docx = "docx"
    pdf = "pdf"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    ctx: typer.Context,
    werkmap: Optional[Path] = typer.Option(
        None, "-C", "--werkmap", help="Werk in deze map (standaard: de huidige map of een map daarboven)."
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Toon de versie en stop."),
) -> None:
    """Maakt officiële brieven als DOCX en PDF uit YAML-inhoud."""
    ctx.obj = werkmap


def _open(ctx: typer.Context) -> tuple[Werkmap, object]:
    start = ctx.obj or Path.cwd()
    if ctx.obj is not None and not Path(start).is_dir():
        _fail(f"map bestaat niet: {start}", EXIT_USAGE)
    werkmap = Werkmap.find(Path(start))
    return werkmap, load_settings(werkmap.root)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        typer.echo(problem.format(), err=True)


def _fail(message: str, code: int = EXIT_PROBLEMS) -> None:
    typer.echo(f"briefgen: {message}", err=True)
    raise typer.Exit(code)


def _guard(run):
    """Core errors become a Dutch message and an exit code, never a traceback."""
    try:
        return run()
    except ProblemsError as exc:
        _print_problems(exc.problems)
        raise typer.Exit(EXIT_PROBLEMS) from None
    except BriefgenError as exc:
        _fail(str(exc))


def _paths(paths: list[Path] | None) -> list[Path] | None:
    if not paths:
        return None
    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail(f"bestaat niet: {', '.join(map(str, missing))}", EXIT_USAGE)
    return paths


@app.command()
def build(
    ctx: typer.Context,
    paden: Optional[list[Path]] = typer.Argument(None, help="Brieven of mappen (standaard: alle brieven in content/)."),
    formaat: Formaat = typer.Option(Formaat.alle, "--formaat", "-f", help="Welke uitvoer: docx, pdf of alle."),
    opnieuw: bool = typer.Option(False, "--opnieuw", help="Bouw alles opnieuw, ook wat actueel is."),
    taken: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Aantal parallelle taken (standaard: aantal kernen)."),
) -> None:
    """Bouw brieven naar build/ (DOCX en PDF)."""

    def run() -> int:
        werkmap, settings = _open(ctx)
        if taken:
            settings = settings.model_copy(update={"jobs": taken})
        formats = pipeline.FORMATS if formaat is Formaat.alle else (formaat.value,)
        progress = _Progress()
        report = pipeline.build(werkmap, settings, _paths(paden), formats, force=opnieuw, progress=progress)
        _print_problems(report.problems)
        built = [r for r in report.letters if r.built]
        current = [r for r in report.letters if r.current]
        failed = [r for r in report.letters if r.failed]
        for path in report.removed:
            typer.echo(f"verwijderd: {path} (de brief bestaat niet meer)")
        typer.echo(f"{len(built)} gebouwd, {len(current)} actueel, {len(failed)} met fouten.")
        if report.pdf_unavailable:
            typer.echo(f"briefgen: {report.pdf_unavailable}", err=True)
        if failed:
            typer.echo("Niet gebouwd (de vorige uitvoer is ongewijzigd gebleven):", err=True)
            for result in failed:
                typer.echo(f"  {result.shown}", err=True)
        return EXIT_OK if report.ok else EXIT_PROBLEMS

    raise typer.Exit(_guard(run))


class _Progress:
    """One plain line per built output; quiet about letters that are up to date."""

    def __call__(self, event: str, name: str) -> None:
        if event in ("docx", "pdf"):
            typer.echo(f"{event:>4}  {name}")


@app.command()
def check(
    ctx: typer.Context,
    paden: Optional[list[Path]] = typer.Argument(None, help="Brieven of mappen (standaard: alle brieven)."),
) -> None:
    """Controleer brieven, organisaties en templates zonder iets te bouwen."""

    def run() -> int:
        werkmap, settings = _open(ctx)
        report = pipeline.check(werkmap, settings, _paths(paden))
        _print_problems(report.problems)
        errors = [p for p in report.problems if p.is_error]
        typer.echo(f"{len(report.letters)} brieven gecontroleerd, {len(errors)} fouten.")
        return EXIT_PROBLEMS if errors else EXIT_OK

    raise typer.Exit(_guard(run))


@app.command("list")
def list_letters(ctx: typer.Context) -> None:
    """Toon alle brieven met nummer, datum, onderwerp en of de uitvoer actueel is."""
    from briefgen.listing import rows

    def run() -> int:
        werkmap, settings = _open(ctx)
        table = rows(werkmap, settings)
        for row in table:
            typer.echo("  ".join(row))
        return EXIT_OK

    raise typer.Exit(_guard(run))


@app.command()
def init(map: Path = typer.Argument(..., help="De nieuwe werkmap.")) -> None:
    """Maak een nieuwe werkmap met de standaard-huisstijlen en een voorbeeldbrief."""
    from briefgen.skeleton import create

    def run() -> int:
        created = create(map)
        typer.echo(f"werkmap gemaakt: {created}")
        typer.echo(f"bouw de voorbeeldbrief met: briefgen -C {created} build")
        return EXIT_OK

    raise typer.Exit(_guard(run))


def main() -> None:
    app(prog_name="briefgen")


if __name__ == "__main__":
    sys.exit(main())
