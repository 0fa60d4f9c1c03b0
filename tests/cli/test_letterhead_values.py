"""``briefgen templates nieuw`` from letter paper whose header block keeps old values where a label alone
stands above its value, or where only spaces separate them (as in a text box): no old value stays."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from lxml import etree

from tests.cli.helpers import invoke
from tests.cli.test_templates_new import _TEXT_BOX

OLD = ("1 januari 2024", "Z/24/000000", "Oud onderwerp", "1006608")


def _stories(docx) -> str:
    with zipfile.ZipFile(docx) as archive:
        names = [n for n in archive.namelist() if n.startswith(("word/document", "word/header", "word/footer"))]
        return "\n".join(archive.read(n).decode("utf-8") for n in names)


@pytest.mark.parametrize("lines", [
    ("Datum", "1 januari 2024", "Ons kenmerk", "Z/24/000000", "Onderwerp", "Oud onderwerp"),
    ("Datum 1 januari 2024", "Ons kenmerk  Z/24/000000", "Onderwerp Oud onderwerp", "zaaknummer 1006608"),
], ids=["value-below", "value-after-spaces"])
@pytest.mark.parametrize("where", ["header", "body"])
def test_old_values_in_a_text_box_become_fields(werkmap, tmp_path, lines, where):
    doc = Document()
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{line}</w:t></w:r></w:p>" for line in lines)
    box = etree.fromstring(_TEXT_BOX.format(paragraphs))
    anchor = doc.sections[0].header.paragraphs[0] if where == "header" else doc.add_paragraph()
    anchor._p.append(box)
    doc.add_paragraph("Geachte leden van de raad,")
    doc.add_paragraph("Oude tekst.")
    doc.save(tmp_path / "papier.docx")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    assert "geen label" not in result.stderr and "geen kopblok" not in result.stderr, result.stderr
    placed = result.stdout.splitlines()
    assert any(line.startswith("  Datum → {{ datum }}") for line in placed), result.stdout
    assert any("{{ kenmerk" in line for line in placed) and any("{{ onderwerp }}" in line for line in placed)
    xml = _stories(werkmap / "templates/eigen.docx")
    assert not [old for old in OLD if old in xml], xml
    assert xml.count("{{ datum }}") == 1  # in the text box, and not added above the aanhef


def test_a_label_above_its_value_in_the_body_keeps_the_label_and_gets_the_field_below(werkmap, tmp_path):
    doc = Document()
    for line in ("Datum", "3 maart 2020", "", "Kenmerk", "VB/2020/123", "Onderwerp: Oud", "Geachte leden van de raad,", "Tekst."):
        doc.add_paragraph(line)
    doc.save(tmp_path / "papier.docx")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(werkmap / "templates/eigen.docx")).paragraphs]
    assert texts[:6] == ["Datum", "{{ datum }}", "", "Kenmerk", "{{ kenmerk or nummer }}", "Onderwerp: {{ onderwerp }}"], texts
