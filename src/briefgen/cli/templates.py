"""``briefgen templates check``."""

from __future__ import annotations

import typer

from briefgen.cli.app import EXIT_OK, EXIT_PROBLEMS, app, count, open_werkmap, print_problems, run
from briefgen.cli.dutch import DutchCommand, DutchGroup

templates_app = typer.Typer(cls=DutchGroup, help="Huisstijl-templates controleren en maken.", no_args_is_help=True)
app.add_typer(templates_app, name="templates", short_help="Controleer en maak huisstijl-templates.")


@templates_app.command("check", cls=DutchCommand, short_help="Controleer de huisstijl-templates in templates/.")
def check_templates(ctx: typer.Context) -> None:
    """Controleer elke template in templates/ (Jinja, verdeelde tags, onbekende namen, stijlen, A4, taal) en of elke organisatie een bestaande huisstijl heeft."""

    def body() -> int:
        from briefgen.templatecheck import lint, organisation_styles

        werkmap, _ = open_werkmap(ctx)
        files = sorted(werkmap.templates.glob("*.docx"))
        problems = [p for path in files for p in lint(path, werkmap.shown(path))] + organisation_styles(werkmap)
        print_problems(problems)
        errors = [p for p in problems if p.is_error]
        typer.echo(f"{count(len(files), 'template', 'templates')} gecontroleerd, {count(len(errors), 'fout', 'fouten')}.")
        return EXIT_PROBLEMS if errors else EXIT_OK

    run(body)
