"""Word structure of the built example letters, read from the DOCX XML: lists, links, headings, tables."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from tests.golden.build import outputs

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def _part(path, name):
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


@pytest.fixture(scope="module")
def rib2016(docx_build):
    return outputs(docx_build, "docx")["hilversum/2016/inkoop-sociaal-domein-2017.docx"]


def _list_paragraphs(document):
    """(numId, ilvl, text) of every numbered paragraph in the body."""
    out = []
    for p in document.iterfind(".//w:body/w:p", NS):
        numpr = p.find("w:pPr/w:numPr", NS)
        if numpr is not None:
            text = "".join(p.itertext())
            out.append((numpr.find("w:numId", NS).get(f"{{{W}}}val"), int(numpr.find("w:ilvl", NS).get(f"{{{W}}}val")), text))
    return out


def test_numbered_list_with_lettered_sublist(rib2016):
    document = _part(rib2016, "word/document.xml")
    numbering = _part(rib2016, "word/numbering.xml")
    items = _list_paragraphs(document)
    top = [i for i in items if i[2].startswith("De voorziening maatschappelijke ondersteuning bevat")]
    sub = [i for i in items if i[2].startswith("een nieuwe voorziening zelfstandig leven")]
    assert top and sub and top[0][0] == sub[0][0] and (top[0][1], sub[0][1]) == (0, 1)
    num = numbering.find(f"w:num[@w:numId='{top[0][0]}']", NS)
    abstract = numbering.find(f"w:abstractNum[@w:abstractNumId='{num.find('w:abstractNumId', NS).get(f'{{{W}}}val')}']", NS)
    formats = [lvl.find("w:numFmt", NS).get(f"{{{W}}}val") for lvl in abstract.iterfind("w:lvl", NS)]
    assert formats[:2] == ["decimal", "lowerLetter"]
    assert len([i for i in items if i[0] == top[0][0] and i[1] == 0]) == 6  # 1.–6.


def test_every_list_restarts_its_numbering(docx_build):
    for path in outputs(docx_build, "docx").values():
        document, numbering = _part(path, "word/document.xml"), _part(path, "word/numbering.xml")
        used = {num_id for num_id, _, _ in _list_paragraphs(document)}
        for num_id in used:
            num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
            start = num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS)
            assert start is not None and start.get(f"{{{W}}}val") == "1", (path.name, num_id)


def test_hyperlink_has_an_external_relationship(docx_build):
    path = outputs(docx_build, "docx")["rzou/2021/inkoop-jeugdhulp-wmo-begeleiding.docx"]
    document = _part(path, "word/document.xml")
    rels = _part(path, "word/_rels/document.xml.rels")
    [link] = document.iterfind(".//w:hyperlink", NS)
    rel = rels.find(f"{{*}}Relationship[@Id='{link.get(f'{{{R}}}id')}']")
    assert rel.get("Target") == "http://www.zorginzou.nl/" and rel.get("TargetMode") == "External"
    assert "".join(link.itertext()) == "www.zorginzou.nl"


def test_headings_use_the_template_heading_styles(rib2016):
    document = _part(rib2016, "word/document.xml")
    styles = {}
    for p in document.iterfind(".//w:body/w:p", NS):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None:
            styles.setdefault(style.get(f"{{{W}}}val"), []).append("".join(p.itertext()))
    assert "KERNBOODSCHAP" in styles["Heading1"]
    assert "Keuze voor kwaliteit" in styles["Heading2"]
    assert "1 Maatwerk & keuzevrijheid voor de inwoner" in styles["Heading2"]


def test_data_tables_repeat_their_header_row_and_right_align_numbers(rib2016):
    document = _part(rib2016, "word/document.xml")
    tables = [t for t in document.iterfind(".//w:body/w:tbl", NS) if "Geschatte contractwaarde" in "".join(t.itertext())]
    [table] = tables
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    amount = rows[1].findall("w:tc", NS)[1].find("w:p/w:pPr/w:jc", NS)
    assert amount.get(f"{{{W}}}val") in ("right", "end")
    total = rows[-1]
    assert "".join(total.itertext()).startswith("Totaal") and total.find(".//w:rPr/w:b", NS) is not None


def test_language_and_core_properties(rib2016):
    styles = _part(rib2016, "word/styles.xml")
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{{{W}}}val") == "nl-NL"
    core = _part(rib2016, "docProps/core.xml")
    text = {el.tag.split("}")[1]: el.text for el in core}
    assert text["title"] == "Inkoop sociaal domein 2017"
    assert text["creator"] == "Gemeente Hilversum"
    assert text["created"].startswith("2016-07-12") and text["modified"].startswith("2016-07-12")
    assert "python-docx" not in etree.tostring(core).decode()
    sect = _part(rib2016, "word/document.xml").find(".//w:body/w:sectPr/w:pgSz", NS)
    assert (sect.get(f"{{{W}}}w"), sect.get(f"{{{W}}}h")) == ("11906", "16838")


def test_special_characters_are_literal_in_word(rib2016):
    raw = zipfile.ZipFile(rib2016).read("word/document.xml").decode()
    assert "Maatwerk &amp; keuzevrijheid" in raw


def test_names_of_signers_and_contacts_never_break(rib2016):
    """'I.C. de / Vries' under a signature: the names have no-break spaces, the titles and the text ordinary ones."""
    texts = ["".join(t.text or "" for t in p.iterfind(".//w:t", NS))
             for p in _part(rib2016, "word/document.xml").iterfind(".//w:p", NS)]
    for name in ("I.C. de Vries", "P.I. Broertjes", "Dhr. G.Q van den Broek"):
        assert name.replace(" ", "\u00a0") in texts, name
        assert name not in "\n".join(texts), name
    assert "de secretaris," in texts and "de burgemeester," in texts
