"""builders/pdf.py edits LibreOffice's XMP with lxml: each property once, with the letter's value."""

from __future__ import annotations

import datetime
import io

import pikepdf

from briefgen.builders import pdf as pdfbuilder
from briefgen.builders import pdfdelivery

OLD_XMP = b"""<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Titel uit Word</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>Iemand</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2026-11-30T14:39:47Z"/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _finished(xmp: bytes | None, tmp_path) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if xmp is not None:
        pdf.Root.Metadata = pdf.make_indirect(pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML))
    docx = tmp_path / "brief.docx"
    docx.write_bytes(b"docx")
    job = pdfbuilder.PdfJob(docx=docx, pdf=tmp_path / "brief.pdf", title="Inkoop Wmo & Jeugd <2021>",
                            author="Gemeente Hilversum", date=datetime.date(2021, 11, 16), name="brief")
    pdfdelivery._finish(pdf, job, datetime.datetime(2021, 11, 16, tzinfo=datetime.UTC))
    saved = io.BytesIO()
    pdf.save(saved)
    return pikepdf.open(io.BytesIO(saved.getvalue()))


def test_earlier_values_are_replaced_and_the_rest_is_kept(tmp_path):
    with _finished(OLD_XMP, tmp_path) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Inkoop Wmo & Jeugd <2021>" == str(pdf.docinfo.Title)
        assert meta["dc:creator"] == ["Gemeente Hilversum"]
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            assert meta[key] == "2021-11-16T00:00:00Z"
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
    assert xmp.count(b"<dc:title>") == 1 and xmp.count(b"CreateDate") == 2  # one element: open and close tag
    assert b"Titel uit Word" not in xmp and b"Iemand" not in xmp and b"2026" not in xmp


def test_missing_or_broken_xmp_is_written_afresh(tmp_path):
    for xmp in (None, b"<x:xmpmeta", b""):
        with _finished(xmp, tmp_path) as pdf:
            meta = pdf.open_metadata()
            assert meta["dc:title"] == "Inkoop Wmo & Jeugd <2021>"
            assert meta["xmp:MetadataDate"] == "2021-11-16T00:00:00Z"
