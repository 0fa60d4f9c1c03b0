"""``briefgen init``: a new werkmap with the standard house styles and one example letter.

With a municipality, the werkmap gets an organisation file for it instead of the example letter and its
organisation: its own name and place, the college still to be filled in, and the standard house style
(``standaard``: no organisation's logo, its name as text) until it has its own (``templates nieuw``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from briefgen.problems import BriefgenError

GITIGNORE = "/build/\n"
DEFAULT_STYLE = "standaard"  # templates/standaard.docx: never another municipality's logo
EXAMPLE = "hilversum"  # the organisation of the skeleton's example letter (content/hilversum/)

ORGANISATION = """\
# yaml-language-server: $schema=../../schema/organisatie.schema.json
naam: {naam}
plaatsnaam: {plaats}
# Tot de gemeente een eigen huisstijl heeft 'standaard' (haar naam als tekst, geen logo). Maak er een van een Word-brief:
#   briefgen templates nieuw {ident}-rib --van eigen-brief.docx
# en zet hier dan: huisstijl: {ident}-rib
huisstijl: {style}
# tooi: gm0000          # de TOOI-code van de gemeente, voor de Woo-metadata (.diwoo.xml) naast elke PDF
nummering: "{{jaar}}/{{volgnummer}}"   # of bijvoorbeeld "RIB-{{volgnummer:03}}" voor RIB-001, RIB-002, …
college:
  # Vul de echte namen in, met 'van:' (en 'tot:' wanneer iemand vertrekt): een brief wordt ondertekend
  # door wie er op de datum van de brief in functie was. Zolang hier "(in te vullen)" staat, meldt
  # briefgen check het en tekent deze functie geen brief. Wethouders: functie: wethouder, met portefeuilles.
  - naam: "(in te vullen)"
    functie: burgemeester
    van: {since}
  - naam: "(in te vullen)"
    functie: gemeentesecretaris
    # titel: secretaris   # zo staat de functie onder de handtekening (zonder titel: "de gemeentesecretaris,")
    van: {since}
"""


@dataclass(frozen=True)
class Created:
    root: Path
    organisation: str | None = None  # the id of the municipality's organisation file
    written: bool = False  # False: the skeleton already had that organisation (hilversum)


def create(target: Path, municipality: str | None = None, today: dt.date | None = None) -> Created:
    """Copy the skeleton to ``target`` (new or empty); with ``municipality`` also its organisation file."""
    ident = organisation_id(municipality) if municipality is not None else None
    target = target.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BriefgenError(f"{target} bestaat al en is niet leeg; kies een nieuwe of lege map")
    source = resources.files("briefgen") / "skeleton"
    # A werkmap for a municipality of its own gets no letters or organisation of the example one (Hilversum):
    # they would be listed and built with its own letters.
    skip = shutil.ignore_patterns(EXAMPLE, f"{EXAMPLE}.yaml") if ident not in (None, EXAMPLE) else None
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target, dirs_exist_ok=True, symlinks=False, ignore=skip)
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    if municipality is None or ident is None:
        return Created(target)
    path = target / "content" / "organisaties" / f"{ident}.yaml"
    if path.exists():  # the skeleton's own organisation (EXAMPLE) is already complete
        return Created(target, ident)
    place = municipality.strip()
    since = (today or dt.date.today()).replace(month=1, day=1).isoformat()
    path.write_text(ORGANISATION.format(naam=_quoted(f"Gemeente {place}"), plaats=_quoted(place), ident=ident,
                                        style=DEFAULT_STYLE, since=since), encoding="utf-8")
    return Created(target, ident, written=True)


def organisation_id(municipality: str) -> str:
    """The organisation id (file name) for a municipality's place name: "Súdwest-Fryslân" → sudwest-fryslan."""
    from briefgen.newletter import ascii_letters, slug  # not at import: every command loads this module

    name = municipality.strip()
    ident = slug(name)
    if not re.search("[a-z0-9]", ascii_letters(name)) or any(not c.isprintable() for c in name) or len(name) > 80:
        raise BriefgenError(f"{municipality!r} is geen bruikbare plaatsnaam (bijvoorbeeld Zeist)")
    return ident


def _quoted(text: str) -> str:
    """A YAML scalar for any name ("'s-Hertogenbosch", "Súdwest-Fryslân"): a JSON string is valid YAML."""
    return json.dumps(text, ensure_ascii=False)
