"""Woo metadata: a DiWoo metadata file (``.diwoo.xml``) next to each PDF.

The DiWoo standard (https://standaarden.overheid.nl/diwoo/metadata/) describes a document published
under the Wet open overheid; values that come from a list (organisation, information category) are
TOOI URIs with their label as text. Written with lxml (escaping) and atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from briefgen import tooi
from briefgen.fileio import write_atomic
from briefgen.werkmap import WOO_SUFFIX

if TYPE_CHECKING:
    from briefgen.document import Document
    from briefgen.model import Organisation

NS = "https://standaarden.overheid.nl/diwoo/metadata/"
FILE_NS = "urn:briefgen:bestand"  # the published file itself: DiWoo has no element for name, size and hash
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
    return pdf.with_name(f"{pdf.stem}.{WOO_SUFFIX}")


def render(woo: WooFacts, pdf: Path) -> bytes:
    """The metadata of ``pdf`` (which must exist: its size and hash are part of it)."""
    data = pdf.read_bytes()
    root = etree.Element(_q("Document"), nsmap={"diwoo": NS, "bestand": FILE_NS})
    diwoo = etree.SubElement(root, _q("DiWoo"))
    if woo.identifier:
        _sub(_sub(diwoo, "identifiers"), "identifier", woo.identifier)
    for role in ("publisher", "opsteller", "verantwoordelijke"):
        _sub(diwoo, role, woo.publisher, woo.publisher_uri)
    _sub(_sub(diwoo, "titelcollectie"), "officieleTitel", woo.title)
    categories = _sub(_sub(diwoo, "classificatiecollectie"), "informatiecategorieen")
    _sub(categories, "informatiecategorie", woo.category.label, woo.category.uri)
    _sub(diwoo, "creatiedatum", woo.date.isoformat())
    _sub(_sub(diwoo, "geldigheid"), "begindatum", woo.date.isoformat())
    _sub(diwoo, "language", LANGUAGE[1], LANGUAGE[0])
    _sub(diwoo, "format", FORMAT[1], FORMAT[0])
    stored = etree.SubElement(root, f"{{{FILE_NS}}}bestand")
    for name, value in (("bestandsnaam", pdf.name), ("bestandsomvang", str(len(data))),
                        ("sha256", hashlib.sha256(data).hexdigest())):
        etree.SubElement(stored, f"{{{FILE_NS}}}{name}").text = value
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
