"""The example PDFs read back with pikepdf: what builders/pdfua.py repairs for veraPDF stays repaired."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pikepdf
import pytest

from briefgen.builders.pdfua import PATH_END, PATH_START
from briefgen.builders.rolestyles import FIELD_LABEL_STYLE, SIGNATURE_STYLE
from briefgen.werkmap import MANIFEST
from tests.golden.build import outputs
from tests.verapdf import valideer
from tests.verapdf.conftest import validate

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
SCHEMA = "{http://www.aiim.org/pdfa/ns/schema#}"
PROPERTY = "{http://www.aiim.org/pdfa/ns/property#}"
RZOU = "rzou/2021/inkoop-jeugdhulp-wmo-begeleiding.pdf"


@pytest.fixture(scope="module")
def pdfs(pdf_build):
    return outputs(pdf_build, "pdf")


def _elements(pdf: pikepdf.Pdf):
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        children = [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        stack.extend(children)
        if "/S" in node:
            yield node, children


def _attributes(node) -> list:
    attributes = node.get("/A")
    return list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]


def test_xmp_describes_the_pdfuaid_schema(pdfs):
    """PDF/A (ISO 19005-2 6.6.2.3.1): pdfuaid:part needs an extension schema; LibreOffice 7.4 omits it."""
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            xmp = ET.fromstring(pdf.Root.Metadata.read_bytes())
        schemas = {s.findtext(f"{SCHEMA}prefix"): s for s in xmp.iter(f"{RDF}li")
                   if s.find(f"{SCHEMA}namespaceURI") is not None}
        assert schemas["pdfuaid"].findtext(f"{SCHEMA}namespaceURI") == "http://www.aiim.org/pdfua/ns/id/", name
        properties = [p.findtext(f"{PROPERTY}name") for p in schemas["pdfuaid"].iter(f"{RDF}li")
                      if p.find(f"{PROPERTY}name") is not None]
        assert properties == ["part"], name


def test_pages_with_annotations_have_structure_tab_order(pdfs):
    """PDF/UA (ISO 14289-1 7.18.3): /Tabs /S as a name; LibreOffice 7.4 writes the string (S)."""
    annotated = 0
    for path in pdfs.values():
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                if "/Annots" in page.obj:
                    annotated += 1
                    assert page.obj.Tabs == pikepdf.Name.S, path
    assert annotated  # the rzou letter links to its website


def test_no_path_is_painted_outside_marked_content(pdfs):
    """PDF/UA (ISO 14289-1 7.1): the rule under rzou's header title was neither tagged nor an artifact."""
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                depth, open_path = 0, False
                for _, operator in pikepdf.parse_content_stream(page):
                    op = str(operator)
                    depth += {"BMC": 1, "BDC": 1, "EMC": -1}.get(op, 0)
                    if depth == 0 and op in PATH_START:
                        open_path = True
                    assert not (open_path and op in PATH_END), f"{name} p. {number}: pad zonder tag of artefact"
                    open_path = open_path and op not in PATH_END


def test_fields_block_labels_are_row_headers(pdfs):
    """rzou's Aan / Van / Datum / Onderwerp: TH with Scope Row, not a layout table of TD cells only."""
    with pikepdf.open(pdfs[RZOU]) as pdf:
        assert str(pdf.Root.StructTreeRoot.RoleMap[f"/{FIELD_LABEL_STYLE}"]) == "/P"
        label = pikepdf.Name(f"/{FIELD_LABEL_STYLE}")
        cells = [(node, kids) for node, kids in _elements(pdf) if kids and all(k.S == label for k in kids)]
        assert len(cells) == 4
        for node, _ in cells:
            assert node.S == pikepdf.Name.TH
            assert any(a.get("/Scope") == pikepdf.Name.Row for a in _attributes(node))


def test_valideer_writes_a_report_per_pdf_and_names_failed_rules(pdfs, tmp_path, capsys):
    """make valideer: one veraPDF run; a broken PDF fails with rule id and description, MRR per PDF."""
    build = tmp_path / "build"
    good = build / "goed" / "brief.pdf"
    good.parent.mkdir(parents=True)
    shutil.copy(pdfs[RZOU], good)
    broken = build / "kapot.pdf"
    with pikepdf.open(pdfs[RZOU]) as pdf:
        for page in pdf.pages:
            if "/Annots" in page.obj:
                page.obj.Tabs = pikepdf.String("S")  # as LibreOffice 7.4 wrote it
        pdf.save(broken)
    unclaimed = build / "zonder-ua.pdf"
    with pikepdf.open(pdfs[RZOU]) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            del meta["pdfuaid:part"]
        pdf.save(unclaimed)
    validate([])  # skips (or fails in CI) here when veraPDF cannot run
    code = valideer.main([str(tmp_path)])  # a werkmap, as make valideer MAP=werkmap gives it: its build/
    out = capsys.readouterr().out
    assert not (tmp_path / "validatie").exists()
    assert code == 1
    assert "in orde  goed/brief.pdf" in out
    assert "FOUT     kapot.pdf" in out and "ISO 14289-1:2014 7.18.3-1" in out and "key Tabs" in out
    assert "PDF/UA-1: niet gevalideerd" in out
    for pdf in (good, broken, unclaimed):
        report = ET.parse(build / "validatie" / pdf.relative_to(build).with_suffix(".xml")).getroot()
        [name] = [n.text for n in report.iter("name")]
        assert name.endswith(pdf.name)
        assert report.find("buildInformation") is not None
        assert len(list(report.iter("validationReport"))) >= 1


def test_signature_block_is_not_a_table(pdfs):
    """The two signers side by side are layout: Div, not a Table of two TD cells."""
    signature = pikepdf.Name(f"/{SIGNATURE_STYLE}")
    signed = 0
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            signers = [node for node, kids in _elements(pdf) if kids and all(k.S == signature for k in kids)]
            assert len(signers) in (0, 2), name  # the huizen letter is not signed
            signed += bool(signers)
            assert all(node.S == pikepdf.Name.Div for node in signers), name
            tables = [node for node, _ in _elements(pdf) if node.S == pikepdf.Name.Table]
            assert all(_has_header(node) for node in tables), name
    assert signed >= 3


def _has_header(table) -> bool:
    """Every table left in a letter is a data table: it has header cells (TH)."""
    stack = [table]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        if node.get("/S") == pikepdf.Name.TH:
            return True
        stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)
    return False


def test_valideer_takes_a_werkmap_or_its_build_folder(tmp_path):
    """MAP=werkmap validates its build/; a build folder (with its manifest) is itself, also with a
    letter folder named build in it; any other folder is itself."""
    werkmap = tmp_path / "werkmap"
    (werkmap / "build" / "build").mkdir(parents=True)
    assert valideer.build_folder(werkmap) == werkmap / "build"
    (werkmap / "build" / MANIFEST).write_text("{}")
    assert valideer.build_folder(werkmap / "build") == werkmap / "build"
    assert valideer.build_folder(tmp_path / "los") == tmp_path / "los"
