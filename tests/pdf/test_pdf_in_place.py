"""With the real LibreOffice: the PDF is LibreOffice's file with the changed objects written in place
(builders/pdfupdate.py), and it reads back exactly as the full rewrite by qpdf does."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import struct
import zlib

import pikepdf
import pytest

from briefgen.builders import pdf as pdfbuilder
from briefgen.builders import pdfupdate
from briefgen.builders.pdf import PdfBuilder
from tests.pdf.conftest import make_letters
from tests.pdf.test_pdf_libreoffice import pdf_text

STAMP = datetime.datetime(2021, 11, 18, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def raw_letters(soffice, tmp_path_factory):
    """(job, LibreOffice's own PDF) for two letters, kept as the build handed them to _deliver."""
    root = tmp_path_factory.mktemp("raw")
    jobs = make_letters(root, 2)
    kept = {}
    original = pdfbuilder._deliver

    def keep(raw, job, stamp):
        kept[job.name] = root / f"{len(kept)}.raw.pdf"
        shutil.copy(raw, kept[job.name])
        return original(raw, job, stamp)

    pdfbuilder._deliver = keep
    try:
        assert PdfBuilder(soffice, jobs=1, workdir=root / "work").convert(jobs) == []
    finally:
        pdfbuilder._deliver = original
    return [(job, kept[job.name]) for job in jobs]


def _delivered(raw, job, target) -> bytes:
    job = pdfbuilder.PdfJob(**{**job.__dict__, "pdf": target})
    assert pdfbuilder._deliver(raw, job, STAMP) is None
    return target.read_bytes()


def _read_back(path) -> dict:
    """What a reader sees: pages, text, document information, XMP, language, structure, /ID."""
    with pikepdf.open(path) as pdf:
        assert pdf.get_warnings() == []
        roles, stack = [], [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if "/S" in node:
                roles.append(str(node.S))
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            stack += [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        return {
            "pages": len(pdf.pages), "text": pdf_text(path),
            "info": {str(key): str(value) for key, value in pdf.docinfo.items()},
            "xmp": pdf.Root.Metadata.read_bytes(), "lang": str(pdf.Root.Lang),
            "preferences": dict(pdf.Root.ViewerPreferences.items()),
            "tabs": [str(page.obj.get("/Tabs")) for page in pdf.pages],
            "roles": roles, "id": bytes(pdf.trailer.ID[0]),
            "icc": [intent.DestOutputProfile.read_bytes() for intent in pdf.Root.OutputIntents],
        }


def test_libreoffices_pdf_is_changed_in_place_and_reads_as_the_full_rewrite(raw_letters, tmp_path, monkeypatch):
    for job, raw in raw_letters:
        in_place = _delivered(raw, job, tmp_path / "in-place.pdf")
        source = raw.read_bytes()
        assert in_place.count(b"startxref") == 1 and in_place.count(b"%%EOF") == 1  # one revision
        assert b"/ObjStm" not in in_place and b"/DocChecksum" not in in_place
        page = re.search(rb"\n(\d+ 0 obj\n<</Type/FontDescriptor.*?endobj\n)", source, re.S)
        assert page is not None and page[1] in in_place  # LibreOffice's own bytes, untouched
        with monkeypatch.context() as patched:
            patched.setattr(pdfupdate, "possible", lambda raw: False)
            rewritten = _delivered(raw, job, tmp_path / "rewritten.pdf")
        assert b"/ObjStm" in rewritten
        assert _read_back(tmp_path / "in-place.pdf") == _read_back(tmp_path / "rewritten.pdf")


def _another_time(raw: bytes) -> bytes:
    """``raw`` as LibreOffice writes it a while later: other /ID, dates and ICC header, an ICC stream of another length."""
    later = re.sub(rb"(CreationDate\(D:)\d{14}", rb"\g<1>20300101120000", raw)
    later = re.sub(rb"(<xmp:CreateDate>)[^<]*", rb"\g<1>2030-01-01T12:00:00Z", later)
    later = re.sub(rb"/ID \[ <[0-9A-F]{32}>\n<[0-9A-F]{32}> \]", b"/ID [ <" + b"A" * 32 + b">\n<" + b"B" * 32 + b"> ]", later)
    assert later != raw and len(later) == len(raw)
    with pikepdf.open(io.BytesIO(later), inherit_page_attributes=False) as pdf:
        profile = pdf.Root.OutputIntents[0].DestOutputProfile
        data = bytearray(profile.read_bytes())
        data[24:36] = struct.pack(">6H", 2030, 1, 1, 12, 0, 0)
        profile.write(zlib.compress(bytes(data), 1), filter=pikepdf.Name.FlateDecode)
        moved = pdfupdate.rewritten(later, pdf, [profile], b"\1" * 16)
    assert moved is not None and len(moved) != len(later)
    return moved.replace(b"/Info", b"/DocChecksum /" + b"C" * 32 + b"/Info", 1)


def test_the_wall_clock_in_libreoffices_bytes_does_not_reach_the_pdf(raw_letters, tmp_path):
    job, raw = raw_letters[0]
    later = tmp_path / "later.raw.pdf"
    later.write_bytes(_another_time(raw.read_bytes()))
    assert _delivered(raw, job, tmp_path / "now.pdf") == _delivered(later, job, tmp_path / "later.pdf")


def test_a_pdf_not_written_as_libreoffice_writes_it_is_rewritten_whole(raw_letters, tmp_path):
    """Object streams and a cross-reference stream (qpdf's own output) cannot be changed in place."""
    job, raw = raw_letters[0]
    other = tmp_path / "objstm.raw.pdf"
    with pikepdf.open(raw) as pdf:
        pdf.save(other, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert not pdfupdate.possible(other.read_bytes())
    delivered = _delivered(other, job, tmp_path / "whole.pdf")
    assert b"/ObjStm" in delivered
    _delivered(raw, job, tmp_path / "in-place.pdf")
    assert _read_back(tmp_path / "whole.pdf")["text"] == _read_back(tmp_path / "in-place.pdf")["text"]


@pytest.mark.parametrize("damage", [
    lambda raw: raw.replace(b"xref\n0 ", b"xref\n1 ", 1),  # a table that does not start at object 0
    lambda raw: raw[:raw.rindex(b"trailer") - 21] + raw[raw.rindex(b"trailer"):],  # an entry short
    lambda raw: re.sub(rb"\n0000000000 65535 f \n(\d{10}) 00000 n", b"\n0000000000 65535 f \n0000000000 65535 f", raw,
                       count=1),  # a free number inside the table
    lambda raw: re.sub(rb"\n0000000000 65535 f \n(\d{9})(\d) 00000 n", lambda m: b"\n0000000000 65535 f \n%s%d 00000 n"
                       % (m[1], (int(m[2]) + 1) % 10), raw, count=1),  # an entry that points beside its object
], ids=["not-from-0", "entry-short", "free-number", "wrong-offset"])
def test_a_table_not_as_libreoffice_writes_it_is_left_to_qpdf(raw_letters, damage):
    _, raw = raw_letters[0]
    damaged = damage(raw.read_bytes())
    with pikepdf.open(io.BytesIO(raw.read_bytes()), inherit_page_attributes=False) as pdf:
        assert pdfupdate.rewritten(damaged, pdf, [pdf.Root], b"\0" * 16) is None


def test_text_in_the_xmp_that_reads_like_pdf_syntax_does_not_reach_the_file_structure(raw_letters, tmp_path):
    """LibreOffice writes the letter's subject (the DOCX title) as plain text into the XMP stream, which is
    replaced in place: "/Length 3 0 R" in it must not be taken for that stream's own length (which would
    overwrite object 3). Here the text is put into LibreOffice's XMP without moving any object."""
    job, raw = raw_letters[0]
    data = raw.read_bytes()
    xmp = data.index(b"<x:xmpmeta")
    hostile = data[:xmp] + data[xmp:].replace(b"python-docx", b"/Length 3 0 R", 1).replace(b" " * 60, b" " * 58, 1)
    assert len(hostile) == len(data) and b"/Length 3 0 R" in hostile
    source = tmp_path / "hostile.raw.pdf"
    source.write_bytes(hostile)
    in_place = _delivered(source, job, tmp_path / "in-place.pdf")
    assert b"/ObjStm" not in in_place  # written in place, not by qpdf
    _delivered(raw, job, tmp_path / "plain.pdf")
    assert _read_back(tmp_path / "in-place.pdf") == _read_back(tmp_path / "plain.pdf")


def test_an_unforeseen_error_while_writing_in_place_leaves_the_letter_to_qpdf(raw_letters, tmp_path, monkeypatch):
    job, raw = raw_letters[0]

    def broken(*args, **kwargs):
        raise IndexError("kapot")

    monkeypatch.setattr(pdfupdate, "rewritten", broken)
    delivered = _delivered(raw, job, tmp_path / "whole.pdf")
    assert b"/ObjStm" in delivered  # qpdf's full rewrite
    assert _read_back(tmp_path / "whole.pdf")["pages"] >= 1


def test_an_object_that_does_not_end_where_the_next_begins_is_left_to_qpdf(raw_letters):
    """A damaged object (here one whose endobj is gone) would be copied as it is: the table check declines."""
    _, raw = raw_letters[0]
    data = raw.read_bytes()
    at = data.index(b"endobj", data.index(b"/Type/FontDescriptor"))
    damaged = data[:at] + b"endobx" + data[at + 6:]
    with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
        assert pdfupdate.rewritten(data, pdf, [pdf.Root], b"\0" * 16) is not None
        assert pdfupdate.rewritten(damaged, pdf, [pdf.Root], b"\0" * 16) is None


def test_a_stream_whose_length_does_not_reach_its_endstream_is_left_to_qpdf(raw_letters):
    """A damaged stream (here the XMP's direct /Length five short, the file otherwise the same) would be copied as
    it is; qpdf's rewrite would find it: the table check declines it."""
    _, raw = raw_letters[0]
    data = raw.read_bytes()
    found = re.search(rb"/Subtype/XML/Length (\d+)", data)
    assert found is not None and int(found[1]) >= 1005
    damaged = data[:found.start(1)] + b"%d" % (int(found[1]) - 5) + data[found.end(1):]
    assert len(damaged) == len(data)
    with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
        assert pdfupdate.rewritten(data, pdf, [pdf.Root], b"\0" * 16) is not None
        assert pdfupdate.rewritten(damaged, pdf, [pdf.Root], b"\0" * 16) is None


def test_an_object_ended_otherwise_than_libreoffice_does_is_still_checked_and_written_in_place(raw_letters):
    """White-space after endobj other than LibreOffice's own (the quick check fails) is still read right:
    valid is written in place, damaged is left to qpdf."""
    _, raw = raw_letters[0]
    data = raw.read_bytes()
    at = data.index(b"endobj\n\n", data.index(b"/Type/FontDescriptor"))
    spaced = data[:at] + b"endobj \n" + data[at + 8:]
    damaged = data[:at] + b"endobj x" + data[at + 8:]
    with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
        assert pdfupdate.rewritten(spaced, pdf, [pdf.Root], b"\0" * 16) is not None
        assert pdfupdate.rewritten(damaged, pdf, [pdf.Root], b"\0" * 16) is None
