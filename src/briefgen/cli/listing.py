"""``briefgen list``."""

from __future__ import annotations

import typer

from briefgen.cli.app import EXIT_OK, command, open_werkmap, run
from briefgen.listing import rows


@command("list")
def list_letters(ctx: typer.Context) -> None:
    """Toon alle brieven met nummer, datum, onderwerp en of de uitvoer actueel is."""

    def body() -> int:
        werkmap, settings = open_werkmap(ctx)
        for row in rows(werkmap, settings):
            typer.echo("  ".join(row))
        return EXIT_OK

    run(body)
