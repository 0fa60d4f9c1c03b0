"""``briefgen import``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from briefgen.cli.app import EXIT_OK, EXIT_PROBLEMS, command, count, open_werkmap, print_problems, run, selected_paths

if TYPE_CHECKING:
    from briefgen.importer import Imported


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
        typer.echo(summary(results))
        if alone := sum(1 for r in results if r.alone):
            alone_count = count(alone, "PDF", "PDF's")
            typer.echo(f"{alone_count} zonder Word-versie ernaast: importeer de Word-versies (.docx), of zet "
                       "de tekst van zo'n brief in een nieuwe brief met 'briefgen new'.")
        failed = any(not r.skipped and r.earlier is None and (r.target is None or not r.ok) for r in results)
        return EXIT_PROBLEMS if failed else EXIT_OK

    run(body)


def summary(results: list[Imported]) -> str:
    """The line under the messages, as a griffie reads it: the letters written, by what they still need (each group
    with its number of errors and warnings), then those not written, those imported before and the files skipped:
    ``3 brieven geïmporteerd: 1 met fouten om te verbeteren (1 fout, 1 waarschuwing), 2 met alleen waarschuwingen
    (5 waarschuwingen); 1 brief niet geïmporteerd, 1 PDF overgeslagen.``"""
    written = [r for r in results if r.target is not None]
    wrong = [r for r in written if not r.ok]
    warned = [r for r in written if r.ok and r.problems]
    clean = len(written) - len(wrong) - len(warned)
    groups = [f"{len(group)} {what} ({_messages(group)})" for group, what in
              ((wrong, "met fouten om te verbeteren"), (warned, "met alleen waarschuwingen")) if group]
    if groups and clean:
        groups.append(f"{clean} zonder meldingen")
    head = f"{count(len(written), 'brief', 'brieven')} geïmporteerd"
    head += f": {', '.join(groups)}" if groups else ", zonder meldingen" if written else ""
    earlier = sum(1 for r in results if r.earlier is not None)
    pdfs = sum(1 for r in results if r.skipped and r.source.suffix.lower() == ".pdf")
    others = sum(1 for r in results if r.skipped) - pdfs
    failed = len(results) - len(written) - earlier - pdfs - others
    rest = [f"{count(failed, 'brief', 'brieven')} niet geïmporteerd (zie de fouten hierboven)"] if failed else []
    if earlier:
        rest.append(f"{count(earlier, 'brief', 'brieven')} al eerder geïmporteerd")
    kinds = [count(pdfs, "PDF", "PDF's")] if pdfs else []
    if others:
        kinds.append(count(others, "ander bestand" if pdfs else "bestand in een ander formaat",
                           "andere bestanden" if pdfs else "bestanden in een ander formaat"))
    if kinds:
        rest.append(f"{' en '.join(kinds)} overgeslagen")
    return head + (f"; {', '.join(rest)}" if rest else "") + "."


def _messages(letters: list[Imported]) -> str:
    """``1 fout, 2 waarschuwingen``: what is said about these letters, each kind when there is one."""
    errors = sum(1 for r in letters for p in r.problems if p.is_error)
    warnings = sum(1 for r in letters for p in r.problems if not p.is_error)
    return ", ".join(([count(errors, "fout", "fouten")] if errors else [])
                     + ([count(warnings, "waarschuwing", "waarschuwingen")] if warnings else []))
