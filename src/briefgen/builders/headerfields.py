"""The header-block labels of a house style's template, read in one place.

:func:`template_labels` finds every label a template writes (``RIB nr.``, ``Betreft``, ``zaaknummer``, as in
housestyle.LABELS) in its table cells and paragraphs, in the body and then in the page headers, each with the
template text where its value goes: the next cell of the row, the rest of the paragraph
(``zaaknummer {{ zaaknummer }}``) or the paragraph below. ``briefgen import`` compares a letter's labels with
them to pick the house style; :func:`header_rows` keeps the labels with their field beside them: the letter's
header block as the HTML edition shows it, under the same labels and in the same order as the DOCX and PDF.
Both are remembered per template version.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from briefgen.housestyle import template_label, text_of
from briefgen.templatefile import TemplateFile

_PARTS = re.compile(r"word/(document|header\d*)\.xml")
_NAME = r"[A-Za-z_]\w*"
_LITERAL = r"'[^']*'|\"[^\"]*\""
# ``{{ datum }}``, ``{{ kenmerk or nummer }}``, ``{{ bijlagen or 'geen' }}``: what the value cell starts with
_SHOWN = re.compile(rf"\s*\{{\{{-?\s*({_NAME}(?:\s+or\s+{_NAME})*)(?:\s+or\s+({_LITERAL}))?\s*-?\}}\}}")
# ``{%p for contact in contactpersonen[1:] %}`` (docxtpl's {%p/{%tr/{%tc/{%r or a plain {%), with the loop's name
_LOOP = r"\{%-?(?:p|tr|tc|r)?\s*for\s+(\w+)\s+in\s+contactpersonen\b"
# ``{{ contactpersonen | contacten }}``: every contact with its phone number and e-mail address
_LISTED = r"\{\{-?\s*contactpersonen\s*\|\s*contacten\b"
# What shows the contacts, all of them, beside a label
_CONTACTS = re.compile(rf"\s*(?:{_LOOP}|{_LISTED})")
# ``contactpersonen[0].naam``, ``contactpersonen[1]['email']``: one contact's field, by its index
_INDEXED = r"\bcontactpersonen\s*\[\s*(\d+)\s*\]\s*(?:\.\s*(\w+)\b|\[\s*(?:'(\w+)'|\"(\w+)\")\s*\])"
# ``{{ contactpersonen[0].naam }}`` beside a label: that contact's field
_ONE_CONTACT = re.compile(rf"\s*\{{\{{-?\s*{_INDEXED}")
_INDEXED_FIELDS = {"informatie_bij": "naam", "informatie_telefoon": "telefoon"}  # a contacts label's field of one contact
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_CONTACT_FIELDS = ("informatie_bij", "informatie_telefoon")
_OFF = {"0", "false", "off"}


@dataclass(frozen=True)
class TemplateLabel:
    """A label as a template writes it, with the field it names (None: a label without one, 'Uw kenmerk')."""

    text: str
    field: str | None
    beside: str  # the template text where the value goes; empty when there is none
    capitals: bool  # printed in capitals (w:caps on all its runs)


@dataclass(frozen=True)
class HeaderRow:
    label: str  # as the template writes it
    names: tuple[str, ...]  # the fields shown, the first that has a value
    otherwise: str = ""  # the text shown when none has one
    capitals: bool = False  # the label printed in capitals (w:caps): the same word, shown so

    @property
    def field(self) -> str:
        return self.names[0]

    def value(self, fields: Mapping[str, Any]) -> str:
        """What the letter shows beside the label: the first of the fields with a text, else ``otherwise``."""
        return next((value for name in self.names if isinstance(value := fields.get(name), str) and value), self.otherwise)


def header_parts(source: TemplateFile) -> list[etree._Element]:
    """The XML of the template's body and page headers, the body first: where its header block can stand."""
    parts = sorted((name for name in source.xml if _PARTS.fullmatch(name)), key=lambda name: name != "word/document.xml")
    return [source.xml[part] for part in parts]


@functools.lru_cache(maxsize=16)
def template_labels(source: TemplateFile) -> tuple[TemplateLabel, ...]:
    """Every label in the template's body and page headers (the body first), in the order the letter shows them:
    a table cell (its value in the next cell) or a paragraph (its value after it or below it; also one of several
    in a cell: labels above each other, or with their value below them)."""
    found = []
    for root in header_parts(source):
        beside: dict[object, str] = {}  # each cell: the text of the next cell in its row
        for row in root.iter(qn("w:tr")):
            cells = [cell for cell in row.iter(qn("w:tc")) if next(cell.iterancestors(qn("w:tr"))) is row]  # also in a w:sdt
            beside.update(zip(cells, [*(text_of(cell) for cell in cells[1:]), ""], strict=True))
        for element in root.iter(qn("w:tc"), qn("w:p")):
            if element.tag == qn("w:tc"):
                found += _label(element, beside.get(element, ""))
                continue
            text = text_of(element)
            holder = next(element.iterancestors(qn("w:tc")), None)
            if holder is not None and text_of(holder) == text:  # all its cell says: read as the cell
                continue
            following = element.getnext()
            if "{{" in text:  # "zaaknummer {{ zaaknummer }}"
                value = "{{" + text.split("{{", 1)[1]
            elif following is not None and following.tag == qn("w:p"):  # the value below
                value = text_of(following)
            else:
                value = ""
            found += _label(element, value, text)
    return tuple(found)


def _label(element, beside: str, text: str | None = None) -> list[TemplateLabel]:
    label = template_label(text_of(element) if text is None else text)
    return [] if label is None else [TemplateLabel(label[0], label[1], beside, _capitals(element))]


@functools.lru_cache(maxsize=16)
def header_rows(source: TemplateFile) -> tuple[HeaderRow, ...]:
    """The header block's labels with their fields beside them, each field once; empty when the template has
    none. A contacts label ('Informatie bij', 'Telefoon') beside a loop over ``contactpersonen`` is their row."""
    rows: dict[str, HeaderRow] = {}
    for label in template_labels(source):
        shown = _SHOWN.match(label.beside)
        if shown is not None:
            names = tuple(re.split(r"\s+or\s+", shown.group(1)))
            otherwise = (shown.group(2) or "''")[1:-1]
        elif label.field in _CONTACT_FIELDS and (_CONTACTS.match(label.beside) or _one_contact(label)):
            names, otherwise = (label.field,), ""
        else:
            continue
        if label.field not in names or names[0] in rows:  # a label beside some other value: not this field's row
            continue
        rows[names[0]] = HeaderRow(label.text, names, otherwise, label.capitals)
    return tuple(rows.values())


def _one_contact(label: TemplateLabel) -> bool:
    """Whether the label stands beside its field of one contact: 'Contactpersoon' beside ``{{ contactpersonen[0].naam }}``."""
    one = _ONE_CONTACT.match(label.beside)
    return one is not None and label.field is not None and _indexed_field(one) == _INDEXED_FIELDS.get(label.field)


def _indexed_field(match: re.Match[str]) -> str:
    return next(name for name in match.groups()[1:] if name)


@dataclass(frozen=True)
class ContactsShown:
    """What a template shows of the contacts, anywhere in the letter."""

    every: bool  # all of them (a loop over ``contactpersonen`` or ``| contacten``), not only the first
    email: bool  # their e-mail addresses (``contact.email`` or ``contact['email']`` in such a loop, or ``| contacten``)
    one: frozenset[int] = frozenset()  # the contacts shown by index (``contactpersonen[1].naam``): those only
    mailed: frozenset[int] = frozenset()  # of those, the ones whose e-mail address it shows (``contactpersonen[1].email``)
    phoned: frozenset[int] = frozenset()  # of those, the ones whose phone number it shows (``contactpersonen[0].telefoon``)


@functools.lru_cache(maxsize=16)
def contacts_shown(source: TemplateFile) -> ContactsShown:
    """Whether the letter lists every contact or some by index, and their e-mail addresses: the HTML edition shows no more of them
    than the letter does (an e-mail address the house style leaves out is not published on the web either)."""
    text = "\n".join(text_of(paragraph) for name, root in source.xml.items() if _TEXT_PARTS.fullmatch(name)
                     for paragraph in root.iter(qn("w:p")))
    names = {match.group(1) for match in re.finditer(_LOOP, text)}
    listed = re.search(_LISTED, text) is not None
    mailed = any(re.search(rf"\b{re.escape(name)}\s*(?:\.\s*email\b|\[\s*(?:'email'|\"email\")\s*\])", text) for name in names)
    indexed = [(int(match.group(1)), _indexed_field(match)) for match in re.finditer(_INDEXED, text)]
    return ContactsShown(every=listed or bool(names), email=listed or mailed,
                         one=frozenset(index for index, _ in indexed),
                         mailed=frozenset(index for index, name in indexed if name == "email"),
                         phoned=frozenset(index for index, name in indexed if name == "telefoon"))


def _capitals(element) -> bool:
    """Whether the label's text is printed in capitals (``w:caps`` on its runs)."""
    caps = [run.find(f"{qn('w:rPr')}/{qn('w:caps')}") for run in element.iter(qn("w:r")) if run.find(qn("w:t")) is not None]
    return bool(caps) and all(mark is not None and mark.get(qn("w:val"), "1") not in _OFF for mark in caps)
