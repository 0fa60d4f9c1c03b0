"""LibreOffice's PDF with briefgen's changes written into its bytes, without a full rewrite by qpdf.

A full rewrite parses every object of the file and writes every object again: about two thirds of
the CPU a delivery cost. The repairs change a few dozen of a letter's ~340 objects. Here the file
is opened lazily (only what the repairs read is parsed), each changed object is written in the
place of LibreOffice's, new objects go after the last one, and the cross-reference table and the
trailer are written afresh; every other object keeps LibreOffice's bytes. The result is one
revision, as LibreOffice's was.

What in LibreOffice's bytes depends on the wall clock or the temporary path is in objects that
are replaced (the document information, the XMP, the ICC profile with the time in its header, and
the indirect length of that profile's compressed stream) or in the trailer (/ID, /DocChecksum):
the same DOCX gives the same bytes.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from itertools import chain, repeat
from operator import add

import pikepdf

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_SUBSECTION = re.compile(rb"xref[ \t]*\r?\n(\d+) (\d+)[ \t]*\r?\n")
_ENTRIES = re.compile(rb"(?:\d{10} \d{5} [nf](?: \r| \n|\r\n))*")
_INDIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)\s+(\d+)\s+R")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
_VALUE = re.compile(rb"\d+ \d+ obj\s*(\d+)\s*endobj")


def possible(raw: bytes) -> bool:
    """Whether ``raw`` may be one revision with a classic cross-reference table, as LibreOffice writes it
    (:func:`rewritten` reads the table and may still decline)."""
    if b"/ObjStm" in raw or b"/XRefStm" in raw or b"/Encrypt" in raw or raw.count(b"startxref") != 1:
        return False
    found = _STARTXREF.search(raw, max(0, len(raw) - 64))
    return found is not None and raw.startswith(b"xref", int(found[1]))


def rewritten(raw: bytes, pdf: pikepdf.Pdf, changed: list[pikepdf.Object], file_id: bytes) -> bytes | None:
    """``raw`` (see :func:`possible`) with the objects of ``changed`` and the new ones as ``pdf`` now has them.

    ``changed`` are the indirect objects the repairs may have changed (unchanged ones among them are
    harmless). /ID is ``file_id`` and a digest of what was replaced. None when LibreOffice's bytes are
    not as expected: the caller then lets qpdf rewrite the whole file.
    """
    table = _table(raw)
    if table is None:
        return None
    xref_at, offsets, generations = table
    size = len(offsets)
    positions = sorted(offsets)  # an object ends where the next one begins, the last at the table

    def end(number: int) -> int:
        at = bisect.bisect_right(positions, offsets[number])
        return positions[at] if at < len(positions) else xref_at

    replaced: dict[int, bytes] = {}
    for number, generation, obj in _with_new(pdf, changed, size):
        if number < size and generations[number] != generation:
            return None
        if isinstance(obj, pikepdf.Stream):
            data = obj.read_raw_bytes()
            stream_entries: dict[str, object] = dict(obj.stream_dict.items())
            stream_entries["/Length"] = len(data)
            head = pikepdf.Dictionary(stream_entries).unparse(resolved=True)
            # LibreOffice gives a compressed stream an indirect /Length (its ICC profile): it stays
            # indirect, with the new length, so nothing of the old one is left.
            # Only in the stream's dictionary: its data (the XMP holds the letter's subject) may say anything.
            old = (_INDIRECT_LENGTH.search(raw, offsets[number], max(offsets[number], raw.find(b"stream", offsets[number],
                                                                                              end(number))))
                   if number < size else None)
            if old is not None and 0 < int(old[1]) < size and int(old[2]) == generations[int(old[1])]:
                del stream_entries["/Length"]
                head = b"<< /Length %s %s R " % (old[1], old[2]) + pikepdf.Dictionary(stream_entries).unparse()[3:]
                replaced[int(old[1])] = b"%s %s obj\n%d\nendobj\n\n" % (old[1], old[2], len(data))
            text = head + b"\nstream\n" + data + b"\nendstream"
        else:
            text = obj.unparse(resolved=True)
        replaced[number] = b"%d %d obj\n%s\nendobj\n\n" % (number, generation, text)
    digest = hashlib.md5(file_id, usedforsecurity=False)
    for number in sorted(replaced):
        digest.update(replaced[number])
    # LibreOffice's bytes between the replaced objects are copied as they are; an object moves by
    # what the replaced objects before it grew or shrank.
    out = bytearray()
    done, shift, starts, shifted = 0, 0, [], []
    for start, stop, number in sorted((offsets[n], end(n), n) for n in replaced if n < size):
        text = replaced.pop(number)
        out += raw[done:start]
        out += text
        done = stop
        shift += len(text) - (stop - start)
        starts.append(start)
        shifted.append(shift)  # what everything after this object moved
    # Each object moves by the shift after the last replaced object that begins before it (none: 0).
    moved = [0, *shifted]
    new_offsets = [0, *map(add, offsets[1:], map(moved.__getitem__, map(bisect.bisect_left, repeat(starts),
                                                                         offsets[1:])))]
    out += raw[done:xref_at]
    added = sorted(replaced)  # the new objects
    if added and added != list(range(size, size + len(added))):
        return None
    for number in added:
        new_offsets.append(len(out))
        out += replaced[number]
    xref = len(out)
    generations = generations + [0] * len(added)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % len(new_offsets)
    # One format for the whole table: a % per entry costs twice as much.
    if any(generations[1:]):
        out += (b"%010d %05d n \n" * (len(new_offsets) - 1)) % tuple(
            chain.from_iterable(zip(new_offsets[1:], generations[1:], strict=True)))
    else:  # LibreOffice's: every generation 0
        out += (b"%010d 00000 n \n" * (len(new_offsets) - 1)) % tuple(new_offsets[1:])
    out += b"trailer\n<</Size %d/Root %d %d R" % (len(new_offsets), *pdf.Root.objgen)
    info = pdf.trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary) and info.is_indirect:
        out += b"/Info %d %d R" % info.objgen
    out += b"/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n" % (
        file_id.hex().upper().encode(), digest.hexdigest().upper().encode(), xref)
    return bytes(out)


def _table(raw: bytes) -> tuple[int, list[int], list[int]] | None:
    """Where the cross-reference table starts, and the offset and generation of each object; None unless
    every number after 0 is in use (a free one: qpdf could give a new object a number inside the table).

    Each check runs over all objects in a C loop (``map`` of a bytes method): a Python step per
    object cost more than the rest of writing in place.
    """
    found = _STARTXREF.search(raw, max(0, len(raw) - 64))
    if found is None:
        return None
    xref_at = int(found[1])
    subsection = _SUBSECTION.match(raw, xref_at)
    if subsection is None or subsection[1] != b"0":
        return None  # one revision: one subsection from object 0
    count = int(subsection[2])
    block = raw[subsection.end():subsection.end() + 20 * count]
    if (len(block) != 20 * count or not _ENTRIES.fullmatch(block)
            or not raw.startswith(b"trailer", subsection.end() + 20 * count)):
        return None
    words = block.split()  # offset, generation, kind of each entry
    if count < 2 or words[2] != b"f" or words[5::3].count(b"n") != count - 1:
        return None
    offsets = [0, *map(int, words[3::3])]
    generations = ([int(words[1]), *repeat(0, count - 1)] if words[4::3].count(b"00000") == count - 1
                   else list(map(int, words[1::3])))
    if not all(offsets[1:]) or max(offsets) >= xref_at:
        return None
    # Each entry must point at its own object, and each object end with endobj where the next begins:
    # LibreOffice's bytes are copied by these offsets, most of them never parsed.
    heads = (_heads(count) if not any(generations[1:]) else
             [b"%d %d obj" % entry for entry in enumerate(generations)])
    if not all(map(raw.startswith, heads[1:], offsets[1:])):
        return None
    starts = sorted(offsets[1:])
    stops = [*starts[1:], xref_at]
    if not all(map(raw.endswith, repeat(b"endobj\n\n"), starts, stops)):  # as LibreOffice ends each object
        ends = list(map(raw.rfind, repeat(b"endobj"), starts, stops))  # otherwise: its last endobj, then white-space
        if min(ends) < 0 or b"".join(map(raw.__getitem__, map(slice, map(add, ends, repeat(6)), stops))).strip():
            return None
    # The last endstream in each object (a few of them are streams).
    last: dict[int, int] = {}
    at = raw.find(b"endstream", starts[0], xref_at)
    while at != -1:
        last[bisect.bisect_right(starts, at) - 1] = at
        at = raw.find(b"endstream", at + 9, xref_at)
    if not all(_stream_whole(raw, starts[index], endstream, offsets) for index, endstream in last.items()):
        return None
    return xref_at, offsets, generations


_HEADS: tuple[bytes, ...] = ()


def _heads(count: int) -> tuple[bytes, ...]:
    """``b"N 0 obj"`` for each N below ``count`` (at least); grown by replacing the tuple, safe between threads."""
    global _HEADS
    heads = _HEADS
    if len(heads) < count:
        heads = _HEADS = tuple(b"%d 0 obj" % number for number in range(max(count, 2 * len(heads))))
    return heads


def _stream_whole(raw: bytes, start: int, ends: int, offsets: list[int]) -> bool:
    """Whether the object that begins at ``start`` and whose last ``endstream`` is at ``ends`` has it where
    its /Length says (direct, or in a length object of the table). Anything that looks like a stream
    but cannot be checked counts as damaged: the caller then leaves the file to qpdf."""
    keyword = raw.find(b"stream", start, ends)
    length = _LENGTH.search(raw, start, keyword) if keyword > start else None
    if length is None:
        return False
    if length[2] is None:
        size = int(length[1])
    else:
        number = int(length[1])
        value = _VALUE.match(raw, offsets[number]) if 0 < number < len(offsets) and offsets[number] else None
        if value is None:
            return False
        size = int(value[1])
    data = keyword + len(b"stream")
    data += 2 if raw.startswith(b"\r\n", data) else 1 if raw[data:data + 1] in (b"\n", b"\r") else 0
    return raw[data + size:ends].strip() == b""


def _with_new(pdf: pikepdf.Pdf, changed: list[pikepdf.Object], size: int) -> list[tuple[int, int, pikepdf.Object]]:
    """``changed`` and every object made since the file was read, by number.

    qpdf numbers a new object one above the highest it knows, ``size`` - 1 in LibreOffice's file
    (every number in use, checked by the caller): the new ones are ``size``, ``size`` + 1, … up to
    the first number without an object.
    """
    found = {obj.objgen: obj for obj in changed if obj.is_indirect}
    number = size
    while (obj := pdf.get_object((number, 0))) is not None:
        found[(number, 0)] = obj
        number += 1
    return [(number, generation, obj) for (number, generation), obj in sorted(found.items())]
