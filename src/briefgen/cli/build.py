"""``briefgen build``."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

import typer

from briefgen import pipeline
from briefgen.cli.app import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    at_least_one,
    command,
    open_werkmap,
    print_problems,
    run,
    selected_paths,
    stop_on_term,
)
from briefgen.gitchanges import UnknownRevision
from briefgen.problems import BriefgenError, PdfEngineMissing
from briefgen.results import LetterOutcome
from briefgen.settings import Settings

INSTALL_HINT = ("installeer LibreOffice: sudo apt-get install libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core "
                "fonts-crosextra-carlito fonts-crosextra-caladea")


class Formaat(StrEnum):
    alle = "alle"
    docx = "docx"
    html = "html"
    pdf = "pdf"


@command(short_help="Bouw brieven naar build/ (DOCX, HTML, PDF en Woo-metadata).")
def build(
    ctx: typer.Context,
    paden: list[Path] | None = typer.Argument(None, metavar="PAD", help="Brieven of mappen (standaard: alle brieven in content/)."),
    formaat: Formaat = typer.Option(Formaat.alle, "--formaat", "-f", "--format", metavar="docx|html|pdf|alle", help="Welke uitvoer: docx, html, pdf (met Woo-metadata) of alle (standaard)."),
    opnieuw: bool = typer.Option(False, "--opnieuw", help="Bouw alles opnieuw, ook wat actueel is."),
    taken: int | None = typer.Option(None, "--jobs", "-j", parser=at_least_one("--jobs"), metavar="N", help="Aantal parallelle taken (standaard: aantal kernen)."),
    sinds: str | None = typer.Option(None, "--sinds", metavar="REV", help="Alleen brieven waarvan de invoer sinds deze git-revisie veranderd is."),
    bijlagen: bool = typer.Option(False, "--bijlagen", help="Voeg PDF-bijlagen achter de brief toe in de PDF, met bladwijzers."),
) -> None:
    """Bouw brieven naar build/ (DOCX, HTML, PDF en Woo-metadata)."""

    def body() -> int:
        werkmap, settings = open_werkmap(ctx)
        if taken:
            settings = dataclasses.replace(settings, jobs=taken)
        formats = pipeline.FORMATS if formaat is Formaat.alle else (formaat.value,)
        try:
            with Progress(last=formats[-1]) as progress:
                report = pipeline.build(
                    werkmap, settings, selected_paths(paden, werkmap), formats, force=opnieuw, progress=progress, since=sinds, attachments=bijlagen
                )
        except UnknownRevision as exc:
            typer.echo(f"briefgen: {exc}", err=True)
            typer.echo("Zie 'briefgen build --help'.", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        print_problems(report.problems)
        print_removed(report.removed)
        typer.echo(f"{len(report.built)} gebouwd, {len(report.current)} actueel, {len(report.not_built)} met fouten.")
        if report.pdf_unavailable:
            typer.echo(f"briefgen: {without_pdf(report.pdf_unavailable, settings)}", err=True)
        print_not_built(report.not_built)
        return EXIT_OK if report.ok else EXIT_PROBLEMS

    with stop_on_term():
        run(body)


def print_removed(removed: Iterable[str]) -> None:
    for path in removed:
        typer.echo(f"verwijderd: {path} (de brief bestaat niet meer)")


def print_not_built(failed: list[LetterOutcome]) -> None:
    """Which letters were not built, and why when it is not their own errors (build and watch)."""
    if failed:
        typer.echo("Niet gebouwd (eerdere uitvoer, als die er is, blijft ongewijzigd):", err=True)
        for result in failed:
            typer.echo(f"  {result.shown}{_because(result)}", err=True)


def _because(result: LetterOutcome) -> str:
    """Why a letter without errors of its own was not built: the files whose errors it follows from
    (reported there, once, not again at each letter that uses them)."""
    errors = [p for p in result.problems if p.is_error]
    causes = sorted({p.cause for p in errors if p.cause})
    if not causes or any(not p.cause for p in errors):
        return ""
    return f" (door de fouten in {', '.join(causes)})"


def without_pdf(problem: BriefgenError, settings: Settings) -> str:
    """Why there are no PDFs (and so nothing was built), and what to do about it."""
    if not isinstance(problem, PdfEngineMissing) or problem.reason:
        return str(problem)
    nothing = "er is niets gebouwd; alleen DOCX maken kan met --formaat docx"
    if problem.setting == "soffice":
        return (f"LibreOffice niet gevonden: de instelling 'soffice' in {settings.source or 'de instellingen'} wijst naar "
                f"'{problem.program}', en dat is geen programma dat briefgen kan starten; verbeter of verwijder die "
                f"instelling; {nothing}")
    if problem.setting:
        return (f"LibreOffice niet gevonden: de omgevingsvariabele {problem.setting} wijst naar '{problem.program}', "
                f"en dat is geen programma dat briefgen kan starten; {nothing}")
    return f"LibreOffice (soffice) niet gevonden; {nothing}. {INSTALL_HINT}"


class Progress:
    """A progress bar on a terminal; plain lines (one per built output) when not a tty, as in CI."""

    def __init__(self, last: str) -> None:
        self.last = last  # the event that completes a letter
        self.counted: set[str] = set()  # letters the bar counted: a PDF as its worker delivers it, not again after
        self.bar = None
        if sys.stdout.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
            from rich.progress import Progress as Bar

            # Redrawn at each event, not by a thread of its own: the build forks its render processes
            # after the bar starts, and a fork beside a running thread may copy a lock that thread held.
            self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True,
                           auto_refresh=False)

    def __enter__(self) -> Progress:
        if self.bar:
            self.bar.start()
            self.task = self.bar.add_task("bouwen", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()

    def __call__(self, event: str, name: str) -> None:
        if self.bar is None:
            if event in ("docx", "html", "pdf"):
                typer.echo(f"{event:>4}  {name}")
        elif event == "totaal":
            self.bar.update(self.task, total=int(name), refresh=True)
        elif event in ("actueel", "fout", "geleverd", self.last) and name not in self.counted:
            self.counted.add(name)
            self.bar.update(self.task, advance=1, description=name, refresh=True)
