"""Broken and hostile house-style templates (templatefile.open_template): refused before use, with a
Dutch message on the template and a located one on every letter that uses it; other letters built."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from tests.cli.helpers import invoke
from tests.conftest import REPO, VALID_LETTER

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEMPLATE = "templates/hilversum-rib-2021.docx"
OTHER = "content/huizen/2021/transitieregelingen-dagbesteding.yaml"
LETTER_LINE = (f"{VALID_LETTER}:3:14: de huisstijl 'hilversum-rib-2021' (van organisatie 'hilversum') is onbruikbaar: "
               f"{TEMPLATE} heeft fouten")
ENGLISH = ("File is not a zip", "There is no item", "not defined", "amplification", "Traceback", "Error")

BOMB = b"<!DOCTYPE d [<!ENTITY a 'aaaaaaaaaa'>" + b"".join(
    b"<!ENTITY %c '%s'>" % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(8)) + b"]>"


def rezip(data: bytes, change=lambda name, blob: blob, extra: dict[str, bytes] | None = None) -> bytes:
    """The archive ``data`` with every part passed through ``change`` (None drops it), plus ``extra``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            blob = change(name, source.read(name))
            if blob is not None:
                target.writestr(name, blob)
        for name, blob in (extra or {}).items():
            target.writestr(name, blob)
    return out.getvalue()


def part(name: str, new) -> callable:
    """A ``change`` for :func:`rezip` that rewrites only part ``name``."""
    return lambda n, blob: new(blob) if n == name else blob


def _xml_body(blob: bytes) -> bytes:
    return blob.split(b"?>", 1)[1] if blob.startswith(b"<?xml") else blob


CASES = {
    "not-a-zip": (lambda data: b"geen zip-archief", "geen Word-bestand: een .docx is een zip-archief"),
    "part-too-large": (lambda data: rezip(data, part("word/document.xml", lambda b: b + b" " * 60_000_000)),
                       "word/document.xml wordt uitgepakt 60."),
    "ratio": (lambda data: rezip(data, extra={"word/media/leeg.bin": bytes(3_000_000)}),
              "word/media/leeg.bin wordt bij het uitpakken"),
    "too-many-parts": (lambda data: rezip(data, extra={f"customXml/item{i}.bin": b"x" for i in range(1001)}),
                       "de template heeft 1.017 onderdelen; maximaal 1.000"),
    "entity-bomb": (lambda data: rezip(data, part("word/document.xml", lambda b: BOMB + _xml_body(b).replace(
                        b"<w:body>", b"<w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p>", 1))),
                    "word/document.xml: een DOCTYPE of entiteit-definitie is in een template niet toegestaan"),
    "undefined-entity": (lambda data: rezip(data, part("word/document.xml", lambda b: b.replace(b"<w:body>", b"<w:body>&x;", 1))),
                         "word/document.xml, regel 2, kolom "),
    "no-document": (lambda data: rezip(data, lambda n, b: None if n == "word/document.xml" else b),
                    "het onderdeel word/document.xml ontbreekt"),
    "no-styles": (lambda data: rezip(data, lambda n, b: None if n == "word/styles.xml" else b),
                  "word/_rels/document.xml.rels verwijst naar word/styles.xml, maar dat onderdeel ontbreekt"),
    "jinja": (lambda data: rezip(data, part("word/document.xml", lambda b: b.replace(
                  b"<w:body>", b"<w:body><w:p><w:r><w:t>{% foo %}</w:t></w:r></w:p>", 1))),
              "Jinja-fout in de template (XML-regel 1): onbekende opdracht in {% … %}"),
    "broken-xml": (lambda data: rezip(data, part("word/styles.xml", lambda b: b[: len(b) // 2])),
                   "word/styles.xml, regel "),
}


@pytest.fixture
def two_styles(werkmap: Path) -> Path:
    """The werkmap with a second letter in another house style (huizen)."""
    shutil.copytree(REPO / "content/huizen", werkmap / "content/huizen")
    return werkmap


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_template_is_refused_in_dutch_and_the_other_letters_are_built(two_styles, case):
    damage, expected = CASES[case]
    path = two_styles / TEMPLATE
    path.write_bytes(damage(path.read_bytes()))
    build = invoke(two_styles, "build", "--formaat", "docx")
    assert build.exit_code == 1, build.output
    lines = build.stderr.splitlines()
    assert any(line.startswith(LETTER_LINE) for line in lines), build.stderr
    assert any(line.startswith(f"{TEMPLATE}: {expected}") for line in lines), build.stderr
    assert not any(word in build.output for word in ENGLISH), build.output
    assert (two_styles / "build/huizen/2021/transitieregelingen-dagbesteding.docx").is_file()
    assert not (two_styles / "build/hilversum/2021/inkoop-wmo-jeugd.docx").exists()
    check = invoke(two_styles, "templates", "check")
    assert check.exit_code == 1
    assert any(line.startswith(f"{TEMPLATE}: {expected}") for line in check.stderr.splitlines()), check.stderr
    assert not any(word in check.output for word in ENGLISH), check.output


def test_a_style_id_with_a_quote_reaches_the_table(werkmap):
    """The table XML is built with lxml: an attribute value with '"' is escaped, not broken XML."""
    path = werkmap / TEMPLATE
    path.write_bytes(rezip(path.read_bytes(), part("word/styles.xml", lambda b: b.replace(
        b'w:styleId="BriefgenTabel"', b'w:styleId="Briefgen&quot;Tabel"'))))
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.docx") as built:
        document, styles = (etree.fromstring(built.read(f"word/{name}.xml")) for name in ("document", "styles"))
    assert {e.get(f"{{{W}}}val") for e in document.iter(f"{{{W}}}tblStyle")} >= {'Briefgen"Tabel'}
    kept = {e.get(f"{{{W}}}styleId") for e in styles.iter(f"{{{W}}}style")}
    assert 'Briefgen"Tabel' in kept  # drop_unused_styles keeps the style the table uses


def test_table_cells_with_a_line_break_and_tab_become_word_breaks(werkmap):
    letter = werkmap / VALID_LETTER
    text = letter.read_text(encoding="utf-8").replace('["PGB", 6]', '["PGB\\tpersoonsgebonden\\nbudget", 6]')
    letter.write_text(text, encoding="utf-8")
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.exit_code == 0, result.output
    built = Document(str(werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.docx"))
    cell = next(t for t in built.tables if t.rows[0].cells[0].text == "Situatie").rows[1].cells[0]
    assert cell.text == "PGB\tpersoonsgebonden\nbudget"
