"""What happens to each PDF LibreOffice wrote, before it is delivered: the PDF/UA repairs
(builders/pdfua.py), metadata, fixed dates and a deterministic /ID, attachments appended, written in
place where possible (builders/pdfupdate.py), then an atomic write onto the letter's PDF.

Its own module so that pikepdf is imported only at the first PDF delivered (builders/pdf.py imports
it there), not while LibreOffice starts and the first letter is rendered.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import struct
from pathlib import Path

import pikepdf
from lxml import etree

from briefgen.builders import attachments, pagelayout, pdfua, pdfupdate
from briefgen.builders.pdfjob import LANGUAGE, PdfFailure, PdfJob, Relayout
from briefgen.fileio import describe, write_atomic

log = logging.getLogger(__name__)


def deliver_pdf(raw: Path, job: PdfJob, stamp: datetime.datetime) -> PdfFailure | None:
    """Post-process LibreOffice's PDF and write it atomically onto job.pdf.

    qpdf saves into memory and Python writes the file: a write error inside qpdf (a full disk)
    is thrown from a destructor and aborts the whole process (SIGABRT), leaving LibreOffice
    running and a temporary file behind, where Python's write raises an OSError.
    """
    try:
        data = raw.read_bytes()
        in_place = not job.attachments and pdfupdate.possible(data)
        # Lazily: written in place (pdfupdate), only what the repairs read is parsed; pushing inherited
        # page attributes down would parse every object. From the file, not from the bytes read above: qpdf
        # reads a Python stream through a Python call per read, about 0.5-1 ms more CPU a letter.
        pdf = pikepdf.open(raw, inherit_page_attributes=not in_place)
    except OSError as exc:
        return PdfFailure(job, f"de PDF van LibreOffice is niet te lezen: {describe(exc)}")
    except (pikepdf.PdfError, ValueError):
        return PdfFailure(job, "LibreOffice heeft een onleesbare PDF gemaakt")
    saved = io.BytesIO()
    try:
        with pdf:
            if pdf.get_warnings():  # qpdf had to repair it: LibreOffice's own output never needs that
                return PdfFailure(job, "LibreOffice heeft een beschadigde PDF gemaakt")
            if job.relayout and (lone := pagelayout.lone_headings(pdf)):
                return Relayout(job, "een kop stond alleen onderaan een pagina", lone)
            changed = _finish(pdf, job, stamp, data)
            if in_place and pdf.get_warnings():  # opened lazily: what the repairs read is only parsed now
                return PdfFailure(job, "LibreOffice heeft een beschadigde PDF gemaakt")
            if job.attachments:
                attachments.append(pdf, job.attachments, job.title)
            rewritten = _in_place(data, pdf, changed) if in_place else None
            if rewritten is not None:
                saved.write(rewritten)
            else:
                # Object streams (allowed in PDF/A-2) make the file about 30% smaller and quicker to write;
                # the XMP is final (_set_metadata), so pikepdf need not parse it again for pdf:PDFVersion.
                pdf.save(saved, deterministic_id=True, fix_metadata_version=False,
                         object_stream_mode=pikepdf.ObjectStreamMode.generate)
                if not job.attachments and pdf.get_warnings():  # LibreOffice's, read only now, was damaged
                    return PdfFailure(job, "LibreOffice heeft een beschadigde PDF gemaakt")
    except OSError as exc:
        return PdfFailure(job, f"nabewerking van de PDF mislukt: {describe(exc)}")
    except (pikepdf.PdfError, ValueError) as exc:
        return PdfFailure(job, f"nabewerking van de PDF mislukt (pikepdf: {type(exc).__name__}); "
                               "meld dit bij de beheerders van briefgen")
    try:
        write_atomic(job.pdf, saved.getvalue())
    except OSError as exc:
        return PdfFailure(job, f"kan {job.pdf.name} niet schrijven: {describe(exc)}")
    return None


def _in_place(data: bytes, pdf: pikepdf.Pdf, changed: list[pikepdf.Object]) -> bytes | None:
    """LibreOffice's PDF with the changes written into it (pdfupdate), or None for qpdf's full rewrite.

    Writing in place only saves time: whatever goes wrong in it leaves the letter to qpdf.
    """
    try:
        return pdfupdate.rewritten(data, pdf, changed, bytes(pdf.trailer.ID[0]))
    except Exception as exc:  # noqa: BLE001 - the full rewrite below is always there
        log.debug("PDF niet ter plekke bijgewerkt (%s: %s); qpdf schrijft hem opnieuw", type(exc).__name__, exc)
        return None


def _finish(pdf: pikepdf.Pdf, job: PdfJob, stamp: datetime.datetime,
            raw: bytes | None = None) -> list[pikepdf.Object]:
    """All changes to LibreOffice's PDF; the indirect objects they may have changed (see pdfua.finish)."""
    changed = pdfua.finish(pdf, raw)  # first: the XMP it extends is then parsed and written once, by _set_metadata
    _set_metadata(pdf, job, stamp)
    changed += _pin_profile_dates(pdf, stamp)
    pdf.Root.Lang = pikepdf.String(LANGUAGE)
    preferences = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences
    changed += [obj for obj in (pdf.Root, preferences, pdf.Root.get("/Metadata"), pdf.trailer.get("/Info"))
                if isinstance(obj, pikepdf.Object) and obj.is_indirect]
    # LibreOffice's /DocChecksum and /ID are computed over the wall clock and the temp
    # path. qpdf keeps the first /ID string and, with deterministic_id, derives the
    # second from the content.
    if "/DocChecksum" in pdf.trailer:
        del pdf.trailer.DocChecksum
    seed = hashlib.md5(usedforsecurity=False)
    for part in (job.title, job.author, stamp.isoformat()):
        seed.update(part.encode() + b"\0")
    seed.update(job.docx.read_bytes())
    pdf.trailer.ID = pikepdf.Array([pikepdf.String(seed.digest())] * 2)
    return changed


def _set_metadata(pdf: pikepdf.Pdf, job: PdfJob, stamp: datetime.datetime) -> None:
    """Title, author and fixed dates in docinfo and XMP alike (PDF/A wants them equal).

    The XMP is edited with lxml in one parse and one write: pikepdf's metadata API parses and
    writes it for every context and checks each property, several milliseconds per letter. The
    rest of the XMP, among it pdfaid (2, B) and pdfuaid (1), is left as it is.
    """
    xmp_date = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%SZ")
    metadata = pdf.Root.get("/Metadata")
    xmp = metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b""
    edited = _xmp_with(xmp, {
        f"{{{_DC}}}title": ("Alt", job.title),
        f"{{{_DC}}}creator": ("Seq", job.author),
        **{f"{{{_XMP}}}{key}": (None, xmp_date) for key in ("CreateDate", "ModifyDate", "MetadataDate")},
    })
    if isinstance(metadata, pikepdf.Stream):
        metadata.write(edited)
    else:
        pdf.Root.Metadata = pdf.make_indirect(pdf.make_stream(edited, Type=pikepdf.Name.Metadata,
                                                              Subtype=pikepdf.Name.XML))
    info = pdf.docinfo
    info.Title = pikepdf.String(job.title)
    info.Author = pikepdf.String(job.author)
    info.CreationDate = pikepdf.String(pdf_date)
    info.ModDate = pikepdf.String(pdf_date)


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DC = "http://purl.org/dc/elements/1.1/"
_XMP = "http://ns.adobe.com/xap/1.0/"
_RDF_TAG, _DESCRIPTION_TAG, _ABOUT = f"{{{_RDF}}}RDF", f"{{{_RDF}}}Description", f"{{{_RDF}}}about"
_XMP_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                              remove_blank_text=False)
_XPACKET = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n', b'\n<?xpacket end="w"?>\n')
_EMPTY_XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="' + _RDF.encode() + b'"/></x:xmpmeta>'


def _xmp_with(xmp: bytes, values: dict[str, tuple[str | None, str]]) -> bytes:
    """``xmp`` with each property (Clark name: (rdf container or None, text)) set, in one new Description.

    Earlier values of those properties, as elements or as attributes of a Description, are dropped.
    XMP that is missing or does not parse is started afresh (LibreOffice's PDF/A always has it).
    """
    try:
        root = etree.fromstring(xmp, _XMP_PARSER) if xmp.strip() else None
    except etree.XMLSyntaxError:
        root = None
    rdf = None if root is None else root if root.tag == _RDF_TAG else root.find(f".//{_RDF_TAG}")
    if rdf is None:
        root = etree.fromstring(_EMPTY_XMP, _XMP_PARSER)
        rdf = root[0]
    # One pass over each Description's children and attribute names: a findall per property costs more than the parse.
    for description in rdf.findall(_DESCRIPTION_TAG):
        attributes = description.attrib
        for name in [name for name in attributes if name in values]:
            del attributes[name]
        for old in [child for child in description if child.tag in values]:
            description.remove(old)
        if len(description) == 0 and set(attributes) <= {_ABOUT}:
            rdf.remove(description)
    description = etree.SubElement(rdf, f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""},
                                   nsmap={"dc": _DC, "xmp": _XMP})
    for name, (container, text) in values.items():
        element = etree.SubElement(description, name)
        if container is None:
            element.text = text
            continue
        item = etree.SubElement(etree.SubElement(element, f"{{{_RDF}}}{container}"), f"{{{_RDF}}}li")
        if container == "Alt":
            item.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
        item.text = text
    return _XPACKET[0] + etree.tostring(rdf.getroottree().getroot(), encoding="utf-8") + _XPACKET[1]


def _pin_profile_dates(pdf: pikepdf.Pdf, stamp: datetime.datetime) -> list[pikepdf.Object]:
    """LibreOffice writes the wall clock into the header of its sRGB output-intent profile; the profiles changed."""
    changed: list[pikepdf.Object] = []
    for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            continue
        data = bytearray(profile.read_bytes())
        if data[36:40] == b"acsp":  # ICC header; its date/time is bytes 24-35
            data[24:36] = struct.pack(">6H", stamp.year, stamp.month, stamp.day,
                                      stamp.hour, stamp.minute, stamp.second)
            profile.write(bytes(data))
            changed.append(profile)
    return changed
