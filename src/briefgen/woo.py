"""Woo metadata: a DiWoo metadata file (``.diwoo.xml``) next to each PDF.

The DiWoo standard (https://standaarden.overheid.nl/diwoo/metadata/) describes a document published
under the Wet open overheid; values that come from a list (organisation, information category) are
TOOI URIs with their label as text. Written with lxml (escaping) and atomically.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from briefgen import tooi
from briefgen.fileio import write_atomic

if TYPE_CHECKING:
    from briefgen.document import Document
    from briefgen.model import Organisation

NS = "https://standaarden.overheid.nl/diwoo/metadata/"
FILE_NS = "urn:briefgen:bestand"  # the published file itself: DiWoo has no element for name, size and hash
SUFFIX = ".diwoo.xml"
LANGUAGE = ("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")
FORMAT = ("http://publications.europa.eu/resource/authority/file-type/PDF", "PDF")


@dataclass(frozen=True)
class WooFacts:
    """What the metadata says about a letter, taken from the resolved letter and its organisation."""

    title: str
    identifier: str
    publisher_uri: str
    publisher: str
    category: tooi.Category
    date: dt.date


def facts(document: Document, organisation: Organisation | None) -> WooFacts | None:
    """None when the organisation has no TOOI code: without a publisher there is no Woo metadata."""
    if organisation is None or not organisation.tooi:
        return None
    fields = document.fields
    return WooFacts(
        title=document.title,
        identifier=fields["nummer"] or fields["zaaknummer"] or fields["kenmerk"],
        publisher_uri=tooi.organisation_uri(organisation.tooi) or "",
        publisher=organisation.name,
        category=organisation.woo.category_for(fields["soort"]),
        date=document.date,
    )


def path_for(pdf: Path) -> Path:
    return pdf.with_name(pdf.stem + SUFFIX)


def render(woo: WooFacts, pdf: Path) -> bytes:
    """The metadata of ``pdf`` (which must exist: its size and hash are part of it).

    An organisation's document differs from letter to letter in six values only: it is serialised
    with lxml once per organisation (:func:`_template`) and each letter's values are put into it,
    escaped as lxml escapes them. A value with a character lxml would write otherwise (a carriage
    return, a control character) goes through lxml itself.
    """
    data = pdf.read_bytes()
    values = (woo.identifier, woo.title, woo.date.isoformat(), pdf.name, str(len(data)), hashlib.sha256(data).hexdigest())
    template = _template(woo.publisher, woo.publisher_uri, woo.category, bool(woo.identifier))
    if template is None or not all(_PLAIN.fullmatch(value) for value in values):
        return _serialised(woo, values)
    head, rest = template
    filled = [head]
    for field, text in rest:
        filled += [_escaped(values[field]), text]
    return b"".join(filled)


# Characters XML allows and lxml writes as they are (but for &, < and >, see _escaped): no \r, no control characters.
_PLAIN = re.compile("[\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
_SLOT = "\ue000briefgen-{}\ue000"  # where value number {} goes in a template (private-use characters around it)
_SLOTS = re.compile(_SLOT.format("([0-5])").encode())


@functools.lru_cache(maxsize=64)
def _template(publisher: str, publisher_uri: str, category: tooi.Category,
              identified: bool) -> tuple[bytes, tuple[tuple[int, bytes], ...]] | None:
    """The document of an organisation's letters as (text, ((value number, text after it), …)); None when the
    organisation's own values could be taken for a value's place (its letters then go through lxml)."""
    slots = tuple(_SLOT.format(field) for field in range(6))
    pieces = _SLOTS.split(_serialised(
        WooFacts(title="", identifier="", publisher_uri=publisher_uri, publisher=publisher, category=category,
                 date=dt.date.min),
        (slots[0] if identified else "", *slots[1:])))
    fields = [int(field) for field in pieces[1::2]]
    if fields != [*([0] if identified else []), 1, 2, 2, 3, 4, 5]:
        return None
    return pieces[0], tuple(zip(fields, pieces[2::2], strict=True))


def _escaped(value: str) -> bytes:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()


def _serialised(woo: WooFacts, values: tuple[str, ...]) -> bytes:
    """The document with lxml; ``values``: identifier, title, date, file name, size and sha256 (the rest from ``woo``)."""
    identifier, title, date, name, size, digest = values
    root = etree.Element(_q("Document"), nsmap={"diwoo": NS, "bestand": FILE_NS})
    diwoo = etree.SubElement(root, _q("DiWoo"))
    if identifier:
        _sub(_sub(diwoo, "identifiers"), "identifier", identifier)
    for role in ("publisher", "opsteller", "verantwoordelijke"):
        _sub(diwoo, role, woo.publisher, woo.publisher_uri)
    _sub(_sub(diwoo, "titelcollectie"), "officieleTitel", title)
    categories = _sub(_sub(diwoo, "classificatiecollectie"), "informatiecategorieen")
    _sub(categories, "informatiecategorie", woo.category.label, woo.category.uri)
    _sub(diwoo, "creatiedatum", date)
    _sub(_sub(diwoo, "geldigheid"), "begindatum", date)
    _sub(diwoo, "language", LANGUAGE[1], LANGUAGE[0])
    _sub(diwoo, "format", FORMAT[1], FORMAT[0])
    stored = etree.SubElement(root, f"{{{FILE_NS}}}bestand")
    for element, value in (("bestandsnaam", name), ("bestandsomvang", size), ("sha256", digest)):
        etree.SubElement(stored, f"{{{FILE_NS}}}{element}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write(woo: WooFacts, pdf: Path) -> Path:
    target = path_for(pdf)
    write_atomic(target, render(woo, pdf))
    return target


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None, resource: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    if resource:
        element.set("resource", resource)
    if text is not None:
        element.text = text
    return element
