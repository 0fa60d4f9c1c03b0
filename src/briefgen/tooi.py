"""TOOI value lists for the Woo metadata: the information categories of the Woo and organisation URIs.

The value list is shipped here (no network at build time); the sources are named in docs/publicatie.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"
ORGANISATIONS = "https://identifier.overheid.nl/tooi/id/"


@dataclass(frozen=True)
class Category:
    """A Woo information category (article 3.3 Woo) as the TOOI kern thesaurus names it."""

    article: str  # "2a": article 3.3, second paragraph, under a
    ident: str  # c_8c840238
    label: str

    @property
    def uri(self) -> str:
        return KERN + self.ident


CATEGORIES = (
    Category("1a", "c_139c6280", "wetten en algemeen verbindende voorschriften"),
    Category("1b", "c_aab6bfc7", "overige besluiten van algemene strekking"),
    Category("1c", "c_759721e2", "ontwerpen van wet- en regelgeving met adviesaanvraag"),
    Category("1d", "c_40a05794", "organisatie en werkwijze"),
    Category("1e", "c_89ee6784", "bereikbaarheidsgegevens"),
    Category("2a", "c_8c840238", "bij vertegenwoordigende organen ingekomen stukken"),
    Category("2b", "c_c76862ab", "vergaderstukken Staten-Generaal"),
    Category("2c", "c_db4862c3", "vergaderstukken decentrale overheden"),
    Category("2d", "c_3a248e3a", "agenda's en besluitenlijsten bestuurscolleges"),
    Category("2e", "c_99a836c7", "adviezen"),
    Category("2f", "c_8fc2335c", "convenanten"),
    Category("2g", "c_c6cd1213", "jaarplannen en jaarverslagen"),
    Category("2h", "c_cf268088", "subsidieverplichtingen anders dan met beschikking"),
    Category("2i", "c_3baef532", "Woo-verzoeken en -besluiten"),
    Category("2j", "c_fdaee95e", "onderzoeksrapporten"),
    Category("2k", "c_46a81018", "beschikkingen"),
    Category("2l", "c_a870c43d", "klachtoordelen"),
)

DEFAULT_CATEGORY = CATEGORIES[5]  # a letter of the college to the council is a stuk ingekomen bij de raad

_BY_NAME = {key.lower(): c for c in CATEGORIES for key in (c.article, c.ident, c.label, c.uri)}

# Short codes of the organisation types whose TOOI id is their CBS-style code.
_CODE_TYPES = {"gm": "gemeente", "pv": "provincie", "ws": "waterschap"}
_CODE = re.compile(r"^(gm\d{4}|pv\d{2}|ws\d{4})$")
_URI = re.compile(r"^https://identifier\.overheid\.nl/tooi/id/[a-z_]+/[A-Za-z0-9_]+$")


def category(value: str) -> Category | None:
    """The category named by its article code (2a), TOOI id, label or URI; None when unknown."""
    return _BY_NAME.get(value.strip().lower())


def category_problem(value: str) -> str | None:
    """A Dutch message when ``value`` names no Woo information category."""
    if category(value) is not None:
        return None
    return (f"onbekende Woo-informatiecategorie '{value}'; gebruik een code als 2a, de naam of de TOOI-URI, "
            f"bijvoorbeeld '{DEFAULT_CATEGORY.article}' ({DEFAULT_CATEGORY.label})")


def organisation_uri(value: str) -> str | None:
    """A TOOI organisation URI from a code (gm0402, pv26, ws…) or a full URI; None when neither."""
    value = value.strip()
    match = _CODE.match(value)
    if match:
        return f"{ORGANISATIONS}{_CODE_TYPES[value[:2]]}/{value}"
    return value if _URI.match(value) else None


def organisation_problem(value: str) -> str | None:
    """A Dutch message when ``value`` is no TOOI organisation code or URI."""
    if organisation_uri(value) is not None:
        return None
    return (f"ongeldige TOOI-code '{value}': schrijf de code van de gemeente (gm en vier cijfers, bijvoorbeeld gm0402), "
            f"provincie (pv en twee cijfers) of waterschap (ws en vier cijfers), of een volledige URI die begint met {ORGANISATIONS}")
