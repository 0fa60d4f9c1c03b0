"""``briefgen schema``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, EXIT_USAGE, command, fail, run
from briefgen.fileio import describe, write_atomic


class Soort(StrEnum):
    brief = "brief"
    organisatie = "organisatie"


@command(short_help="Toon het JSON Schema voor editors.")
def schema(
    soort: Soort = typer.Argument(Soort.brief, metavar="SOORT", help="brief (standaard) of organisatie.", show_default=False),
    map: Path | None = typer.Option(None, "--schrijf", metavar="MAP", help="Schrijf beide schema's als bestanden in MAP."),
) -> None:
    """Toon het JSON Schema van briefbestanden of organisatiebestanden (voor editors)."""

    def body() -> int:
        from briefgen import schema as schemas

        if map is None:
            typer.echo(schemas.text(soort.value), nl=False)
            return EXIT_OK
        if map.exists() and not map.is_dir():
            fail(f"--schrijf verwacht een map, en {map} is een bestand", EXIT_USAGE)
        for kind, name in schemas.FILE_NAMES.items():
            try:
                write_atomic(map / name, schemas.text(kind).encode("utf-8"))
            except OSError as exc:
                fail(f"kan {map / name} niet schrijven: {describe(exc)}")
            typer.echo(f"geschreven: {map / name}")
        return EXIT_OK

    run(body)
