"""``briefgen import``: list depth from the indentation of the old letter, and its contacts one by one."""

from __future__ import annotations

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from briefgen.yamlio import load
from tests.cli.helpers import invoke

TARGET = "content/hilversum/2020/lijsten-en-contacten.yaml"


def _letter(path, header: list[tuple[str, str]], items: list[tuple[str, str]] = ()):
    """A letter with a header table (label, value; a value's lines are paragraphs of its cell) and a body
    whose list items are (Word style, text): 'List Number 2' and 'List Bullet 2' number at the first
    level of their own list, only indented further, as many old letters nest a list."""
    doc = Document()
    table = doc.add_table(rows=0, cols=2)
    for label, value in [("Datum:", "3 maart 2020"), ("Onderwerp:", "Lijsten en contacten"), *header]:
        cells = table.add_row().cells
        cells[0].text = label
        first, *more = value.split("\n")
        cells[1].text = first
        for line in more:
            cells[1].add_paragraph(line)
    doc.add_paragraph("Geachte leden van de raad,")
    doc.add_paragraph("Tekst.")
    for style, text in items:
        doc.add_paragraph(text, style=style)
    doc.add_paragraph("Slot.")
    doc.add_paragraph("Met vriendelijke groet,")
    doc.save(path)
    return path


def _import(werkmap, source):
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    loaded, problems = load(werkmap / TARGET, TARGET)
    assert not problems, problems
    return loaded.data


def test_list_depth_follows_the_indentation_of_the_old_letter(werkmap, tmp_path):
    source = _letter(tmp_path / "brief.docx", [], [
        ("List Number", "Eerste punt:"), ("List Number 2", "onderdeel a;"), ("List Number 2", "onderdeel b."),
        ("List Number", "Tweede punt:"), ("List Bullet 2", "een los punt."), ("List Number", "Derde punt.")])
    data = _import(werkmap, source)
    assert data["secties"][0]["tekst"] == (
        "Tekst.\n\n"
        "1. Eerste punt:\n   1. onderdeel a;\n   2. onderdeel b.\n"
        "2. Tweede punt:\n   - een los punt.\n"
        "3. Derde punt.\n\nSlot.\n")


def test_several_contacts_in_the_header_each_become_a_contact(werkmap, tmp_path):
    source = _letter(tmp_path / "brief.docx", [("Informatie bij:", "E. Seijsener\nA. Rijssenbeek"),
                                               ("Tel. nr.:", "0618878359\n0610205716")])
    data = _import(werkmap, source)
    assert data["contactpersonen"] == [{"naam": "E. Seijsener", "telefoon": "0618878359"},
                                       {"naam": "A. Rijssenbeek", "telefoon": "0610205716"}]


def test_a_contact_label_is_recognised(werkmap, tmp_path):
    source = _letter(tmp_path / "brief.docx", [("Contact:", "E. Seijsener, telefoon 06 18878359; "
                                                            "A. Rijssenbeek, a.rijssenbeek@hilversum.nl")])
    result = invoke(werkmap, "import", str(source), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    assert "Contact" not in result.stderr, result.stderr  # not reported as a label without a place
    data = load(werkmap / TARGET, TARGET)[0].data
    assert data["contactpersonen"] == [{"naam": "E. Seijsener", "telefoon": "06 18878359"},
                                       {"naam": "A. Rijssenbeek", "email": "a.rijssenbeek@hilversum.nl"}]


def test_word_levels_of_one_indentation_still_nest(werkmap, tmp_path):
    source = _letter(tmp_path / "brief.docx", [], [("List Number", "Eerste punt:"), ("List Number", "onderdeel a."),
                                                   ("List Number", "Tweede punt.")])
    doc = Document(str(source))  # the second item one level deeper in Word, at the indentation of the first
    item = next(p for p in doc.paragraphs if p.text == "onderdeel a.")
    numpr = OxmlElement("w:numPr")
    ilvl, num = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    ilvl.set(qn("w:val"), "1")
    num.set(qn("w:val"), doc.styles["List Number"].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val")))
    numpr.extend([ilvl, num])
    item._p.get_or_add_pPr().append(numpr)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), "360")
    item._p.get_or_add_pPr().append(ind)
    doc.save(str(source))
    data = _import(werkmap, source)
    assert "1. Eerste punt:\n   - onderdeel a.\n2. Tweede punt.\n" in data["secties"][0]["tekst"], data["secties"][0]["tekst"]
