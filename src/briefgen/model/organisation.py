"""Organisation files: name, house style, and who held which office when."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field

from briefgen.model.base import ContentModel, IsoDate, Text


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
