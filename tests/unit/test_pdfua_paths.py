"""builders/pdfua.py finds untagged paths in the bytes of a content stream: it must agree with qpdf's parser."""

from __future__ import annotations

import pikepdf
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefgen.builders import pdfua

# Whole instructions, among them tokens that read as a path operator or a marker in the wrong
# place: hex strings of those letters, names like /S and /BMC, a marker glued to its operands.
PIECES = [
    b"0 0 m", b"10 10 l", b"0 0 5 5 re", b"1 2 3 4 5 6 c", b"h", b"W", b"W* n",
    b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n",
    b"q", b"Q", b"0.5 w", b"1 0 0 1 0 0 cm", b"0 0 0 rg", b"/GS1 gs",
    b"/Artifact BMC", b"/Standard<</MCID 3>>BDC", b"/Span /P1 BDC", b"EMC",
    b"BT /F1 10 Tf 71 700 Td<0B0C>Tj ET", b"BT[<BDC>-3<0f>]TJ ET", b"BT<B>Tj ET", b"BT <f> Tj ET",
    b"BT<0A BDC 0B>Tj ET", b"BT < f > Tj ET", b"/S /BMC DP", b"/re MP", b"[1 2] 0 d", b"/Im1 Do",
]
SEPARATORS = [b" ", b"\n", b"\r\n", b"  \n"]


def _page(data: bytes) -> tuple[pikepdf.Pdf, pikepdf.Page]:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(data)
    return pdf, page


def _instructions(page: pikepdf.Page) -> bytes:
    return pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=30))
@example([(b"BT<0A BDC 0B>Tj ET", b" "), (b"0 0 m", b" "), (b"S", b"\n")])  # BDC in a spaced hex string
@example([(b"0 0 m", b" "), (b"BT < f > Tj ET", b"\n")])  # f in a spaced hex string
@example([(b"BT<BDC>Tj ET", b" "), (b"0 0 m", b" "), (b"S", b"\n")])
def test_the_byte_reader_wraps_the_paths_qpdfs_parser_wraps(pieces):
    data = b"".join(piece + separator for piece, separator in pieces)
    by_bytes, page = _page(data)
    pdfua.untagged_paths_as_artifacts(by_bytes, page)
    by_parser, reference = _page(data)
    pdfua.untagged_paths_as_artifacts_parsed(by_parser, reference)
    assert _instructions(page) == _instructions(reference)


def test_only_the_markers_are_added_to_the_bytes():
    data = b"0.1 w\n/Artifact BMC\nq 0 0 1 1 re W* n\nEMC\nq 0 0 0 RG 70 700 m 500 700 l S Q\n/P<</MCID 0>>BDC\n0 0 m 1 1 l S\nEMC\n"
    pdf, page = _page(data)
    pdfua.untagged_paths_as_artifacts(pdf, page)
    assert page.obj.Contents.read_bytes() == data.replace(
        b"70 700 m 500 700 l S", b"/Artifact BMC\n70 700 m 500 700 l S\nEMC")


def test_a_stream_with_literal_strings_goes_to_qpdfs_parser():
    """A literal string may hold ``(S)`` or unbalanced brackets: the byte reader leaves such a stream alone."""
    data = b"BT (0 0 m S EMC) Tj ET\n0 0 m 1 1 l S\n"
    assert pdfua._untagged_paths(data) is None
    pdf, page = _page(data)
    pdfua.untagged_paths_as_artifacts(pdf, page)
    assert [str(i.operator) for i in pikepdf.parse_content_stream(page)] == [
        "BT", "Tj", "ET", "BMC", "m", "l", "S", "EMC"]
