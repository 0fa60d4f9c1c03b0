"""The HTML builder: one self-contained, accessible HTML5 file per letter, next to the PDF.

Fed by the same resolved :class:`~briefgen.document.Document` as the DOCX builder, so the text is
the same; the page itself comes from one Jinja template shipped in the package (autoescaped).
The logo of the house style is taken from the template's header and put inline as a data: URI.
"""

from __future__ import annotations

import base64
import functools
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote

import jinja2

from briefgen import formatting, richtext
from briefgen.builders.base import Builder, BuildError
from briefgen.builders.headerfields import HeaderRow, contacts_shown, header_rows
from briefgen.builders.tablewidths import FONT_SIZES, percentages, table_layout
from briefgen.document import Document, TableView
from briefgen.housestyle import FIELD_LABELS
from briefgen.templatefields import TEMPLATE_FIELDS, Contactpersoon
from briefgen.templatefile import TemplateFile

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
_EMBED = f"{{{_NS['r']}}}embed"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# How a numbered list counts at each depth (richtext.NUMBERINGS, Word's names): in CSS and as <ol type>.
_COUNTER_STYLES = {"decimal": "decimal", "lowerLetter": "lower-alpha", "lowerRoman": "lower-roman"}
_OL_TYPES = {"decimal": "1", "lowerLetter": "a", "lowerRoman": "i"}


class HtmlError(BuildError):
    """The HTML edition could not be made for one letter (message in Dutch)."""


class HtmlBuilder(Builder):
    name = "html"
    suffix = "html"
    error = HtmlError

    def render(self, document: Document) -> bytes:
        source = self.template(document)
        notes = _notes(block for section in document.sections for block in section.blocks)
        numbers = {id(run): number for number, (run, _) in enumerate(notes, 1)}
        uses = _fields_used(source)
        header = _header(source, uses)
        page = _environment().get_template("brief.html.j2").render(
            f=document.fields,
            document=document,
            notes=[note for _, note in notes],
            note_number=lambda run: numbers[id(run)],
            logo=_logo(source, document.fields["organisatie"]["naam"]),
            kind=_kind,
            uses=uses,
            contacts=_contacts(document, source, uses),
            header=header,
            titled=any(row.field == "onderwerp" for row in header),
            phone_labelled=any(row.field == "informatie_telefoon" for row in header),
            linked=_linker(document),
            list_styles=_list_styles(),
            ol_type=lambda depth: _OL_TYPES[richtext.NUMBERINGS[richtext.list_depth(depth)]],
            table_layout=_table_layout,
        )
        return page.encode("utf-8")


# The page's text column (42rem, brief.html.j2) in the twips of the DOCX's 9-point table text: 42 em of 9 pt.
# The same characters fit on a line in both, so the rule of tablewidths holds for the page too.
HTML_TEXT_WIDTH = 42 * 9 * 20


def _table_layout(view: TableView) -> tuple[tuple[str, ...], str]:
    """The table's columns by the DOCX's rule (:mod:`tablewidths`), in percentages of the table's width, and its
    text size relative to the page's ("0.778em" where the DOCX would set 7 pt; "" at the table style's own size)."""
    widths, size = table_layout(view.header, (*view.rows, view.total), HTML_TEXT_WIDTH)
    return percentages(widths), "" if size == FONT_SIZES[0] else f"{size / FONT_SIZES[0]:.3f}em"


# Fields the page shows in a place of its own, not as a header row: the subject as the title (h1; inside its
# row when the house style labels it), the attachments as the list 'Bijlagen'.
_OWN_PLACE = {"onderwerp", "bijlagen"}
_CONTACTS_ROW = "informatie_bij"  # the row of the contacts (names; their phone numbers and e-mail addresses as links)


def _header(source: TemplateFile, uses: frozenset[str]) -> tuple[HeaderRow, ...]:
    """The rows of the letter's header block: the house style's own labels (headerfields), then each field it shows
    without a label that can be read (a kenmerk in the footer) under briefgen's label for it (housestyle.FIELD_LABELS),
    and the contacts under 'Informatie bij' when the house style lists them without a label beside them."""
    labelled = header_rows(source)
    named = {name for row in labelled for name in row.names}

    def unlabelled(name: str) -> bool:
        if name in named or name in _OWN_PLACE:
            return False
        if name == _CONTACTS_ROW:  # also where the house style lists them in a loop without a label
            return name in uses or "contactpersonen" in uses
        return name in uses and name != "informatie_telefoon"  # without a label: beside the names

    return labelled + tuple(HeaderRow(FIELD_LABELS[name], (name,)) for name in FIELD_LABELS if unlabelled(name))


@dataclass(frozen=True)
class _Contact:
    """A contact as the header shows it, with its ``tel:`` and ``mailto:`` links (empty where it has none)."""

    naam: str
    telefoon: str
    email: str
    tel: str
    mail: str


def _contacts(document: Document, source: TemplateFile, uses: frozenset[str]) -> list[_Contact]:
    """The contacts the house style shows: all (in a loop, or ``| contacten``), those it names by index
    (``contactpersonen[1].naam``) or the first (``informatie_bij``); their e-mail addresses only where the letter
    shows those too (``contact.email`` in the loop, ``contactpersonen[1].email``: that contact's only); the phone
    number of a contact it shows by index or as ``informatie_bij`` only where it shows that too
    (``contactpersonen[0].telefoon``, ``informatie_telefoon``)."""
    people = document.fields["contactpersonen"]
    shown = contacts_shown(source)
    first = {0} if {_CONTACTS_ROW, "informatie_telefoon"} & uses else set()
    chosen = range(len(people)) if shown.every else sorted(shown.one | first) or ([0] if "contactpersonen" in uses else [])
    out = []
    for index in (index for index in chosen if index < len(people)):
        person, mailed = people[index], shown.email or index in shown.mailed
        phoned = (shown.every or index in shown.phoned or (index == 0 and "informatie_telefoon" in uses)
                  or index not in shown.one | first)
        phone, mail = _reach(person)
        out.append(_Contact(person["naam"], person["telefoon"] if phoned else "", person["email"] if mailed else "",
                            phone if phoned else "", mail if mailed else ""))
    return out


def _reach(person: Contactpersoon) -> tuple[str, str]:
    """A contact's ``tel:`` link (E.164) and ``mailto:`` link; empty where the contact has none."""
    phone = formatting.telefoon_link(person["telefoon"]) if person["telefoon"] else ""
    return phone, "mailto:" + quote(person["email"], safe="@+") if person["email"] else ""


def _linker(document: Document) -> Callable[[Sequence[richtext.Run]], list[richtext.Run]]:
    """What makes the contacts' phone numbers and e-mail addresses in the text (as ``{{ contactpersonen |
    contacten }}`` writes them) links: ``tel:`` and ``mailto:``, as in the header."""
    targets: dict[str, str] = {}
    for person in document.fields["contactpersonen"]:
        phone, mail = _reach(person)
        if phone:
            targets[person["telefoon"]] = phone
        if mail:
            targets[person["email"]] = mail
    if not targets:
        return list
    found = re.compile("|".join(re.escape(text) for text in sorted(targets, key=len, reverse=True)))

    def linked(runs: Sequence[richtext.Run]) -> list[richtext.Run]:
        out: list[richtext.Run] = []
        for run in runs:
            if run.link or run.note is not None or run.line_break:
                out.append(run)
                continue
            at = 0
            for match in found.finditer(run.text):
                out += [replace(run, text=run.text[at:match.start()])] if match.start() > at else []
                out.append(replace(run, text=match.group(), link=targets[match.group()]))
                at = match.end()
            out += [replace(run, text=run.text[at:])] if at < len(run.text) or not run.text else []
        return out

    return linked


@functools.cache
def _list_styles() -> str:
    """CSS for the marks of lists by depth, the same as the letter's (richtext.list_mark): ``•``, ``–``,
    ``▪`` and ``1.``, ``a.``, ``i.``; a list nested deeper looks like one at the last depth."""
    rules = []
    for depth in range(richtext.LIST_LEVELS):
        around = ":is(ul, ol) " * depth
        rules.append(f'{around}ul {{ list-style-type: "{richtext.list_mark(False, 1, depth)}\\00a0\\00a0"; }}')
        rules.append(f"{around}ol {{ list-style-type: {_COUNTER_STYLES[richtext.NUMBERINGS[depth]]}; }}")
    return "\n".join(rules)  # our own constants, no letter text: shown unescaped (|safe)



@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("briefgen.builders", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.lru_cache(maxsize=16)
def _fields_used(source: TemplateFile) -> frozenset[str]:
    """The fields the house style shows: the HTML edition shows the same header, opening and closing."""
    from briefgen.builders.docx import template_names  # the template check's, remembered per template version

    try:
        return template_names(source)
    except Exception:  # noqa: BLE001 - the DOCX builder reports a broken template; here it means: show everything
        return frozenset(TEMPLATE_FIELDS)


def _notes(blocks: Iterable[richtext.Block]) -> list[tuple[richtext.Run, tuple[richtext.Run, ...]]]:
    """The footnote references in reading order, with their notes: numbered 1, 2, … as Word does."""
    found = []
    for block in blocks:
        if isinstance(block, richtext.ListBlock):
            found += _notes(child for item in block.items for child in item)
        elif isinstance(block, richtext.Paragraph | richtext.Heading):
            found += [(run, run.note) for run in block.runs if run.note is not None]
    return found


def _kind(block: richtext.Block) -> str:
    """The template's name for a body block."""
    return {
        richtext.Heading: "kop",
        richtext.Paragraph: "alinea",
        richtext.ListBlock: "lijst",
        richtext.TableRef: "tabel",
    }[type(block)]


def _logo(source: TemplateFile, organisation: str) -> dict[str, str] | None:
    """The first picture in the template's headers (first-page header first), as a data: URI with
    the description Word keeps for it as alt text."""
    headers = sorted((n for n in source.xml if posixpath.dirname(n) == "word" and posixpath.basename(n).startswith("header")),
                     key=_first_page_first(source))
    for name in headers:
        for drawing in source.xml[name].iter(f"{{{_NS['wp']}}}inline", f"{{{_NS['wp']}}}anchor"):
            blip = next(drawing.iter(f"{{{_NS['a']}}}blip"), None)
            if blip is None or not blip.get(_EMBED):
                continue
            media = _target(source, name, blip.get(_EMBED))
            kind = _IMAGE_TYPES.get(posixpath.splitext(media or "")[1].lower())
            if media not in source.parts or kind is None:
                continue
            properties = drawing.find("wp:docPr", _NS)
            alt = ((properties.get("descr") or properties.get("title") or "") if properties is not None else "").strip()
            return {
                "src": f"data:{kind};base64,{base64.b64encode(source.parts[media]).decode('ascii')}",
                "alt": alt or f"Logo {organisation}",
            }
    return None


def _first_page_first(source: TemplateFile):
    """Sort key: the header part the document uses for its first page comes first."""
    first = set()
    document = source.xml.get("word/document.xml")
    if document is not None:
        for ref in document.iter(f"{{{_NS['w']}}}headerReference"):
            if ref.get(f"{{{_NS['w']}}}type") == "first":
                target = _target(source, "word/document.xml", ref.get(f"{{{_NS['r']}}}id"))
                if target:
                    first.add(target)
    return lambda name: (name not in first, name)


def _target(source: TemplateFile, part: str, rel_id: str | None) -> str | None:
    """The part a relationship of ``part`` points to, as a name in the package."""
    rels_name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    rels = source.xml.get(rels_name)  # parsed and checked by templatefile
    if rels is None or not rel_id:
        return None
    for rel in rels.iter(_REL):
        if rel.get("Id") == rel_id and rel.get("TargetMode") != "External":
            return posixpath.normpath(posixpath.join(posixpath.dirname(part), rel.get("Target", "")))
    return None
