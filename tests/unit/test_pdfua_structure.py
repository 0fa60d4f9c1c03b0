"""builders/pdfua.py finds the structure elements it repairs in LibreOffice's bytes: the same repairs as the whole walk."""

from __future__ import annotations

import io

import pikepdf
import pytest

from briefgen.builders import pdfua

# A structure tree as LibreOffice 7.4 writes it (plain objects, the role right after the type):
# a fields block (a label cell and a value cell), a signature table, a paragraph outside both.
ELEMENTS = {
    # number: (role, parent, kids)
    4: ("Document", 3, [5, 11, 17]),
    5: ("Table", 4, [6]),
    6: ("TR", 5, [7, 9]),
    7: ("TD", 6, [8]),
    8: ("Veldnaam", 7, None),
    9: ("TD", 6, [10]),
    10: ("P", 9, None),
    11: ("Table", 4, [12]),
    12: ("TR", 11, [13, 15]),
    13: ("TD", 12, [14]),
    14: ("Ondertekening", 13, None),
    15: ("TD", 12, [16]),
    16: ("Ondertekening", 15, None),
    17: ("P", 4, None),
}


def _lo_pdf(elements=ELEMENTS, spaced: frozenset[int] = frozenset(), content: bytes = b"") -> bytes:
    """A one-page PDF with ``elements``; those in ``spaced`` are written ``/S /Role`` (not as LibreOffice does)."""
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R/StructTreeRoot 3 0 R/MarkInfo<</Marked true>>>>",
        2: b"<</Type/Pages/Kids[20 0 R]/Count 1>>",
        3: b"<</Type/StructTreeRoot/K[4 0 R ]>>",
        20: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<<>>/Contents 21 0 R/StructParents 0>>",
        21: b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content),
    }
    for number, (role, parent, kids) in elements.items():
        k = b"[" + b" ".join(b"%d 0 R" % kid for kid in kids) + b" ]" if kids else b"0"
        separator = b" " if number in spaced else b""
        objects[number] = (b"<</Type/StructElem\n/S" + separator + b"/" + role.encode()
                           + b"\n/P %d 0 R\n/Pg 20 0 R\n/K" % parent + k + b"\n>>")
    out = io.BytesIO()
    out.write(b"%PDF-1.6\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n\n")
    size = max(objects) + 1
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def _finished(raw: bytes, located: bool) -> tuple[bytes, dict[int, str]]:
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        assert not pdf.get_warnings()
        pdfua.finish(pdf, raw if located else None)
        roles = {number: str(pdf.get_object(number, 0).S) for number in ELEMENTS}
        saved = io.BytesIO()
        pdf.save(saved, deterministic_id=True)
    return saved.getvalue(), roles


def test_only_the_tables_around_labels_and_signatures_are_read():
    raw = _lo_pdf()
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        found = pdfua._structure_to_repair(pdf, raw)
        assert found is not None
        assert sorted(element.node.objgen[0] for element in found) == [7, 8, 11, 12, 13, 14, 15, 16]


def test_the_elements_found_in_the_bytes_are_repaired_as_the_whole_walk_repairs_them():
    raw = _lo_pdf()
    located, roles = _finished(raw, located=True)
    walked, _ = _finished(raw, located=False)
    assert located == walked
    assert roles[7] == "/TH" and roles[9] == "/TD"  # the label cell is a row header, the value cell is not
    assert [roles[n] for n in (11, 12, 13, 15)] == ["/Div"] * 4  # the signature table is layout
    assert roles[5] == "/Table"


@pytest.mark.parametrize("raw", [
    _lo_pdf(spaced=frozenset({16})),  # an element not written as LibreOffice writes it
    _lo_pdf({**ELEMENTS, 17: ("Note", 4, None)}),  # notes are numbered in the order of the walk
    _lo_pdf(content=b"% /Type/StructElem\n/S/Veldnaam"),  # the marker outside an object of its own
], ids=["spaced", "note", "not-an-object"])
def test_anything_unexpected_walks_the_whole_tree(raw):
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        assert pdfua._structure_to_repair(pdf, raw) is None
    located, _ = _finished(raw, located=True)
    walked, _ = _finished(raw, located=False)
    assert located == walked


@pytest.mark.parametrize(("role", "header"), [("Veldnaam-2", True), ("Veldnaam-12", True), ("VeldnaamX", False),
                                              ("Veldnaam-", False), ("Veldnaam-2b", False)])
def test_numbered_field_label_styles_are_row_headers_too(role, header):
    """A house style whose labels had several styles of their own gets Veldnaam, Veldnaam-2, …: each a row header."""
    elements = {**ELEMENTS, 8: (role, 7, None)}
    raw = _lo_pdf(elements)
    for located in (True, False):
        with pikepdf.open(io.BytesIO(raw)) as pdf:
            pdfua.finish(pdf, raw if located else None)
            assert str(pdf.get_object(7, 0).S) == ("/TH" if header else "/TD"), located
