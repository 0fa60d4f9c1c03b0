"""``briefgen templates nieuw`` from letter paper whose header block keeps old values where a label alone
stands above its value, or where only spaces separate them (as in a text box): no old value stays."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from lxml import etree

from tests.cli.helpers import invoke
from tests.cli.test_templates_new import _TEXT_BOX
from tests.cli.wordletters import paragraphs_letter, plain_letter

OLD = ("1 januari 2024", "Z/24/000000", "Oud onderwerp", "1006608")


def _box(lines):
    """A text box (shape and VML copy, as Word writes it) with a paragraph per line."""
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{line}</w:t></w:r></w:p>" for line in lines)
    return etree.fromstring(_TEXT_BOX.format(paragraphs))


def _new_style(werkmap, tmp_path, doc):
    """``templates nieuw eigen`` from ``doc``; its result, which succeeded."""
    doc.save(tmp_path / "papier.docx")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    return result


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
    anchor = doc.sections[0].header.paragraphs[0] if where == "header" else doc.add_paragraph()
    anchor._p.append(_box(lines))
    doc.add_paragraph("Geachte leden van de raad,")
    doc.add_paragraph("Oude tekst.")
    result = _new_style(werkmap, tmp_path, doc)
    assert "geen label" not in result.stderr and "geen kopblok" not in result.stderr, result.stderr
    placed = result.stdout.splitlines()
    assert any(line.startswith("  Datum → {{ datum }}") for line in placed), result.stdout
    assert any("{{ kenmerk" in line for line in placed) and any("{{ onderwerp }}" in line for line in placed)
    xml = _stories(werkmap / "templates/eigen.docx")
    assert not [old for old in OLD if old in xml], xml
    assert xml.count("{{ datum }}") == 1  # in the text box, and not added above the aanhef


def test_a_label_above_its_value_in_the_body_keeps_the_label_and_gets_the_field_below(werkmap, tmp_path):
    paragraphs_letter(tmp_path / "papier.docx", "Datum", "3 maart 2020", "", "Kenmerk", "VB/2020/123", "Onderwerp: Oud",
                      "Geachte leden van de raad,", "Tekst.")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(werkmap / "templates/eigen.docx")).paragraphs]
    assert texts[:6] == ["Datum", "{{ datum }}", "", "Kenmerk", "{{ kenmerk or nummer }}", "Onderwerp: {{ onderwerp }}"], texts


def test_the_addressee_line_of_the_letter_paper_keeps_aan_and_the_place(werkmap, tmp_path):
    """'Aan de leden van de gemeenteraad van Zeist': a letter with the standard addressee shows that line as
    written; a letter with an 'aan' of its own shows 'Aan' before it; 'import' of such a letter reads it back."""
    from tests.cli.test_templates_new import LETTER
    from tests.conftest import write
    from tests.golden.extract import docx_text

    plain_letter(tmp_path / "papier.docx", header=("Aan de leden van de gemeenteraad van Zeist", "Datum: 1 januari 2024",
                                                   "Onderwerp: Voorbeeld"), closing=())
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    checked = invoke(werkmap, "templates", "check")
    assert not [line for line in checked.stderr.splitlines() if "eigen.docx" in line and "lettertype" not in line
                and "paginanummer" not in line], checked.stderr
    write(werkmap, "content/hilversum/2021/standaard.yaml", LETTER)
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER.replace('nummer: "2021/77"', 'nummer: "2021/78"').replace(
        "onderwerp:", "aan: De leden van de commissie Samenleving\nonderwerp:"))
    for name, shown in (("standaard", "Aan de leden van de gemeenteraad van Zeist"),
                        ("eigen", "Aan de leden van de commissie Samenleving")):
        built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / f"content/hilversum/2021/{name}.yaml"))
        assert built.exit_code == 0, built.output
        assert docx_text(werkmap / f"build/hilversum/2021/{name}.docx").startswith(shown + "\n"), name
    imported = invoke(werkmap, "import", str(tmp_path / "papier.docx"), "-o", "hilversum")
    assert imported.exit_code == 0, imported.output
    text = (werkmap / "content/hilversum/2024/voorbeeld.yaml").read_text()
    assert "huisstijl: eigen\n" in text and "aan:" not in text  # the line its house style shows for a letter without 'aan'
    rebuilt = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2024/voorbeeld.yaml"))
    assert rebuilt.exit_code == 0, rebuilt.output
    assert docx_text(werkmap / "build/hilversum/2024/voorbeeld.docx").startswith("Aan de leden van de gemeenteraad van Zeist\n")


@pytest.mark.parametrize("anchor", ["aanhef", "title"])
def test_a_text_box_header_anchored_in_the_first_paragraph_of_the_letter_is_the_header_block(werkmap, tmp_path, anchor):
    """Word anchors a text box to a paragraph near it: here the aanhef, or a title in a heading style. Its labels
    are the header block (no 'geen label Datum', no old values); the paragraph's text goes, the text box stays."""
    from tests.cli.test_templates_new import LETTER
    from tests.conftest import write

    doc = Document()
    first = doc.add_paragraph("Geachte leden van de raad,") if anchor == "aanhef" else doc.add_heading("Informatienota", 1)
    first._p.append(_box(("Datum: 1 januari 2024", "Kenmerk: Z/24/000000", "Onderwerp: Oud onderwerp")))
    if anchor == "title":
        doc.add_paragraph("Geachte leden van de raad,")
    doc.add_paragraph("Oude tekst.")
    result = _new_style(werkmap, tmp_path, doc)
    placed = ["  Datum → {{ datum }}", "  Kenmerk → {{ kenmerk }}", "  Onderwerp → {{ onderwerp }}"]  # Z/24/…: a kenmerk of its own
    assert result.stdout.splitlines()[:3] == placed, result.stdout
    assert "geen label" not in result.stderr and "geen kopblok" not in result.stderr and "afbeelding" not in result.stderr
    xml = _stories(werkmap / "templates/eigen.docx")
    assert not [old for old in (*OLD, "Informatienota", "Oude tekst") if old in xml]
    assert xml.count("Geachte") == 0 and xml.count("<w:txbxContent>") == 1
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    assert "16 november 2021" in _stories(werkmap / "build/hilversum/2021/eigen.docx")
