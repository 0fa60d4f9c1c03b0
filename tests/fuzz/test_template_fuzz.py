"""Mutated house-style templates (document.xml, styles.xml, headers, [Content_Types].xml, relationships,
the zip structure itself) through ``briefgen templates check``, ``check`` and ``build``: never a
traceback; every message Dutch; a letter whose template is unusable gets a located message and no
output; every DOCX that is written opens."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, note
from hypothesis import strategies as st

from briefgen import pipeline
from briefgen.settings import Settings
from tests.fuzz.helpers import (
    EXAMPLE_2021,
    REPO,
    STYLE_2021,
    assert_docx_ok,
    assert_dutch,
    assert_located,
    example,
    fresh_dir,
    fuzz,
    new_werkmap,
    outputs,
    run_cli,
)

TEMPLATE = f"{STYLE_2021[0]}.docx"
ORIGINAL = (REPO / "templates" / TEMPLATE).read_bytes()
PARTS = ["word/document.xml", "word/styles.xml", "word/header2.xml", "word/footer1.xml", "[Content_Types].xml",
         "word/_rels/document.xml.rels", "_rels/.rels", "word/numbering.xml", "word/settings.xml"]
INSERTS = [b"<", b">", b"&", b"&x;", b"&amp;", b'"', b"</w:p>", b"<w:p>", b"<w:t>", b"</w:t>", b"\x00", b"\xff\xfe",
           b"<!DOCTYPE x>", b"<!ENTITY a 'b'>", b"{{", b"}}", b"{%", b"%}", b"{{ onbekend }}", b"{%p if %}",
           b"{{p inhoud }}", b"]]>", b"<![CDATA[", b'xmlns:w="urn:x"', b"<?xml version='1.0'?>", b"\xc3", b" "]


def _rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in parts.items():
            target.writestr(name, blob)
    return out.getvalue()


# A mutation is a small tuple (so that Hypothesis reports it readably), applied by ``damage``.
part_ops = st.tuples(
    st.just("part"), st.sampled_from(PARTS), st.sampled_from(["insert", "cut", "truncate", "drop", "replace"]),
    st.floats(0, 1), st.sampled_from(INSERTS), st.integers(1, 200), st.binary(min_size=1, max_size=20))
zip_ops = st.tuples(
    st.just("zip"), st.sampled_from(["truncate", "flip", "cut"]), st.floats(0, 1),
    st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=8), st.integers(1, 400))
mutations = st.one_of(st.lists(part_ops, min_size=1, max_size=3), st.lists(zip_ops, min_size=1, max_size=1))


def damage(ops: list[tuple]) -> bytes:
    if ops[0][0] == "zip":
        _, kind, where, flips, length = ops[0]
        data = bytearray(ORIGINAL)
        at = int(where * (len(data) - 1))
        if kind == "truncate":
            return bytes(data[:at])
        if kind == "flip":
            for offset, bits in flips:
                data[int(offset * (len(data) - 1))] ^= bits
            return bytes(data)
        return bytes(data[:at] + data[at + length:])
    with zipfile.ZipFile(io.BytesIO(ORIGINAL)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for _, name, kind, where, insert, length, noise in ops:
        if name not in parts:
            continue
        blob = parts[name]
        at = int(where * len(blob))
        if kind == "insert":
            parts[name] = blob[:at] + insert + blob[at:]
        elif kind == "cut":
            parts[name] = blob[:at] + blob[at + length:]
        elif kind == "truncate":
            parts[name] = blob[:at]
        elif kind == "drop":
            del parts[name]
        else:
            parts[name] = blob[:at] + noise + blob[at + len(noise):]
    return _rezip(parts)


@fuzz(ci=10, lang=300)
@given(ops=mutations)
def test_mutated_template_gives_dutch_messages_never_a_traceback(tmp_path, ops):
    root = fresh_dir(tmp_path)
    werkmap = new_werkmap(root / "werkmap", {EXAMPLE_2021: example()}, templates=())
    (werkmap.templates / TEMPLATE).parent.mkdir(parents=True, exist_ok=True)
    (werkmap.templates / TEMPLATE).write_bytes(damage(ops))

    lint = run_cli(["-C", str(werkmap.root), "templates", "check"])
    note(lint.output)
    assert lint.exit_code in (0, 1), lint.output

    report = pipeline.build(werkmap, Settings(jobs=1), formats=("docx",))
    unusable = False
    for problem in report.problems:
        note(problem.format())
        if problem.path == f"templates/{TEMPLATE}":
            assert "Traceback" not in problem.message
            assert_dutch(problem)
            unusable |= problem.is_error
        else:
            assert_located(problem, werkmap)
    built = outputs(werkmap, "docx")
    for path in built.values():
        assert_docx_ok(path)
    assert bool(built) == report.ok
    if unusable:
        assert not report.ok
        assert any(p.path.startswith("content/") and "is onbruikbaar" in p.message for p in report.problems)
