"""Repairs to LibreOffice 7.4's PDF that veraPDF's PDF/A-2B and PDF/UA-1 profiles ask for.

Called by builders/pdf.py on every PDF, after its own metadata changes:

- the XMP names pdfuaid:part without describing that schema, which PDF/A forbids (ISO 19005-2
  6.6.2.3.1): the PDF/A extension schema for pdfuaid is added;
- LibreOffice writes ``/Tabs (S)``, a string, where PDF/UA wants the name ``/S`` on every page with
  annotations (ISO 14289-1 7.18.3);
- a paragraph border in a header or footer (a rule under the title) is painted outside any marked
  content, neither tagged nor an artifact (ISO 14289-1 7.1): untagged paths become artifacts;
- the labels of a fields block (paragraph style FIELD_LABEL_STYLE in the templates, builders/rolestyles.py) sit in TD cells
  of a layout table; those cells become row headers (TH, Scope Row), so the table reads as data;
- the signature block is a table only for its layout (paragraph style SIGNATURE_STYLE): its Table,
  TR and TD become Div, so no one is told about a table of two cells;
- a footnote is a Note element without the ID PDF/UA asks for (ISO 14289-1 7.9): each gets one,
  registered in the IDTree; the number in a footnote is an untagged link back to the text (7.18.5):
  such untagged in-document links are removed (the reader loses only that jump back).
"""

from __future__ import annotations

import re
import zlib

import pikepdf

from briefgen.builders.rolestyles import FIELD_LABEL_STYLE, FIELD_LABEL_VARIANT, SIGNATURE_STYLE, is_role

TABLE_PARTS = ("/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD")
PDFUA_EXTENSION = b"""  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
"""
# Path construction and painting operators (ISO 32000-1, 8.5.2 and 8.5.3).
PATH_START = {"m", "re"}
PATH_END = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}
# The operators that decide whether a page draws a path outside marked content.
_DECIDING = " ".join(sorted(PATH_START | PATH_END | {"BMC", "BDC", "EMC"}))
_PATH_START_BYTES = {op.encode() for op in PATH_START}
_PATH_END_BYTES = {op.encode() for op in PATH_END}
# Content stream syntax (ISO 32000-1, 7.2 and 8.2) without literal strings, comments, inline images
# and hex strings with white-space in them (whose digits could read as an operator like B or BDC):
# a stream with any of those goes to qpdf's parser instead.
_SPACED_HEX = re.compile(rb"<[0-9A-Fa-f]*\s")
_BEFORE_OPERATOR = frozenset(b" \t\r\n\f\0)]>}")
_AFTER_OPERATOR = {b"", *(bytes([c]) for c in b" \t\r\n\f\0([</%")}
_TOKEN = re.compile(rb"<<|>>|<[0-9A-Fa-f]*>|[\[\]{}]|/[^\s/\[\]<>(){}%]*|[^\s/\[\]<>(){}%]+")
_OPERAND_START = frozenset(b"0123456789+-.<>[]{}/")
_OPERAND_WORDS = {b"true", b"false", b"null"}


def finish(pdf: pikepdf.Pdf, raw: bytes | None = None) -> list[pikepdf.Object]:
    """All repairs; ``raw``, the bytes ``pdf`` was opened from, lets the structure repairs read only
    the elements they can change (:func:`_structure_to_repair`) instead of the whole tree.

    Returns the indirect objects the repairs may have changed (pages, the structure elements read,
    their attribute objects, the tree root, the XMP), for an incremental update (builders/pdfupdate.py).
    """
    changed: list[pikepdf.Object] = []
    describe_pdfua_schema(pdf)
    for page in pdf.pages:
        changed.append(page.obj)
        if "/Annots" in page.obj:
            page.obj.Tabs = pikepdf.Name.S
        untagged_paths_as_artifacts(pdf, page)
        untagged_jumps_removed(page)
    structure = _structure_to_repair(pdf, raw) if raw is not None else None
    if structure is None:
        structure = _structure(pdf)
    label_cells_as_row_headers(structure)
    layout_tables_as_divs(structure)
    notes_with_ids(pdf, structure)
    for element in structure:
        changed.append(element.node)
        attributes = element.node.get("/A")
        if isinstance(attributes, (pikepdf.Dictionary, pikepdf.Array)) and attributes.is_indirect:
            changed.append(attributes)
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is not None:
        changed.append(tree)
    return [obj for obj in changed if obj.is_indirect]


def untagged_jumps_removed(page: pikepdf.Page) -> None:
    """Drop Link annotations that jump inside the document and belong to no structure element."""
    annotations = page.obj.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return
    kept = [a for a in annotations
            if not (a.get("/Subtype") == pikepdf.Name.Link and "/StructParent" not in a and "/A" not in a)]
    if len(kept) != len(annotations):
        page.obj.Annots = pikepdf.Array(kept)


def notes_with_ids(pdf: pikepdf.Pdf, structure: list[_Element]) -> None:
    """Every Note element gets a unique ID (``note1``, ``note2``, …), also in the IDTree."""
    names: list[pikepdf.Object] = []
    for element in structure:
        node = element.node
        if element.role == "/Note" and "/ID" not in node:
            node.ID = pikepdf.String(f"note{len(names) + 1}")
            names.append(node)
    if names:
        tree = pdf.Root.StructTreeRoot
        entries = sorted(((str(node.ID), node) for node in names), key=lambda e: e[0].encode())
        if "/IDTree" not in tree:  # LibreOffice writes none; one it did write is left as it is
            tree.IDTree = pdf.make_indirect(pikepdf.Dictionary(
                Names=pikepdf.Array([x for key, node in entries for x in (pikepdf.String(key), node)])))


def describe_pdfua_schema(pdf: pikepdf.Pdf) -> None:
    """Add the PDF/A extension schema for pdfuaid to the XMP, once."""
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return
    xmp = metadata.read_bytes()
    if b"http://www.aiim.org/pdfua/ns/id/" not in xmp or b"pdfaExtension:schemas" in xmp:
        return
    head, found, tail = xmp.rpartition(b"</rdf:RDF>")
    if found:
        metadata.write(head + PDFUA_EXTENSION + found + tail)


def untagged_paths_as_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Wrap every path drawn outside marked content in ``/Artifact BMC … EMC``.

    LibreOffice's content streams are read as bytes (:func:`_untagged_paths`) and the markers
    inserted into them, leaving every other byte as it is: qpdf's parser makes a Python object of
    every instruction, milliseconds per page. A stream with what that reader does not follow
    (literal strings, comments, inline images) goes through qpdf's parser.
    """
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    if not all(isinstance(stream, pikepdf.Stream) for stream in streams):
        return
    data = b"\n".join(stream.read_bytes() for stream in streams)
    spans = _untagged_paths(data)
    if spans is None:
        untagged_paths_as_artifacts_parsed(pdf, page)
    elif spans:
        page.obj.Contents = _compressed_stream(pdf, _wrapped(data, spans))


def untagged_paths_as_artifacts_parsed(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """untagged_paths_as_artifacts with qpdf's parser, for any content stream; the page is rewritten."""
    if not _paints_untagged(pikepdf.parse_content_stream(page, _DECIDING)):
        return
    operations = pikepdf.parse_content_stream(page)
    result: list = []
    depth, start, changed = 0, None, False
    for instruction in operations:
        operands, operator = instruction.operands, instruction.operator
        op = str(operator)
        if depth == 0 and start is None and op in PATH_START:
            start = len(result)
        result.append((operands, operator))
        if op in ("BMC", "BDC"):
            depth, start = depth + 1, None  # a path that runs into marked content is left alone
        elif op == "EMC":
            depth -= 1
        elif start is not None and op in PATH_END:
            result.insert(start, ([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
            result.append(([], pikepdf.Operator("EMC")))
            start, changed = None, True
    if changed:
        page.obj.Contents = _compressed_stream(pdf, pikepdf.unparse_content_stream(result))


def _compressed_stream(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    """A new content stream, compressed here: an incremental update (builders/pdfupdate.py) writes it as it is."""
    return pdf.make_stream(zlib.compress(data), Filter=pikepdf.Name.FlateDecode)


def _untagged_paths(data: bytes) -> list[tuple[int, int]] | None:
    """(start, end) in ``data`` of every path drawn outside marked content, from its first operand to
    its painting operator; None when ``data`` holds what this reader does not follow.

    The markers are found with bytes.find and only the stretches outside marked content that can
    hold a path are split into tokens: a page costs a fraction of a millisecond, where a regular
    expression over all of it costs about as much as qpdf's parser.
    """
    if b"(" in data or b"%" in data or b"BI" in data:
        return None
    markers = []
    for word in (b"BMC", b"BDC", b"EMC"):
        for at in _occurrences(data, word):
            if (at == 0 or data[at - 1] in _BEFORE_OPERATOR) and data[at + 3:at + 4] in _AFTER_OPERATOR:
                if word == b"BDC" and data.rfind(b"<", 0, at) > data.rfind(b">", 0, at):
                    return None  # in a hex string with white-space (B, D and C are hex digits)
                markers.append((at, word))
    spans: list[tuple[int, int]] = []
    depth, outside = 0, 0
    for at, word in [*sorted(markers), (len(data), b"")]:
        if depth == 0:
            found = _paths_between(data, outside, at)
            if found is None:
                return None
            spans += found
        depth += -1 if word == b"EMC" else 1
        if depth < 0:
            return None  # an EMC without its BMC: left to qpdf's parser
        if depth == 0:
            outside = at + 3
    return spans


def _occurrences(data: bytes, word: bytes):
    at = data.find(word)
    while at != -1:
        yield at
        at = data.find(word, at + 1)


def _paths_between(data: bytes, start: int, end: int) -> list[tuple[int, int]] | None:
    """The paths drawn within ``data[start:end]``, a stretch without marked content (None: unsure)."""
    if data.find(b"m", start, end) == -1 and data.find(b"re", start, end) == -1:
        return []  # no path begins here (most stretches hold only the tag of the next marked content)
    if _SPACED_HEX.search(data, start, end):
        return None
    spans = []
    operands = path = None
    for token in _TOKEN.finditer(data, start, end):
        text = token.group()
        if text[0] in _OPERAND_START or text in _OPERAND_WORDS:
            if operands is None:
                operands = token.start()
            continue
        first = token.start() if operands is None else operands
        operands = None
        if path is None and text in _PATH_START_BYTES:
            path = first
        elif path is not None and text in _PATH_END_BYTES:
            spans.append((path, token.end()))
            path = None
    return spans  # a path still open runs into marked content: left alone


def _wrapped(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    parts, done = [], 0
    for start, end in spans:
        parts += [data[done:start], b"/Artifact BMC\n", data[start:end], b"\nEMC"]
        done = end
    return b"".join([*parts, data[done:]])


def _paints_untagged(instructions: list) -> bool:
    """Whether a path is drawn outside marked content: the state machine of untagged_paths_as_artifacts."""
    depth, start = 0, False
    for instruction in instructions:
        op = str(instruction.operator)
        if depth == 0 and not start and op in PATH_START:
            start = True
        if op in ("BMC", "BDC"):
            depth, start = depth + 1, False
        elif op == "EMC":
            depth -= 1
        elif start and op in PATH_END:
            return True
    return False


class _Element:
    """A structure element read once: its node, its /S as text (kept in step when it is changed),
    how many kids it has and which of them are structure elements."""

    __slots__ = ("node", "role", "kids", "elements")

    def __init__(self, node: pikepdf.Object, role: str):
        self.node, self.role = node, role
        self.kids = 0
        self.elements: list[_Element] = []

    def rename(self, role: pikepdf.Name) -> None:
        self.node.S = role
        self.role = str(role)


def _structure(pdf: pikepdf.Pdf) -> list[_Element]:
    """Every structure element with its child elements, parents before their children, in one walk.

    Each pikepdf access crosses into C++ and costs about a microsecond: the tree is read once and
    the repairs below work on what was read.
    """
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return []
    return _walk(_Element(tree, ""))[1:]


def _walk(root: _Element) -> list[_Element]:
    """``root`` and every structure element below it, parents before their children."""
    stack, found = [root], []
    while stack:
        element = stack.pop()
        k = element.node.get("/K")
        kids = list(k) if isinstance(k, pikepdf.Array) else [k]
        element.kids = len(kids)
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and (role := kid.get("/S")) is not None:
                element.elements.append(_Element(kid, str(role) if isinstance(role, pikepdf.Name) else ""))
        stack.extend(element.elements)
        found.append(element)
    return found


# How LibreOffice writes a structure element: the role right after the type, in a plain object (no object streams).
_ELEMENT_HEAD = b"/Type/StructElem\n/S/"
_OBJECT_HEAD = re.compile(rb"(\d+) (\d+) obj\s*<<\s*\Z")
_NAME_END = frozenset(b" \t\r\n\f\0/[]<>(){}%")
_TABLE_DEPTH = 8  # a signature paragraph sits in TD, TR, maybe THead/TBody/TFoot, then Table


def _structure_to_repair(pdf: pikepdf.Pdf, raw: bytes) -> list[_Element] | None:
    """The elements the repairs below can change, found in the bytes of LibreOffice's PDF: each Table
    around a signature paragraph and each TD around a field label, with everything below them.

    Walking the whole tree costs a pikepdf call per element (146 in a two-page letter, over a
    millisecond); the element of a paragraph style is found with bytes.find and read by its object
    number. None (walk the whole tree) unless every structure element is written as LibreOffice
    writes it, none is a Note (their IDs are numbered in the order of the walk) and every element
    found reads back with that role.
    """
    if b"/ObjStm" in raw or b"/S/Note" in raw or raw.count(b"/Type/StructElem") != raw.count(_ELEMENT_HEAD):
        return None
    found: list[_Element] = []
    seen: set[tuple[int, int]] = set()
    # Tables first: a label cell inside a signature table is then already read.
    for style, around, depth in ((SIGNATURE_STYLE, pikepdf.Name.Table, _TABLE_DEPTH),
                                 (FIELD_LABEL_STYLE, pikepdf.Name.TD, 0)):
        for objgen in _objects_with_role(raw, style):
            if objgen in seen:
                continue
            try:
                node = pdf.get_object(objgen)
            except (ValueError, pikepdf.PdfError):
                return None
            if not isinstance(node, pikepdf.Dictionary) or not is_role(str(node.get("/S")), style):
                return None
            parent = node.get("/P")
            for _ in range(depth):
                if not isinstance(parent, pikepdf.Dictionary) or parent.get("/S") == around:
                    break
                parent = parent.get("/P")
            if isinstance(parent, pikepdf.Dictionary) and parent.get("/S") == around and parent.objgen not in seen:
                below = _walk(_Element(parent, str(around)))
                seen.update(element.node.objgen for element in below)
                found += below
    return found


def _objects_with_role(raw: bytes, style: str):
    """(object number, generation) of each structure element written with the role ``style``."""
    marker = _ELEMENT_HEAD + style.encode()
    for at in _occurrences(raw, marker):
        end = at + len(marker)
        variant = FIELD_LABEL_VARIANT.match(raw, end) if style == FIELD_LABEL_STYLE else None
        end = variant.end() if variant else end
        if end < len(raw) and raw[end] not in _NAME_END:
            continue  # a longer name that starts with style
        head = _OBJECT_HEAD.search(raw, max(0, at - 40), at)
        yield (int(head[1]), int(head[2])) if head else (0, 0)


def _only(element: _Element, style: str) -> bool:
    return (bool(element.elements) and len(element.elements) == element.kids
            and all(is_role(e.role, style) for e in element.elements))


def label_cells_as_row_headers(structure: list[_Element]) -> None:
    """TD cells holding only field-label paragraphs become TH with Scope Row."""
    for element in structure:
        if element.role == "/TD" and _only(element, FIELD_LABEL_STYLE):
            element.rename(pikepdf.Name.TH)
            node = element.node
            scope = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Row)
            attributes = node.get("/A")
            if attributes is None:
                node.A = scope
            elif isinstance(attributes, pikepdf.Array):
                attributes.append(scope)
            else:
                node.A = pikepdf.Array([attributes, scope])


def layout_tables_as_divs(structure: list[_Element]) -> None:
    """A table whose cells hold only signature paragraphs is layout: its parts become Div."""
    for table in structure:
        if table.role != "/Table":
            continue
        parts, cells, stack = [], 0, [table]
        while stack:
            part = stack.pop()
            parts.append(part)
            if part.role == "/TD":
                cells += 1
                if not _only(part, SIGNATURE_STYLE):
                    break
            else:
                stack.extend(e for e in part.elements if e.role in TABLE_PARTS)
        else:
            for part in parts if cells else ():
                part.rename(pikepdf.Name.Div)
