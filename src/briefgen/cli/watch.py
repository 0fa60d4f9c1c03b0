"""``briefgen watch``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from briefgen.buildlock import BuildLocked
from briefgen.cli.app import EXIT_OK, command, count, open_werkmap, print_problems, run, selected_paths, stop_on_term
from briefgen.cli.build import Formaat, print_not_built, print_removed, without_pdf

if TYPE_CHECKING:
    from briefgen.problems import Problem
    from briefgen.watch import StartFailure


@command(short_help="Bouw opnieuw bij elke opgeslagen wijziging (Ctrl-C stopt).")
def watch(
    ctx: typer.Context,
    paden: list[Path] | None = typer.Argument(None, metavar="PAD", help="Brieven of mappen (standaard: alle brieven in content/).", show_default=False),
    formaat: Formaat = typer.Option(Formaat.alle, "--formaat", "-f", show_default=False, help="Welke uitvoer: docx, pdf of alle (standaard)."),
    openen: bool = typer.Option(False, "--open", help="Toon de eerste gebouwde PDF in de PDF-lezer van de desktop (eenmalig)."),
) -> None:
    """Bouw steeds opnieuw wat een opgeslagen wijziging verandert (Ctrl-C stopt)."""

    def body() -> int:
        from briefgen import pipeline
        from briefgen.watch import Watcher, open_in_viewer

        werkmap, settings = open_werkmap(ctx)
        formats = pipeline.FORMATS if formaat is Formaat.alle else (formaat.value,)
        watcher = Watcher(werkmap, settings, selected_paths(paden, werkmap), formats)
        opened = not openen
        told: set[Problem] = set()
        try:
            typer.echo("briefgen let op wijzigingen in content/, templates/ en de instellingen; Ctrl-C stopt.")
            watcher.start()
            if watcher.resident_unavailable:
                typer.echo(f"LibreOffice blijft niet klaarstaan ({watcher.resident_unavailable}); elke PDF start "
                           "LibreOffice opnieuw, wat langzamer is.", err=True)
            elif failed := watcher.start_failure():
                _not_started(failed)
            for round_ in watcher.rounds():
                _report(round_, watcher.settings, told)
                if not opened and round_.report is not None:
                    shown = [werkmap.output(r.path, "pdf") for r in round_.report.letters if not r.failed]
                    shown = [pdf for pdf in shown if pdf.is_file()]  # built now or already current
                    if shown:
                        open_in_viewer(shown[0])
                        opened = True
        except KeyboardInterrupt:
            pass
        finally:
            watcher.close()
        typer.echo("gestopt.")
        return EXIT_OK

    with stop_on_term():
        run(body)


def _not_started(failed: StartFailure) -> None:
    """The LibreOffice to keep running did not start (at the start, or again for a round): once per failed start."""
    if failed.retry is None:
        typer.echo(f"De LibreOffice die klaar moet blijven staan, start ook na {failed.attempts} pogingen niet "
                   f"({failed.reason}); briefgen maakt de PDF's voortaan met een nieuwe LibreOffice per keer "
                   "(langzamer). Stop briefgen watch en start het opnieuw om het nog eens te proberen.", err=True)
        return
    minutes = round(failed.retry / 60)
    later = count(minutes, "minuut", "minuten") if minutes else count(round(failed.retry), "seconde", "seconden")
    typer.echo(f"De LibreOffice die klaar moet blijven staan, start niet ({failed.reason}); briefgen maakt de PDF's "
               f"nu met een nieuwe LibreOffice per keer (langzamer) en probeert het over {later} opnieuw, bij de "
               "eerstvolgende wijziging.", err=True)


def _report(round_, settings, told: set[Problem] | None = None) -> None:
    """One round: what changed, the problems (path:line:col), what was built, and how long it took.

    A warning about the PDF the machine makes (a font not installed, Problem.about_pdf) is in ``told`` once shown:
    it is not repeated at every save of a letter in that house style."""
    if round_.after_lock:
        typer.echo("de andere build is klaar; briefgen bouwt nu wat er intussen veranderd is")
    if round_.changed:
        typer.echo(f"gewijzigd: {', '.join(round_.changed)}")
    if round_.settings_reloaded:
        typer.echo("instellingen opnieuw gelezen")
    if round_.resident_failed:
        _not_started(round_.resident_failed)
    if round_.error is not None:
        problems = getattr(round_.error, "problems", None)
        if problems:
            print_problems(problems)
        else:
            typer.echo(f"briefgen: {round_.error}", err=True)
        if isinstance(round_.error, BuildLocked):
            typer.echo("briefgen wacht tot die build klaar is en bouwt dan wat er veranderd is …")
        else:
            typer.echo("wacht op de volgende wijziging …")
        return
    report = round_.report
    if report is None:
        return
    told = set() if told is None else told
    problems = [p for p in report.problems if not (p.about_pdf and p in told)]
    told.update(p for p in problems if p.about_pdf)
    print_problems(problems)
    for result in report.letters:
        if result.built:
            typer.echo(f"gebouwd: {result.shown} ({', '.join(result.built)})")
    print_removed(report.removed)
    if report.pdf_unavailable:
        typer.echo(f"briefgen: {without_pdf(report.pdf_unavailable, settings)}", err=True)
    print_not_built(report.not_built)
    seconds = f"{round_.seconds:.2f}".replace(".", ",")
    typer.echo(f"{count(len(report.built), 'brief', 'brieven')} gebouwd, {len(report.current)} actueel, "
               f"{len(report.not_built)} met fouten "
               f"({seconds} s); "
               "wacht op wijzigingen …")
