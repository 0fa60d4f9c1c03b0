"""The example letters' PDFs, read back: PDF/A-2b, PDF/UA, nl-NL, A4, tagged structure, links."""

from __future__ import annotations

import filecmp
from collections import Counter

import pikepdf
import pytest

from tests.golden.build import build_examples, outputs
from tests.golden.test_golden import EXAMPLES

PDFA = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUA = "{http://www.aiim.org/pdfua/ns/id/}"
TITLES = {
    "hilversum/2021/inkoop-wmo-jeugd": ("Stand van zaken inkoop Wmo en Jeugd", "Gemeente Hilversum"),
    "rzou/2021/inkoop-jeugdhulp-wmo-begeleiding": ("Inkoop jeugdhulp en wmo begeleiding", "Regio Zuid Oost Utrecht"),
}


def _structure(pdf: pikepdf.Pdf) -> Counter:
    """How often each structure type occurs in the tag tree (role-mapped to standard types)."""
    roles = pdf.Root.StructTreeRoot.get("/RoleMap", {})
    counts: Counter = Counter()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if "/S" in node:
            kind = str(node.S)
            counts[str(roles.get(kind, kind)).lstrip("/")] += 1
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return counts


@pytest.fixture(scope="module")
def pdfs(pdf_build):
    return {name[: -len(".pdf")]: path for name, path in outputs(pdf_build, "pdf").items()}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_archival_accessible_dutch_a4(pdfs, name):
    with pikepdf.open(pdfs[name]) as pdf:
        meta = pdf.open_metadata()
        assert meta[f"{PDFA}part"] == "2" and meta[f"{PDFA}conformance"] == "B"
        assert meta[f"{PDFUA}part"] == "1"
        assert str(pdf.Root.Lang) == "nl-NL"
        assert bool(pdf.Root.MarkInfo.Marked)
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        for page in pdf.pages:
            width, height = (float(v) for v in page.mediabox[2:])
            assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
        fonts = [f for page in pdf.pages for f in page.Resources.get("/Font", {}).values()]
        assert fonts
        for font in fonts:
            descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont


@pytest.mark.parametrize("name", sorted(TITLES))
def test_title_and_author(pdfs, name):
    title, author = TITLES[name]
    with pikepdf.open(pdfs[name]) as pdf:
        assert str(pdf.docinfo.Title) == title and str(pdf.docinfo.Author) == author
        meta = pdf.open_metadata()
        assert meta["dc:title"] == title and meta["dc:creator"] == [author]


def test_headings_lists_and_table_headers_are_tagged(pdfs):
    with pikepdf.open(pdfs["hilversum/2016/inkoop-sociaal-domein-2017"]) as pdf:
        tags = _structure(pdf)
    assert tags["H1"] >= 4 and tags["H2"] >= 5  # KERNBOODSCHAP … and the sub-heads
    assert tags["L"] >= 1 and tags["LI"] >= 9  # 1.–6. with a.–c.
    assert tags["TH"] >= 2  # the money table's header row


def test_hyperlink_is_a_link_annotation(pdfs):
    with pikepdf.open(pdfs["rzou/2021/inkoop-jeugdhulp-wmo-begeleiding"]) as pdf:
        uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"]
        assert _structure(pdf)["Link"] == 1
    assert uris == ["http://www.zorginzou.nl/"]


def test_two_builds_are_byte_identical(pdf_build, tmp_path):
    again, report = build_examples(tmp_path, ("docx", "pdf"))
    assert report.ok
    for suffix in ("docx", "pdf"):
        first, second = outputs(pdf_build, suffix), outputs(again, suffix)
        assert first.keys() == second.keys()
        for name in first:
            assert filecmp.cmp(first[name], second[name], shallow=False), name
