"""Organisation files: name, house style, and who held which office when."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field

from briefgen import tooi
from briefgen.model.base import ContentModel, IsoDate, Text
from briefgen.model.letter import LetterKind


def _tooi_code(value: str) -> str:
    message = tooi.organisation_problem(value)
    if message:
        raise ValueError(message)
    return value


def _category(value: str) -> str:
    message = tooi.category_problem(value)
    if message:
        raise ValueError(message)
    return value


TooiCode = Annotated[Text, AfterValidator(_tooi_code)]
WooCategory = Annotated[Text, AfterValidator(_category)]


class Woo(ContentModel):
    """How the organisation publishes its letters under the Woo (the .diwoo.xml next to each PDF)."""

    model_config = ConfigDict(title="Woo")
    category: WooCategory | dict[LetterKind, WooCategory] | None = Field(
        None, alias="informatiecategorie",
        description="Woo-informatiecategorie (code als 2a, naam of TOOI-URI), voor alle brieven of per soort; "
                    "standaard 2a: bij vertegenwoordigende organen ingekomen stukken",
    )

    def category_for(self, kind: str) -> tooi.Category:
        value: Any = self.category
        if isinstance(value, dict):
            value = value.get(kind)
        return tooi.category(value) if value else tooi.DEFAULT_CATEGORY


class Address(ContentModel):
    model_config = ConfigDict(title="Adres")
    street: Text | None = Field(None, alias="straat")
    postcode: Text | None = Field(None, alias="postcode")
    city: Text | None = Field(None, alias="plaats")


class Member(ContentModel):
    """A member of the college (or an official who signs) with a term of office."""

    model_config = ConfigDict(title="Collegelid")
    name: Text = Field(alias="naam", min_length=1)
    function: Text = Field(alias="functie", min_length=1)
    title: Text | None = Field(None, alias="titel", description="Hoe de functie onder de handtekening staat, bijv. 'secretaris'")
    portfolios: list[Text] = Field(default_factory=list, alias="portefeuilles")
    start: IsoDate | None = Field(None, alias="van")
    end: IsoDate | None = Field(None, alias="tot")

    def in_office(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class Organisation(ContentModel):
    model_config = ConfigDict(title="Organisatie")
    name: Text = Field(alias="naam", min_length=1)
    place: Text = Field(alias="plaatsnaam", min_length=1)
    style: Text = Field(alias="huisstijl", min_length=1)
    address: Address | None = Field(None, alias="adres")
    phone: Text | None = Field(None, alias="telefoon")
    website: Text | None = Field(None, alias="website")
    numbering: Text = Field("{jaar}/{volgnummer}", alias="nummering")
    college: list[Member] = Field(default_factory=list, alias="college")
    tooi: TooiCode | None = Field(
        None, alias="tooi", description="TOOI-code van de organisatie voor de Woo-metadata, bijv. gm0402, of een volledige TOOI-URI"
    )
    woo: Woo = Field(default_factory=Woo, alias="woo", description="Publicatie onder de Woo")
