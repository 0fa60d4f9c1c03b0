"""``briefgen check``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from briefgen import pipeline
from briefgen.cli.app import EXIT_OK, EXIT_PROBLEMS, command, open_werkmap, print_problems, run, selected_paths


@command()
def check(
    ctx: typer.Context,
    paden: Optional[list[Path]] = typer.Argument(None, metavar="PAD", help="Brieven of mappen (standaard: alle brieven).", show_default=False),
) -> None:
    """Controleer brieven, organisaties en templates zonder iets te bouwen."""

    def body() -> int:
        werkmap, settings = open_werkmap(ctx)
        report = pipeline.check(werkmap, settings, selected_paths(paden))
        print_problems(report.problems)
        errors = [p for p in report.problems if p.is_error]
        typer.echo(f"{len(report.letters)} brieven gecontroleerd, {len(errors)} fouten.")
        return EXIT_PROBLEMS if errors else EXIT_OK

    run(body)
