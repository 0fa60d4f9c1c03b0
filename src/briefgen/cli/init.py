"""``briefgen init``."""

from __future__ import annotations

from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, command, run
from briefgen.skeleton import create


@command(short_help="Maak een nieuwe werkmap met een voorbeeldbrief.")
def init(map: Path = typer.Argument(..., metavar="MAP", help="De nieuwe werkmap.")) -> None:
    """Maak een nieuwe werkmap met de standaard-huisstijlen en een voorbeeldbrief."""

    def body() -> int:
        created = create(map)
        typer.echo(f"werkmap gemaakt: {created}")
        typer.echo(f"bouw de voorbeeldbrief met: briefgen -C {created} build")
        return EXIT_OK

    run(body)
