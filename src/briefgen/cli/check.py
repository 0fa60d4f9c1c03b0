"""``briefgen check``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, EXIT_PROBLEMS, command, count, open_werkmap, print_problems, run, selected_paths
from briefgen.cli.dutch import DutchUsageError
from briefgen.problems import Problem
from briefgen.results import CheckReport, counted


class Uitvoer(StrEnum):
    tekst = "tekst"
    json = "json"


@command(short_help="Controleer brieven en templates zonder te bouwen.")
def check(
    ctx: typer.Context,
    paden: list[Path] | None = typer.Argument(
        None, metavar="PAD", help="Brieven, mappen of organisatiebestanden (standaard: alle brieven)."),
    streng: bool = typer.Option(False, "--streng", help="Waarschuwingen (zoals spelling) tellen als fouten."),
    uitvoer: Uitvoer = typer.Option(Uitvoer.tekst, "--formaat", "-f", "--format", metavar="tekst|json", help="tekst (standaard) of json, voor editors en CI."),
    spelling: bool = typer.Option(True, "--spelling/--geen-spelling", help="Spelling en leesbaarheid controleren (standaard aan)."),
    leesbaarheid: bool = typer.Option(False, "--leesbaarheid", help="Toon de leesbaarheid van elke brief (standaard alleen hoeveel brieven moeilijker zijn dan B1)."),
) -> None:
    """Controleer brieven, organisaties en templates zonder iets te bouwen.

    Eerst de fouten en waarschuwingen (pad:regel:kolom), dan in één regel hoeveel brieven moeilijker
    zijn dan taalniveau B1; met --leesbaarheid de score van elke brief.
    """
    if leesbaarheid and not spelling:
        raise DutchUsageError("--leesbaarheid gaat niet samen met --geen-spelling, dat ook de leesbaarheid overslaat")

    def body() -> int:
        from briefgen import checking

        werkmap, settings = open_werkmap(ctx)
        report = checking.check(werkmap, settings, selected_paths(paden, werkmap), proofread=spelling)
        problems = counted(report.problems)  # what is printed is what is counted, and what the exit code says
        errors = sum(p.is_error for p in problems)
        failing = errors + (len(problems) - errors if streng else 0)
        if uitvoer is Uitvoer.json:
            typer.echo(json.dumps(_as_json(report, problems, failing), ensure_ascii=False, indent=2))
        else:
            print_problems(problems)
            _print_readability(report, per_letter=leesbaarheid)
            for shown in report.organisations:
                typer.echo(f"organisatie gecontroleerd: {shown} (het bestand, het college en de huisstijlen; "
                           "haar brieven controleert 'briefgen check' zonder pad)")
            checked = [count(len(report.organisations), "organisatie", "organisaties")] if report.organisations else []
            if report.letters or not report.organisations:
                checked.append(count(len(report.letters), "brief", "brieven"))
            typer.echo(
                f"{' en '.join(checked)} gecontroleerd: "
                f"{count(errors, 'fout', 'fouten')}, {count(len(problems) - errors, 'waarschuwing', 'waarschuwingen')}."
            )
        return EXIT_PROBLEMS if failing else EXIT_OK

    run(body)


def _print_readability(report: CheckReport, per_letter: bool) -> None:
    """Each letter's readability when asked; else one line, only when some letter is harder than B1."""
    measured = [(r.shown, r.readability) for r in report.letters if r.readability is not None]
    if per_letter:
        for shown, readability in measured:
            typer.echo(f"leesbaarheid {shown}: {readability.summary()}")
        return
    hard = sum(readability.harder_than_b1 for _, readability in measured)
    if hard:
        typer.echo(f"leesbaarheid: {hard} van {count(len(measured), 'brief', 'brieven')} moeilijker dan B1 "
                   "(per brief: briefgen check --leesbaarheid).")


def _as_json(report: CheckReport, problems: list[Problem], failing: int) -> dict:
    return {
        "problemen": [
            {"bestand": p.path, "regel": p.line, "kolom": p.col, "ernst": p.severity.value, "melding": p.message}
            for p in problems
        ],
        "leesbaarheid": {
            r.shown: {"score": round(r.readability.flesch_douma, 1), "niveau": r.readability.level,
                      "woorden_per_zin": round(r.readability.avg_sentence_length, 1)}
            for r in report.letters
            if r.readability is not None
        },
        "brieven": len(report.letters),
        "organisaties": list(report.organisations),
        "fout": failing > 0,
    }
