"""``briefgen init``."""

from __future__ import annotations

from pathlib import Path

import typer

from briefgen.cli.app import EXIT_OK, command, run
from briefgen.cli.dutch import DutchUsageError
from briefgen.problems import BriefgenError
from briefgen.skeleton import DEFAULT_STYLE, EXAMPLE, create, organisation_id


def _municipality(value: str) -> str:
    try:
        organisation_id(value)
    except BriefgenError as exc:
        raise DutchUsageError(f"ongeldige waarde voor --gemeente: {exc}") from None
    return value


@command(short_help="Maak een nieuwe werkmap met een voorbeeldbrief.")
def init(
    map: Path = typer.Argument(..., metavar="MAP", help="De nieuwe werkmap."),
    gemeente: str | None = typer.Option(
        None, "--gemeente", parser=_municipality, metavar="PLAATS",
        help="Maak het organisatiebestand van deze gemeente (bijvoorbeeld Zeist), met het college nog in te vullen, "
             "in plaats van de voorbeeldbrief."),
) -> None:
    """Maak een nieuwe werkmap met de standaard-huisstijlen en een voorbeeldbrief (met --gemeente: het organisatiebestand
    van die gemeente in plaats van de voorbeeldbrief)."""

    def body() -> int:
        created = create(map, gemeente)
        root = created.root
        typer.echo(f"werkmap gemaakt: {root}")
        from briefgen.model.organisation import PLACEHOLDER  # here: pydantic is not for every command's start

        if created.organisation is None:
            typer.echo(f"bouw de voorbeeldbrief met: briefgen -C {root} build")
            typer.echo(f"voor een nieuwe brief: vul in content/organisaties/{EXAMPLE}.yaml de burgemeester en "
                       f"gemeentesecretaris van nu in (daar staat nog \"{PLACEHOLDER}\")")
            return EXIT_OK
        ident = created.organisation
        if created.written:
            typer.echo(f"organisatie gemaakt: content/organisaties/{ident}.yaml (vul de namen van het college in)")
            typer.echo(f"'briefgen check --streng' slaagt pas als in content/organisaties/{ident}.yaml de namen van de "
                       f"burgemeester en de gemeentesecretaris zijn ingevuld (daar staat nog \"{PLACEHOLDER}\")")
            typer.echo(f"huisstijl: {DEFAULT_STYLE} (de naam van de gemeente als tekst, zonder logo) tot u een eigen "
                       "huisstijl maakt van een Word-brief van de gemeente")
        else:
            typer.echo(f"organisatie: content/organisaties/{ident}.yaml (stond al in de voorbeeldwerkmap)")
        typer.echo("de volgende stappen:")
        typer.echo(f"  briefgen -C {root} templates nieuw {ident}-rib --van eigen-brief.docx   # huisstijl van uw Word-brief")
        typer.echo(f"  briefgen -C {root} import oude-brieven/ --organisatie {ident}             # uw oude brieven")
        typer.echo(f"  briefgen -C {root} new raadsinformatiebrief --organisatie {ident}          # een nieuwe brief")
        return EXIT_OK

    run(body)
