"""``briefgen templates nieuw``."""

from __future__ import annotations

from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, count, fail, open_werkmap, print_problems, run
from briefgen.cli.dutch import DutchCommand
from briefgen.cli.templates import templates_app


@templates_app.command("nieuw", cls=DutchCommand, short_help="Maak een huisstijl van een eigen Word-brief.")
def new_template(
    ctx: typer.Context,
    naam: str = typer.Argument(..., metavar="NAAM", help="Naam van de nieuwe huisstijl (templates/NAAM.docx)."),
    van: Path = typer.Option(
        ..., "--van", metavar="BESTAND", help="De eigen Word-brief of -sjabloon van de organisatie (.docx)."
    ),
) -> None:
    """Maak een huisstijl van een eigen Word-brief: kop- en voetteksten, logo en stijlen blijven."""

    def body() -> int:
        from briefgen.housestyle import create
        from briefgen.templatecheck import lint

        werkmap, _ = open_werkmap(ctx)
        if not van.is_file():
            fail(f"bestaat niet: {van}", EXIT_USAGE)
        target = werkmap.template_file(naam)
        if target is None:
            fail(f"'{naam}' is geen geldige naam voor een huisstijl (alleen letters, cijfers, - _ .)", EXIT_USAGE)
        shown = werkmap.shown(target)
        ids = werkmap.organisation_ids()  # the one organisation's file by its name, else the pattern
        settings = werkmap.shown(werkmap.organisation_file(ids[0])) if len(ids) == 1 else "content/organisaties/ID.yaml"
        result = create(van, target, shown)
        for placed in result.placed:
            beside = placed.field if placed.field.startswith("{{") else f"{{{{ {placed.field} }}}}"  # CONTACT_WITH_PHONE
            typer.echo(f"  {placed.label} → {beside}")
        if result.on_behalf:
            typer.echo(f"Regel boven de ondertekening (als het college tekent) uit de brief: {result.on_behalf}")
        if result.numbering is not None:
            typer.echo(f"Het kenmerk op de brief ({result.kenmerk}) is een briefnummer: met 'nummering: \"{result.numbering}\"' "
                       f"in {settings} krijgt een nieuwe brief haar nummer in die vorm.")
        elif result.own_kenmerk:
            typer.echo(f"Het kenmerk op de brief ({result.kenmerk}) heeft een eigen vorm (zoals uit het zaaksysteem): de huisstijl "
                       "toont het kenmerk van elke brief; vul het in bij 'kenmerk:' (briefgen new zet die regel klaar).")
        problems = result.problems + lint(target, shown)
        print_problems(problems)
        errors = [p for p in problems if p.is_error]
        warnings = count(len(problems) - len(errors), "waarschuwing", "waarschuwingen")
        typer.echo(f"{shown} gemaakt: {count(len(result.placed), 'veld', 'velden')} geplaatst, {warnings}, "
                   f"{count(len(errors), 'fout', 'fouten')}.")
        if not errors:
            typer.echo(f"Kies hem met 'huisstijl: {naam}' in {settings} of in een brief.")
        return EXIT_PROBLEMS if errors else EXIT_OK

    run(body)
