"""The HTML edition: same text as the DOCX, real structure, self-contained, WCAG 2.1 AA by axe-core."""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

import lxml.html
import pytest

from tests.cli.helpers import invoke
from tests.conftest import write
from tests.golden.build import outputs
from tests.golden.extract import docx_text
from tests.html.browser import axe, screenshot

EXAMPLES = [
    "hilversum/2016/inkoop-sociaal-domein-2017",
    "hilversum/2021/inkoop-wmo-jeugd",
    "hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd",
    "huizen/2021/transitieregelingen-dagbesteding",
    "rzou/2021/inkoop-jeugdhulp-wmo-begeleiding",
]
_MARKERS = {"|", "/", "-"}


def tokens(text: str) -> list[str]:
    """Words, without the structure marks of the text extracts (table bars, list dashes, heading #)."""
    return [t for t in text.split() if t not in _MARKERS and not re.fullmatch(r"#+", t)]


def html_lines(element) -> list[str]:
    """Block texts in document order: headings, paragraphs, captions, list items, table rows."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for hidden in element.find_class("voorlezen"):  # a caption for screen readers where the letter has none
        hidden.drop_tree()
    lines = []
    for node in element.iter("h1", "h2", "h3", "h4", "p", "caption", "li", "tr", "dt", "dd"):
        if node.tag == "li":
            own = [node.text or ""] + [
                (lxml.html.tostring(child, method="text", encoding="unicode") if child.tag not in ("ul", "ol") else "")
                + (child.tail or "") for child in node
            ]
            lines.append("".join(own))
        elif node.tag == "tr":
            lines.append(" | ".join(cell.text_content() for cell in node))
        elif node.getparent() is None or node.getparent().tag != "li":
            lines.append(node.text_content())
    return lines


def docx_body_lines(path: Path) -> list[str]:
    return [line for line in docx_text(path).splitlines() if not line.startswith("[")]


def find(haystack: list[str], needle: list[str]) -> int:
    for i in range(len(haystack) - len(needle) + 1):
        if haystack[i:i + len(needle)] == needle:
            return i
    return -1


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_text_is_the_docx_text(html_build, name):
    """The body (sections, tables, toezeggingen, bijlagen) is word for word the DOCX body; what the
    house style shows around it (header fields, opening, closing, signers) is the same text too."""
    page = lxml.html.parse(str(html_build.build / f"{name}.html")).getroot()
    docx = tokens("\n".join(docx_body_lines(html_build.build / f"{name}.docx")))
    body = tokens("\n".join(html_lines(page.find_class("inhoud")[0])))
    assert len(body) > 100
    start = find(docx, body)
    assert start >= 0, "de tekst van de HTML-versie wijkt af van de DOCX"
    closing = tokens("\n".join(html_lines(page.find_class("slot")[0])))
    assert docx[start + len(body):] == closing
    before = " ".join(docx[:start])
    everything = " ".join(tokens(docx_text(html_build.build / f"{name}.docx")))  # with headers and footers
    for dd in page.iter("dd"):
        assert " ".join(tokens(dd.text_content())) in everything
    aanhef = page.find_class("aanhef")
    if aanhef:
        assert before.endswith(" ".join(tokens(aanhef[0].text_content())))


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_structure(html_build, name):
    path = html_build.build / f"{name}.html"
    text = path.read_text(encoding="utf-8")
    page = lxml.html.fromstring(text)
    assert text.startswith("<!DOCTYPE html>")
    assert page.get("lang") == "nl"
    assert page.findtext(".//title").strip()
    assert len(page.findall(".//h1")) == 1 and page.findall(".//h2")
    assert page.findall(".//main") and page.findall(".//dl/dt")
    for table in page.iter("table"):
        assert table.find("caption") is not None and table.find("caption").text_content().strip()
        assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
    logo = page.find(".//header//img")
    if name.startswith("rzou/"):
        assert logo is None  # the informatienota's house style has no picture
    else:
        assert logo.get("alt") == f"Logo {'Gemeente Huizen' if name.startswith('huizen/') else 'Gemeente Hilversum'}"
        media, data = logo.get("src").split(",", 1)
        assert media == "data:image/png;base64" and base64.b64decode(data).startswith(b"\x89PNG")
    # self-contained: nothing is fetched (only links the letter itself contains go outside)
    assert not page.xpath("//script | //link | //iframe | //*[@src and not(starts-with(@src, 'data:'))]")
    assert "@page" in text and "A4" in text


def test_html_escapes_what_the_letter_says(werkmap):
    write(werkmap, "content/hilversum/2021/x.yaml", """\
soort: raadsinformatiebrief
organisatie: hilversum
datum: 2021-11-16
nummer: "2021/99"
onderwerp: "<script>alert(1)</script> & \\"zo\\""
secties:
  - kop: "<b>kop</b>"
    tekst: |
      Tekst met <img src=x onerror=alert(1)> en [een link](https://example.org/?a=1&b="2").
""")
    result = invoke(werkmap, "build", "--formaat", "html")
    assert result.exit_code == 0, result.output
    text = (werkmap / "build/hilversum/2021/x.html").read_text(encoding="utf-8")
    page = lxml.html.fromstring(text)
    assert not page.xpath("//script | //img[@onerror] | //b")
    assert page.findtext(".//h1") == '<script>alert(1)</script> & "zo"'
    assert page.xpath("//a/@href") == ["https://example.org/?a=1&b=%222%22"]  # other schemes are refused by richtext
    assert not (werkmap / "build/hilversum/2021/x.docx").exists()


@pytest.mark.parametrize("name", EXAMPLES)
def test_axe_finds_no_wcag_violations(html_build, name, tmp_path):
    result = axe(html_build.build / f"{name}.html", tmp_path)
    assert result["passes"] > 5
    assert result["violations"] == []


def test_axe_check_does_find_violations(tmp_path):
    """The check above is no empty pass: a page without language, title and alt text fails."""
    page = tmp_path / "slecht.html"
    page.write_text("<!DOCTYPE html><html><head></head><body><img src='data:image/png;base64,'>"
                    "<table><tr><th></th></tr></table></body></html>", encoding="utf-8")
    found = {v["id"] for v in axe(page, tmp_path)["violations"]}
    assert {"html-has-lang", "document-title", "image-alt"} <= found


def test_screenshot_looks_like_the_letter(html_build, tmp_path):
    """An A4-like page with letterhead, header block, table and signers (looked at by hand once)."""
    target = tmp_path / "brief.png"
    screenshot(html_build.build / "hilversum/2021/inkoop-wmo-jeugd.html", target)
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (900, 1270)
    from PIL import Image  # pikepdf's dependency

    image = Image.open(target).convert("RGB")
    logo = [image.getpixel((x, y)) for x in range(0, width // 2, 2) for y in range(0, 150, 2)]
    assert sum(1 for r, g, b in logo if b > 100 and b > r + 40) > 250  # the blue Hilversum logo, top left
    dark = [y for y in range(height) if any(sum(image.getpixel((x, y))) < 200 for x in range(0, width, 3))]
    assert len(dark) > height // 4  # text from top to bottom, not an empty or broken page
    ink = [x for x in range(width) if any(sum(image.getpixel((x, y))) < 600 for y in range(200, height, 5))]
    assert 100 < ink[0] and ink[-1] < width - 100  # a text column with margins, like the printed letter


def test_html_outputs_are_all_built(html_build):
    assert sorted(outputs(html_build, "html")) == sorted(f"{name}.html" for name in EXAMPLES)


def test_printed_html_is_a4(html_build, tmp_path):
    """The print CSS (@page A4): Chromium's print of the HTML edition has A4 pages."""
    import pikepdf

    from tests.html.browser import chromium

    target = tmp_path / "print.pdf"
    done = chromium("--no-pdf-header-footer", f"--print-to-pdf={target}",
                    (html_build.build / "hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd.html").as_uri())
    assert target.is_file(), done.stderr[-2000:]
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            box = [float(v) for v in page.mediabox]
            assert abs(box[2] - box[0] - 595.3) < 2 and abs(box[3] - box[1] - 841.9) < 2


def test_a_wide_table_stays_on_the_printed_page(werkmap, tmp_path):
    """A trial: seven columns with long Dutch headers ran past the text column and the last column was cut off in
    print; a cell's word may now break where it must, so the table keeps to the page's width."""
    import subprocess

    from tests.cli.helpers import invoke
    from tests.conftest import HEAD, write
    from tests.html.browser import chromium

    header = ("Voorziening, Aanmeldingen, Doorverwijzingen, Wachtlijstregistraties, Herindicatieaanvragen, "
              "Beëindigingen, Klachtenafhandelingen")
    write(werkmap, "content/x/breed.yaml", HEAD + (
        "secties:\n  - tekst: |\n      {{ tabel(\"v\") }}\n"
        f"tabellen:\n  v:\n    titel: Aanmeldingen\n    kolommen: [{header}]\n    rijen:\n"
        "      - [Jeugdhulpverleningsinstellingen, 120, 34, 56, 12, 8, 9991]\n"
        "      - [Schuldhulpverleningstrajecten, 99, 12, 88, 7, 6, 9992]\n"
        "ondertekening: college\n"))
    assert invoke(werkmap, "build", "--formaat", "html", str(werkmap / "content/x/breed.yaml")).exit_code == 0
    target = tmp_path / "print.pdf"
    done = chromium("--no-pdf-header-footer", f"--print-to-pdf={target}", (werkmap / "build/x/breed.html").as_uri())
    assert target.is_file(), done.stderr[-2000:]
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "9.991" in text and "9.992" in text  # the last column's cells are printed
