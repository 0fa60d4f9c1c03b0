"""``briefgen check``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, EXIT_PROBLEMS, command, count, open_werkmap, print_problems, run, selected_paths
from briefgen.results import CheckReport


class Uitvoer(StrEnum):
    tekst = "tekst"
    json = "json"


@command()
def check(
    ctx: typer.Context,
    paden: list[Path] | None = typer.Argument(None, metavar="PAD", help="Brieven of mappen (standaard: alle brieven)."),
    streng: bool = typer.Option(False, "--streng", help="Waarschuwingen (zoals spelling) tellen als fouten."),
    uitvoer: Uitvoer = typer.Option(Uitvoer.tekst, "--formaat", "-f", "--format", metavar="tekst|json", help="tekst (standaard) of json, voor editors en CI."),
    spelling: bool = typer.Option(True, "--spelling/--geen-spelling", help="Spelling en leesbaarheid controleren (standaard aan)."),
) -> None:
    """Controleer brieven, organisaties en templates zonder iets te bouwen."""

    def body() -> int:
        from briefgen import checking

        werkmap, settings = open_werkmap(ctx)
        report = checking.check(werkmap, settings, selected_paths(paden), proofread=spelling)
        failing = [p for p in report.problems if p.is_error or streng]
        if uitvoer is Uitvoer.json:
            typer.echo(json.dumps(_as_json(report, len(failing)), ensure_ascii=False, indent=2))
        else:
            print_problems(report.problems)
            for result in report.letters:
                if result.readability is not None:
                    typer.echo(f"leesbaarheid {result.shown}: {result.readability.summary()}")
            warnings = len(report.problems) - len([p for p in report.problems if p.is_error])
            typer.echo(
                f"{count(len(report.letters), 'brief', 'brieven')} gecontroleerd: "
                f"{count(len(report.problems) - warnings, 'fout', 'fouten')}, {count(warnings, 'waarschuwing', 'waarschuwingen')}."
            )
        return EXIT_PROBLEMS if failing else EXIT_OK

    run(body)


def _as_json(report: CheckReport, failing: int) -> dict:
    return {
        "problemen": [
            {"bestand": p.path, "regel": p.line, "kolom": p.col, "ernst": p.severity.value, "melding": p.message}
            for p in sorted(report.problems, key=lambda p: (p.path, p.line, p.col))
        ],
        "leesbaarheid": {
            r.shown: {"score": round(r.readability.flesch_douma, 1), "niveau": r.readability.level,
                      "woorden_per_zin": round(r.readability.avg_sentence_length, 1)}
            for r in report.letters
            if r.readability is not None
        },
        "brieven": len(report.letters),
        "fout": failing > 0,
    }
