"""Organisation files: name, house style, and who held which office when."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import string
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator

from briefgen import formatting, tooi
from briefgen.model.base import Broken, ContentModel, IsoDate, Text, touches
from briefgen.model.letter import LetterKind
from briefgen.problems import closest


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


def for_kind(value: Any, kind: str) -> Any:
    """A setting given for all letters or per kind of letter (a mapping by ``soort``): its value for
    ``kind``, None when a mapping has none for it."""
    return value.get(kind) if isinstance(value, dict) else value


NUMBERING_FIELDS = ("jaar", "volgnummer")
"""The fields a ``nummering`` may use; numbering.next_number fills them in and reads them back."""


PADDED = re.compile(r"0([1-9])")
"""The one format a ``{volgnummer}`` may have: at least that many digits, with leading zeros (``{volgnummer:03}``)."""
NUMBERING_PATTERN = r"^(?:[^{}]|\{jaar\})*\{volgnummer(?::0[1-9])?\}(?:[^{}]|\{jaar\})*$"
"""What :func:`_numbering` accepts, for the JSON Schema (editors flag a wrong numbering while typing)."""


def _numbering(value: str) -> str:
    """Only ``{jaar}`` and ``{volgnummer}``, as written, and ``{volgnummer:0N}`` for leading zeros: the format is
    filled in by str.format, so anything else (an attribute, an index, another width, a lone brace) would crash
    ``new`` or write what nobody meant."""
    example = "bijvoorbeeld \"{jaar}/{volgnummer}\", of \"RIB-{volgnummer:03}\" voor RIB-001, RIB-002, …"
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError:
        raise ValueError(f"nummering '{value}': een accolade staat alleen om {{jaar}} of {{volgnummer}}; "
                         f"{example}") from None
    fields = []
    for literal, field, spec, conversion in parts:
        if "{" in literal or "}" in literal:
            raise ValueError(f"nummering '{value}': een accolade staat alleen om {{jaar}} of {{volgnummer}}; {example}")
        if field is None:
            continue
        written = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        width = (spec or "").removesuffix("d")  # Python's {volgnummer:03d}: the d is not needed
        if field == "volgnummer" and spec and not conversion and not PADDED.fullmatch(spec) and width.isdigit():
            digits = int(width)
            raise ValueError(f"nummering '{value}': '{written}' kan niet; voorloopnullen schrijft u als "
                             f"{{volgnummer:0{min(max(digits, 2), 9)}}} (ten minste zoveel cijfers, hoogstens 9)")
        if field not in NUMBERING_FIELDS or conversion or (spec and not (field == "volgnummer" and PADDED.fullmatch(spec))):
            raise ValueError(f"nummering '{value}': '{written}' kan niet; gebruik alleen {{jaar}} en {{volgnummer}} "
                             f"(zonder opmaak, behalve voorloopnullen als {{volgnummer:03}}), {example}")
        fields.append(field)
    if fields.count("volgnummer") != 1:
        raise ValueError(f"nummering '{value}': {{volgnummer}} moet er precies één keer in staan; {example}")
    return value


def _web_address(url: str | None) -> str | None:
    if url is not None and (not url.lower().startswith(("https://", "http://")) or any(c in url for c in " <>")):
        raise ValueError(f"'{url}' is geen webadres; schrijf het volledig, beginnend met https://, zonder spaties")
    return url


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _website(value: str | None) -> str | None:
    """An address as a letterhead shows it (``www.hilversum.nl``) or in full: checked as ``extern.url`` is, with
    https:// understood when no scheme is written; another scheme (``javascript:``) is no website."""
    if value is None:
        return None
    full = value if _SCHEME.match(value) else f"https://{value}"
    try:
        _web_address(full)
    except ValueError:
        raise ValueError(f"'{value}' is geen webadres; schrijf het als www.voorbeeld.nl of https://www.voorbeeld.nl, "
                         "zonder spaties") from None
    if "." not in full.split("://", 1)[1].split("/", 1)[0]:
        raise ValueError(f"'{value}' is geen webadres; schrijf het als www.voorbeeld.nl of https://www.voorbeeld.nl")
    return value


def _phone(value: str | None) -> str | None:
    """Checked as a contact's phone is when it is written in a letter."""
    if value is not None:
        formatting.telefoon(value)
    return value


TooiCode = Annotated[Text, AfterValidator(_tooi_code)]
WooCategory = Annotated[Text, AfterValidator(_category)]


class Woo(ContentModel):
    """How the organisation publishes its letters under the Woo (the .diwoo.xml next to each PDF)."""

    model_config = ConfigDict(title="Woo")
    category: WooCategory | Annotated[dict[LetterKind, WooCategory], Field(min_length=1)] | None = Field(
        None, alias="informatiecategorie",
        description="Woo-informatiecategorie (code als 2a, naam of TOOI-URI), voor alle brieven of per soort; "
                    "standaard 2a: bij vertegenwoordigende organen ingekomen stukken",
    )

    def category_for(self, kind: str) -> tooi.Category:
        value = for_kind(self.category, kind)
        if not value:
            return tooi.DEFAULT_CATEGORY
        category = tooi.category(value)
        assert category is not None, "WooCategory's validator admits only known categories"
        return category

SINGLE_HOLDER = ("burgemeester", "gemeentesecretaris")
"""Functions one person holds at a time: 'ondertekening: college' signs with them by role alone."""

KNOWN_FUNCTIONS = ("burgemeester", "wethouder", "gemeentesecretaris", "secretaris", "griffier", "loco-burgemeester",
                   "locoburgemeester", "loco-secretaris", "locosecretaris", "plaatsvervangend secretaris")
"""Functions of the college and those who sign for it: a ``functie`` close to one of these, but not it, is a typo
(it would sign nothing). Any other function (a directeur) is the organisation's own; ``waarnemend`` goes before any."""


_BASE_FUNCTIONS = frozenset({"burgemeester", "wethouder", "secretaris", "gemeentesecretaris", "griffier", "locoburgemeester",
                             "locosecretaris"})
"""A ``functie`` with one of these as a word is written right, whatever stands around it (a.i., loco-, plv., 1e)."""


def _function(value: str) -> str:
    """A ``functie`` that is a misspelling of a known function (``burgermeester``) is refused here, at its line: in
    a letter it would only show up as a function nobody holds, with the typo offered as the right form."""
    lower = " ".join(value.lower().split())
    own = lower.removeprefix("waarnemend ").strip()
    if _BASE_FUNCTIONS.intersection(re.split(r"[\s.-]+", own)):  # 'burgemeester a.i.', 'loco-gemeentesecretaris'
        return value
    if own not in KNOWN_FUNCTIONS and (close := closest(own, KNOWN_FUNCTIONS, cutoff=0.8)):
        meant = close if own == lower else f"waarnemend {close}"
        raise ValueError(f"onbekende functie '{value}'; bedoelde u '{meant}'?")
    return value


PLACEHOLDER = "(in te vullen)"
"""The name of a college member whose real name is not filled in yet: reported, never signs."""


class Address(ContentModel):
    model_config = ConfigDict(title="Adres")
    street: Text | None = Field(None, alias="straat")
    postcode: Text | None = Field(None, alias="postcode")
    city: Text | None = Field(None, alias="plaats")


class Member(ContentModel):
    """A member of the college (or an official who signs) with a term of office."""

    model_config = ConfigDict(title="Collegelid")
    # validate.validate_partial: what stands in for a broken required value (or a broken member as a whole);
    # the member keeps its place in the college, and Organisation.consistency skips it.
    STAND_INS: ClassVar[dict[str, Any]] = {"naam": "-", "functie": "-"}
    name: Text = Field(alias="naam", min_length=1)
    function: Annotated[Text, AfterValidator(_function)] = Field(alias="functie", min_length=1)
    title: Text | None = Field(None, alias="titel", description="Hoe de functie onder de handtekening staat, bijv. 'secretaris'")
    portfolios: list[Text] = Field(default_factory=list, alias="portefeuilles")
    start: IsoDate | None = Field(None, alias="van")
    end: IsoDate | None = Field(None, alias="tot")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start")
        if end is not None and start is not None and end < start:
            raise ValueError(f"'tot' ({end.isoformat()}) ligt vóór 'van' ({start.isoformat()}): "
                             "deze persoon is nooit in functie; klopt het jaar?")
        return end

    @property
    def is_placeholder(self) -> bool:
        return self.name.strip() == PLACEHOLDER

    def in_office(self, day: dt.date) -> bool:
        """``tot`` is inclusive: on that day the member is still in office."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, other: Member) -> bool:
        return ((self.start is None or other.end is None or self.start <= other.end)
                and (other.start is None or self.end is None or other.start <= self.end))


class ExternalLetter(ContentModel):
    """A letter that is not in content/ (an earlier college's), cited by its key like any letter."""

    model_config = ConfigDict(title="Externe brief")
    kind: Literal["raadsinformatiebrief", "informatienota"] = Field("raadsinformatiebrief", alias="soort")
    number: Text | None = Field(None, alias="nummer", description="Briefnummer zoals gepubliceerd; standaard de sleutel")
    date: IsoDate = Field(alias="datum", description="Datum van de brief, JJJJ-MM-DD")
    title: Text | None = Field(None, alias="titel", description="Onderwerp van de brief")
    url: Text | None = Field(None, alias="url", description="Waar de brief gepubliceerd is (https://…); de verwijzing wordt een link")

    _url = field_validator("url")(_web_address)


StyleName = Annotated[Text, Field(min_length=1)]


class Organisation(ContentModel):
    model_config = ConfigDict(title="Organisatie")
    # validate.validate_partial: a broken required value stands in, so that the checks of the college still run
    STAND_INS: ClassVar[dict[str, Any]] = {"naam": "-", "plaatsnaam": "-", "huisstijl": "-"}
    name: Text = Field(alias="naam", min_length=1)
    place: Text = Field(alias="plaatsnaam", min_length=1)
    style: StyleName | Annotated[dict[LetterKind, StyleName], Field(min_length=1)] = Field(
        alias="huisstijl",
        description="Huisstijl (template in templates/) voor alle brieven, of per soort brief, bijv. "
                    "{raadsinformatiebrief: hilversum-rib-2021, informatienota: rzou-informatienota}; "
                    "een brief kan met 'huisstijl:' een andere kiezen",
    )
    address: Address | None = Field(None, alias="adres")
    phone: Annotated[Text, AfterValidator(_phone)] | None = Field(None, alias="telefoon")
    website: Annotated[Text, AfterValidator(_website)] | None = Field(None, alias="website")
    numbering: Annotated[Text, AfterValidator(_numbering)] = Field(
        "{jaar}/{volgnummer}", alias="nummering",
        description="Formaat van briefnummers met {jaar} en {volgnummer}, bijv. \"RIB {jaar}-{volgnummer}\"; "
                    "{volgnummer:03} geeft ten minste 3 cijfers met voorloopnullen (RIB-007)",
        json_schema_extra={"pattern": NUMBERING_PATTERN})
    college: list[Member] = Field(default_factory=list, alias="college")
    tooi: TooiCode | None = Field(
        None, alias="tooi", description="TOOI-code van de organisatie voor de Woo-metadata, bijv. gm0402, of een volledige TOOI-URI"
    )
    woo: Woo = Field(default_factory=Woo, alias="woo", description="Publicatie onder de Woo")
    external: dict[str, ExternalLetter] = Field(
        default_factory=dict, alias="extern",
        description="Brieven die niet in content/ staan, per sleutel; in tekst: {{ brief(\"sleutel\") }}",
    )

    def style_for(self, kind: str) -> str | None:
        """The house style of this organisation's letters of ``kind``; None when ``huisstijl`` is a
        mapping without that kind."""
        style: str | None = for_kind(self.style, kind)
        return style

    def holders(self, function: str, day: dt.date, name: str | None = None) -> list[Member]:
        """Who holds ``function`` (any case) on ``day``; only ``name`` when given."""
        return [m for m in self.college
                if m.function.lower() == function.lower() and m.in_office(day) and (name is None or m.name == name)]

    @property
    def styles(self) -> dict[tuple[str, ...], str]:
        """Every house style the organisation names, by its place in the file (``huisstijl`` or
        ``huisstijl``, kind)."""
        if isinstance(self.style, dict):
            return {("huisstijl", kind): style for kind, style in self.style.items()}
        return {("huisstijl",): self.style}

    def consistency(self, broken: Broken = frozenset()) -> list[tuple[tuple[Any, ...], str]]:
        """Two people in a function one person holds (SINGLE_HOLDER) on the same day, at the later one.

        A letter of that day would otherwise get no signer at all; ``tot`` counts as a day in office.
        A member whose name, function or dates are broken (``broken``, validate.validate_partial) is left
        out: its stand-in or missing date would make overlaps that are not there.
        """
        found = []
        college = [(i, m) for i, m in enumerate(self.college)
                   if not any(touches(broken, ("college", i, key)) for key in ("naam", "functie", "van", "tot"))]
        for (i, first), (j, second) in itertools.combinations(college, 2):
            function = first.function.lower()
            if (function == second.function.lower() and first.name.strip().lower() == second.name.strip().lower()
                    and not first.is_placeholder and first.overlaps(second)):
                # a letter that names this person would find two and ask to choose between the same name
                found.append((("college", j, "naam"),
                              f"{second.name} staat al eerder als {function} in het college, in dezelfde periode; "
                              "verwijder een van de twee (of laat de periodes aansluiten met 'van' en 'tot')"))
                continue
            if function in SINGLE_HOLDER and function == second.function.lower() and first.overlaps(second):
                later = j if (second.start or dt.date.min) >= (first.start or dt.date.min) else i
                earlier = i if later == j else j
                other = self.college[earlier]
                start = self.college[later].start
                if start is not None and other.end is None and (other.start is None or other.start < start):
                    # a successor added without ending the term of the one before: the fix is that 'tot'
                    found.append((("college", earlier, "naam"),
                                  f"{other.name} is nog {function} als {self.college[later].name} op {formatting.datum(start)} "
                                  f"begint; zet bij {other.name} 'tot: {(start - dt.timedelta(days=1)).isoformat()}' "
                                  "('tot' is de laatste dag in functie)"))
                    continue
                field = "van" if start is not None else "naam"
                found.append((("college", later, field),
                              f"{self.college[later].name} en {other.name} zijn op dezelfde dag(en) allebei {function}; "
                              "'tot' is de laatste dag in functie, dus laat de opvolger een dag later beginnen"))
        return found

    def notices(self, broken: Broken = frozenset()) -> list[tuple[tuple[Any, ...], str]]:
        """Warnings that do not make the file unusable: members still to be filled in (not one whose name or
        function is broken, ``broken``: its stand-in is no placeholder to fill in)."""
        return [
            (("college", i, "naam"),
             f"de {member.function} is nog niet ingevuld: vul de echte naam (en 'van'/'tot') in; "
             "tot dan ondertekent deze functie geen brief")
            for i, member in enumerate(self.college)
            if member.is_placeholder and not any(touches(broken, ("college", i, key)) for key in ("naam", "functie"))
        ]
