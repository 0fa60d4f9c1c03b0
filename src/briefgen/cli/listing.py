"""``briefgen list``."""

from __future__ import annotations

import typer

from briefgen.cli.app import EXIT_OK, command, open_werkmap, run


@command("list")
def list_letters(
    ctx: typer.Context,
    toezeggingen: bool = typer.Option(False, "--toezeggingen", help="Toon de toezeggingen uit alle brieven in plaats van de brieven."),
) -> None:
    """Toon alle brieven: nummer, datum, onderwerp, huisstijl, reeks en of de uitvoer actueel is."""

    def body() -> int:
        from briefgen import listing

        werkmap, settings = open_werkmap(ctx)
        table = listing.commitments(werkmap, settings) if toezeggingen else listing.letters(werkmap, settings)
        for line in listing.aligned(table):
            typer.echo(line)
        return EXIT_OK

    run(body)
