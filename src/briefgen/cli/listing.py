"""``briefgen list``."""

from __future__ import annotations

from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, command, open_werkmap, run, selected_paths


@command("list", short_help="Toon de brieven per organisatie, op datum en nummer.")
def list_letters(
    ctx: typer.Context,
    paden: list[Path] | None = typer.Argument(None, metavar="PAD", help="Brieven of mappen (standaard: alle brieven in content/)."),
    toezeggingen: bool = typer.Option(False, "--toezeggingen", help="Toon de toezeggingen uit de brieven in plaats van de brieven."),
    csv: bool = typer.Option(False, "--csv", help="Als CSV (puntkomma's, UTF-8), bijv. voor een spreadsheet: briefgen list --csv > brieven.csv; "
                             "een cel die met = + - @ (ook breed: ＝ ＋ － ＠), een tab of een regelovergang begint, krijgt een ' ervoor (geen formule)"),
) -> None:
    """Toon de brieven met nummer, datum, onderwerp, huisstijl, reeks en status.

    Gesorteerd per organisatie op datum en nummer (2021/9 vóór 2021/10); de status zegt of de uitvoer
    actueel is. Met PAD alleen die brieven of de brieven in die mappen; de reeks noemt ook brieven daarbuiten.
    """

    def body() -> int:
        from briefgen import listing

        werkmap, settings = open_werkmap(ctx)
        selection = selected_paths(paden, werkmap)
        table = (listing.commitments(werkmap, settings, selection) if toezeggingen
                 else listing.letters(werkmap, settings, selection))
        if toezeggingen and len(table) == 1 and not csv:  # a header alone reads as if something went missing
            typer.echo("geen toezeggingen")
        else:
            typer.echo(listing.as_csv(table) if csv else "\n".join(listing.aligned(table)), nl=not csv)
        return EXIT_OK

    run(body)
