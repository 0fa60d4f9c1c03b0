"""Headings LibreOffice leaves alone at the foot of a page, and the page break that moves them.

LibreOffice 7.4 does not always keep a heading with the text after it at the end of the first page: the heading
(``w:keepNext``) is the last line of page 1 and its text starts page 2, depending only on where the page ends (in a
sweep of 80 letters, one position of the heading in 40 on page 1; never on later pages). The PDF's structure tree
shows it; the letter is then converted again with a page break before that heading (:func:`moved`), by the PDF
worker that converted it (builders/pdf.py), in the LibreOffice it keeps running where it has one.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pikepdf
from lxml import etree

from briefgen.builders.pdfjob import PdfFailure, PdfJob, Relayout
from briefgen.fileio import write_atomic

_HEADINGS = frozenset({"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"})
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT = "word/document.xml"


def lone_headings(pdf: pikepdf.Pdf) -> tuple[int, ...]:
    """The headings (by their place among the document's headings, from 0) that end a page while the element after
    them starts the next page."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return ()
    roles = root.get("/RoleMap")
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    blocks = [(_role(element, roles), _page(element, pages)) for element in _blocks(root)]
    lone = []
    heading = 0
    for (role, page), (_, following) in zip(blocks, [*blocks[1:], (None, None)], strict=True):
        if role in _HEADINGS:
            if page is not None and following is not None and following > page:
                lone.append(heading)
            heading += 1
    return tuple(lone)


def moved(failure: Relayout) -> PdfJob | PdfFailure:
    """The letter to convert once more: its DOCX (the staged one, delivered with the PDF) with a page break before
    the headings LibreOffice left alone, not sent back again; or why it cannot be."""
    try:
        break_before(failure.job.docx, failure.headings)
    except (OSError, KeyError, ValueError) as exc:  # the staged DOCX is ours; this is not expected
        return PdfFailure(failure.job, f"kop niet naar de volgende pagina verplaatst: {exc}")
    return dataclasses.replace(failure.job, relayout=False, second_pass=True)


def break_before(docx: Path, headings: Iterable[int]) -> None:
    """Rewrite ``docx`` with a page break before the given headings (as :func:`lone_headings` counts them: the
    body's paragraphs with an outline level, in order)."""
    from briefgen.builders.docx import packaged

    with zipfile.ZipFile(docx) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    document = etree.fromstring(members[_DOCUMENT])
    styles = members.get("word/styles.xml")
    levels = _style_levels(etree.fromstring(styles)) if styles is not None else {}
    wanted = set(headings)
    for number, properties in enumerate(_heading_properties(document, levels)):
        if number in wanted and properties.find(f"{{{_W}}}pageBreakBefore") is None:
            # the schema's order: pStyle, keepNext, keepLines, pageBreakBefore
            anchor = next((found for tag in ("keepLines", "keepNext", "pStyle")
                           if (found := properties.find(f"{{{_W}}}{tag}")) is not None), None)
            mark = etree.Element(f"{{{_W}}}pageBreakBefore")
            if anchor is not None:
                anchor.addnext(mark)
            else:
                properties.insert(0, mark)
    members[_DOCUMENT] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    write_atomic(docx, packaged(list(members.items())))


def _heading_properties(document: etree._Element, levels: dict[str, int]) -> list[etree._Element]:
    """The ``w:pPr`` of the body's headings in order, counted as LibreOffice tags them (/H1 to /H9 at the top of the
    structure tree): paragraphs directly in the body, not in a table or text box, with an outline level of 0 to 8
    (9 is body text), their own or their style's."""
    found = []
    body = document.find(f"{{{_W}}}body")
    for paragraph in body.iterfind(f"{{{_W}}}p") if body is not None else ():
        properties = paragraph.find(f"{{{_W}}}pPr")
        if properties is None:
            continue
        own = properties.find(f"{{{_W}}}outlineLvl")
        style = properties.find(f"{{{_W}}}pStyle")
        level = (_level(own) if own is not None
                 else levels.get(style.get(f"{{{_W}}}val", "")) if style is not None else None)
        if level is not None and level < 9:
            found.append(properties)
    return found


def _level(element: etree._Element) -> int | None:
    try:
        return int(element.get(f"{{{_W}}}val", ""))
    except ValueError:
        return None


def _blocks(root: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """The document's top-level structure elements in reading order (below a /Document element, if any)."""
    kids = _kids(root)
    while len(kids) == 1 and _kids(kids[0]) and kids[0].get("/S") in ("/Document", "/Part", "/Sect", "/Div"):
        kids = _kids(kids[0])
    return kids


def _kids(element: pikepdf.Object) -> list[pikepdf.Dictionary]:
    kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _role(element: pikepdf.Dictionary, roles: pikepdf.Object | None) -> str:
    role = str(element.get("/S"))
    if isinstance(roles, pikepdf.Dictionary) and role in roles:
        return str(roles[role])
    return role


def _page(element: pikepdf.Object | None, pages: dict[tuple[int, int], int]) -> int | None:
    """The page an element starts on: its own /Pg, else its first marked content's or kid's."""
    if not isinstance(element, pikepdf.Dictionary):
        return None
    page = element.get("/Pg")
    if isinstance(page, pikepdf.Dictionary):
        return pages.get(page.objgen)
    kids = element.get("/K")
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
        found = _page(kid, pages)
        if found is not None:
            return found
    return None


def _style_levels(styles: etree._Element) -> dict[str, int]:
    """The outline level of each paragraph style that has one, itself or through the styles it is based on."""
    based: dict[str, str | None] = {}
    own: dict[str, int] = {}
    for style in styles.iter(f"{{{_W}}}style"):
        ident = style.get(f"{{{_W}}}styleId")
        if ident is None or style.get(f"{{{_W}}}type") not in (None, "paragraph"):
            continue
        parent = style.find(f"{{{_W}}}basedOn")
        based[ident] = parent.get(f"{{{_W}}}val") if parent is not None else None
        level = style.find(f"{{{_W}}}pPr/{{{_W}}}outlineLvl")
        if level is not None and (value := _level(level)) is not None:
            own[ident] = value
    found = {}
    for ident in based:
        seen: set[str] = set()
        current: str | None = ident
        while current is not None and current not in seen:
            if current in own:
                found[ident] = own[current]
                break
            seen.add(current)
            current = based.get(current)
    return found
