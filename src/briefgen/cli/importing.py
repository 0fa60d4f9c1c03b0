"""``briefgen import``."""

from __future__ import annotations

from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, EXIT_PROBLEMS, command, count, open_werkmap, print_problems, run, selected_paths


@command("import", short_help="Zet Word-brieven om in briefbestanden in content/.")
def import_letters(
    ctx: typer.Context,
    paden: list[Path] = typer.Argument(..., metavar="BRIEF.docx", help="Word-brieven, of mappen met Word-brieven."),
    organisatie: str | None = typer.Option(
        None, "--organisatie", "-o", metavar="ID", help="Id van de organisatie (standaard: herkend aan de naam in de brief)."
    ),
    opnieuw: bool = typer.Option(
        False, "--opnieuw", help="Ook brieven importeren die al in content/ staan (zelfde organisatie, datum en onderwerp)."
    ),
) -> None:
    """Zet bestaande Word-brieven om in briefbestanden in content/; overschrijft nooit een bestand en slaat brieven over die er al zijn."""

    def body() -> int:
        from briefgen.importer import import_letters as read_and_write
        from briefgen.session import Session

        werkmap, settings = open_werkmap(ctx)
        selected_paths(paden)
        session = Session(werkmap, settings)
        results = read_and_write(session, paden, organisatie, again=opnieuw)
        for result in results:
            if result.target is not None:
                typer.echo(f"{result.shown} → {werkmap.shown(result.target)}")
        problems = [p for result in results for p in result.problems]
        print_problems(problems)
        written = [r for r in results if r.target is not None]
        warned = sum(1 for r in written if r.problems and r.ok)
        wrong = sum(1 for r in written if not r.ok)
        skipped = sum(1 for r in results if r.earlier is not None)
        pdfs = sum(1 for r in results if r.skipped and r.source.suffix.lower() == ".pdf")
        others = sum(1 for r in results if r.skipped) - pdfs
        kinds = [count(pdfs, "PDF", "PDF's")] if pdfs else []
        if others:
            kinds.append(count(others, "ander bestand" if pdfs else "bestand in een ander formaat",
                               "andere bestanden" if pdfs else "bestanden in een ander formaat"))
        failed = len(results) - len(written) - skipped - pdfs - others
        typer.echo(f"{count(len(written), 'brief', 'brieven')} geïmporteerd ({warned} met waarschuwingen, "
                   f"{wrong} met fouten om te verbeteren), {count(failed, 'brief', 'brieven')} niet"
                   + (f", {count(skipped, 'brief', 'brieven')} al eerder geïmporteerd" if skipped else "")
                   + (f", {' en '.join(kinds)} overgeslagen" if kinds else "") + ".")
        if alone := sum(1 for r in results if r.alone):
            alone_count = count(alone, "PDF", "PDF's")
            typer.echo(f"{alone_count} zonder Word-versie ernaast: importeer de Word-versies (.docx), of zet "
                       "de tekst van zo'n brief in een nieuwe brief met 'briefgen new'.")
        return EXIT_PROBLEMS if failed or wrong else EXIT_OK

    run(body)
