"""The DOCX builder: the only place that uses docxtpl and python-docx for output.

The house-style template supplies letterhead, fields, closing and signature (docxtpl, autoescaped,
sandboxed); the body is built as real Word structure (headings, lists with their own numbering,
tables, hyperlinks), built apart and put where the template says ``{{p inhoud }}``.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import io
import re
import struct
import time
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import Any

import docx as python_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import CT_Types, serialize_part_xml
from docx.opc.packuri import PACKAGE_URI, PackURI
from docx.opc.part import XmlPart
from docx.opc.spec import default_content_types
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, meta
from lxml import etree

from briefgen import expressions, richtext
from briefgen.builders.base import Builder, BuildError, Output
from briefgen.builders.tablewidths import FONT_SIZES, TEXT_WIDTH, table_layout
from briefgen.document import Document, TableView
from briefgen.problems import Problem, did_you_mean
from briefgen.templatefields import TEMPLATE_FIELDS, TemplateContext, TemplateFields, field_names, unbroken_names
from briefgen.templatefile import TemplateFile, place_of

# docxcompose (imported by docxtpl) maps the prefix "cp" to the custom-properties namespace in
# python-docx's shared prefix table, so python-docx's core properties would read and add "cp:category",
# "cp:keywords", … in that namespace: a second, wrong copy of each. The table gets the standard one back.
CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
CUSTOM_PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
nsmap["cp"] = CORE_PROPERTIES_NS

LANGUAGE = "nl-NL"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CONTENT_TYPES = "[Content_Types].xml"

# Styles the body uses by name; a template keeps them even though its own text does not use them.
BODY_STYLES = ("Normal", "Heading 1", "Heading 2", "Heading 3", "List Paragraph", "Caption", "Briefgen Tabel",
               "Table Grid", "Hyperlink")

class RenderError(BuildError):
    """A template failed while rendering one letter (message in Dutch)."""


class DocxBuilder(Builder):
    name = "docx"
    suffix = "docx"
    error = RenderError

    def render(self, document: Document) -> bytes:
        """The finished DOCX as bytes, identical for identical input."""
        return packaged(self.members(document))

    def output(self, document: Document) -> Output:
        members = self.members(document)
        return Output(packaged(members), tuple(members))

    def members(self, document: Document) -> list[tuple[str, bytes]]:
        """The members of the letter's DOCX package (name and content), in the order the archive has them."""
        source = self.template(document)
        template = _Template(source)
        docx = template.get_docx()
        marker = _Marker()
        context = TemplateContext(**unbroken_names(document.fields), inhoud=marker)
        failure = render_template(template, source, context)
        if failure:
            raise RenderError(f"huisstijl {document.template.name}: {failure}")
        places = marker.places(template.docx.element)
        if places:
            blocks = _Body(template.docx, _style_ids(source, docx), places[0]).build(document)
            for place in places[1:]:  # a template that shows the body twice
                for block in blocks:
                    place.addprevious(copy.deepcopy(block))
            for place in places:
                place.getparent().remove(place)
        _set_properties(template.docx, document, prepared=template.properties_prepared)
        drop_unused_styles(template.docx)
        return _members(template.docx)

class _Template(DocxTemplate):
    """docxtpl's template, with its XML clean-up done once per distinct part per process, and the
    template's package parsed once per process: each letter starts from a copy of it.

    The copy has an empty body: docxtpl renders the body from its text and puts the result in
    place of the body (``map_tree``), so the template's body is kept as that text only, made once.
    Core properties without a field are rendered into the parsed template, once.
    """

    _patched: dict[str, str] = {}
    _parsed: dict[TemplateFile, tuple[Any, str, bool]] = {}
    docx: Any  # docxtpl's own attributes, which it leaves untyped
    is_rendered: bool

    def __init__(self, source: TemplateFile):
        self._body = ""
        self._properties_done = False
        self._drawings = True
        super().__init__(source.stream())
        self.source = source

    def init_docx(self, reload: bool = True) -> None:
        if not self.docx or (self.is_rendered and reload):
            skeleton, self._body, self._properties_done = self._skeleton()
            self.docx = _copied(skeleton, {})  # lxml copies trees faster than it parses them
            self.is_rendered = False

    def _skeleton(self) -> tuple[Any, str, bool]:
        """The parsed template (see :meth:`_without_body`), made once per template version and process."""
        if self.source not in self._parsed:
            if len(self._parsed) > 16:
                self._parsed.clear()
            self._parsed[self.source] = self._without_body(python_docx.Document(self.source.stream()))
        return self._parsed[self.source]

    def get_undeclared_template_variables(self, jinja_env: Any = None, context: Any = None) -> set[str]:
        """docxtpl's, from the parsed template the letters' renders start from: docxtpl parses the
        package again for it. The same text: the body as :meth:`get_xml` gives it, then each header
        and each footer as :meth:`get_part_xml` gives it, each cleaned up by :meth:`patch_xml`."""
        skeleton, body, _ = self._skeleton()
        xml = self.patch_xml(body)
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for rel in skeleton.part.rels.values():
                if rel.reltype == uri and (getattr(rel.target_part, "element", None) is not None or rel.target_part.blob):
                    xml += self.patch_xml(self.get_part_xml(rel.target_part))
        names = meta.find_undeclared_variables((jinja_env or expressions.sandbox(autoescape=True)).parse(xml))
        return names - set(context) if context is not None else names

    def _without_body(self, document: Any) -> tuple[Any, str, bool]:
        """The template with an empty body, its body as docxtpl's ``get_xml`` writes it, and whether
        its core properties are rendered already: with no ``{`` or ``\r`` in any of them, docxtpl's
        render sets each to its own text in every letter, so that is done here, once, and so is
        what :func:`_set_properties` writes alike in every letter (the language of the styles too)."""
        body = document.element.body
        text = self.xml_to_string(body)
        document.element.replace(body, OxmlElement("w:body"))
        properties = document.core_properties
        drop_misplaced_properties(document)
        done = not any(set(getattr(properties, name) or "") & {"{", "\r"} for name in _TEXT_PROPERTIES)
        if done:
            self.docx = document
            super().render_properties({}, _environment())
            _write_properties(properties, "", "", dt.datetime(1980, 1, 1), "")  # makes each element, in order
        _set_language(document)
        return document, text, done

    @property
    def properties_prepared(self) -> bool:
        """Whether the copy's core properties are those of :meth:`_without_body`'s prepared template."""
        return self._properties_done

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        if not self._properties_done:
            super().render_properties(context, jinja_env)

    def fix_tables(self, xml: str) -> Any:
        self._drawings = "docPr" in xml
        return super().fix_tables(xml)

    def fix_docpr_ids(self, tree: Any) -> None:
        """docxtpl's renumbering of the drawings' ids (``wp:docPr``), only for a body that has drawings:
        its XPath over the whole body finds nothing in one whose XML does not name them."""
        if self._drawings:
            super().fix_docpr_ids(tree)

    def render_footnotes(self, context: Any, jinja_env: Any = None) -> None:
        """docxtpl's, only for a template with footnotes: it looks for them through every part once
        per section of the document, footnotes or not (the notes of a letter are added after this)."""
        if any(part.content_type == CT.WML_FOOTNOTES for part in self.docx.part.package.parts):
            super().render_footnotes(context, jinja_env)

    def get_xml(self) -> str:
        """The template's body for docxtpl's render (the copy's own body is empty until then)."""
        return super().get_xml() if self.is_rendered else self._body

    def get_part_xml(self, part: Any) -> str:
        """A header's or footer's XML from its tree, not from serialising and parsing it again; once
        per part of a template version. docxtpl asks for it (twice a letter for a header with fields)
        before its render replaces the part, so the letter's copy is then still the template's part."""
        element = getattr(part, "element", None)
        if element is None:
            return super().get_part_xml(part)
        key = (self.source, str(part.partname))
        found = _PART_XML.get(key)
        if found is None:
            if len(_PART_XML) > 256:
                _PART_XML.clear()
            found = _PART_XML[key] = self.xml_to_string(element)
        return found

    def get_headers_footers(self, uri: str) -> Iterator[tuple[str, Any]]:
        """docxtpl's, without serialising every header and footer to see that it is not empty (the
        XML of a part that has a tree never is)."""
        for relKey, rel in self.docx.part.rels.items():  # noqa: N806 - docxtpl's name
            if rel.reltype == uri and (getattr(rel.target_part, "element", None) is not None or rel.target_part.blob):
                yield relKey, rel.target_part

    def build_headers_footers_xml(self, context: Any, uri: str, jinja_env: Any = None) -> Iterator[tuple[str, bytes]]:
        """docxtpl's, without the parts whose render leaves them as they are in every letter: no
        ``{`` after the clean-up (nothing to fill in, so the same text whatever the letter) and the
        rendered XML the part's own. Which parts those are is found at the first letter."""
        for relKey, part in self.get_headers_footers(uri):  # noqa: N806 - docxtpl's name
            key = (self.source, str(part.partname))
            if key in _UNCHANGED_PARTS:
                continue
            xml = self.get_part_xml(part)
            encoding = self.get_headers_footers_encoding(xml)
            patched = self.patch_xml(xml)
            rendered = self.render_xml_part(patched, part, context, jinja_env).encode(encoding)
            if "{" not in patched and rendered == xml.encode("utf-8"):
                if len(_UNCHANGED_PARTS) > 256:
                    _UNCHANGED_PARTS.clear()
                _UNCHANGED_PARTS.add(key)
            yield relKey, rendered

    def map_headers_footers_xml(self, relKey: str, xml: bytes) -> None:  # noqa: N803 - docxtpl's name
        """A header or footer whose rendered XML is its own (nothing to fill in) keeps its part;
        docxtpl would parse that XML into a new, equal part."""
        part = self.docx.part.rels[relKey].target_part
        if xml != self.get_part_xml(part).encode("utf-8"):
            super().map_headers_footers_xml(relKey, xml)

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns tab, BEL, newline and form feed in a text into Word elements, with three
        nested regex passes per paragraph; without any of them those passes return ``xml`` as it is."""
        return super().resolve_listing(xml) if _LISTING_CHARACTERS.search(xml) else xml

    def patch_xml(self, src_xml: str) -> str:
        if src_xml not in self._patched:
            if len(self._patched) > 64:
                self._patched.clear()
            self._patched[src_xml] = super().patch_xml(src_xml)
        return self._patched[src_xml]


def _copied(value: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy(value)`` for the parsed template: python-docx's package, parts and
    relationships are plain objects (each a new instance with its ``__dict__`` copied, as
    ``deepcopy`` makes them), text and bytes are shared, and anything else, the lxml trees among
    it, goes to ``deepcopy``. deepcopy's generic path was a third of the copy's time."""
    if isinstance(value, _SHARED):
        return value
    found = memo.get(id(value))
    if found is not None:
        return found
    kind: Any = type(value)
    plain = _PLAIN_KINDS.get(kind)
    if plain is None:
        plain = _PLAIN_KINDS[kind] = kind in (dict, list) or (
            kind.__module__.startswith("docx.") and hasattr(value, "__dict__") and not issubclass(kind, (etree._Element, list))
            and getattr(kind, "__deepcopy__", None) is None and getattr(kind, "__setstate__", None) is None
            and kind.__reduce_ex__ is object.__reduce_ex__)
    if not plain:
        return copy.deepcopy(value, memo)
    if kind is list:
        items: list[Any] = []
        memo[id(value)] = items
        items.extend(_copied(item, memo) for item in value)
        return items
    new = {} if kind is dict else kind.__new__(kind)
    memo[id(value)] = new
    if isinstance(value, dict):
        for key, item in value.items():
            dict.__setitem__(new, _copied(key, memo), _copied(item, memo))
    if kind is not dict:
        new.__dict__.update({name: _copied(item, memo) for name, item in value.__dict__.items()})
    return new


_SHARED = (str, bytes, int, float, type(None))  # immutable (PackURI is a str): deepcopy returns them or an equal copy
_PLAIN_KINDS: dict[type, bool] = {}
_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")
_TEXT_PROPERTIES = ("author", "category", "comments", "content_status", "identifier", "keywords", "language",
                    "last_modified_by", "subject", "title", "version")  # python-docx's text core properties
_UNCHANGED_PARTS: set[tuple[TemplateFile, str]] = set()  # headers and footers a render leaves as they are
_STYLE_IDS: dict[TemplateFile, dict[str, str]] = {}
_PART_XML: dict[tuple[TemplateFile, str], str] = {}  # a header's or footer's XML as the template has it


def _style_ids(source: TemplateFile, docx: Any) -> dict[str, str]:
    """Style name → style id, once per template version (looking styles up by name is slow in python-docx)."""
    if source not in _STYLE_IDS:
        if len(_STYLE_IDS) > 16:
            _STYLE_IDS.clear()
        _STYLE_IDS[source] = {s.name: s.style_id for s in docx.styles}
    return _STYLE_IDS[source]


@functools.cache
def _environment():
    """One sandboxed environment per process; it keeps the compiled template parts between letters."""
    return expressions.sandbox(autoescape=True, cache=True)


@functools.lru_cache(maxsize=16)
def template_names(source: TemplateFile) -> frozenset[str]:
    """The names a template's fields use (docxtpl's undeclared variables); raises what docxtpl raises
    for a template it cannot read. Once per template version and process: the template check and the
    HTML edition (which shows the fields the house style shows) both ask, and Jinja's parse of the
    whole template was the larger part of a process's first letter."""
    template = _Template(source)  # its clean-up of the XML parts is remembered for the letters' renders
    return frozenset(template.get_undeclared_template_variables(jinja_env=expressions.sandbox(autoescape=True)))


def check_template(source: TemplateFile, shown: str) -> list[Problem]:
    """Jinja syntax errors and names no letter can supply, located by template file."""
    try:
        names = template_names(source)
    except TemplateError as exc:
        line = getattr(exc, "lineno", 0) or 0
        return [Problem(shown, message=f"Jinja-fout in de template (XML-regel {line}): {_jinja_reason(exc)}")]
    except Exception:  # noqa: BLE001 - a package python-docx cannot read, whatever its flaw
        return [Problem(shown, message="Word-structuur beschadigd: python-docx kan de template niet lezen "
                        "(open en bewaar hem opnieuw in Word)")]
    return [
        Problem(shown, message=f"de template gebruikt '{name}', maar geen brief levert die waarde; bekend: {', '.join(sorted(TEMPLATE_FIELDS))}")
        for name in sorted(set(names) - TEMPLATE_FIELDS)
    ]


def _members(docx: Any) -> list[tuple[str, bytes]]:
    """The DOCX package's members in a fixed order (:func:`packaged` gives them fixed timestamps): equal
    input, equal bytes.

    What python-docx's ``save`` would write (each part serialised once, with its relationships,
    the package relationships and ``[Content_Types].xml``), but straight into one archive with a
    fixed date, ``[Content_Types].xml`` first and the rest sorted: ``save`` itself writes the
    current time into every member, and its archive would have to be unpacked and packed again.
    """
    package = docx.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    members = {CONTENT_TYPES: _content_types(parts), PACKAGE_URI.rels_uri.membername: _rels_xml(package.rels, PACKAGE_URI.baseURI)}
    for part in parts:
        members[part.partname.membername] = part.blob
        if len(part.rels):
            members[part.partname.rels_uri.membername] = _rels_xml(part.rels, part.partname.baseURI)
    return [(name, members[name]) for name in [CONTENT_TYPES, *sorted(n for n in members if n != CONTENT_TYPES)]]


def packaged(members: list[tuple[str, bytes]]) -> bytes:
    """The DOCX archive of these members, in this order, as every built DOCX is written (reproducibly)."""
    if sum(len(data) for _, data in members) > _ZIP_REMEMBERED_LIMIT:
        return _zipped(members)
    return _archive(members)


def _zipped(members: list[tuple[str, bytes]]) -> bytes:
    """The archive as zipfile writes it: deflated (default level), the fixed date, mode 644."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ZIP_MODE
            target.writestr(info, data)
    return out.getvalue()


ZIP_MODE = 0o644 << 16
_ZIP_REMEMBERED_LIMIT = 64 << 20  # far below ZIP64's 4 GiB; a larger package goes through zipfile
_ZIP_DATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_ZIP_CLOCK = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2
_ZIP_INFO = zipfile.ZipInfo()  # its version numbers and system, as zipfile writes them
_DEFLATED: dict[bytes, tuple[int, bytes]] = {}


def _archive(members: list[tuple[str, bytes]]) -> bytes:
    """Byte for byte what :func:`_zipped` writes (tests/unit/test_render_cache.py compares them), with
    each member's deflated stream remembered by its content: most members are the same in every
    letter of a house style (styles, settings, fonts, the logo), and deflating them was a tenth of
    the DOCX time."""
    out, directory = bytearray(), bytearray()
    for name, data in members:
        crc, deflated = _deflated(data)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800  # zipfile's flag for a UTF-8 name
        fields = (flags, zipfile.ZIP_DEFLATED, _ZIP_CLOCK, _ZIP_DATE, crc, len(deflated), len(data), len(encoded))
        directory += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", _ZIP_INFO.create_version, _ZIP_INFO.create_system,
                                 _ZIP_INFO.extract_version, 0, *fields, 0, 0, 0, 0, ZIP_MODE, len(out)) + encoded
        out += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", _ZIP_INFO.extract_version, 0, *fields, 0) + encoded + deflated
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(out), 0)
    return bytes(out + directory + end)


def _deflated(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate stream of ``data``, as zipfile makes them (one call, default level)."""
    found = _DEFLATED.get(data)
    if found is None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        found = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
        if len(data) <= 256 << 10:
            if len(_DEFLATED) >= 128:
                _DEFLATED.clear()
            _DEFLATED[data] = found
    return found


def _content_types(parts: list[Any]) -> bytes:
    """``[Content_Types].xml`` as python-docx writes it: a Default for each extension with its
    standard type, an Override for every other part, both sorted; made once per set of parts."""
    key = tuple((str(part.partname), part.content_type) for part in parts)
    if key not in _CONTENT_TYPES:
        if len(_CONTENT_TYPES) > 64:
            _CONTENT_TYPES.clear()
        _CONTENT_TYPES[key] = _new_content_types(key)
    return _CONTENT_TYPES[key]


_CONTENT_TYPES: dict[tuple[tuple[str, str], ...], bytes] = {}


def _rels_xml(rels: Any, base: str) -> bytes:
    """A ``.rels`` member as python-docx's ``Relationships.xml`` writes it, made once per distinct
    list of relationships (most parts of a house style have the same ones in every letter).

    ``base`` is the folder of the part the relationships are of: a target is known by its part name
    and written relative to that folder (working out the relative reference, as ``target_ref`` does
    for every relationship, costs more than looking up the remembered member).
    """
    key = (base, tuple((rel.rId, rel.reltype, rel.target_ref if rel.is_external else str(rel.target_part.partname),
                        rel.is_external) for rel in rels.values()))
    found = _RELS.get(key)
    if found is None:
        if len(_RELS) > 256:
            _RELS.clear()
        found = _RELS[key] = rels.xml
    return found


_RELS: dict[tuple[str, tuple[tuple[str, str, str, bool], ...]], bytes] = {}


def _new_content_types(parts: tuple[tuple[str, str], ...]) -> bytes:
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for name, content_type in parts:
        partname = PackURI(name)
        ext = partname.ext
        if (ext.lower(), content_type) in default_content_types:
            defaults[ext.lower()] = content_type
        else:
            overrides[partname] = content_type
    types = CT_Types.new()
    for ext in sorted(defaults):
        types.add_default(ext, defaults[ext])
    for partname in sorted(overrides):
        types.add_override(partname, overrides[partname])
    return serialize_part_xml(types)


_STYLE_REFERENCES = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')
_STYLE_REFERENCE_TAGS = tuple(qn(f"w:{tag}") for tag in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"))
_VAL = qn("w:val")
_STYLE, _STYLE_ID, _DEFAULT, _NAME = qn("w:style"), qn("w:styleId"), qn("w:default"), qn("w:name")
_STYLE_LINK_TAGS = (qn("w:basedOn"), qn("w:link"), qn("w:next"))  # the styles a style builds on


def drop_unused_styles(docx: Any, also: AbstractSet[str] = frozenset()) -> None:
    """Keep only the styles the document uses, the ones named in ``also``, and what they build on.

    Word templates carry a hundred or more styles; every one of them costs LibreOffice time for
    every letter, and none of them shows up in the letter.
    """
    styles_part = docx.part.part_related_by(RT.STYLES)
    styles = docx.styles.element
    used: set[str] = set()
    for part in docx.part.package.parts:
        if part.partname.endswith(".xml") and part is not styles_part:
            element = getattr(part, "element", None)  # an XmlPart: read its tree, not a serialised copy
            if element is not None:
                used.update(ref.get(_VAL) for ref in element.iter(*_STYLE_REFERENCE_TAGS))
            else:
                used.update(html.unescape(v.decode()) for v in _STYLE_REFERENCES.findall(part.blob))
    by_id = {s.get(_STYLE_ID): s for s in styles.iterchildren(_STYLE)}
    named = {i for i, s in by_id.items() if (name := s.find(_NAME)) is not None and (name.get(_VAL) or "").lower() in also} if also else set()
    keep = {i for i, s in by_id.items() if s.get(_DEFAULT) in ("1", "true")} | used | named
    todo = list(keep)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        seen: set[str] = set()  # the first child of each kind counts, as with find(); lxml's find() is slow
        for ref in style.iterchildren(*_STYLE_LINK_TAGS):
            if ref.tag not in seen:
                seen.add(ref.tag)
                if (target := ref.get(_VAL)) not in keep:
                    keep.add(target)
                    todo.append(target)
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)


def _set_properties(docx: Any, document: Document, prepared: bool = False) -> None:
    """The letter's core properties. In a prepared template (:meth:`_Template._without_body`) the ones
    that are the same in every letter are set already: only the letter's own are set here."""
    stamp = dt.datetime.combine(document.date, dt.time(), tzinfo=dt.UTC).replace(tzinfo=None)
    title = document.title[:255]  # the core-properties limit; the PDF keeps the whole subject
    _write_properties(docx.core_properties, title, document.author, stamp, document.fields["soort_titel"],
                      every=not prepared)


def _write_properties(props: Any, title: str, author: str, stamp: dt.datetime, category: str, every: bool = True) -> None:
    """Every core property a letter sets, through python-docx (which adds a missing element at the end); with
    ``every`` False only the letter's own (the others, and every element, are in the prepared template)."""
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    if every:
        props.revision = 1
        props.language = LANGUAGE
        props.subject = ""
        props.comments = ""
        props.keywords = ""
    props.category = category


def drop_misplaced_properties(docx: Any) -> None:
    """Remove the core properties an earlier briefgen wrote in the custom-properties namespace (see
    ``nsmap`` above) from a template: they would be copied into every letter as duplicates."""
    for part in docx.part.package.parts:
        if part.content_type == CT.OPC_CORE_PROPERTIES:
            for element in [e for e in part.element if isinstance(e.tag, str) and e.tag.startswith(f"{{{CUSTOM_PROPERTIES_NS}}}")]:
                part.element.remove(element)


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


class _Marker:
    """What ``{{p inhoud }}`` renders: one paragraph with a unique text, where the body goes.

    The body is built after rendering, in place in the finished document: it never passes through
    docxtpl's text processing (time per paragraph of the whole document), and no large element is
    ever moved between trees (lxml's move of a table costs time with the square of its rows).
    """

    def __init__(self) -> None:
        self.token = f"briefgen-inhoud-{uuid.uuid4().hex}"

    def __html__(self) -> str:
        return f"<w:p><w:r><w:t>{self.token}</w:t></w:r></w:p>"

    __str__ = __html__

    def places(self, root: Any) -> list[Any]:
        """The marker paragraphs in the rendered document."""
        return [next(text.iterancestors(qn("w:p"))) for text in root.iter(qn("w:t")) if text.text == self.token]


class _Body:
    """Writes sections, Markdown blocks and tables with the template's own styles and numbering,
    each block inserted before ``anchor`` as soon as it is made (see :class:`_Marker`)."""

    def __init__(self, docx: Any, style_ids: dict[str, str], anchor: Any):
        self.doc = docx
        self.part = docx.part
        self.style_ids = style_ids
        self.anchor = anchor
        self.blocks: list[Any] = []
        self._abstract: dict[tuple[tuple[int, bool], ...], int] = {}
        self._width: int | None = None

    def build(self, document: Document) -> list[Any]:
        self.add(document)
        return self.blocks

    def _text_width(self) -> int:
        """Twips between the margins of the section the body goes into (its tables fill it), once per letter."""
        if self._width is None:
            self._width = _section_text_width(self.anchor)
        return self._width

    def _append(self, block: Any) -> Any:
        self.anchor.addprevious(block)
        self.blocks.append(block)
        return block

    def _paragraph(self, style: str, text: str | None = None) -> Any:
        """A new ``w:p`` at the end of the body."""
        p = self._append(_in_document(self.anchor, _P))
        style_id = self.style_ids.get(style)
        if style_id and style != "Normal":
            _sub(_sub(p, "w:pPr"), "w:pStyle", val=style_id)
        if text:
            _add_run(p, text)
        return p

    def _format(self, p: Any) -> Any:
        return Paragraph(p, self.doc).paragraph_format

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
                num = self._new_list(1, _list_levels(richtext.ListBlock(ordered, ())))
                for line in lines:
                    self._list_paragraph(num, 0, 0, (richtext.Run(line),))
        self._keep_last_with_closing()

    def _last_paragraph(self) -> Any | None:
        """The body's newest element, when it is a paragraph."""
        last = self.blocks[-1] if self.blocks else None
        return last if last is not None and last.tag == qn("w:p") else None

    def _keep_last_with_closing(self) -> None:
        """The body's last paragraph stays on the page of the closing and signature.

        A body that ends with a table loses the empty line written after it: on a table that fills its page,
        that line alone would start a page (a blank last page where nothing follows, as in an informatienota)."""
        last = self._last_paragraph()
        if last is not None and len(self.blocks) > 1 and self.blocks[-2].tag == _TBL and not len(last):
            last.getparent().remove(last)
            self.blocks.pop()
            return
        if last is not None:
            _keep_with_next(last)

    def _block(self, block: richtext.Block, tables: dict[str, TableView]) -> None:
        if isinstance(block, richtext.Heading):
            level = max(2, min(block.level, 3))
            self._runs(self._paragraph(f"Heading {level}"), block.runs)
        elif isinstance(block, richtext.Paragraph):
            self._runs(self._paragraph("Normal"), block.runs)
        elif isinstance(block, richtext.ListBlock):
            levels = _list_levels(block)
            self._list(block, self._new_list(block.start, levels), 0, levels)
        elif isinstance(block, richtext.TableRef):
            self._table(tables[block.name])

    # Lists: one w:num per list, so numbering restarts for every list (docxtpl issue #425). A nested
    # list shares its list's w:num, at a level of its depth and kind (_list_levels): LibreOffice tags a
    # w:num as one list, so every nested list, numbered or bullets, is then tagged inside its item.
    def _list(self, block: richtext.ListBlock, num: int, depth: int, levels: tuple[tuple[int, bool], ...]) -> None:
        level = levels.index((depth, block.ordered))
        for item in block.items:
            first = True
            for child in item:
                if isinstance(child, richtext.ListBlock):
                    self._list(child, num, richtext.list_depth(depth + 1), levels)
                elif isinstance(child, (richtext.Paragraph, richtext.Heading)):
                    self._list_paragraph(num if first else None, level, depth, child.runs)
                    first = False

    def _list_paragraph(self, num: int | None, level: int, depth: int, runs: tuple[richtext.Run, ...]):
        paragraph = self._paragraph("List Paragraph")
        ppr = paragraph.get_or_add_pPr()
        if num is not None:
            numpr = OxmlElement("w:numPr")
            ilvl = OxmlElement("w:ilvl")
            ilvl.set(qn("w:val"), str(level))
            numid = OxmlElement("w:numId")
            numid.set(qn("w:val"), str(num))
            numpr.extend([ilvl, numid])
            ppr.append(numpr)
        else:
            self._format(paragraph).left_indent = Cm(0.75 * (depth + 1))
        self._runs(paragraph, runs)
        return paragraph

    def _new_list(self, start: int, levels: tuple[tuple[int, bool], ...]) -> int:
        """A new w:num (numbering from ``start``) of the abstract numbering with ``levels``."""
        numbering = self.part.numbering_part.element
        if levels not in self._abstract:
            self._abstract[levels] = self._add_abstract(numbering, levels)
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        num_id = max(ids, default=0) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        abstract = OxmlElement("w:abstractNumId")
        abstract.set(qn("w:val"), str(self._abstract[levels]))
        num.append(abstract)
        for lvl in range(len(levels)):
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(lvl))
            start_override = OxmlElement("w:startOverride")
            start_override.set(qn("w:val"), str(start if lvl == 0 else 1))
            override.append(start_override)
            num.append(override)
        numbering.append(num)
        return num_id

    @staticmethod
    def _add_abstract(numbering: Any, levels: tuple[tuple[int, bool], ...]) -> int:
        ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        abstract_id = max(ids, default=0) + 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "hybridMultilevel")
        abstract.append(multi)
        for lvl, (depth, ordered) in enumerate(levels):
            level = OxmlElement("w:lvl")
            level.set(qn("w:ilvl"), str(lvl))
            for tag, value in (
                ("w:start", "1"),
                ("w:numFmt", richtext.NUMBERINGS[depth] if ordered else "bullet"),
                ("w:lvlText", f"%{lvl + 1}." if ordered else richtext.list_mark(False, 1, depth)),
                ("w:lvlJc", "left"),
            ):
                element = OxmlElement(tag)
                element.set(qn("w:val"), value)
                level.append(element)
            ppr = OxmlElement("w:pPr")
            ind = OxmlElement("w:ind")
            ind.set(qn("w:left"), str(425 * (depth + 1)))
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

    def _runs(self, paragraph: Any, runs: tuple[richtext.Run, ...], part: Any = None) -> None:
        for run in runs:
            if run.line_break:
                Run(paragraph.add_r(), self.doc).add_break()
            elif run.note is not None:
                self._footnote(paragraph, run.note)
            elif run.link:
                self._hyperlink(paragraph, run, part)
            else:
                self._styled(_add_run(paragraph, run.text), run)

    def _footnote(self, paragraph: Any, note: tuple[richtext.Run, ...]) -> None:
        """A real Word footnote: its text in footnotes.xml, a numbered reference in the body."""
        notes = self._notes()
        ids = [int(n.get(qn("w:id"))) for n in notes.element.findall(qn("w:footnote"))]
        number = max([0, *ids]) + 1
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(number))
        p: Any = OxmlElement("w:p")  # a CT_P: python-docx registers the class for w:p
        footnote.append(p)
        p.get_or_add_pPr().style = self._note_styles()[0]
        _note_mark(p.add_r(), self._note_styles()[1], "w:footnoteRef")
        _add_run(p, " ")
        self._runs(p, note, notes)
        notes.element.append(footnote)
        _note_mark(paragraph.add_r(), self._note_styles()[1], "w:footnoteReference").find(
            qn("w:footnoteReference")).set(qn("w:id"), str(number))

    def _notes(self) -> Any:
        """The footnotes part of the document, as XML: made (with Word's two separator notes) when
        the template has none. A template's own footnotes python-docx reads as bytes only (and
        docxtpl fills in its fields as bytes): those are parsed into an XML part, with their
        relationships, in the template's place."""
        try:
            found = self.part.part_related_by(RT.FOOTNOTES)
        except KeyError:
            found = None
        if found is None:
            part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(FOOTNOTES_XML), self.part.package)
        elif getattr(found, "element", None) is not None:
            return found
        else:
            part = XmlPart.load(found.partname, found.content_type, found.blob, self.part.package)
            for rel in found.rels.values():
                part.rels.add_relationship(rel.reltype, rel.target_ref if rel.is_external else rel.target_part,
                                           rel.rId, rel.is_external)
            self.part.drop_rel(next(rId for rId, rel in self.part.rels.items() if rel.reltype == RT.FOOTNOTES))
        self.part.relate_to(part, RT.FOOTNOTES)
        return part

    def _note_styles(self) -> tuple[str, str]:
        """The ids of the 'footnote text' and 'footnote reference' styles, added when missing."""
        if not hasattr(self, "_note_style_ids"):
            ids = []
            for name, kind in (("footnote text", WD_STYLE_TYPE.PARAGRAPH), ("footnote reference", WD_STYLE_TYPE.CHARACTER)):
                found = next((s for s in self.doc.styles if s.name and s.name.lower() == name and s.type == kind), None)
                if found is None:
                    found = self.doc.styles.add_style(name.title(), kind)
                    if kind == WD_STYLE_TYPE.PARAGRAPH:
                        found.base_style = self.doc.styles["Normal"]
                        found.font.size = Pt(8)
                        found.paragraph_format.space_after = Pt(0)
                    else:
                        found.font.superscript = True
                ids.append(found.style_id)
            self._note_style_ids = (ids[0], ids[1])
        return self._note_style_ids

    def _styled(self, r: Any, run: richtext.Run) -> Any:
        if run.bold:
            Run(r, self.doc).bold = True
        if run.italic:
            Run(r, self.doc).italic = True
        return r

    def _hyperlink(self, paragraph: Any, run: richtext.Run, part: Any = None) -> None:
        rel_id = (part or self.part).relate_to(run.link, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel_id)
        r = self._styled(_add_run(paragraph, run.text), run)
        if "Hyperlink" in self.style_ids:
            r.get_or_add_rPr().style = self.style_ids["Hyperlink"]
        else:
            Run(r, self.doc).font.underline = True
            color = OxmlElement("w:color")
            color.set(qn("w:val"), "0563C1")
            r.get_or_add_rPr().append(color)
        link.append(r)
        paragraph.append(link)

    def _table(self, view: TableView) -> None:
        previous = self._last_paragraph()
        if previous is not None and sum(len(t.text or "") for t in previous.iter(_T)) <= KEPT_INTRODUCTION:
            _keep_with_next(previous)  # the sentence that introduces a table stays with it
        if view.title:
            caption = self._paragraph("Caption", view.title)
            _keep_with_next(caption)
        style_id = self.style_ids.get("Briefgen Tabel") or self.style_ids.get("Table Grid") or ""
        widths, size = table_layout(view.header, (*view.rows, view.total), self._text_width())
        table = self._append(_table_element(widths, style_id))
        _add_rows(table, view, widths, size)
        self._paragraph("Normal")


def _list_levels(block: richtext.ListBlock) -> tuple[tuple[int, bool], ...]:
    """The levels of a list's numbering, as (depth, numbered): the list's own kind at level 0, then per
    depth a level for each kind of list nested there (bullets and numbers under one list each get
    theirs), or the kind of the depth above when none is. Lists nested deeper than the last depth
    count as lists at it. At most 1 + 2 * (LIST_LEVELS - 1) levels: Word allows nine."""
    levels = [(0, block.ordered)]
    lists = [block]
    for depth in range(1, richtext.LIST_LEVELS):
        nested = _nested(lists, all_below=depth == richtext.LIST_LEVELS - 1)
        kinds = list(dict.fromkeys(child.ordered for child in nested)) or [levels[-1][1]]
        levels += [(depth, kind) for kind in kinds]
        lists = nested
    return tuple(levels)


def _nested(lists: list[richtext.ListBlock], all_below: bool) -> list[richtext.ListBlock]:
    """The lists nested in ``lists`` (one level down, or ``all_below``), in reading order."""
    found = []
    for outer in lists:
        for item in outer.items:
            for child in item:
                if isinstance(child, richtext.ListBlock):
                    found.append(child)
                    if all_below:
                        found += _nested([child], all_below)
    return found


def _keep_with_next(p: Any) -> None:
    """``w:keepNext`` in the paragraph's properties, in its place after the style (what python-docx's
    ``keep_with_next = True`` writes, without its search through the schema order)."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = etree.Element(_PPR)
        p.insert(0, ppr)
    if ppr.find(_KEEP_NEXT) is None:
        keep = etree.Element(_KEEP_NEXT)
        style = ppr.find(_PSTYLE)
        if style is not None:
            style.addnext(keep)
        else:
            ppr.insert(0, keep)


def render_template(template: Any, source: TemplateFile, context: Any) -> str:
    """Render ``template`` (a :class:`_Template` of ``source``) with ``context`` in the sandbox; the
    failure in Dutch, located, or an empty text. Whatever a template's tags raise (a division by zero,
    a macro calling itself, an ``{% include %}``) is the template's error, not briefgen's."""
    try:
        template.render(context, jinja_env=_environment(), autoescape=True)
    except etree.XMLSyntaxError:
        return ("na het invullen is de XML van de template ongeldig "
                "(staat er een {% … %} of {{ … }} midden in de opmaak van Word?)")
    except Exception as exc:  # noqa: BLE001 - see the docstring
        return _located_reason(source, exc, context)
    return ""


def trial_render(source: TemplateFile, fields: TemplateFields) -> tuple[str, int]:
    """Render ``source`` with a letter's ``fields`` as a build would: the failure (as :func:`render_template`)
    and how many places the body would go to (``{{p inhoud }}``), for ``templates check``."""
    template = _Template(source)
    marker = _Marker()
    failure = render_template(template, source, TemplateContext(**fields, inhoud=marker))
    return failure, 0 if failure else len(marker.places(template.docx.element))


def _located_reason(source: TemplateFile, exc: BaseException, context: Any = None) -> str:
    """:func:`_jinja_reason` of a render failure, with the place of the name it failed on (when certain) and
    a suggestion (unless the name is a field itself: then it is used on something that does not have it);
    without such a name, the paragraph that fails the same way rendered alone."""
    reason = _jinja_reason(exc)
    needle = None if isinstance(exc, TemplateSyntaxError) else expressions.expression_message(exc)[1]
    place = place_of(source, needle) if needle is not None else ""
    if not place and context is not None and not isinstance(exc, TemplateSyntaxError):
        place = _failing_paragraph(source, exc, context)
    if needle is None:
        return f"{place}{reason}"
    known = field_names()
    return f"{place}{reason}{'' if needle in known else did_you_mean(needle, known)}"


_DOCXTPL_TAG = re.compile(r"^(\{[{%]-?)(?:p|r|tr|tc)(?=\s)")  # docxtpl's {{p …}}, {%tr …%}: Jinja's own tags


def _tagged_paragraphs(source: TemplateFile) -> Iterator[tuple[str, str]]:
    """Each paragraph of the template's stories that has tags: its place (``word/document.xml, alinea 16: ``) and
    its tags together, as Jinja source."""
    from briefgen.prose import JINJA
    from briefgen.templatefile import STORIES, W

    for part in sorted(name for name in source.xml if STORIES.fullmatch(name)):
        for number, paragraph in enumerate(source.xml[part].iter(f"{{{W}}}p"), 1):
            tags = JINJA.findall("".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t")))
            if tags:
                yield f"{part}, alinea {number}: ", "".join(_DOCXTPL_TAG.sub(r"\1", tag) for tag in tags)


def _failing_paragraph(source: TemplateFile, exc: BaseException, context: Any) -> str:
    """The place of the first paragraph whose tags, rendered alone with ``context``, fail with the same message;
    empty if none does (a block spread over paragraphs) or the search's shared time ran out first (a paragraph that
    merely took long would be named). A template stopped at the time limit: :func:`_slow_paragraph`."""
    wanted = _jinja_reason(exc)
    if wanted == expressions.TOO_SLOW:
        return _slow_paragraph(source, context)
    env = _environment()
    # Not a time-out (that is _slow_paragraph's): the failure is quick, so the search may take longer than a text's
    # (compiling each paragraph of a large template took more than SEARCH_SECONDS on a loaded machine); bounded still.
    with expressions.searching(5 * expressions.SEARCH_SECONDS):
        for place, tags in _tagged_paragraphs(source):
            if not expressions.searching_time_left():
                return ""
            try:
                env.from_string(tags).render(context)
            except Exception as alone:  # noqa: BLE001 - compared with the template's failure
                if not expressions.searching_time_left():
                    return ""
                if not isinstance(alone, TemplateSyntaxError) and _jinja_reason(alone) == wanted:
                    return place
    return ""


def _slow_paragraph(source: TemplateFile, context: Any) -> str:
    """The place of a template stopped at the time limit: the one paragraph that, rendered alone, runs out of
    ``SEARCH_SECONDS`` of its own while all other paragraphs together take less than that, so that it takes nearly
    all of the limit itself. Empty when a second paragraph runs out too, the others take their share, or the whole
    search (twice ``SEARCH_SECONDS``) runs out: a paragraph that merely takes long is never named for another."""
    env = _environment()
    found, others = "", 0.0
    with expressions.searching(2 * expressions.SEARCH_SECONDS):
        for place, tags in _tagged_paragraphs(source):
            start, failure = time.thread_time(), None
            with expressions.searching():
                try:
                    env.from_string(tags).render(context)
                except Exception as alone:  # noqa: BLE001 - compared with the template's failure
                    failure = alone
            if not expressions.searching_time_left():
                return ""
            if failure is not None and _jinja_reason(failure) == expressions.TOO_SLOW:
                if found:
                    return ""
                found = place
                continue
            others += time.thread_time() - start
            if others >= expressions.SEARCH_SECONDS:
                return ""
    return found


def _jinja_reason(exc: BaseException) -> str:
    """Jinja's complaint about a template, in Dutch (the same wording as for a letter's expressions)."""
    if isinstance(exc, TemplateSyntaxError):
        return expressions.syntax_message(_environment(), exc.message or "")[0]
    return expressions.expression_message(exc)[0]


FOOTNOTES_XML = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '</w:footnotes>'
)


def _note_mark(r: Any, style_id: str, tag: str) -> Any:
    """A run with the footnote reference style holding ``w:footnoteRef`` or ``w:footnoteReference``."""
    r.get_or_add_rPr().style = style_id
    r.append(OxmlElement(tag))
    return r


def _add_run(paragraph: Any, text: str) -> Any:
    """A new ``w:r`` with ``text`` at the end of ``paragraph`` (a ``w:p``); tabs and line breaks
    become their elements, as in python-docx's ``add_run``, whose character-by-character scan is
    skipped when there are none (the scan was a tenth of the DOCX time)."""
    r = etree.SubElement(paragraph, _R)  # what add_r() makes, without a loose element moved into the tree
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text
    elif text:
        t = etree.SubElement(r, _T)  # as CT_R.add_t(text)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_SPACE, "preserve")
    return r


def _in_document(anchor: Any, tag: str) -> Any:
    """A new element in the document of ``anchor``, for :meth:`_Body._append` to move before it.

    python-docx's ``OxmlElement`` makes a loose element with a document of its own; inserting it
    makes lxml reconcile its namespaces with the tree's, which costs more than making it here.
    """
    return etree.SubElement(anchor.getparent(), tag)


KEPT_TOGETHER = 15  # a table of at most this many rows moves whole to the next page; a longer one splits
KEPT_AT_ENDS = 2  # rows of a longer table kept with its header at the top and with its total at the bottom
# Characters (about five lines of 16 cm in 10 pt) up to which the paragraph before a table keeps with
# it. LibreOffice moves a paragraph that keeps with the next to the next page whole, where Word moves
# only its last lines: a 10-line introduction took its heading along and left a third of the page
# empty. A longer one is split like any paragraph (widow and orphan control) and the table follows.
KEPT_INTRODUCTION = 500
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PPR, _PSTYLE, _KEEP_NEXT = qn("w:pPr"), qn("w:pStyle"), qn("w:keepNext")
_P, _R, _T, _TBL = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tbl")
_SECTPR = qn("w:sectPr")
_ROW_PROTOTYPES: dict[tuple[tuple[int, ...], bool, bool, bool, int], Any] = {}
_TABLE_PROTOTYPES: dict[tuple[tuple[int, ...], str], Any] = {}


def _section_text_width(anchor: Any) -> int:
    """The page width minus the margins (and gutter) of the section that ends at or after ``anchor``; TEXT_WIDTH
    when the template does not say or leaves no text area at all. A narrow one is kept: a table of 16 cm in it
    would stick out of the page."""
    section = None
    for element in (anchor, *anchor.itersiblings()):
        section = element if element.tag == _SECTPR else element.find(f"{_PPR}/{_SECTPR}")
        if section is not None:
            break
    if section is None:
        return TEXT_WIDTH
    try:
        page = int(section.find(qn("w:pgSz")).get(qn("w:w")))
        margins = section.find(qn("w:pgMar"))
        width = page - sum(int(margins.get(qn(f"w:{side}"), "0")) for side in ("left", "right", "gutter"))
    except (AttributeError, TypeError, ValueError):  # no page size or margins, or not in twips
        return TEXT_WIDTH
    return width if width > 0 else TEXT_WIDTH


def _table_element(widths: tuple[int, ...], style_id: str) -> Any:
    """A data table's ``w:tbl`` with its properties and grid (``widths``, from :mod:`tablewidths`);
    :func:`_add_rows` adds the rows once it is in the document.

    Header row repeated on every page, no row split over pages, numbers right-aligned, header and
    total bold; see :func:`_add_rows` for which rows keep with the next.
    """
    kind = (widths, style_id)
    if kind not in _TABLE_PROTOTYPES:
        if len(_TABLE_PROTOTYPES) > 64:
            _TABLE_PROTOTYPES.clear()
        _TABLE_PROTOTYPES[kind] = _table_prototype(*kind)
    return copy.copy(_TABLE_PROTOTYPES[kind])  # lxml copies the whole subtree


def _table_prototype(widths: tuple[int, ...], style_id: str) -> Any:
    """An empty ``w:tbl`` of its kind, made once per process and only ever copied."""
    table = OxmlElement("w:tbl")
    properties = _sub(table, "w:tblPr")
    if style_id:
        _sub(properties, "w:tblStyle", val=style_id)
    _sub(properties, "w:tblW", w=str(sum(widths)), type="dxa")
    _sub(properties, "w:jc", val="left")
    _sub(properties, "w:tblLayout", type="fixed")
    _sub(properties, "w:tblLook", firstRow="1", lastRow="1", firstColumn="0", lastColumn="0", noHBand="0", noVBand="1")
    grid = _sub(table, "w:tblGrid")
    for width in widths:
        _sub(grid, "w:gridCol", w=str(width))
    return table


def _add_rows(table: Any, view: TableView, widths: tuple[int, ...], size: int) -> None:
    """Header, rows and total: each kind of row built once and copied (much faster than python-docx
    cell by cell, and linear in the number of rows); in ``size`` half-points when it is not the table style's.

    Rows keep with the next one, so a short table is never split. A long one would then be pushed
    whole onto the next page (LibreOffice does, leaving the page of its introduction nearly empty):
    only its first and last rows are kept, so that it starts where it is introduced, never with a
    lone header at the foot of a page nor a lone total at the top of the next.
    """
    rows = [view.header, *view.rows, view.total]
    last = len(rows) - 1
    whole = len(view.rows) <= KEPT_TOGETHER
    for r, values in enumerate(rows):
        kept = r < last and (whole or r <= KEPT_AT_ENDS or r >= last - KEPT_AT_ENDS)
        kind = (widths, r == 0, r == last, kept, size)
        if kind not in _ROW_PROTOTYPES:
            if len(_ROW_PROTOTYPES) > 256:  # the widths follow each table and template: a long watch sees many
                _ROW_PROTOTYPES.clear()
            _ROW_PROTOTYPES[kind] = _row_prototype(*kind)
        row = copy.copy(_ROW_PROTOTYPES[kind])  # lxml copies the whole subtree
        for text, value in zip(list(row.iter(_T)), values, strict=False):
            if "\t" in value or "\n" in value or "\r" in value:
                text.getparent().text = value  # python-docx's run text: w:tab and w:br elements
            else:
                text.text = value
        table.append(row)


def _row_prototype(widths: tuple[int, ...], header: bool, last: bool, kept: bool, size: int) -> Any:
    """One ``w:tr`` with empty texts, for every row of its kind (header, body, total); made once
    per process and only ever copied. A value's cell does not wrap (``w:noWrap``): its width holds the value."""
    row = OxmlElement("w:tr")
    flags = _sub(row, "w:trPr")
    _sub(flags, "w:cantSplit")
    if header:
        _sub(flags, "w:tblHeader")
    for c, width in enumerate(widths):
        cell = _sub(row, "w:tc")
        properties = _sub(cell, "w:tcPr")
        _sub(properties, "w:tcW", w=str(width), type="dxa")
        if c and not header:
            _sub(properties, "w:noWrap")
        p = _sub(cell, "w:p")
        ppr = _sub(p, "w:pPr")
        if kept:
            _sub(ppr, "w:keepNext")
        if c:
            _sub(ppr, "w:jc", val="right")
        r = _sub(p, "w:r")
        if header or last or size != FONT_SIZES[0]:
            run = _sub(r, "w:rPr")
            if header or last:
                _sub(run, "w:b")
            if size != FONT_SIZES[0]:
                _sub(run, "w:sz", val=str(size))
                _sub(run, "w:szCs", val=str(size))
        _sub(r, "w:t", {_SPACE: "preserve"})
    return row


def _sub(parent: Any, tag: str, extra: dict[str, str] | None = None, **values: str) -> Any:
    """``etree.SubElement`` with a w: tag and w: attributes, in the order given."""
    attributes = {qn(f"w:{name}"): value for name, value in values.items()} | (extra or {})
    return etree.SubElement(parent, qn(tag), attributes)
