#!/usr/bin/env python3
"""Generate the committed house-style templates in ``templates/``.

Run from the repository root::

    .venv/bin/python tools/make_templates.py [--out templates]

Every template starts from python-docx's default document (so the built-in styles and
the numbering part exist), is restyled to a Dutch letter (A4, Arial 10 pt, nl-NL) and
gets docxtpl/Jinja2 tags for the render context that briefgen's DOCX builder supplies.
A house style is data (``HouseStyle``) handed to shared builders; the logos are simple
placeholders drawn here with Pillow, never copied municipal artwork.

Output is reproducible: fixed core-property dates and fixed zip timestamps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw, ImageFont

from briefgen.builders.docx import BODY_STYLES, drop_unused_styles
from briefgen.builders.rolestyles import FIELD_LABEL_STYLE, SIGNATURE_STYLE
from briefgen.housestyle import HYPERLINK_STYLE_XML, TABLE_STYLE_XML, style_element

REPO = Path(__file__).resolve().parent.parent

# --- house-wide constants ---------------------------------------------------------------

FONT = "Arial"
LANG = "nl-NL"
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) minus 2 x 2.5 cm
BLACK = "000000"
GREY = "404040"  # dark enough for WCAG AA contrast on white
FIXED_TIME = dt.datetime(2021, 1, 1, 0, 0, 0)
SIGNATURE_GAP_LINES = 4  # room for the handwritten signature
PRINT_DPI = 300  # the resolution LibreOffice's PDF export keeps pictures at (MaxImageResolution)

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


# --- house styles as data ---------------------------------------------------------------


@dataclass(frozen=True)
class Logo:
    """A placeholder logo: a coloured shield with initials."""

    initials: str
    colour: tuple[int, int, int]
    alt_text: str
    height_cm: float = 1.9


@dataclass(frozen=True)
class Line:
    """One line of (templated) text, shown only when ``when`` (a Jinja test) is truthy."""

    text: str
    when: str = ""
    size: float = 10
    bold: bool = False
    colour: str = BLACK
    rule_below: bool = False


@dataclass(frozen=True)
class Letterhead:
    """First-page letterhead: logo | organisation name + lines | aside (right-aligned); without a logo the
    name starts at the margin (the standard house style of a werkmap made for any municipality)."""

    logo: Logo | None
    name: str
    name_colour: str
    lines: tuple[Line, ...] = ()
    aside: str = ""


@dataclass(frozen=True)
class Field:
    """A labelled field in the header fields block; ``when`` makes the row optional."""

    label: str
    value: str
    when: str = ""
    bold: bool = False
    more: tuple[str, ...] = ()  # further paragraphs under the value (the loop over the other contacts)


@dataclass(frozen=True)
class FieldsBlock:
    """The fields block under the letterhead. Each row holds one or more fields."""

    rows: tuple[tuple[Field, ...], ...]
    column_widths_cm: tuple[float, ...]  # label, value(, label, value ...)
    colon_at_cm: float = 0  # when set: 'label<tab>:' with the ':' at this position in the label cell
    caps_labels: bool = False
    boxed: bool = False  # form-like: thin borders, shaded labels


@dataclass(frozen=True)
class PageNumber:
    """Footer page number on pages 2+: ``prefix`` PAGE ``suffix``, or "Pagina 2 van 3" with ``total``."""

    prefix: str
    suffix: str = ""
    align: str = "right"
    total: bool = False


@dataclass(frozen=True)
class HouseStyle:
    filename: str
    fields: FieldsBlock
    page_number: PageNumber
    letterhead: Letterhead | None = None
    running_header: tuple[Line, ...] = ()
    running_header_on_first_page: bool = False
    running_header_align: str = "left"
    onderwerp_heading: str = ""  # e.g. "Onderwerp": a labelled block above the body
    heading1_caps: bool = False


def other_contacts(line: str) -> tuple[str, ...]:
    """A paragraph per contact after the first (``contact``), under the first one's field."""
    return ("{%p for contact in contactpersonen[1:] %}", line, "{%p endfor %}")


ADDRESS_LINES = (
    Line("{{ organisatie.adres.straat }}", when="organisatie.adres.straat", size=8, colour=GREY),
    Line(
        "{{ organisatie.adres.postcode }}  {{ organisatie.adres.plaats }}",
        when="organisatie.adres.plaats",
        size=8,
        colour=GREY,
    ),
    Line("Telefoon {{ organisatie.telefoon }}", when="organisatie.telefoon", size=8, colour=GREY),
    Line("{{ organisatie.website }}", when="organisatie.website", size=8, colour=GREY),
)

ORGANISATION_NAME = "{{ organisatie.naam }}"
"""The organisation's name wherever a house style prints it: a standard style used by another
organisation then names that one (its logo stays; templatecheck warns about the logo's name)."""

CONTACTS_WITH_PHONES = Field(
    "Informatie bij",
    "{{ informatie_bij }}{% if informatie_telefoon %}, telefoon {{ informatie_telefoon }}{% endif %}",
    when="informatie_bij",
    more=other_contacts("{{ contact.naam }}{% if contact.telefoon %}, telefoon {{ contact.telefoon }}{% endif %}"),
)
"""Each contact on a line of its own, with its phone: "E. Seijsener, telefoon 06 18 87 83 59"."""

CONTACTS_WITH_PHONES_AND_EMAIL = Field(
    "Informatie bij",
    "{{ informatie_bij }}{% if informatie_telefoon %}, telefoon {{ informatie_telefoon }}{% endif %}"
    "{% if contactpersonen[0].email %}, {{ contactpersonen[0].email }}{% endif %}",
    when="informatie_bij",
    more=other_contacts("{{ contact.naam }}{% if contact.telefoon %}, telefoon {{ contact.telefoon }}{% endif %}"
                        "{% if contact.email %}, {{ contact.email }}{% endif %}"),
)
"""Each contact on a line of its own, with its phone and e-mail address: "J. Jansen, telefoon 030 659 42 33,
j.jansen@bunnik.nl" (a new municipality's style: nothing a letter gives is left out)."""

HILVERSUM_LOGO = Logo("H", (31, 78, 121), "Logo Gemeente Hilversum")
HUIZEN_LOGO = Logo("Hz", (35, 110, 60), "Logo Gemeente Huizen")

HILVERSUM_LETTERHEAD = Letterhead(
    logo=HILVERSUM_LOGO,
    name=ORGANISATION_NAME,
    name_colour="1F4E79",
    lines=ADDRESS_LINES,
    aside="{{ soort_titel }}",
)

STANDARD_LETTERHEAD = Letterhead(
    logo=None,
    name=ORGANISATION_NAME,
    name_colour=BLACK,
    lines=ADDRESS_LINES,
    aside="{{ soort_titel }}",
)
"""``briefgen init --gemeente``'s house style until the municipality has its own: no organisation's logo, its
name as text."""

STYLES = (
    HouseStyle(
        filename="hilversum-rib-2021.docx",
        letterhead=HILVERSUM_LETTERHEAD,
        fields=FieldsBlock(
            rows=(
                (Field("Datum", "{{ datum }}"),),
                (Field("Nummer", "{{ nummer }}", when="nummer"),),
                (Field("Kenmerk", "{{ kenmerk }}", when="kenmerk"),),
                (Field("Betreft", "{{ onderwerp }}", bold=True),),
            ),
            column_widths_cm=(2.2, TEXT_WIDTH_CM - 2.2),
            caps_labels=True,
        ),
        page_number=PageNumber("Pagina ", total=True),
    ),
    HouseStyle(
        filename="rzou-informatienota.docx",
        running_header=(
            Line("zaaknummer {{ zaaknummer }}", when="zaaknummer", size=8, colour=GREY),
            Line("{{ soort_titel }}", size=16, bold=True, rule_below=True),
        ),
        running_header_on_first_page=True,
        fields=FieldsBlock(
            rows=(
                (Field("Aan", "{{ aan }}"),),
                (Field("Van", "{{ van }}"),),
                (Field("Datum", "{{ datum }}"),),
                (Field("Onderwerp", "{{ onderwerp }}", bold=True),),
            ),
            column_widths_cm=(2.9, TEXT_WIDTH_CM - 2.9),
            colon_at_cm=2.4,
        ),
        page_number=PageNumber("Pagina ", total=True),
    ),
    HouseStyle(
        filename="hilversum-rib-2016.docx",
        letterhead=Letterhead(
            logo=HILVERSUM_LOGO,
            name=ORGANISATION_NAME,
            name_colour="1F4E79",
            aside="{{ soort_titel }}",
        ),
        fields=FieldsBlock(
            rows=(
                (Field("Van", "{{ van }}"),),
                (Field("Aan", "{{ aan }}"), Field("RIB nr.", "{{ nummer }}")),
                (
                    Field("Portefeuillehouder", "{{ portefeuillehouder }}"),
                    Field("Datum", "{{ datum }}"),
                ),
                (
                    # No contact: no row; no contact with a phone: no "Tel. nr." label beside empty lines.
                    Field("Informatie bij", "{{ informatie_bij }}", when="informatie_bij",
                          more=other_contacts("{{ contact.naam }}")),
                    Field("{% if contactpersonen | selectattr('telefoon') | list %}Tel. nr.{% endif %}",
                          "{{ informatie_telefoon }}", more=other_contacts("{{ contact.telefoon }}")),
                ),
            ),
            column_widths_cm=(3.8, 5.4, 2.0, 4.8),
            boxed=True,
        ),
        onderwerp_heading="Onderwerp",
        heading1_caps=True,
        page_number=PageNumber("Pagina ", total=True),
    ),
    HouseStyle(
        filename="huizen.docx",
        letterhead=Letterhead(
            logo=HUIZEN_LOGO,
            name=ORGANISATION_NAME,
            name_colour="236E3C",
            lines=ADDRESS_LINES,
            aside="{{ soort_titel }}",
        ),
        running_header=(
            Line(ORGANISATION_NAME, bold=True),
            Line("-vervolgblad-", size=8, colour=GREY),
        ),
        running_header_align="right",
        fields=FieldsBlock(
            rows=(
                (Field("Aan", "{{ aan }}"),),
                (Field("Datum", "{{ datum }}"),),
                (Field("Nummer", "{{ nummer }}", when="nummer"),),
                (Field("Kenmerk", "{{ kenmerk }}", when="kenmerk"),),
                (Field("Portefeuillehouder", "{{ portefeuillehouder }}", when="portefeuillehouder"),),
                (CONTACTS_WITH_PHONES,),
                (Field("Onderwerp", "{{ onderwerp }}", bold=True),),
            ),
            column_widths_cm=(3.6, TEXT_WIDTH_CM - 3.6),
        ),
        page_number=PageNumber("-", "-", align="center"),
    ),
    HouseStyle(
        filename="standaard.docx",
        letterhead=STANDARD_LETTERHEAD,
        fields=FieldsBlock(
            rows=(
                (Field("Datum", "{{ datum }}"),),
                (Field("Nummer", "{{ nummer }}", when="nummer"),),
                (Field("Kenmerk", "{{ kenmerk }}", when="kenmerk"),),
                (CONTACTS_WITH_PHONES_AND_EMAIL,),
                (Field("Onderwerp", "{{ onderwerp }}", bold=True),),
            ),
            column_widths_cm=(3.2, TEXT_WIDTH_CM - 3.2),
            caps_labels=True,
        ),
        page_number=PageNumber("Pagina ", total=True),
    ),
)


# --- low-level XML helpers --------------------------------------------------------------

# Child order required by the OOXML schema, for the elements this script creates itself.
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)
TRPR_ORDER = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
    "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
    "w:ins", "w:del", "w:trPrChange",
)
TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)
THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def child(parent, tag: str, order: tuple[str, ...] = ()):
    """Return ``parent``'s ``tag`` child, creating it in schema ``order`` if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        later = {qn(t) for t in order[order.index(tag) + 1:]} if tag in order else set()
        successor = next((c for c in parent if c.tag in later), None)
        if successor is None:
            parent.append(found)
        else:
            successor.addprevious(found)
    return found


def set_attrs(element, **attrs: str) -> None:
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)


def strip_theme_fonts(fonts) -> None:
    """Theme-font references on ``w:rFonts`` win over font names: remove them."""
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(f"w:{attr}"), None)


def set_run_fonts(rpr, name: str = FONT) -> None:
    fonts = child(rpr, "w:rFonts", RPR_ORDER)
    strip_theme_fonts(fonts)
    set_attrs(fonts, ascii=name, hAnsi=name, cs=name, eastAsia=name)


def set_lang(rpr) -> None:
    set_attrs(child(rpr, "w:lang", RPR_ORDER), val=LANG, eastAsia=LANG, bidi="ar-SA")


def set_colour(rpr, hex_colour: str) -> None:
    """Plain RGB colour on an ``rPr``, without theme-colour overrides."""
    colour = rpr.get_or_add_color()
    for attr in ("themeColor", "themeShade", "themeTint"):
        colour.attrib.pop(qn(f"w:{attr}"), None)
    colour.set(qn("w:val"), hex_colour)


def keep_with_next(paragraph: Paragraph, keep: bool = True) -> None:
    paragraph.paragraph_format.keep_with_next = keep


def spacing(paragraph: Paragraph, before: float | None = None, after: float | None = None) -> None:
    fmt = paragraph.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)


def add_text(paragraph: Paragraph, text: str, *, size: float | None = None, bold: bool = False,
             colour: str | None = None, caps: bool = False):
    """Add ``text`` as ONE run, so a Jinja tag in it is never split across runs."""
    run = paragraph.add_run(text)
    font = run.font
    if size is not None:
        font.size = Pt(size)
    if bold:
        font.bold = True
    if caps:
        font.all_caps = True
    if colour and colour != BLACK:
        font.color.rgb = RGBColor.from_string(colour)
    return run


def add_field_code(paragraph: Paragraph, instruction: str, placeholder: str = "1", **style) -> None:
    """A complex field (``PAGE`` etc.): begin, instruction, separate, cached result, end."""

    def field_run(kind: str | None = None, instr: str | None = None, text: str | None = None):
        run = add_text(paragraph, text or "", **style)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        if instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            run._r.append(el)

    field_run(kind="begin")
    field_run(instr=f" {instruction} ")
    field_run(kind="separate")
    field_run(text=placeholder)
    field_run(kind="end")


def rule_below(paragraph: Paragraph, colour: str = GREY) -> None:
    border = child(paragraph._p.get_or_add_pPr(), "w:pBdr", PPR_ORDER)
    set_attrs(child(border, "w:bottom"), val="single", sz="6", space="4", color=colour)


# --- paragraphs and Jinja tags ----------------------------------------------------------


def add_tag_paragraph(container, tag: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag (``{%p ... %}``, ``{{p ... }}``)."""
    paragraph = container.add_paragraph()
    add_text(paragraph, tag)
    return paragraph


def add_spacer(container, after: float) -> Paragraph:
    """An empty paragraph used as vertical space (and as a separator between tables)."""
    paragraph = container.add_paragraph()
    spacing(paragraph, before=0, after=after)
    return paragraph


@contextmanager
def only_if(container, condition: str) -> Iterator[None]:
    """Wrap what is added inside the block in ``{%p if condition %}`` ... ``{%p endif %}``."""
    if not condition:
        yield
        return
    add_tag_paragraph(container, f"{{%p if {condition} %}}")
    yield
    add_tag_paragraph(container, "{%p endif %}")


def add_line(container, line: Line, align: str = "left") -> Paragraph:
    """Add a (conditional) line of text in a paragraph of its own, without spacing."""
    with only_if(container, line.when):
        paragraph = container.add_paragraph()
        paragraph.alignment = ALIGN[align]
        spacing(paragraph, before=0, after=0)
        add_text(paragraph, line.text, size=line.size, bold=line.bold, colour=line.colour)
        if line.rule_below:
            rule_below(paragraph)
    return paragraph


# --- tables -------------------------------------------------------------------------------


def new_table(container, rows: int, widths_cm: tuple[float, ...], *, borders: bool = False) -> Table:
    """A fixed-layout table with explicit column widths, at the left text margin."""
    width = Cm(sum(widths_cm))
    if isinstance(container, DocumentObject):
        table = container.add_table(rows=rows, cols=len(widths_cm))
    else:
        table = container.add_table(rows, len(widths_cm), width)
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    set_attrs(child(tbl_pr, "w:tblW", TBLPR_ORDER), w=str(Emu(width).twips), type="dxa")
    set_attrs(child(tbl_pr, "w:tblInd", TBLPR_ORDER), w="0", type="dxa")
    for grid_col, w in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        grid_col.w = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)
    set_table_borders(table, "single" if borders else "nil")
    set_cell_margins(table, left=85 if borders else 0, right=85 if borders else 113,
                     top=40 if borders else 0, bottom=40 if borders else 0)
    return table


def set_table_borders(table: Table, kind: str, colour: str = "808080") -> None:
    borders = child(table._tbl.tblPr, "w:tblBorders", TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        set_attrs(child(borders, f"w:{edge}"), val=kind, sz="4", space="0",
                  color=colour if kind != "nil" else "auto")


def set_cell_margins(table: Table, **twips: int) -> None:
    margins = child(table._tbl.tblPr, "w:tblCellMar", TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right"):
        set_attrs(child(margins, f"w:{edge}"), w=str(twips[edge]), type="dxa")


def cant_split(row: _Row) -> None:
    child(row._tr.get_or_add_trPr(), "w:cantSplit", TRPR_ORDER)


def shade(cell: _Cell, fill: str) -> None:
    shd = child(cell._tc.get_or_add_tcPr(), "w:shd", TCPR_ORDER)
    set_attrs(shd, val="clear", color="auto", fill=fill)


def cell_paragraph(cell: _Cell, text: str = "", **style) -> Paragraph:
    """The cell's first (empty) paragraph, or a new one, holding ``text`` as one run."""
    first = cell.paragraphs[0]
    paragraph = first if not first.runs and len(cell.paragraphs) == 1 else cell.add_paragraph()
    spacing(paragraph, before=0, after=0)
    if text:
        add_text(paragraph, text, **style)
    return paragraph


def add_tag_row(table: Table, tag: str) -> None:
    """A row holding only a docxtpl row tag (``{%tr ... %}``); docxtpl removes the row."""
    row = table.add_row()
    cell_paragraph(row.cells[0], tag)


def remove_first_row(table: Table) -> None:
    table._tbl.remove(table.rows[0]._tr)


# --- the fields block -------------------------------------------------------------------


def add_field_row(table: Table, fields: tuple[Field, ...], block: FieldsBlock) -> None:
    """One labelled row: label value [label value ...]; optional rows get tr-tags.

    Label paragraphs get the FIELD_LABEL_STYLE style: the PDF post-processing turns their cells
    into row headers (TH, Scope Row), so the block is a data table with headers, not a layout table.
    """
    condition = " and ".join(f.when for f in fields if f.when)
    if condition:
        add_tag_row(table, f"{{%tr if {condition} %}}")
    row = table.add_row()
    cant_split(row)
    cells = row.cells
    for index, fld in enumerate(fields):
        label_cell = cells[2 * index]
        text = f"{fld.label}\t:" if block.colon_at_cm else fld.label
        label = cell_paragraph(label_cell, text, bold=block.boxed, caps=block.caps_labels,
                               size=8 if block.caps_labels else None,
                               colour=GREY if block.caps_labels else None)
        set_attrs(child(label._p.get_or_add_pPr(), "w:pStyle", PPR_ORDER), val=FIELD_LABEL_STYLE)
        if block.colon_at_cm:
            tabs = child(label._p.get_or_add_pPr(), "w:tabs", PPR_ORDER)
            set_attrs(child(tabs, "w:tab"), val="left", pos=str(Cm(block.colon_at_cm).twips))
        if block.caps_labels:  # small label: drop it onto the baseline of the 10 pt value
            spacing(label, before=1.5)
        if block.boxed:
            shade(label_cell, "F2F2F2")
        value_cell = cells[2 * index + 1]
        if index == len(fields) - 1 and value_cell is not cells[-1]:
            value_cell = value_cell.merge(cells[-1])
        cell_paragraph(value_cell, fld.value, bold=fld.bold)
        for text in fld.more:
            cell_paragraph(value_cell, text, bold=fld.bold)
        for cell in (label_cell, value_cell):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    if condition:
        add_tag_row(table, "{%tr endif %}")


def add_fields_block(doc: DocumentObject, block: FieldsBlock) -> Table:
    table = new_table(doc, 1, block.column_widths_cm, borders=block.boxed)
    for fields in block.rows:
        add_field_row(table, fields, block)
    remove_first_row(table)
    if not block.boxed:  # breathing room between the rows of a borderless block
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    spacing(paragraph, after=4)
    add_spacer(doc, after=6)  # also keeps the block apart from a table opening the inhoud
    return table


def add_onderwerp_block(doc: DocumentObject, label: str) -> None:
    """Older style: a capitalised label with the onderwerp underneath."""
    heading = doc.add_paragraph()
    spacing(heading, before=6, after=2)
    keep_with_next(heading)
    add_text(heading, label, bold=True, caps=True)
    value = doc.add_paragraph()
    add_text(value, "{{ onderwerp }}", bold=True)


# --- letter body: aanhef, inhoud, slot, signature -------------------------------------------


def add_aanhef(doc: DocumentObject) -> None:
    with only_if(doc, "aanhef"):
        paragraph = doc.add_paragraph()
        spacing(paragraph, before=6, after=12)
        add_text(paragraph, "{{ aanhef }}")


def add_inhoud(doc: DocumentObject) -> None:
    add_tag_paragraph(doc, "{{p inhoud }}")


def add_slot(doc: DocumentObject) -> None:
    with only_if(doc, "slot"):
        paragraph = doc.add_paragraph()
        spacing(paragraph, before=12, after=12)
        keep_with_next(paragraph)
        add_text(paragraph, "{{ slot }}")


def fill_signer(cell: _Cell, signer: str, last: bool) -> None:
    """Titel, blank lines for the handwritten signature, naam; all kept together."""
    paragraphs = [cell_paragraph(cell, f"{{{{ {signer}.titel }}}}")]
    paragraphs += [cell_paragraph(cell) for _ in range(SIGNATURE_GAP_LINES)]
    paragraphs.append(cell_paragraph(cell, f"{{{{ {signer}.naam }}}}"))
    for paragraph in paragraphs:  # the table is layout only: a Div in the PDF
        set_attrs(child(paragraph._p.get_or_add_pPr(), "w:pStyle", PPR_ORDER), val=SIGNATURE_STYLE)
    for paragraph in paragraphs[:-1]:
        keep_with_next(paragraph)
    keep_with_next(paragraphs[-1], not last)


def add_signature_block(doc: DocumentObject) -> None:
    signed = "ondertekening.namens or ondertekening.links.naam or ondertekening.rechts.naam"
    with only_if(doc, signed):
        # always present (empty without 'namens'): it also keeps the signature table from
        # touching a table that ends the inhoud, which Word would merge into one table
        namens = doc.add_paragraph()
        spacing(namens, after=0)
        keep_with_next(namens)
        add_text(namens, "{{ ondertekening.namens }}")
        half = TEXT_WIDTH_CM / 2
        table = new_table(doc, 1, (half, half))
        cant_split(table.rows[0])
        left, right = table.rows[0].cells
        fill_signer(left, "ondertekening.links", last=False)
        fill_signer(right, "ondertekening.rechts", last=True)
        # every signer after the first two, each in a row of its own
        add_tag_row(table, "{%tr for persoon in ondertekening.personen[2:] %}")
        row = table.add_row()
        cant_split(row)
        fill_signer(row.cells[0], "persoon", last=True)
        cell_paragraph(row.cells[1])
        add_tag_row(table, "{%tr endfor %}")


def add_end_paragraph(doc: DocumentObject) -> None:
    """A tiny closing paragraph so the body never ends on a table."""
    paragraph = add_spacer(doc, after=0)
    paragraph.paragraph_format.line_spacing = Pt(1)
    mark = child(paragraph._p.get_or_add_pPr(), "w:rPr", PPR_ORDER)
    child(mark, "w:sz", RPR_ORDER).set(qn("w:val"), "2")


# --- headers and footers -------------------------------------------------------------------


def logo_pixels(logo: Logo) -> tuple[int, int]:
    """The logo's size in pixels at PRINT_DPI at its size on the page (a 6:7 shield).

    LibreOffice's PDF export scales every picture finer than 300 dpi down to 300 dpi
    (ReduceImageResolution, MaxImageResolution), in every letter anew; a logo that is already at
    that resolution goes into the PDF as it is, for about 10 ms less CPU per letter.
    """
    height = int(logo.height_cm / 2.54 * PRINT_DPI)
    return height * 6 // 7, height


def draw_logo(logo: Logo) -> io.BytesIO:
    """A simple shield with initials, drawn at 4x a 240 x 280 grid, then scaled to print size."""
    w, h, scale = 240, 280, 4
    big = Image.new("RGBA", (w * scale, h * scale), (255, 255, 255, 0))
    draw = ImageDraw.Draw(big)
    W, H, m = w * scale, h * scale, 8 * scale
    shoulder = int(H * 0.55)
    outline = [(m, m), (W - m, m), (W - m, shoulder)]
    steps = 40
    for i in range(1, steps):  # curved lower half down to the tip
        t = i / steps
        x = (W - m) + (W / 2 - (W - m)) * t
        y = shoulder + (H - m - shoulder) * (t ** 0.6)
        outline.append((x, y))
    outline.append((W / 2, H - m))
    outline += [(W - x, y) for x, y in reversed(outline[3:-1])]
    outline.append((m, shoulder))
    draw.polygon(outline, fill=logo.colour + (255,))
    inner = [(x if x == W / 2 else (x - 6 * scale if x > W / 2 else x + 6 * scale),
              y + 6 * scale if y < shoulder else y - 6 * scale) for x, y in outline]
    draw.line(inner + [inner[0]], fill=(255, 255, 255, 255), width=3 * scale)
    font = ImageFont.load_default(size=int(H * (0.42 if len(logo.initials) == 1 else 0.34)))
    box = draw.textbbox((0, 0), logo.initials, font=font, stroke_width=3 * scale)
    x = (W - (box[2] - box[0])) / 2 - box[0]
    y = (H * 0.46 - (box[3] - box[1])) / 2 - box[1] + H * 0.04
    draw.text((x, y), logo.initials, font=font, fill=(255, 255, 255, 255),
              stroke_width=3 * scale, stroke_fill=(255, 255, 255, 255))
    image = big.resize(logo_pixels(logo), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, dpi=(PRINT_DPI, PRINT_DPI))
    out.seek(0)
    return out


def add_logo(paragraph: Paragraph, logo: Logo, shape_id: int) -> None:
    """Inline logo picture with alternative text on ``wp:docPr`` (and ``pic:cNvPr``)."""
    run = paragraph.add_run()
    run.add_picture(draw_logo(logo), height=Cm(logo.height_cm))
    inline = run._r.xpath(".//wp:inline")[0]
    for side in ("distT", "distB", "distL", "distR"):  # LibreOffice assumes 0.32 cm when absent
        inline.set(side, "0")
    doc_pr = inline.docPr
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", logo.alt_text)
    doc_pr.set("descr", logo.alt_text)
    doc_pr.set("title", logo.alt_text)
    for c_nv_pr in run._r.xpath(".//pic:cNvPr"):
        c_nv_pr.set("name", "logo.png")
        c_nv_pr.set("descr", logo.alt_text)


def fill_letterhead(header, letterhead: Letterhead) -> None:
    """logo | name + address lines | aside, as a borderless layout table (without a logo: name | aside)."""
    aside_cm = 6.0
    if letterhead.logo is None:
        table = new_table(header, 1, (TEXT_WIDTH_CM - aside_cm, aside_cm))
        text_cell, aside_cell = table.rows[0].cells
    else:
        logo_cm = 2.0
        table = new_table(header, 1, (logo_cm, TEXT_WIDTH_CM - logo_cm - aside_cm, aside_cm))
        logo_cell, text_cell, aside_cell = table.rows[0].cells
        add_logo(cell_paragraph(logo_cell), letterhead.logo, shape_id=9001)
        logo_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    name = cell_paragraph(text_cell, letterhead.name, size=13, bold=True, colour=letterhead.name_colour)
    spacing(name, after=2)
    for line in letterhead.lines:
        add_line(text_cell, line)
    cell_paragraph(aside_cell, letterhead.aside, size=13, bold=True).alignment = ALIGN["right"]
    text_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER if letterhead.logo else WD_CELL_VERTICAL_ALIGNMENT.TOP
    aside_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM if letterhead.logo else WD_CELL_VERTICAL_ALIGNMENT.TOP
    finish_header(header)


def fill_running_header(header, lines: tuple[Line, ...], align: str) -> None:
    for line in lines:
        add_line(header, line, align)
    finish_header(header)


def finish_header(header) -> None:
    """Drop the header's initial empty paragraph; end with a small gap above the text."""
    initial = header.paragraphs[0]
    initial._p.getparent().remove(initial._p)
    gap = header.add_paragraph()  # a header story must end with a paragraph anyway
    spacing(gap, before=0, after=12)


def fill_page_number_footer(footer, number: PageNumber) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = ALIGN[number.align]
    style = {"size": 8, "colour": GREY}
    if number.prefix:
        add_text(paragraph, number.prefix, **style)
    add_field_code(paragraph, "PAGE", placeholder="2", **style)
    if number.total:
        add_text(paragraph, " van ", **style)
        add_field_code(paragraph, "NUMPAGES", placeholder="2", **style)
    if number.suffix:
        add_text(paragraph, number.suffix, **style)


def build_headers_footers(doc: DocumentObject, style: HouseStyle) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    for story in (section.header, section.first_page_header, section.footer, section.first_page_footer):
        story.is_linked_to_previous = False
    if style.letterhead:
        fill_letterhead(section.first_page_header, style.letterhead)
    elif style.running_header_on_first_page:
        fill_running_header(section.first_page_header, style.running_header, style.running_header_align)
    if style.running_header:
        fill_running_header(section.header, style.running_header, style.running_header_align)
    fill_page_number_footer(section.footer, style.page_number)


# --- page, styles, settings, package ----------------------------------------------------------


def setup_page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width = Emu(11906 * 635)  # A4 in twips, exactly
    section.page_height = Emu(16838 * 635)
    section.top_margin = Cm(2.5)
    section.bottom_margin = Cm(2.0)
    section.left_margin = Cm(2.5)
    section.right_margin = Cm(2.5)
    section.header_distance = Cm(1.25)
    section.footer_distance = Cm(1.0)
    section.gutter = 0


def restyle_defaults(doc: DocumentObject) -> None:
    """docDefaults and Normal: Arial 10 pt, nl-NL, line spacing 1.15, 6 pt after."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_fonts(rpr_default)
    set_lang(rpr_default)
    for tag in ("w:sz", "w:szCs"):
        set_attrs(child(rpr_default, tag, RPR_ORDER), val="20")
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    set_attrs(child(ppr_default, "w:spacing", PPR_ORDER), after="120", line="276", lineRule="auto")

    # Normal names the font and language but inherits size and spacing from docDefaults:
    # set on Normal they would override the (smaller, tighter) text of table styles.
    normal = doc.styles["Normal"]
    rpr = normal.element.get_or_add_rPr()
    set_run_fonts(rpr)
    set_lang(rpr)
    normal.paragraph_format.widow_control = True

    for fonts in list(styles.iter(qn("w:rFonts"))):  # no theme fonts in any style
        strip_theme_fonts(fonts)
        if not fonts.attrib:
            fonts.getparent().remove(fonts)


def restyle_paragraph_style(doc: DocumentObject, name: str, *, size: float, bold: bool = False,
                            italic: bool = False, caps: bool = False, before: float | None = None,
                            after: float | None = None, keep_next: bool | None = None) -> None:
    style = doc.styles[name]
    rpr = style.element.get_or_add_rPr()
    set_run_fonts(rpr)
    set_colour(rpr, BLACK)
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.all_caps = caps or None
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep_next is not None:
        fmt.keep_with_next = keep_next


def restyle_header_footer(doc: DocumentObject) -> None:
    """Tab stops of Header/Footer at the centre and right edge of the A4 text area."""
    text_width = Cm(TEXT_WIDTH_CM)
    for name in ("Header", "Footer"):
        tabs = doc.styles[name].element.pPr.find(qn("w:tabs"))
        center, right = tabs.findall(qn("w:tab"))
        center.set(qn("w:pos"), str(Emu(text_width // 2).twips))
        right.set(qn("w:pos"), str(Emu(text_width).twips))


def add_hyperlink_style(doc: DocumentObject) -> None:
    """Word's built-in character style for links (python-docx's template lacks it)."""
    doc.styles.element.append(style_element(HYPERLINK_STYLE_XML))


def add_marker_style(doc: DocumentObject, name: str) -> None:
    """A paragraph style that looks like Normal and tells the PDF post-processing (builders/pdfua.py)
    what a table is: the fields block's labels (row headers) or the signature block (layout)."""
    doc.styles.element.append(style_element(f"""
    <w:style w:type="paragraph" w:customStyle="1" w:styleId="{name}">
      <w:name w:val="{name}"/>
      <w:basedOn w:val="Normal"/>
      <w:qFormat/>
    </w:style>"""))


def add_table_style(doc: DocumentObject) -> None:
    """'Briefgen Tabel': thin grey borders, shaded bold header row, bold total row."""
    doc.styles.element.append(style_element(TABLE_STYLE_XML))


def restyle(doc: DocumentObject, style: HouseStyle) -> None:
    restyle_defaults(doc)
    restyle_paragraph_style(doc, "Heading 1", size=11, bold=True, caps=style.heading1_caps,
                            before=12, after=3)
    restyle_paragraph_style(doc, "Heading 2", size=10, bold=True, before=9, after=2)
    restyle_paragraph_style(doc, "Heading 3", size=10, bold=True, italic=True, before=6, after=0)
    restyle_paragraph_style(doc, "Caption", size=9, italic=True, before=6, after=3, keep_next=True)
    restyle_header_footer(doc)
    add_hyperlink_style(doc)
    add_table_style(doc)
    add_marker_style(doc, FIELD_LABEL_STYLE)
    add_marker_style(doc, SIGNATURE_STYLE)
    for name in ("List Bullet", "List Number", "Table Grid", "Header", "Footer"):
        doc.styles[name]  # fail early if python-docx's default template ever changes


def dutch_settings(doc: DocumentObject) -> None:
    settings = doc.settings.element
    for tag in ("w:proofState", "w:savePreviewPicture"):  # spell-check for real, no thumbnail
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    theme_lang = settings.find(qn("w:themeFontLang"))
    theme_lang.attrib.clear()
    theme_lang.set(qn("w:val"), LANG)
    settings.find(qn("w:defaultTabStop")).set(qn("w:val"), "709")
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")


APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>briefgen</Application><DocSecurity>0</DocSecurity></Properties>"
)

# The theme (no style or run refers to theme fonts or colours) and webSettings are read by LibreOffice
# in every letter for nothing: about 7 ms of CPU per letter together with the latent styles (bench/lo_cost.py).
UNUSED_PARTS = {"/word/stylesWithEffects.xml", "/customXml/item1.xml", "/docProps/thumbnail.jpeg",
                "/word/theme/theme1.xml", "/word/webSettings.xml"}


def clean_package(doc: DocumentObject) -> None:
    """Neutral metadata; drop leftovers of python-docx's template (thumbnail, customXml...)."""
    props = doc.core_properties
    props.author = ""
    props.comments = ""
    props.last_modified_by = ""
    props.title = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.language = LANG
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    package = doc.part.package
    for rels in (package.rels, doc.part.rels):
        for r_id, rel in list(rels.items()):
            if not rel.is_external and str(rel.target_part.partname) in UNUSED_PARTS:
                del rels[r_id]
    latent = doc.styles.element.find(qn("w:latentStyles"))
    if latent is not None:  # Word's list of its built-in styles' UI flags; no formatting in it
        doc.styles.element.remove(latent)


APP_PART = "docProps/app.xml"  # python-docx's own; replaced by APP_XML when saving (no public setter)


def save_reproducibly(doc: DocumentObject, path: Path) -> None:
    """Save with fixed zip timestamps so regenerating gives byte-identical files."""
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, APP_XML if info.filename == APP_PART else source.read(info.filename))


# --- putting it together -------------------------------------------------------------------


def build_template(style: HouseStyle) -> DocumentObject:
    doc = Document()
    setup_page(doc)
    restyle(doc, style)
    dutch_settings(doc)
    build_headers_footers(doc, style)
    add_fields_block(doc, style.fields)
    if style.onderwerp_heading:
        add_onderwerp_block(doc, style.onderwerp_heading)
    add_aanhef(doc)
    add_inhoud(doc)
    add_slot(doc)
    add_signature_block(doc)
    add_end_paragraph(doc)
    clean_package(doc)
    drop_unused_styles(doc, also={name.lower() for name in BODY_STYLES})
    return doc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "templates", help="output folder")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for style in STYLES:
        path = args.out / style.filename
        save_reproducibly(build_template(style), path)
        print(path)


if __name__ == "__main__":
    main()
