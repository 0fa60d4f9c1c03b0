"""``briefgen templates nieuw NAAM --van eigen-brief.docx``: a house style from a municipality's own
Word letter, tested on letters made from scratch (python-docx, and LibreOffice from a flat ODT)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from briefgen.housestyle import CONTACT_WITH_PHONE
from tests.cli.helpers import invoke, unbroken
from tests.cli.wordletters import libreoffice_letter, paragraphs_letter, python_docx_letter
from tests.conftest import REPO, require_soffice, write
from tests.golden.extract import docx_text

LETTER = """\
soort: raadsinformatiebrief
organisatie: hilversum
huisstijl: eigen
datum: 2021-11-16
nummer: "2021/77"
kenmerk: VB/2021/9
onderwerp: Een brief in de eigen huisstijl
secties:
  - kop: Aanleiding
    tekst: |
      Tekst van de **brief**.
ondertekening: college
"""


def _part(docx: Path, name: str) -> str:
    with zipfile.ZipFile(docx) as archive:
        return archive.read(name).decode("utf-8")


def test_a_python_docx_letter_becomes_a_house_style_that_checks_and_builds(werkmap, tmp_path):
    source = python_docx_letter(tmp_path / "eigen-brief.docx")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(source))
    assert result.exit_code == 0, result.output
    assert "Datum → {{ datum }}" in result.stdout
    assert "Ons kenmerk → {{ kenmerk or nummer }}" in result.stdout  # no label Nummer: the number is printed here
    assert "Onderwerp → {{ onderwerp }}" in result.stdout
    assert "Bijlage(n) → {{ bijlagen or 'geen' }}" in result.stdout
    # the letter paper has no page numbers: the one warning, also from templates check; besides a font
    # of python-docx's own template (Calibri, Cambria) where this machine has no stand-in of the same width
    fonts = sum("het lettertype" in line for line in result.stderr.splitlines())
    warnings = "1 waarschuwing" if fonts == 0 else f"{1 + fonts} waarschuwingen"
    assert result.stdout.endswith(f"templates/eigen.docx gemaakt: 5 velden geplaatst, {warnings}, 0 fouten.\n"
                                  "Kies hem met 'huisstijl: eigen' in content/organisaties/ID.yaml of in een brief.\n")
    assert "Bijlage(n)" not in result.stderr
    assert "geen paginanummer" in result.stderr
    template = werkmap / "templates" / "eigen.docx"
    names = zipfile.ZipFile(template).namelist()
    assert any(n.startswith("word/media/") for n in names), "the logo is kept"
    checked = invoke(werkmap, "templates", "check")
    assert checked.exit_code == 0, checked.output
    assert [line for line in checked.stderr.splitlines() if "templates/eigen.docx" in line and "lettertype" not in line] == [
        "templates/eigen.docx: waarschuwing: de huisstijl heeft geen paginanummer in kop- of voettekst: bij een brief "
        "van meer pagina's ziet de lezer niet of er een pagina ontbreekt; voeg in Word een veld 'Pagina X van Y' toe "
        "aan de voettekst"]

    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    text = docx_text(werkmap / "build/hilversum/2021/eigen.docx")
    assert "[kop eerste pagina]  Gemeente Voorbeeld" in text  # the logo, then the name
    assert "[kop] Gemeente Voorbeeld, vervolgblad" in text
    assert "[voet eerste pagina] Postbus 1, 1000 AA Voorbeeld" in text
    assert "Aan de leden van de gemeenteraad\n" in text  # the fixed addressee as written (the default aan)
    assert "Datum: | 16 november 2021" in text
    assert "Ons kenmerk: | VB/2021/9" in text
    assert "Onderwerp: | Een brief in de eigen huisstijl" in text
    assert "| Bijlage(n): | geen |" in text  # the letter has no attachments
    assert "# Aanleiding\nTekst van de brief." in text
    assert "Burgemeester en wethouders van Hilversum," in text
    for old in ("3 maart 2020", "Oude brief over kosten", "VB/2020/123", "P.S. Een naschrift.", "Huur"):
        assert old not in text  # the old letter's values and body are gone


def test_a_page_that_is_not_a4_becomes_a4_with_a_warning(werkmap, tmp_path):
    source = python_docx_letter(tmp_path / "letter.docx", letter_size=True)
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(source))
    assert result.exit_code == 0, result.output
    assert "het paginaformaat was 216 × 279 mm; A4 (210 × 297 mm) van gemaakt" in result.stderr
    assert invoke(werkmap, "templates", "check").exit_code == 0


def test_a_letter_without_a_header_block_gets_date_and_subject_and_says_so(werkmap, tmp_path):
    paragraphs_letter(tmp_path / "kaal.docx", "Geachte heer, mevrouw,", "Een brief zonder kopblok.")
    result = invoke(werkmap, "templates", "nieuw", "kaal", "--van", str(tmp_path / "kaal.docx"))
    assert result.exit_code == 0, result.output
    assert "geen kopblok gevonden" in result.stderr
    assert "geen label 'Onderwerp' gevonden; 'Onderwerp: {{ onderwerp }}' toegevoegd boven de aanhef" in result.stderr
    assert invoke(werkmap, "templates", "check").exit_code == 0


def test_an_existing_house_style_is_never_overwritten(werkmap, tmp_path):
    source = python_docx_letter(tmp_path / "eigen-brief.docx")
    before = (werkmap / "templates/huizen.docx").read_bytes()
    result = invoke(werkmap, "templates", "nieuw", "huizen", "--van", str(source))
    assert result.exit_code == 1
    assert result.stderr == "briefgen: templates/huizen.docx bestaat al; kies een andere naam of verwijder de oude huisstijl eerst\n"
    assert (werkmap / "templates/huizen.docx").read_bytes() == before


def test_wrong_input_is_refused_in_dutch(werkmap, tmp_path):
    missing = invoke(werkmap, "templates", "nieuw", "x", "--van", str(tmp_path / "weg.docx"))
    assert missing.exit_code == 2 and "bestaat niet" in missing.stderr
    bad_name = invoke(werkmap, "templates", "nieuw", "../x", "--van", str(python_docx_letter(tmp_path / "b.docx")))
    assert bad_name.exit_code == 2 and "geen geldige naam" in bad_name.stderr
    (tmp_path / "tekst.docx").write_text("geen zip")
    not_word = invoke(werkmap, "templates", "nieuw", "x", "--van", str(tmp_path / "tekst.docx"))
    assert not_word.exit_code == 1
    assert "geen Word-bestand" in not_word.stderr and "Traceback" not in not_word.output
    assert not (werkmap / "templates/x.docx").exists()


def test_a_libreoffice_letter_becomes_a_house_style_that_builds_docx_and_pdf(werkmap, tmp_path):
    soffice = require_soffice()
    source = libreoffice_letter(tmp_path, soffice)
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(source))
    assert result.exit_code == 0, result.output
    assert "Datum → {{ datum }}" in result.stdout and "Betreft → {{ onderwerp }}" in result.stdout
    assert "Zaaknummer → {{ zaaknummer }}" in result.stdout
    assert invoke(werkmap, "templates", "check").exit_code == 0
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER.replace('kenmerk: VB/2021/9\n', 'zaaknummer: Z-9\n'))
    built = invoke(werkmap, "build", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    names = zipfile.ZipFile(werkmap / "build/hilversum/2021/eigen.docx").namelist()
    assert len(names) == len(set(names)), "one docProps/core.xml, not LibreOffice's and python-docx's"
    text = docx_text(werkmap / "build/hilversum/2021/eigen.docx")
    assert "Gemeente Teststad — griffie" in text
    assert "Datum: 16 november 2021" in text and "Betreft: Een brief in de eigen huisstijl" in text
    assert "Oude tekst die verdwijnt." not in text
    pdf = subprocess.run(["pdftotext", str(werkmap / "build/hilversum/2021/eigen.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Gemeente Teststad" in pdf and "16 november 2021" in pdf and "Tekst van de brief." in pdf


def test_text_that_looks_like_a_tag_stays_text(werkmap, tmp_path):
    """A letter whose footer says '{{ geen veld }}' and whose body says '{% x' gives a template that checks."""
    doc = Document()
    doc.sections[0].footer.paragraphs[0].text = "Voetregel {{ geen veld }} en {% x"
    doc.add_paragraph("Datum: 1 mei 2020")
    doc.add_paragraph("Onderwerp: iets")
    doc.save(tmp_path / "accolades.docx")
    result = invoke(werkmap, "templates", "nieuw", "accolades", "--van", str(tmp_path / "accolades.docx"))
    assert result.exit_code == 0, result.output
    assert "1 tekstdeel/-delen met {{ of {% als gewone tekst bewaard (niet als veld)" in result.stderr
    assert invoke(werkmap, "templates", "check").exit_code == 0
    write(werkmap, "content/hilversum/2021/a.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: accolades"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/a.yaml"))
    assert built.exit_code == 0, built.output
    assert "[voet] Voetregel {{ geen veld }} en {% x" in docx_text(werkmap / "build/hilversum/2021/a.docx")


def test_a_header_block_in_content_controls_is_found_and_old_text_in_them_removed(werkmap, tmp_path):
    """Municipal Word templates often hold the header block and the text in content controls (w:sdt)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    doc = Document()
    body = doc.element.body
    for text in ("Datum: 2 februari 2020", "Onderwerp: In een inhoudsbesturingselement", "Oude tekst in een besturingselement"):
        sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
                        '</w:sdtContent></w:sdt>')
        body.insert(len(body) - 1, sdt)
    doc.save(tmp_path / "sdt.docx")
    result = invoke(werkmap, "templates", "nieuw", "sdt", "--van", str(tmp_path / "sdt.docx"))
    assert result.exit_code == 0, result.output
    assert "Datum → {{ datum }}" in result.stdout and "Onderwerp → {{ onderwerp }}" in result.stdout
    assert invoke(werkmap, "templates", "check").exit_code == 0
    write(werkmap, "content/hilversum/2021/s.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: sdt"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/s.yaml"))
    assert built.exit_code == 0, built.output
    body = Document(werkmap / "build/hilversum/2021/s.docx").element.body
    text = "\n".join("".join(t.text for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    assert "Datum: 16 november 2021\nOnderwerp: Een brief in de eigen huisstijl\n" in text
    assert "Oude tekst" not in text


def test_usage_errors_of_both_commands_are_dutch(werkmap):
    for args, message in ((("templates", "nieuw", "x"), "optie --van ontbreekt"),
                          (("templates", "nieuw"), "argument NAAM ontbreekt"),
                          (("import",), "argument BRIEF.docx ontbreekt"),
                          (("import", "--organistie", "x", "a.docx"), "onbekende optie --organistie; bedoelde u --organisatie?")):
        result = invoke(werkmap, *args)
        assert result.exit_code == 2, (args, result.output)
        assert f"briefgen: {message}" in result.stderr, (args, result.stderr)


def test_labels_in_the_page_header_get_their_fields_there(werkmap, tmp_path):
    """A letterhead with Datum and Kenmerk in the first-page header, Kenmerk again on the next pages."""
    doc = Document()
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    table = section.first_page_header.add_table(rows=2, cols=2, width=Cm(16))
    for row, (label, value) in zip(table.rows, (("Datum", "1 mei 2020"), ("Kenmerk", "OUD/1")), strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    section.header.paragraphs[0].text = "Kenmerk: OUD/1"
    doc.add_paragraph("Betreft: iets")
    doc.add_paragraph("Geachte leden van de raad,")
    doc.save(tmp_path / "kop.docx")
    result = invoke(werkmap, "templates", "nieuw", "kop", "--van", str(tmp_path / "kop.docx"))
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.splitlines()[:3]) == ["  Betreft → {{ onderwerp }}", "  Datum → {{ datum }}",
                                                      "  Kenmerk → {{ kenmerk or nummer }}"]
    assert "staat er al" not in result.stderr and "geen kopblok" not in result.stderr
    write(werkmap, "content/hilversum/2021/k.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: kop"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/k.yaml"))
    assert built.exit_code == 0, built.output
    text = docx_text(werkmap / "build/hilversum/2021/k.docx")
    assert "[kop eerste pagina] Datum | 16 november 2021 / Kenmerk | VB/2021/9" in text
    assert "[kop] Kenmerk: VB/2021/9" in text
    assert "Betreft: Een brief in de eigen huisstijl" in text
    # and back: import reads the fields from the page header
    imported = invoke(werkmap, "import", str(werkmap / "build/hilversum/2021/k.docx"), "-o", "hilversum", "--opnieuw")
    assert imported.exit_code == 0, imported.output
    from briefgen.yamlio import load

    rel = "content/hilversum/2021/een-brief-in-de-eigen-huisstijl.yaml"
    data = load(werkmap / rel, rel)[0].data
    assert (str(data["datum"]), data["kenmerk"], data["huisstijl"]) == ("2021-11-16", "VB/2021/9", "kop")


def test_a_python_docx_house_style_builds_a_pdf(werkmap, tmp_path):
    require_soffice()
    source = python_docx_letter(tmp_path / "eigen-brief.docx")
    assert invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(source)).exit_code == 0
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    built = invoke(werkmap, "build", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    pdf = subprocess.run(["pdftotext", str(werkmap / "build/hilversum/2021/eigen.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    for text in ("Gemeente Voorbeeld", "Postbus 1, 1000 AA Voorbeeld", "16 november 2021", "VB/2021/9",
                 "Een brief in de eigen huisstijl", "Tekst van de brief.", "P.I. Broertjes"):
        assert text in pdf, text


def test_a_briefgen_house_style_is_not_made_into_another(werkmap):
    result = invoke(werkmap, "templates", "nieuw", "kopie", "--van", str(REPO / "templates/huizen.docx"))
    assert result.exit_code == 1
    assert "is al een huisstijl van briefgen ({{p inhoud }}); kopieer hem naar templates/" in result.stderr
    assert not (werkmap / "templates/kopie.docx").exists()


def test_place_and_date_without_a_label_get_the_date_field(werkmap, tmp_path):
    paragraphs_letter(tmp_path / "plaats.docx", "Hilversum, 3 maart 2020", "Onderwerp: Plaats en datum",
                      "Geachte leden van de raad,", "Oude tekst.")
    result = invoke(werkmap, "templates", "nieuw", "plaats", "--van", str(tmp_path / "plaats.docx"))
    assert result.exit_code == 0, result.output
    assert "  Hilversum → {{ datum }}" in result.stdout and "geen label 'Datum'" not in result.stderr
    write(werkmap, "content/hilversum/2021/p.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: plaats"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/p.yaml"))
    assert built.exit_code == 0, built.output
    assert docx_text(werkmap / "build/hilversum/2021/p.docx").startswith(
        "Hilversum, 16 november 2021\nOnderwerp: Een brief in de eigen huisstijl\n")


def test_own_letter_paper_prints_the_number_as_kenmerk_and_counts_the_attachments(werkmap, tmp_path):
    """A letter as ``briefgen new`` writes it (a number, no kenmerk) on letter paper with 'Ons kenmerk'
    and 'Bijlage(n)': the number and the number of attachments are printed, not empty labels."""
    source = python_docx_letter(tmp_path / "eigen-brief.docx")
    assert invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(source)).exit_code == 0
    letter = LETTER.replace("kenmerk: VB/2021/9\n", "") + "bijlagen:\n  - titel: Rapport\n  - titel: Kaart\n"
    write(werkmap, "content/hilversum/2021/eigen.yaml", letter)
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    text = docx_text(werkmap / "build/hilversum/2021/eigen.docx")
    assert "Ons kenmerk: | 2021/77" in text
    assert "| Bijlage(n): | 2 |" in text


def test_letter_paper_with_a_label_for_the_number_keeps_the_kenmerk_apart(werkmap, tmp_path):
    paragraphs_letter(tmp_path / "eigen.docx", "Datum: 3 maart 2020", "Nummer: 2020/3", "Ons kenmerk: VB/1",
                      "Bijlagen: 1", "Onderwerp: Oud", "Geachte leden van de raad,", "Tekst.")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "eigen.docx"))
    assert result.exit_code == 0, result.output
    assert "Nummer → {{ nummer }}" in result.stdout
    assert "Ons kenmerk → {{ kenmerk }}" in result.stdout
    assert "Bijlagen → {{ bijlagen or 'geen' }}" in result.stdout
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER.replace("kenmerk: VB/2021/9\n", ""))
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml")).exit_code == 0
    text = docx_text(werkmap / "build/hilversum/2021/eigen.docx")
    assert "Nummer: 2021/77" in text
    assert "Ons kenmerk: \n" in text + "\n" or "Ons kenmerk:\n" in text + "\n"
    assert "Bijlagen: geen" in text


def test_a_label_name_beside_a_label_is_the_placeholder_of_its_value(werkmap, tmp_path):
    """Letter paper often shows the field's name as the value: "Betreft | Onderwerp", "Datum | Datum"."""
    doc = Document()
    table = doc.add_table(rows=0, cols=2)
    for label, value in (("Datum", "Datum"), ("Kenmerk", "Kenmerk"), ("Betreft", "Onderwerp")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.add_paragraph("Geachte leden van de raad,")
    doc.save(tmp_path / "papier.docx")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    assert ["  Datum → {{ datum }}", "  Kenmerk → {{ kenmerk or nummer }}", "  Betreft → {{ onderwerp }}"] == \
        result.stdout.splitlines()[:3]
    assert "niet gebruikt" not in result.stderr and "toegevoegd" not in result.stderr, result.stderr
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    rows = [[c.text for c in row.cells] for row in Document(str(werkmap / "build/hilversum/2021/eigen.docx")).tables[0].rows]
    assert rows == [["Datum", "16 november 2021"], ["Kenmerk", "VB/2021/9"], ["Betreft", "Een brief in de eigen huisstijl"]]
    assert "Onderwerp" not in docx_text(werkmap / "build/hilversum/2021/eigen.docx")


@pytest.mark.parametrize("below", [("", ""), ("VB/2020/3", "3 maart 2020")], ids=["letter-paper", "old-letter"])
def test_a_row_of_labels_with_an_empty_row_below_gets_the_values_below(werkmap, tmp_path, below):
    """Letter paper with 'Ons kenmerk | Datum' as a row of labels and an empty row for their values (or a
    letter with its old values there): each label stays a label and gets its value in the cell below it
    ('Datum' is no placeholder of the kenmerk)."""
    doc = Document()
    table = doc.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Ons kenmerk", "Datum"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = below
    doc.add_paragraph("Betreft: iets")
    doc.add_paragraph("Geachte leden van de raad,")
    doc.save(tmp_path / "papier.docx")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    assert "  Datum → {{ datum }}" in result.stdout.splitlines(), result.stdout
    assert "niet gebruikt" not in result.stderr and "toegevoegd" not in result.stderr, result.stderr
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    rows = [[c.text for c in row.cells] for row in Document(str(werkmap / "build/hilversum/2021/eigen.docx")).tables[0].rows]
    assert rows == [["Ons kenmerk", "Datum"], ["VB/2021/9", "16 november 2021"]]


_TEXT_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0"
 layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="page"><wp:posOffset>4500000
</wp:posOffset></wp:positionH><wp:positionV relativeFrom="page"><wp:posOffset>900000</wp:posOffset></wp:positionV>
<wp:extent cx="2500000" cy="900000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="5" name="Tekstvak 1"/><wp:cNvGraphicFramePr/><a:graphic>
<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>
<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2500000" cy="900000"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent>{0}</w:txbxContent></wps:txbx>
<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:rect style="width:200pt;height:70pt"><v:textbox><w:txbxContent>{0}</w:txbxContent>
</v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def test_a_header_block_in_a_text_box_keeps_the_text_box_and_gets_the_fields(werkmap, tmp_path):
    """Letter paper with Datum, Ons kenmerk and Onderwerp in a text box in the page header (as Word writes
    it: a shape and a VML copy for Word 2007): the text box stays, its labels get their fields."""
    from lxml import etree

    doc = Document()
    lines = ("Datum: 1 januari 2024", "Ons kenmerk: Z/24/000000", "Onderwerp: Oud onderwerp")
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{line}</w:t></w:r></w:p>" for line in lines)
    doc.sections[0].header.paragraphs[0]._p.append(etree.fromstring(_TEXT_BOX.format(paragraphs)))
    doc.add_paragraph("Geachte leden van de raad,")
    doc.add_paragraph("Oude tekst.")
    doc.save(tmp_path / "tekstvak.docx")
    result = invoke(werkmap, "templates", "nieuw", "tv", "--van", str(tmp_path / "tekstvak.docx"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == ["  Datum → {{ datum }}", "  Ons kenmerk → {{ kenmerk }}",  # Z/24/…: its own form
                                              "  Onderwerp → {{ onderwerp }}"]
    assert "niet gebruikt" not in result.stderr and "toegevoegd" not in result.stderr, result.stderr
    write(werkmap, "content/hilversum/2021/t.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: tv"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/t.yaml"))
    assert built.exit_code == 0, built.output
    header = _part(werkmap / "build/hilversum/2021/t.docx", "word/header1.xml")
    assert header.count("<w:txbxContent>") == 1 and "<wps:txbx>" in header  # the shape, without the old copy
    boxed = [" ".join(t.text or "" for t in p.iter(qn("w:t")))
             for p in etree.fromstring(header.encode()).iter(qn("w:p")) if p.getparent().tag == qn("w:txbxContent")]
    assert boxed == ["Datum:  16 november 2021", "Ons kenmerk:  VB/2021/9", "Onderwerp:  Een brief in de eigen huisstijl"]
    assert "Geachte" not in header and "Oude tekst" not in docx_text(werkmap / "build/hilversum/2021/t.docx")


def test_letter_paper_with_two_sections_keeps_the_header_and_footer_of_the_first(werkmap, tmp_path):
    """A continuous section break after the header block: the header and footer belong to the first
    section and the last one links to them ("link to previous"); the template has one section that shows them."""
    from docx.enum.section import WD_SECTION

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Gemeente Oude IJsselstreek - briefhoofd"
    doc.sections[0].footer.paragraphs[0].text = "Postbus 42, 7080 AA Gendringen"
    for line in ("Datum: 1 januari 2024", "Ons kenmerk: Z/24/0001", "Onderwerp: Voorbeeld"):
        doc.add_paragraph(line)
    doc.add_section(WD_SECTION.CONTINUOUS)
    for line in ("Geachte leden van de raad,", "Tekst.", "Hoogachtend,"):
        doc.add_paragraph(line)
    doc.save(tmp_path / "secties.docx")
    result = invoke(werkmap, "templates", "nieuw", "sec", "--van", str(tmp_path / "secties.docx"))
    assert result.exit_code == 0, result.output
    assert "de brief had 2 secties; samengevoegd tot één" in result.stderr
    assert _part(werkmap / "templates/sec.docx", "word/document.xml").count("<w:sectPr") == 1
    write(werkmap, "content/hilversum/2021/s.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: sec"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/s.yaml"))
    assert built.exit_code == 0, built.output
    text = docx_text(werkmap / "build/hilversum/2021/s.docx")
    assert "[kop] Gemeente Oude IJsselstreek - briefhoofd" in text
    assert "[voet] Postbus 42, 7080 AA Gendringen" in text


@pytest.mark.parametrize("lines", [("Datum: 1 januari 2024", "Onderwerp: Voorbeeld", "Gendringen, 1 januari 2024", "Aan: x"),
                                   ("Datum: 1 januari 2024", "Onderwerp: Voorbeeld", "Gendringen, 1 januari 2024")],
                         ids=["between-labels", "after-the-last-label"])
def test_a_place_and_date_line_beside_a_label_datum_gets_the_date_field(werkmap, tmp_path, lines):
    """Never a fixed old date on every letter, and the line does not vanish after the last label."""
    paragraphs_letter(tmp_path / "plaatsdatum.docx", *lines, "Geachte leden van de raad,", "Oude tekst.")
    result = invoke(werkmap, "templates", "nieuw", "pd", "--van", str(tmp_path / "plaatsdatum.docx"))
    assert result.exit_code == 0, result.output
    assert ("'Gendringen, 1 januari 2024' wordt 'Gendringen, {{ datum }}': de datum staat ook al bij het label Datum"
            in result.stderr)
    write(werkmap, "content/hilversum/2021/p.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: pd"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/p.yaml"))
    assert built.exit_code == 0, built.output
    text = docx_text(werkmap / "build/hilversum/2021/p.docx")
    assert "Gendringen, 16 november 2021\n" in text
    assert "2024" not in text


def test_a_fixed_addressee_in_the_letter_paper_becomes_the_field_aan(werkmap, tmp_path):
    paragraphs_letter(tmp_path / "papier.docx", "Aan de leden van de gemeenteraad", "Datum: 1 januari 2024",
                      "Onderwerp: Voorbeeld", "Geachte leden van de raad,", "Tekst.")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "papier.docx"))
    assert result.exit_code == 0, result.output
    assert "  Aan de leden van de gemeenteraad → {{ aan }}" in result.stdout.splitlines()
    letter = LETTER.replace("onderwerp:", "aan: De leden van de commissie Samenleving\nonderwerp:")
    write(werkmap, "content/hilversum/2021/eigen.yaml", letter)
    write(werkmap, "content/hilversum/2021/standaard.yaml", LETTER.replace('nummer: "2021/77"', 'nummer: "2021/78"'))
    for name, shown in (("eigen", "Aan de leden van de commissie Samenleving"), ("standaard", "Aan de leden van de gemeenteraad")):
        built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / f"content/hilversum/2021/{name}.yaml"))
        assert built.exit_code == 0, built.output
        assert docx_text(werkmap / f"build/hilversum/2021/{name}.docx").startswith(shown + "\n"), name


def test_the_label_cells_of_the_header_block_are_row_headers_in_the_pdf(werkmap, tmp_path):
    """docs/publicatie.md: the labels of a fields block have the paragraph style Veldnaam, so the PDF tags
    them TH (Scope Row); a house style of its own gives its label cells that style, based on their own."""
    import pikepdf

    from briefgen.builders.rolestyles import FIELD_LABEL_STYLE

    require_soffice()
    source = python_docx_letter(tmp_path / "eigen-brief.docx")
    assert invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(source)).exit_code == 0
    template = Document(str(werkmap / "templates/eigen.docx"))
    labels = [row.cells[0].paragraphs[0] for row in template.tables[0].rows]
    assert [(p.text, p.style.name) for p in labels] == [(label, FIELD_LABEL_STYLE) for label in
                                                        ("Datum:", "Ons kenmerk:", "Onderwerp:", "Bijlage(n):")]
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    built = invoke(werkmap, "build", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    headers = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.S == pikepdf.Name.TH:
                headers.append(node)
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(werkmap / "build/hilversum/2021/eigen.pdf") as pdf:
        walk(pdf.Root.StructTreeRoot.K)
        assert len(headers) == 4  # Datum, Ons kenmerk, Onderwerp, Bijlage(n)


def test_a_text_box_anchored_in_the_header_block_stays_whole(werkmap, tmp_path):
    """A text box (the return address) anchored in a label paragraph of the header block: its text is
    no letter text to drop, and an emptied text box would be a broken document."""
    from lxml import etree

    doc = Document()
    doc.add_paragraph("Datum: 1 januari 2024")._p.append(etree.fromstring(_TEXT_BOX.format(
        "<w:p><w:r><w:t>Retouradres: Postbus 42</w:t></w:r></w:p>")))
    for line in ("Onderwerp: Oud", "Geachte leden van de raad,", "Oude tekst."):
        doc.add_paragraph(line)
    doc.save(tmp_path / "retour.docx")
    result = invoke(werkmap, "templates", "nieuw", "retour", "--van", str(tmp_path / "retour.docx"))
    assert result.exit_code == 0, result.output
    write(werkmap, "content/hilversum/2021/r.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: retour"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/r.yaml"))
    assert built.exit_code == 0, built.output
    document = _part(werkmap / "build/hilversum/2021/r.docx", "word/document.xml")
    assert "Retouradres: Postbus 42" in document and "Oude tekst" not in document
    assert "16 november 2021" in document


def test_labels_of_different_styles_keep_their_look(werkmap, tmp_path):
    """Every label got Veldnaam, based on the first label's style: a bold 11 pt 'Onderwerp' became 7 pt grey
    like 'Datum', and its own style was dropped as unused. Each style of the labels gets a Veldnaam of its own."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    from briefgen.builders.rolestyles import FIELD_LABEL_STYLE, is_role

    doc = Document()
    small = doc.styles.add_style("Klein", WD_STYLE_TYPE.PARAGRAPH)
    small.font.size, small.font.color.rgb = Pt(7), RGBColor(0x80, 0x80, 0x80)
    big = doc.styles.add_style("LabelVet", WD_STYLE_TYPE.PARAGRAPH)
    big.font.size, big.font.bold = Pt(11), True
    table = doc.add_table(rows=3, cols=2)
    for i, (label, value, style) in enumerate([("Datum", "3 maart 2020", "Klein"), ("Kenmerk", "2020/12", "Klein"),
                                               ("Onderwerp", "Zwembad", "LabelVet")]):
        table.cell(i, 0).text, table.cell(i, 1).text = label, value
        table.cell(i, 0).paragraphs[0].style = doc.styles[style]
    doc.add_paragraph("Geachte leden van de raad,")
    doc.add_paragraph("Tekst van de brief.")
    doc.save(tmp_path / "bron.docx")
    made = invoke(werkmap, "templates", "nieuw", "proef", "--van", str(tmp_path / "bron.docx"))
    assert made.exit_code == 0, made.output
    template = Document(str(werkmap / "templates/proef.docx"))
    labels = {row.cells[0].paragraphs[0].text: row.cells[0].paragraphs[0].style for row in template.tables[0].rows}
    datum, kenmerk, onderwerp = (next(s for t, s in labels.items() if t.startswith(w)) for w in
                                 ("Datum", "Kenmerk", "Onderwerp"))
    assert datum.name == kenmerk.name == FIELD_LABEL_STYLE and onderwerp.name != FIELD_LABEL_STYLE, labels
    assert is_role(f"/{onderwerp.name}", FIELD_LABEL_STYLE), onderwerp.name
    assert datum.base_style.name == "Klein" and onderwerp.base_style.name == "LabelVet"
    assert onderwerp.base_style.font.size == Pt(11) and onderwerp.base_style.font.bold
    assert datum.base_style.font.size == Pt(7)
    require_soffice()
    import pikepdf

    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER.replace("huisstijl: eigen", "huisstijl: proef"))
    built = invoke(werkmap, "build", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    with pikepdf.open(werkmap / "build/hilversum/2021/eigen.pdf") as pdf:
        roles = [str(node.S) for node in _structure(pdf.Root.StructTreeRoot.K)]
        assert roles.count("/TH") == 3, roles  # Datum, Kenmerk and Onderwerp: row headers, whatever their style


def _structure(node):
    """The structure elements below ``node``, in order."""
    import pikepdf

    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _structure(child)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        if "/K" in node:
            yield from _structure(node.K)


WITH_PHONE = 'contactpersonen:\n  - naam: J. de Vries\n    telefoon: "0306594211"\n'
PHONE = "030\u00a0659\u00a042\u00a011"  # as briefgen writes a number: never broken over two lines


def test_a_contact_label_without_a_phone_label_shows_the_contacts_phone(werkmap, tmp_path):
    """Letter paper with 'Contactpersoon: J. de Vries, telefoon …' and no label of its own for the phone: the
    built DOCX shows the contact's phone beside the name, as the old letter did; without a phone, just the name."""
    paragraphs_letter(tmp_path / "eigen.docx", "Datum: 3 maart 2020",
                      "Contactpersoon: J. de Vries, telefoon 030 659 42 11", "Onderwerp: Oud",
                      "Geachte leden van de raad,", "Tekst.")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "eigen.docx"))
    assert result.exit_code == 0, result.output
    assert ("Contactpersoon → {{ informatie_bij }}{% if informatie_telefoon %}, telefoon {{ informatie_telefoon }}"
            "{% endif %}") in result.stdout
    path = werkmap / "content/hilversum/2021/eigen.yaml"
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER + WITH_PHONE)
    built = invoke(werkmap, "build", "--formaat", "docx", str(path))
    assert built.exit_code == 0, built.output
    assert f"Contactpersoon: {unbroken('J. de Vries')}, telefoon {PHONE}\n" in docx_text(werkmap / "build/hilversum/2021/eigen.docx")
    assert "telefoon" not in built.stderr  # shown: no warning
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER + WITH_PHONE.replace('    telefoon: "0306594211"\n',
                                                                                   "    email: j.devries@example.nl\n"))
    assert invoke(werkmap, "build", "--formaat", "docx", str(path)).exit_code == 0
    assert f"Contactpersoon: {unbroken('J. de Vries')}\n" in docx_text(werkmap / "build/hilversum/2021/eigen.docx") + "\n"


def test_a_contact_label_beside_a_phone_label_keeps_the_name_alone(werkmap, tmp_path):
    paragraphs_letter(tmp_path / "eigen.docx", "Datum: 3 maart 2020", "Contactpersoon: J. de Vries",
                      "Telefoon: 030 659 42 11", "Onderwerp: Oud", "Geachte leden van de raad,", "Tekst.")
    result = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "eigen.docx"))
    assert result.exit_code == 0, result.output
    assert "Contactpersoon → {{ informatie_bij }}\n" in result.stdout
    assert "Telefoon → {{ informatie_telefoon }}\n" in result.stdout
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER + WITH_PHONE)
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml")).exit_code == 0
    text = docx_text(werkmap / "build/hilversum/2021/eigen.docx")
    assert f"Contactpersoon: {unbroken('J. de Vries')}\n" in text and f"Telefoon: {PHONE}\n" in text


@pytest.mark.parametrize("beside", ["{{ informatie_bij }}", "{{ contactpersonen | contacten }}"])
def test_check_warns_when_the_house_style_does_not_show_a_contacts_phone(werkmap, tmp_path, beside):
    """A house style made before it showed the phone ('Contactpersoon: {{ informatie_bij }}' alone): check says
    the contact's phone is not in the DOCX and the PDF, at the phone in the letter; not when it is shown (also
    through the filter contacten, which writes names with their phones)."""
    paragraphs_letter(tmp_path / "eigen.docx", "Datum: 3 maart 2020", "Contactpersoon: J. de Vries", "Onderwerp: Oud",
                      "Geachte leden van de raad,", "Tekst.")
    assert invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "eigen.docx")).exit_code == 0
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER + WITH_PHONE)
    letter = werkmap / "content/hilversum/2021/eigen.yaml"
    assert "telefoon" not in invoke(werkmap, "check", str(letter)).stderr
    template = werkmap / "templates" / "eigen.docx"
    with zipfile.ZipFile(template) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    document = parts["word/document.xml"].decode("utf-8")
    without = document.replace(CONTACT_WITH_PHONE, beside)
    assert without != document
    parts["word/document.xml"] = without.encode("utf-8")
    with zipfile.ZipFile(template, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    checked = invoke(werkmap, "check", str(letter))
    line = LETTER.count("\n") + 3  # the line of 'telefoon:'
    warning = (f"content/hilversum/2021/eigen.yaml:{line}:15: waarschuwing: de huisstijl 'eigen' toont het telefoonnummer "
               f"van contactpersoon J. de Vries niet: {PHONE} staat niet in de DOCX en de PDF")
    assert (warning in checked.stderr) is (beside == "{{ informatie_bij }}"), checked.output


@pytest.mark.parametrize("in_table", [False, True], ids=["paragraph", "signature-table"])
def test_the_letters_own_line_above_the_signatures_is_printed(werkmap, tmp_path, in_table):
    """'Het college van burgemeester en wethouders van Zeist,' in the griffie's letter is what her letters print
    above the signatures when the college signs, not briefgen's 'Burgemeester en wethouders van …,'."""
    doc = Document()
    for line in ("Datum: 3 maart 2020", "Onderwerp: Oud onderwerp", "Geachte leden van de raad,", "Oude tekst.",
                 "Burgemeester en wethouders van Zeist hebben besloten.", "Met vriendelijke groet,"):
        doc.add_paragraph(line)
    own = "Het college van burgemeester en wethouders van Zeist,"
    if in_table:
        cells = doc.add_table(rows=1, cols=2).rows[0].cells
        cells[0].text, cells[1].text = f"{own}\nde secretaris,\n\nA. Jansen", "de burgemeester,\n\nK. Pieters"
    else:
        for line in (own, "de secretaris,\tde burgemeester,", "A. Jansen\tK. Pieters"):
            doc.add_paragraph(line)
    doc.save(str(tmp_path / "eigen-brief.docx"))
    made = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "eigen-brief.docx"))
    assert made.exit_code == 0, made.output
    assert f"Regel boven de ondertekening (als het college tekent) uit de brief: {own}\n" in made.stdout
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml"))
    assert built.exit_code == 0, built.output
    text = docx_text(werkmap / "build/hilversum/2021/eigen.docx")
    assert f"\n{own}\n" in text, text
    assert "Burgemeester en wethouders van" not in text


def test_a_sentence_of_the_letter_is_no_line_above_the_signatures(werkmap, tmp_path):
    source = paragraphs_letter(tmp_path / "eigen.docx", "Datum: 3 maart 2020", "Onderwerp: Oud", "Geachte leden van de raad,",
                               "Het college van burgemeester en wethouders van Zeist heeft op 1 maart besloten.",
                               "Met vriendelijke groet,", "de burgemeester,", "K. Pieters")
    assert invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(source)).exit_code == 0
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml")).exit_code == 0
    assert "\nBurgemeester en wethouders van Hilversum,\n" in docx_text(werkmap / "build/hilversum/2021/eigen.docx")


@pytest.mark.parametrize("where", ["copy-list", "soft-return", "data-table"])
def test_only_the_line_after_the_closing_formula_is_the_line_above_the_signatures(werkmap, tmp_path, where):
    """A copy list after the signatures, a sentence of the letter broken by a soft return or a cell of a data table
    that begins as the line above the signatures is none: the house style keeps briefgen's line."""
    doc = Document()
    for line in ("Datum: 3 maart 2020", "Onderwerp: Oud", "Geachte leden van de raad,"):
        doc.add_paragraph(line)
    if where == "soft-return":
        doc.add_paragraph("Burgemeester en wethouders van Zeist,\nhebben op 1 maart besloten.")
    if where == "data-table":
        cells = doc.add_table(rows=1, cols=2).rows[0].cells
        cells[0].text, cells[1].text = "Burgemeester en wethouders van Zeist,", "1 maart 2020"
    for line in ("Met vriendelijke groet,", "de burgemeester,", "K. Pieters"):
        doc.add_paragraph(line)
    if where == "copy-list":
        for line in ("Afschrift aan:", "Burgemeester en wethouders van De Bilt,"):
            doc.add_paragraph(line)
    doc.save(str(tmp_path / "eigen-brief.docx"))
    made = invoke(werkmap, "templates", "nieuw", "eigen", "--van", str(tmp_path / "eigen-brief.docx"))
    assert made.exit_code == 0, made.output
    assert "Regel boven de ondertekening" not in made.stdout
    write(werkmap, "content/hilversum/2021/eigen.yaml", LETTER)
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/eigen.yaml")).exit_code == 0
    text = docx_text(werkmap / "build/hilversum/2021/eigen.docx")
    assert "\nBurgemeester en wethouders van Hilversum,\n" in text, text
