"""``briefgen new``."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, command, iso_date, open_werkmap, run, selected_paths


class Soort(StrEnum):
    raadsinformatiebrief = "raadsinformatiebrief"
    informatienota = "informatienota"


@command(short_help="Maak een nieuwe brief met het volgende vrije nummer.")
def new(
    ctx: typer.Context,
    soort: Soort = typer.Argument(..., metavar="SOORT", help="raadsinformatiebrief of informatienota."),
    organisatie: str = typer.Option(..., "--organisatie", "-o", metavar="ID", help="Id van de organisatie (content/organisaties/ID.yaml)."),
    onderwerp: str | None = typer.Option(None, "--onderwerp", metavar="TEKST", help="Onderwerp van de brief."),
    van: Path | None = typer.Option(None, "--van", metavar="BESTAND", help="Vorige brief van een reeks, als bestand of als id (zoals bij vorige:, bijvoorbeeld hilversum/2021/inkoop): de nieuwe brief neemt opbouw, tabellen en contacten over."),
    datum: dt.date | None = typer.Option(None, "--datum", parser=iso_date("--datum"), metavar="JJJJ-MM-DD", help="Datum van de brief (standaard: vandaag)."),
) -> None:
    """Maak een nieuw briefbestand met het volgende vrije nummer."""

    def body() -> int:
        from briefgen import formatting, newletter
        from briefgen.problems import ProblemsError
        from briefgen.session import Session

        werkmap, settings = open_werkmap(ctx)
        session = Session(werkmap, settings)
        previous = newletter.previous_file(werkmap, session.index, van) if van else None
        selected_paths([previous] if previous else None)  # a file that does not exist is a usage error, as for build
        day = datum or formatting.today()
        if errors := session.organisation_errors(organisatie):  # its own errors, in its own file
            raise ProblemsError(errors)
        notes: list[str] = []
        path = newletter.create(
            werkmap, session.index, session.organisations, soort.value, organisatie, onderwerp, day, previous, notes
        )
        typer.echo(werkmap.shown(path))
        for note in notes:
            typer.echo(f"briefgen: {note}", err=True)
        return EXIT_OK

    run(body)
