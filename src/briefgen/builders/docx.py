"""The DOCX builder: the only place that uses docxtpl and python-docx for output.

The house-style template supplies letterhead, fields, closing and signature (docxtpl, autoescaped,
sandboxed); the body is built as real Word structure (headings, lists with their own numbering,
tables, hyperlinks) in a subdocument that the template places with ``{{p inhoud }}``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from xml.sax.saxutils import escape
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from lxml import etree

from briefgen import expressions, richtext
from briefgen.fileio import write_atomic
from briefgen.problems import Problem
from briefgen.resolve import Document, TableView

LANGUAGE = "nl-NL"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ORDERED_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
BULLETS = ("•", "–", "▪")

# Styles the body uses by name; a template keeps them even though its own text does not use them.
BODY_STYLES = ("Normal", "Heading 1", "Heading 2", "Heading 3", "List Paragraph", "Caption", "Briefgen Tabel",
               "Table Grid", "Hyperlink")

# Every name a template may use; a template asking for anything else is reported before rendering.
TEMPLATE_FIELDS = {
    "soort", "soort_titel", "onderwerp", "datum", "nummer", "kenmerk", "zaaknummer", "aan", "van",
    "aanhef", "slot", "portefeuillehouder", "informatie_bij", "informatie_telefoon", "organisatie",
    "ondertekening", "inhoud",
}


class RenderError(Exception):
    """A template failed while rendering one letter (message in Dutch)."""


class DocxBuilder:
    name = "docx"
    suffix = "docx"

    def render(self, document: Document) -> bytes:
        """The finished DOCX as bytes, identical for identical input."""
        template = _Template(io.BytesIO(_template_bytes(document.template)))
        docx = template.get_docx()
        body = _Body(docx, _style_ids(document.template, docx)).build(document)
        context = dict(document.fields, inhoud=body)
        try:
            template.render(context, jinja_env=_environment(), autoescape=True)
        except TemplateError as exc:
            raise RenderError(f"huisstijl {document.template.name}: {exc}") from None
        _set_properties(template.docx, document)
        drop_unused_styles(template.docx)
        return _package(template.docx)

    def write(self, document: Document, target: Path) -> None:
        write_atomic(target, self.render(document))


@functools.lru_cache(maxsize=16)
def _template_bytes(path: Path) -> bytes:
    """A build reads each house-style template once per process, however many letters use it."""
    return path.read_bytes()


class _Template(DocxTemplate):
    """docxtpl's template, with its XML clean-up done once per distinct part per process."""

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml: str) -> str:
        if src_xml not in self._patched:
            if len(self._patched) > 64:
                self._patched.clear()
            self._patched[src_xml] = super().patch_xml(src_xml)
        return self._patched[src_xml]


_STYLE_IDS: dict[Path, dict[str, str]] = {}


def _style_ids(path: Path, docx: Any) -> dict[str, str]:
    """Style name → style id, once per template (looking styles up by name is slow in python-docx)."""
    if path not in _STYLE_IDS:
        _STYLE_IDS[path] = {s.name: s.style_id for s in docx.styles}
    return _STYLE_IDS[path]


@functools.cache
def _environment():
    """One sandboxed environment per process; it keeps the compiled template parts between letters."""
    return expressions.sandbox(autoescape=True, cache=True)


def check_template(path: Path, shown: str) -> list[Problem]:
    """Jinja syntax errors and names no letter can supply, located by template file."""
    try:
        template = DocxTemplate(path)
        names = template.get_undeclared_template_variables(jinja_env=expressions.sandbox(autoescape=True))
    except TemplateError as exc:
        line = getattr(exc, "lineno", 0) or 0
        return [Problem(shown, message=f"Jinja-fout in de template (XML-regel {line}): {getattr(exc, 'message', exc)}")]
    except Exception as exc:  # a damaged or non-DOCX file
        return [Problem(shown, message=f"kan de template niet openen: {exc}")]
    return [
        Problem(shown, message=f"de template gebruikt '{name}', maar geen brief levert die waarde; bekend: {', '.join(sorted(TEMPLATE_FIELDS))}")
        for name in sorted(set(names) - TEMPLATE_FIELDS)
    ]


def _add_run(paragraph: Any, text: str) -> Run:
    """``paragraph.add_run(text)``, without python-docx's character-by-character scan when there is
    no tab or line break to turn into an element (the XML is the same; the scan was a tenth of the
    DOCX time)."""
    if "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    if text:
        r.add_t(text)
    return Run(r, paragraph)


class _Members:
    """Takes the package's members where python-docx would zip them (its PhysPkgWriter interface)."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def write(self, uri: Any, blob: bytes) -> None:
        self.blobs[uri.membername] = blob


def _package(docx: Any) -> bytes:
    """The DOCX package, zipped once, with fixed timestamps and order: equal input, equal bytes."""
    package = docx.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        first = "[Content_Types].xml"
        for name in [first, *sorted(n for n in members.blobs if n != first)]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, members.blobs[name])
    return out.getvalue()


_STYLE_REFERENCES = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')


def drop_unused_styles(docx: Any, also: set[str] = frozenset()) -> None:
    """Keep only the styles the document uses, the ones named in ``also``, and what they build on.

    Word templates carry a hundred or more styles; every one of them costs LibreOffice time for
    every letter, and none of them shows up in the letter.
    """
    styles_part = docx.part._styles_part
    styles = styles_part.element
    used: set[str] = set()
    for part in docx.part.package.parts:
        if part.partname.endswith(".xml") and part is not styles_part:
            used.update(v.decode() for v in _STYLE_REFERENCES.findall(part.blob))
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    names = {i: (s.find(qn("w:name")).get(qn("w:val")) or "").lower() for i, s in by_id.items() if s.find(qn("w:name")) is not None}
    named = {i for i, name in names.items() if name in also}
    keep = {i for i, s in by_id.items() if s.get(qn("w:default")) in ("1", "true")} | used | named
    todo = list(keep)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in keep:
                keep.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)


def _set_properties(docx: Any, document: Document) -> None:
    stamp = dt.datetime.combine(document.date, dt.time(), tzinfo=dt.timezone.utc).replace(tzinfo=None)
    props = docx.core_properties
    props.title = document.title[:255]  # the core-properties limit; the PDF keeps the whole subject
    props.author = document.author
    props.last_modified_by = document.author
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.language = LANGUAGE
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.category = document.fields["soort_titel"]
    _set_language(docx)


def _set_language(docx: Any) -> None:
    """Document default language nl-NL, so Word spell-checks in Dutch and the PDF says /Lang nl-NL."""
    styles = docx.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


class _Fragment:
    """Body XML for ``{{p inhoud }}``: Jinja inserts it as markup, not as text."""

    def __init__(self, xml: str):
        self.xml = xml

    def __html__(self) -> str:
        return self.xml

    __str__ = __html__


class _Body:
    """Writes sections, Markdown blocks and tables with the template's own styles and numbering.

    The elements are built at the end of the template's body (so styles, numbering and hyperlink
    relationships resolve against the template) and then taken out again as one XML fragment.
    """

    def __init__(self, docx: Any, style_ids: dict[str, str]):
        self.doc = docx
        self.part = docx.part
        self.style_ids = style_ids
        self._abstract: dict[bool, int] = {}
        self._start = 0

    def build(self, document: Document) -> _Fragment:
        self._start = len(self._elements())
        self.add(document)
        new = self._elements()[self._start:]
        for element in new:
            element.getparent().remove(element)
        return _Fragment("".join(etree.tostring(e, encoding="unicode") for e in new))

    def _elements(self) -> list[Any]:
        return [e for e in self.doc.element.body if e.tag != qn("w:sectPr")]

    def _paragraph(self, style: str, text: str | None = None) -> Any:
        paragraph = self.doc.add_paragraph()
        if text:
            _add_run(paragraph, text)
        style_id = self.style_ids.get(style)
        if style_id and style != "Normal":
            paragraph._p.get_or_add_pPr().style = style_id
        return paragraph

    def add(self, document: Document) -> None:
        for section in document.sections:
            if section.heading:
                self._paragraph("Heading 1", section.heading)
            for block in section.blocks:
                self._block(block, document.tables)
        for heading, ordered, lines in (
            ("Toezeggingen", False, document.commitments),
            ("Bijlagen", True, document.attachments),
        ):
            if lines:
                self._paragraph("Heading 1", heading)
                num = self._new_list(ordered=ordered)
                for line in lines:
                    self._list_paragraph(num, 0, (richtext.Run(line),))
        self._keep_last_with_closing()

    def _last_paragraph(self) -> Any | None:
        """The body's newest element, when it is a paragraph."""
        new = self._elements()[self._start:]
        return Paragraph(new[-1], self.doc._body) if new and new[-1].tag == qn("w:p") else None

    def _keep_last_with_closing(self) -> None:
        """The body's last paragraph stays on the page of the closing and signature."""
        last = self._last_paragraph()
        if last is not None:
            last.paragraph_format.keep_with_next = True

    def _block(self, block: richtext.Block, tables: dict[str, TableView]) -> None:
        if isinstance(block, richtext.Heading):
            level = max(2, min(block.level, 3))
            self._runs(self._paragraph(f"Heading {level}"), block.runs)
        elif isinstance(block, richtext.Paragraph):
            self._runs(self._paragraph("Normal"), block.runs)
        elif isinstance(block, richtext.ListBlock):
            self._list(block, self._new_list(block.ordered, block.start), 0)
        elif isinstance(block, richtext.TableRef):
            self._table(tables[block.name])

    # Lists: one w:num per list, so numbering restarts for every list (docxtpl issue #425).
    def _list(self, block: richtext.ListBlock, num: int, level: int) -> None:
        for item in block.items:
            first = True
            for child in item:
                if isinstance(child, richtext.ListBlock):
                    nested = num if child.ordered == block.ordered else self._new_list(child.ordered, child.start)
                    self._list(child, nested, min(level + 1, 2))
                elif isinstance(child, (richtext.Paragraph, richtext.Heading)):
                    self._list_paragraph(num if first else None, level, child.runs)
                    first = False

    def _list_paragraph(self, num: int | None, level: int, runs: tuple[richtext.Run, ...]):
        paragraph = self._paragraph("List Paragraph")
        ppr = paragraph._p.get_or_add_pPr()
        if num is not None:
            numpr = OxmlElement("w:numPr")
            ilvl = OxmlElement("w:ilvl")
            ilvl.set(qn("w:val"), str(level))
            numid = OxmlElement("w:numId")
            numid.set(qn("w:val"), str(num))
            numpr.extend([ilvl, numid])
            ppr.append(numpr)
        else:
            paragraph.paragraph_format.left_indent = Cm(0.75 * (level + 1))
        self._runs(paragraph, runs)
        return paragraph

    def _new_list(self, ordered: bool, start: int = 1) -> int:
        numbering = self.part.numbering_part.element
        if ordered not in self._abstract:
            self._abstract[ordered] = self._add_abstract(numbering, ordered)
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        num_id = max(ids, default=0) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        abstract = OxmlElement("w:abstractNumId")
        abstract.set(qn("w:val"), str(self._abstract[ordered]))
        num.append(abstract)
        for lvl in range(3):
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(lvl))
            start_override = OxmlElement("w:startOverride")
            start_override.set(qn("w:val"), str(start if lvl == 0 else 1))
            override.append(start_override)
            num.append(override)
        numbering.append(num)
        return num_id

    @staticmethod
    def _add_abstract(numbering: Any, ordered: bool) -> int:
        ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        abstract_id = max(ids, default=0) + 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "hybridMultilevel")
        abstract.append(multi)
        for lvl in range(3):
            level = OxmlElement("w:lvl")
            level.set(qn("w:ilvl"), str(lvl))
            for tag, value in (
                ("w:start", "1"),
                ("w:numFmt", ORDERED_FORMATS[lvl] if ordered else "bullet"),
                ("w:lvlText", f"%{lvl + 1}." if ordered else BULLETS[lvl]),
                ("w:lvlJc", "left"),
            ):
                element = OxmlElement(tag)
                element.set(qn("w:val"), value)
                level.append(element)
            ppr = OxmlElement("w:pPr")
            ind = OxmlElement("w:ind")
            ind.set(qn("w:left"), str(425 * (lvl + 1)))
            ind.set(qn("w:hanging"), "425")
            ppr.append(ind)
            level.append(ppr)
            abstract.append(level)
        # abstractNum elements must precede num elements in numbering.xml
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        return abstract_id

    def _runs(self, paragraph: Any, runs: tuple[richtext.Run, ...]) -> None:
        for run in runs:
            if run.line_break:
                paragraph.add_run().add_break()
            elif run.link:
                self._hyperlink(paragraph, run)
            else:
                self._styled(_add_run(paragraph, run.text), run)

    @staticmethod
    def _styled(word_run: Any, run: richtext.Run) -> Any:
        if run.bold:
            word_run.bold = True
        if run.italic:
            word_run.italic = True
        return word_run

    def _hyperlink(self, paragraph: Any, run: richtext.Run) -> None:
        rel_id = self.part.relate_to(run.link, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel_id)
        new_run = self._styled(_add_run(paragraph, run.text), run)
        if "Hyperlink" in self.style_ids:
            new_run._r.get_or_add_rPr().style = self.style_ids["Hyperlink"]
        else:
            new_run.font.underline = True
            rpr = new_run._r.get_or_add_rPr()
            color = OxmlElement("w:color")
            color.set(qn("w:val"), "0563C1")
            rpr.append(color)
        link.append(new_run._r)
        paragraph._p.append(link)

    def _table(self, view: TableView) -> None:
        previous = self._last_paragraph()
        if previous is not None:
            previous.paragraph_format.keep_with_next = True  # the sentence that introduces a table stays with it
        if view.title:
            caption = self._paragraph("Caption", view.title)
            caption.paragraph_format.keep_with_next = True
        style_id = self.style_ids.get("Briefgen Tabel") or self.style_ids.get("Table Grid") or ""
        self.doc.element.body.sectPr.addprevious(parse_xml(_table_xml(view, style_id)))
        self._paragraph("Normal")


TEXT_WIDTH = 9072  # twips: 16 cm between the margins
NUMBER_WIDTH = 1588  # twips: 2.8 cm per number column


def _table_xml(view: TableView, style_id: str) -> str:
    """A data table as WordprocessingML, written directly: much faster than cell by cell.

    Header row repeated on every page, no row split over pages, numbers right-aligned, header and
    total bold; rows keep with the next one, so a short table is not split.
    """
    columns = len(view.header)
    widths = [TEXT_WIDTH - NUMBER_WIDTH * (columns - 1)] + [NUMBER_WIDTH] * (columns - 1)
    rows = [view.header, *view.rows, view.total]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = []
    for r, values in enumerate(rows):
        header, last = r == 0, r == len(rows) - 1
        flags = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
        cells = []
        for c, (value, width) in enumerate(zip(values, widths)):
            ppr = ("" if last else "<w:keepNext/>") + ('<w:jc w:val="right"/>' if c else "")
            rpr = "<w:rPr><w:b/></w:rPr>" if header or last else ""
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                f'<w:p><w:pPr>{ppr}</w:pPr><w:r>{rpr}<w:t xml:space="preserve">{escape(value)}</w:t></w:r></w:p></w:tc>'
            )
        body.append(f"<w:tr><w:trPr>{flags}</w:trPr>{''.join(cells)}</w:tr>")
    style = f'<w:tblStyle w:val="{escape(style_id)}"/>' if style_id else ""
    return (
        f"<w:tbl {nsdecls('w')}><w:tblPr>{style}"
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="left"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:firstRow="1" w:lastRow="1" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
