"""Letter files: the raadsinformatiebrief and the informatienota."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from briefgen import invisible
from briefgen.imported import word_file_name
from briefgen.model.base import ContentModel, IsoDate, Text
from briefgen.model.tables import Table

LetterKind = Literal["raadsinformatiebrief", "informatienota"]
Marking = Literal["l.s.", "i.o.", "w.n."]

COLLEGE_SIGNERS = ({"rol": "gemeentesecretaris"}, {"rol": "burgemeester"})


class Section(ContentModel):
    model_config = ConfigDict(title="Sectie")
    heading: Text | None = Field(None, alias="kop", description="Kop boven de sectie (optioneel voor de inleiding)")
    text: Text = Field("", alias="tekst", description="Tekst in Markdown; {{ … }} voor berekende waarden")


_NOT_IN_ADDRESS = set(' <>()[]\\,;:"')
"""Characters no e-mail address as a letter prints it has (outside quotes, which nobody writes in a letter)."""


def _email_problem(address: str) -> str | None:
    """Why ``address`` is no e-mail address a reader can write to, or None: a name, one @ and a domain with a
    dot, in labels of letters (also accented ones: gemeente-ĳsselstein.nl), digits and hyphens."""
    example = "schrijf het volledig, bijvoorbeeld j.jansen@gemeente.nl"
    if hidden := invisible.PATTERN.search(address):  # pasted from Word: the address looks right and is not
        return f"'{address}' is geen e-mailadres: er staat een onzichtbaar teken in ({invisible.describe(hidden.group())}), " \
               "vaak meegekopieerd uit Word; typ het adres opnieuw of verwijder het teken"
    if address.lower().startswith("mailto:"):
        return f"'{address}' is geen e-mailadres: laat 'mailto:' weg ({address[len('mailto:'):]})"
    if address.count("@") != 1:
        return f"'{address}' is geen e-mailadres: er hoort precies één @ in te staan; {example}"
    local, domain = address.split("@")
    if not local:
        return f"'{address}' is geen e-mailadres: vóór de @ ontbreekt de naam; {example}"
    if not domain:
        return f"'{address}' is geen e-mailadres: na de @ ontbreekt het domein; {example}"
    if _NOT_IN_ADDRESS.intersection(address):
        odd = "een spatie" if " " in address else f"'{sorted(_NOT_IN_ADDRESS.intersection(address))[0]}'"
        return f"'{address}' is geen e-mailadres: er staat {odd} in; {example}"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return f"'{address}' is geen e-mailadres: een punt staat niet aan het begin of eind van de naam, of twee keer " \
               f"achter elkaar; {example}"
    labels = domain.removesuffix(".").split(".")
    if len(labels) < 2:
        return f"'{address}' is geen e-mailadres: het domein '{domain}' heeft geen extensie zoals .nl ({address}.nl?)"
    if labels[-1].isdigit() or any(not label or label[0] == "-" or label[-1] == "-"
                                   or not all(c.isalnum() or c == "-" for c in label) for label in labels):
        return f"'{address}' is geen e-mailadres: het domein '{domain}' kan niet bestaan; {example}"
    return None


def _email(address: str) -> str:
    if (problem := _email_problem(address.strip(" \t\r\n"))) is not None:
        raise ValueError(problem)
    return address


class Contact(ContentModel):
    model_config = ConfigDict(title="Contactpersoon")
    # validate.validate_partial: what stands in for a broken required value (or a broken element as a whole);
    # the element keeps its place in the list, and resolve.py skips the checks that need it.
    STAND_INS: ClassVar[dict[str, Any]] = {"naam": "-"}
    name: Text = Field(alias="naam", min_length=1)
    domain: Text | None = Field(None, alias="domein")
    function: Text | None = Field(None, alias="functie")
    phone: Text | None = Field(None, alias="telefoon")
    email: Annotated[Text, AfterValidator(_email)] | None = Field(None, alias="email")


class Signer(ContentModel):
    model_config = ConfigDict(title="Ondertekenaar")
    STAND_INS: ClassVar[dict[str, Any]] = {"rol": "-"}  # as Contact's
    role: Text = Field(alias="rol", min_length=1, description="Functie, bijv. burgemeester of gemeentesecretaris")
    name: Text | None = Field(None, alias="naam", description="Kies een persoon als meer mensen die functie hebben")
    marking: Marking | None = Field(None, alias="markering")


class Commitment(ContentModel):
    """A toezegging: a promise of the college to the council, tracked across letters."""

    model_config = ConfigDict(title="Toezegging")
    STAND_INS: ClassVar[dict[str, Any]] = {"nummer": "-", "omschrijving": "-"}  # as Contact's
    number: Text = Field(alias="nummer", min_length=1, description="Bijvoorbeeld T20/02")
    description: Text = Field(alias="omschrijving", min_length=1)
    status: Literal["lopend", "afgedaan"] = Field("lopend", alias="status")


class Attachment(ContentModel):
    model_config = ConfigDict(title="Bijlage")
    STAND_INS: ClassVar[dict[str, Any]] = {"titel": "-"}  # as Contact's
    title: Text = Field(alias="titel", min_length=1)
    file: Text | None = Field(None, alias="bestand")


def _imported_from(value: str) -> str:
    """``geimporteerd_uit`` names the old Word file: any other value (``ja``) would make a contact without
    phone or e-mail a warning in a letter that was never imported."""
    if not word_file_name(value):
        raise ValueError(f"'{value}' is geen naam van een Word-bestand: 'geimporteerd_uit' zet briefgen import, met de naam "
                         "van het oude Word-bestand (bijvoorbeeld rib-12.docx); in een brief die niet geïmporteerd is, "
                         "laat u de sleutel weg")
    return value


def _signers(value: Any) -> Any:
    """``college`` and bare role names are shorthands for the list form."""
    if value == "college":
        return list(COLLEGE_SIGNERS)
    if isinstance(value, str):
        return [{"rol": value}]
    if isinstance(value, list):
        return [{"rol": item} if isinstance(item, str) else item for item in value]
    return value


class Letter(ContentModel):
    model_config = ConfigDict(title="Brief")
    # What stands in for a required value that is broken (validate.validate_partial): the letter's other
    # checks still run, and resolve.py skips those that need the broken value.
    STAND_INS: ClassVar[dict[str, Any]] = {"soort": "raadsinformatiebrief", "organisatie": "-", "datum": "2000-01-01", "onderwerp": "-"}
    kind: LetterKind = Field(alias="soort", description="Soort brief")
    organisation: Text = Field(alias="organisatie", min_length=1, description="Id van de organisatie: content/organisaties/<id>.yaml")
    date: IsoDate = Field(alias="datum", description="Datum van de brief, JJJJ-MM-DD")
    subject: Text = Field(alias="onderwerp", min_length=1, description="Onderwerp; ook de titel van de PDF")
    number: Text | None = Field(None, alias="nummer", description="Briefnummer, bijvoorbeeld 2021/45")
    reference: Text | None = Field(None, alias="kenmerk", description="Kenmerk")
    case_number: Text | None = Field(None, alias="zaaknummer", description="Zaaknummer (informatienota: lopende kop)")
    style: Text | None = Field(None, alias="huisstijl", description="Template in templates/; standaard die van de organisatie")
    portfolio_holder: Text | None = Field(None, alias="portefeuillehouder", description="Naam van het collegelid")
    portfolio: Text | None = Field(None, alias="portefeuille", description="De portefeuille waarover de brief gaat")
    previous: Text | None = Field(
        None, alias="vorige", description="Vorige brief van deze reeks, als id: pad onder content/ zonder .yaml"
    )
    to: Text | None = Field(None, alias="aan", description="Geadresseerde")
    sender: Text | None = Field(None, alias="van", description="Afzender")
    salutation: Text | None = Field(None, alias="aanhef", description="Aanhef, bijvoorbeeld: Geachte leden van de raad,")
    tables: dict[str, Table] = Field(default_factory=dict, alias="tabellen", description="Tabellen met berekende totalen, per naam")
    sections: list[Section] = Field(default_factory=list, alias="secties", description="De tekst van de brief, in secties")
    contacts: list[Contact] = Field(default_factory=list, alias="contactpersonen", description="Wie vragen beantwoordt")
    closing: Text | None = Field(None, alias="slot", description="Slotformule, bijvoorbeeld: Hoogachtend,")
    signers: Annotated[
        list[Signer], BeforeValidator(_signers, json_schema_input_type=Literal["college"] | str | list[str | Signer])
    ] = Field(default_factory=list, alias="ondertekening", description="'college' (gemeentesecretaris en burgemeester), één rol, of een lijst")
    commitments: list[Commitment] = Field(default_factory=list, alias="toezeggingen", description="Toezeggingen aan de raad")
    show_commitments: bool = Field(
        True, alias="toezeggingen_tonen",
        description="Of de toezeggingen als sectie 'Toezeggingen' in de brief staan (standaard ja); "
                    "met false alleen geregistreerd (briefgen list --toezeggingen)",
    )
    attachments: list[Attachment] = Field(default_factory=list, alias="bijlagen", description="Bijlagen, met titel en eventueel een bestand")
    imported_from: Annotated[Text, AfterValidator(_imported_from)] | None = Field(
        None, alias="geimporteerd_uit",
        description="Het Word-bestand waaruit 'briefgen import' deze brief maakte: wat de oude brief niet had "
                    "(telefoon of e-mail van een contactpersoon) is dan een waarschuwing, geen fout",
    )
