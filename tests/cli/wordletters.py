"""Word letters as a municipality has them, made from scratch: with python-docx, or as a flat
OpenDocument file that LibreOffice converts to .docx (never one of briefgen's own templates)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from PIL import Image

from tests.conftest import TEST_SIGNER


def _logo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 30, 30)).save(out, format="PNG")
    out.seek(0)
    return out


def add_link(paragraph, text: str, url: str) -> None:
    """A hyperlink to ``url`` with ``text`` at the end of the paragraph."""
    rel = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def python_docx_letter(path: Path, *, letter_size: bool = False, signer: str = "P.I. Broertjes",
                       total: str = "1.500") -> Path:
    """A letter of 'Gemeente Voorbeeld': logo and name in the first-page header, a running header,
    a footer, a header block as a table (with a label briefgen has no field for), and a body."""
    doc = Document()
    section = doc.sections[0]
    if letter_size:
        section.page_width, section.page_height = Emu(12240 * 635), Emu(15840 * 635)
    else:
        section.page_width, section.page_height = Emu(11906 * 635), Emu(16838 * 635)
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    first.add_run().add_picture(_logo(), height=Cm(1.5))
    first.add_run(" Gemeente Voorbeeld")
    section.header.paragraphs[0].text = "Gemeente Voorbeeld, vervolgblad"
    section.first_page_footer.paragraphs[0].text = "Postbus 1, 1000 AA Voorbeeld"
    doc.add_paragraph("Aan de leden van de gemeenteraad")
    table = doc.add_table(rows=0, cols=2)
    for label, value in (("Datum:", "3 maart 2020"), ("Ons kenmerk:", "VB/2020/123"), ("Onderwerp:", "Oude brief over kosten"),
                         ("Bijlage(n):", "2")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.add_paragraph("Geachte leden van de raad,")
    doc.add_heading("Aanleiding", level=1)
    body = doc.add_paragraph("Dit is ")
    body.add_run("vet").bold = True
    body.add_run(" en ")
    body.add_run("schuin").italic = True
    body.add_run(", zie ")
    add_link(body, "de website", "https://www.voorbeeld.nl/")
    body.add_run(". Een ster * en {{ accolades }} blijven tekst.")
    doc.add_paragraph("Betreft: dit staat in de tekst en is geen kopblok.")
    doc.add_heading("Details", level=2)
    doc.add_paragraph("eerste punt", style="List Bullet")
    doc.add_paragraph("tweede punt", style="List Bullet")
    doc.add_heading("Kosten", level=1)
    doc.add_paragraph("De kosten per post:")
    doc.add_paragraph("Kosten per post", style="Caption")
    costs = doc.add_table(rows=0, cols=2)
    for row in (("Datum", "Bedrag"), ("Huur", "€ 1.000"), ("Licht", "€ 500"), ("Totaal", f"€ {total}")):
        cells = costs.add_row().cells
        cells[0].text, cells[1].text = row
    doc.add_paragraph("Vragen? U kunt contact opnemen met E. Seijsener voor Wmo (06 18878359).")
    doc.add_paragraph("Met vriendelijke groet,")
    doc.add_paragraph("Burgemeester en wethouders van Hilversum,")
    signature = doc.add_table(rows=1, cols=2)
    for cell, (title, name) in zip(signature.rows[0].cells, (("de secretaris,", TEST_SIGNER), ("de burgemeester,", signer)), strict=True):
        cell.text = title
        cell.add_paragraph("")
        cell.add_paragraph(name)
    doc.add_paragraph("P.S. Een naschrift.")
    doc.save(path)
    return path


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
   style:parent-style-name="Standard" style:default-outline-level="1">
   <style:text-properties fo:font-weight="bold" fo:font-size="12pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm"
    fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
   <style:header-style/>
   <style:footer-style/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Standard">Gemeente Teststad — griffie</text:p></style:header>
   <style:footer><text:p text:style-name="Standard">Raadhuisplein 1, Teststad</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:p text:style-name="Standard">Datum: 1 april 2020</text:p>
   <text:p text:style-name="Standard">Zaaknummer: Z-2020-7</text:p>
   <text:p text:style-name="Standard">Betreft: Een brief uit LibreOffice</text:p>
   <text:p text:style-name="Standard">Geachte leden van de raad,</text:p>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">Inleiding</text:h>
   <text:p text:style-name="Standard">Oude tekst die verdwijnt.</text:p>
   <text:p text:style-name="Standard">Hoogachtend,</text:p>
  </office:text>
 </office:body>
</office:document>
"""


def libreoffice_letter(folder: Path, soffice: str) -> Path:
    """A letter written as flat ODT and converted to .docx by LibreOffice itself."""
    source = folder / "lo-brief.fodt"
    source.write_text(FODT, encoding="utf-8")
    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / "lo-brief.docx"


def plain_letter(path: Path, *, header: tuple[str, ...] = ("Datum: 3 maart 2020", "Onderwerp: Ondertekening in alinea's"),
                 body: tuple[str, ...] = ("Tekst.",), closing: tuple[str, ...] = ("Met vriendelijke groet,",)) -> Path:
    """A letter of plain paragraphs only (tabs as ``\\t``, line breaks as ``\\n``), as many old letters are: header block,
    aanhef, body, then the closing formula and the signature without a table."""
    doc = Document()
    for line in (*header, "Geachte leden van de raad,", *body, *closing):
        paragraph = doc.add_paragraph()
        for n, text in enumerate(line.split("\n")):
            if n:
                paragraph.add_run().add_break()
            for i, piece in enumerate(text.split("\t")):
                if i:
                    paragraph.add_run().add_tab()
                if piece:
                    paragraph.add_run(piece)
    doc.save(path)
    return path


def paragraphs_letter(path: Path, *lines: str) -> Path:
    """A Word file of plain paragraphs, one a line: letter paper for ``templates nieuw``, a letter for ``import``."""
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path
