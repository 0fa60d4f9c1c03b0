"""The fields a house-style template can use: one definition, with its meaning for the user.

:class:`TemplateFields` is what resolve.py fills in and the DOCX builder renders with (plus
``inhoud``, the body: :class:`TemplateContext`); templatecheck's list of known names and the field list in
docs/huisstijl.md are derived from it. Each field's meaning is kept as data (``Annotated``), in
the Dutch of the documentation, so the documentation cannot drift from the code.

``python -m briefgen.templatefields`` prints the field list; with ``--schrijf docs/huisstijl.md``
it replaces the list between the markers in that file (``make docs``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TypedDict, get_args, get_origin, get_type_hints, is_typeddict

from briefgen.fileio import write_atomic
from briefgen.formatting import NBSP


class Adres(TypedDict):
    straat: Annotated[str, "straat en huisnummer (of postbus) van de organisatie; leeg als onbekend"]
    postcode: Annotated[str, "postcode van de organisatie; leeg als onbekend"]
    plaats: Annotated[str, "plaats van het adres; leeg als onbekend"]


class OrganisatieVelden(TypedDict):
    naam: Annotated[str, "naam van de organisatie, zoals 'Gemeente Hilversum'"]
    plaatsnaam: Annotated[str, "de plaats waarvan het college is, zoals 'Hilversum'"]
    adres: Annotated[Adres, "het postadres van de organisatie"]
    telefoon: Annotated[str, "algemeen telefoonnummer van de organisatie; leeg als onbekend"]
    website: Annotated[str, "website van de organisatie; leeg als onbekend"]


class Ondertekenaar(TypedDict):
    titel: Annotated[str, "functie zoals die boven de handtekening staat, zoals 'de burgemeester,'; leeg als er niemand is"]
    naam: Annotated[str, "naam van wie ondertekent, met een eventuele aanduiding als 'l.s.'; leeg als er niemand is"]


class Ondertekening(TypedDict):
    namens: Annotated[str, "'Burgemeester en wethouders van …,' als het college ondertekent, anders leeg"]
    links: Annotated[Ondertekenaar, "de eerste ondertekenaar (meestal de gemeentesecretaris)"]
    rechts: Annotated[Ondertekenaar, "de tweede ondertekenaar (meestal de burgemeester)"]
    personen: Annotated[list[Ondertekenaar], "alle ondertekenaars op volgorde, elk met titel en naam (voor een template met meer dan twee)"]


class Contactpersoon(TypedDict):
    naam: Annotated[str, "naam van de contactpersoon"]
    telefoon: Annotated[str, "telefoonnummer van de contactpersoon, opgemaakt; leeg als onbekend"]
    email: Annotated[str, "e-mailadres van de contactpersoon; leeg als onbekend"]


class TemplateFields(TypedDict):
    """What a resolved letter supplies to its template (every text already formatted the Dutch way)."""

    soort: Annotated[str, "soort brief als sleutel: 'raadsinformatiebrief' of 'informatienota'"]
    soort_titel: Annotated[str, "soort brief als titel: 'Raadsinformatiebrief' of 'Informatienota'"]
    onderwerp: Annotated[str, "het onderwerp van de brief"]
    datum: Annotated[str, "datum van de brief, voluit, zoals '16 november 2021'"]
    nummer: Annotated[str, "nummer van de brief, zoals '2021/45'; leeg als de brief er geen heeft"]
    kenmerk: Annotated[str, "kenmerk van de brief; leeg als de brief er geen heeft"]
    zaaknummer: Annotated[str, "zaaknummer van de brief; leeg als de brief er geen heeft"]
    bijlagen: Annotated[str, "aantal bijlagen van de brief, zoals '2'; leeg als de brief er geen heeft"]
    aan: Annotated[str, "geadresseerde; standaard 'De leden van de gemeenteraad'"]
    van: Annotated[str, "afzender; standaard het college"]
    aanhef: Annotated[str, "aanhef; standaard 'Geachte leden van de raad,'"]
    slot: Annotated[str, "slotzin boven de ondertekening; standaard 'Hoogachtend,' (informatienota: leeg)"]
    portefeuillehouder: Annotated[str, "functie en naam van de portefeuillehouder op de datum van de brief; leeg als niet opgegeven"]
    informatie_bij: Annotated[str, "naam van de eerste contactpersoon; leeg als er geen is"]
    informatie_telefoon: Annotated[str, "telefoonnummer van de eerste contactpersoon, opgemaakt; leeg als er geen is"]
    contactpersonen: Annotated[list[Contactpersoon], "alle contactpersonen op volgorde (voor een template die er meer dan één toont)"]
    organisatie: Annotated[OrganisatieVelden, "de organisatie die de brief stuurt"]
    ondertekening: Annotated[Ondertekening, "wie ondertekent, in functie op de datum van de brief"]


class TemplateContext(TemplateFields):
    """What the DOCX builder renders a template with: the letter's fields and its body."""

    inhoud: Annotated[object, "de tekst van de brief (secties, tabellen, lijsten); zet {{p inhoud }} in een alinea van zichzelf"]


_INITIALS = re.compile(r"^(?:(?:IJ|[A-Z][a-z]{0,3})\.\s?)+")
"""A person's name starts with initials (``A. de Vries``, ``Th.J. Smit``, ``Dhr. G. Smit``)."""


def _unbroken(name: str) -> str:
    """``name`` with no-break spaces when it looks like a person's (initials, or at most three words); a team's name
    ('Team Wonen en Zorg') may wrap like any text."""
    return name.replace(" ", NBSP) if _INITIALS.match(name) or len(name.split()) <= 3 else name


def unbroken_names(fields: TemplateFields) -> TemplateFields:
    """``fields`` with no-break spaces inside the names of the signers and contacts: a word processor breaks no
    name over two lines ('A. de / Vries' under a signature), as a phone number is never broken."""
    def person(entry: Any) -> Any:
        return dict(entry, naam=_unbroken(entry["naam"]))

    signing = fields["ondertekening"]
    return TemplateFields(**{**fields,
        "informatie_bij": _unbroken(fields["informatie_bij"]),
        "contactpersonen": [person(c) for c in fields["contactpersonen"]],
        "ondertekening": Ondertekening(namens=signing["namens"], links=person(signing["links"]),
                                       rechts=person(signing["rechts"]), personen=[person(p) for p in signing["personen"]]),
    })


def sample(full: bool = True) -> TemplateFields:
    """A letter's fields for trying a template out: every field filled in, three signers and two
    contacts (``full``), or only what every letter has (no number, contacts, attachments, …)."""
    def person(title: str, name: str) -> Ondertekenaar:
        return {"titel": title, "naam": name}

    signers = [person("de secretaris,", "A. Secretaris, l.s."), person("de burgemeester,", "B. Burgemeester"),
               person("de wethouder,", "C. Wethouder")][: 3 if full else 1]
    contacts: list[Contactpersoon] = [{"naam": "E. Contact", "telefoon": "035 629 11 11", "email": "e.contact@example.nl"},
                                      {"naam": "F. Contact", "telefoon": "", "email": ""}] if full else []
    other = "x" if full else ""
    return {
        "soort": "raadsinformatiebrief", "soort_titel": "Raadsinformatiebrief", "onderwerp": "Voorbeeld van een onderwerp",
        "datum": "16 november 2021", "nummer": "2021/45" if full else "", "kenmerk": other and "2021-0001",
        "zaaknummer": other and "1006608", "bijlagen": other and "2", "aan": "De leden van de gemeenteraad",
        "van": "Burgemeester en wethouders", "aanhef": "Geachte leden van de raad,", "slot": "Hoogachtend,",
        "portefeuillehouder": other and "Wethouder C. Wethouder", "informatie_bij": contacts[0]["naam"] if contacts else "",
        "informatie_telefoon": contacts[0]["telefoon"] if contacts else "", "contactpersonen": contacts,
        "organisatie": {"naam": "Gemeente Voorbeeld", "plaatsnaam": "Voorbeeld",
                        "adres": {"straat": other and "Raadhuisplein 1", "postcode": other and "1234 AB", "plaats": other and "Voorbeeld"},
                        "telefoon": other and "14 035", "website": other and "www.voorbeeld.nl"},
        "ondertekening": {"namens": "Burgemeester en wethouders van Voorbeeld,", "links": signers[0],
                          "rechts": signers[1] if len(signers) > 1 else person("", ""), "personen": signers},
    }


# Every name a template may use at the top level; a template asking for anything else is reported.
TEMPLATE_FIELDS = frozenset(TemplateContext.__required_keys__ | TemplateContext.__optional_keys__)


def _hints(kind: type) -> dict[str, Any]:
    return get_type_hints(kind, include_extras=True)


def described(kind: type = TemplateContext, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every field as (dotted name, meaning), depth first, in the order of the definition."""
    for name, hint in _hints(kind).items():
        inner, meaning = get_args(hint)
        dotted = f"{prefix}{name}"
        yield dotted, meaning
        if get_origin(inner) is list:
            (inner,) = get_args(inner)
            dotted += "[]"
        if is_typeddict(inner):
            yield from described(inner, f"{dotted}.")


def shape(kind: type = TemplateFields) -> dict[str, Any]:
    """The nested key structure of the fields (a list of records as a one-item list), for tests."""
    out: dict[str, Any] = {}
    for name, hint in _hints(kind).items():
        inner = get_args(hint)[0]
        many = get_origin(inner) is list
        if many:
            (inner,) = get_args(inner)
        nested = shape(inner) if is_typeddict(inner) else None
        out[name] = [nested] if many else nested
    return out


def field_names(kind: type = TemplateContext) -> frozenset[str]:
    """Every name of a field at any depth (``naam``, ``adres``, ``straat``, …), for suggestions."""
    names: set[str] = set()
    for name, hint in _hints(kind).items():
        names.add(name)
        inner = get_args(hint)[0]
        if get_origin(inner) is list:
            (inner,) = get_args(inner)
        if is_typeddict(inner):
            names |= field_names(inner)
    return frozenset(names)


BEGIN = "<!-- velden: begin (gemaakt door `make docs`; niet met de hand bewerken) -->"
END = "<!-- velden: eind -->"


def markdown() -> str:
    """The field list for docs/huisstijl.md."""
    lines = ["| veld | betekenis |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(meaning)} |" for name, meaning in described()]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def with_fields(document: str) -> str:
    """``document`` with the field list between its markers replaced by the current one."""
    if BEGIN not in document or END not in document:
        raise ValueError(f"de markeringen {BEGIN!r} en {END!r} ontbreken")
    head, rest = document.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{markdown()}{END}{tail}"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--schrijf"] and len(argv) == 2:
        target = Path(argv[1])
        write_atomic(target, with_fields(target.read_text(encoding="utf-8")).encode("utf-8"))
        return 0
    if argv:
        print("gebruik: python -m briefgen.templatefields [--schrijf docs/huisstijl.md]", file=sys.stderr)
        return 2
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
