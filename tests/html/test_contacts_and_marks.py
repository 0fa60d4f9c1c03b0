"""The HTML edition: contacts with tel: and mailto: links (once each), and list marks as in the letter."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.html
from lxml import etree

from tests.cli.helpers import invoke
from tests.conftest import HEAD, VALID_LETTER, write

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

HEADER_CONTACTS = HEAD + """huisstijl: hilversum-rib-2016
secties:
  - tekst: Hallo.
contactpersonen:
  - naam: G. van den Broek
    telefoon: "035-629 2798"
  - naam: A. Rijssenbeek
    email: a.rijssenbeek@hilversum.nl
"""

# Bullets three deep and a numbered list three deep, in the body and in a footnote.
LISTS = """    tekst: |
      Tekst[^1].

      - een
        - twee
          - drie
            - vier

      1. een
         1. twee
            1. drie

      [^1]: Noot.

          - een
            - twee
              - drie

          1. een
             1. twee
                1. drie
"""


def _page(werkmap: Path, rel: str):
    return lxml.html.fromstring((werkmap / "build" / rel).read_bytes())


def test_contacts_named_in_the_text_get_tel_links_and_are_not_repeated(werkmap):
    result = invoke(werkmap, "build", "--formaat", "html")
    assert result.exit_code == 0, result.output
    page = _page(werkmap, VALID_LETTER.removeprefix("content/").replace(".yaml", ".html"))
    links = [(a.get("href"), a.text) for a in page.xpath("//a[starts-with(@href, 'tel:')]")]
    assert links == [("tel:+31618878359", "06\u00a018\u00a087\u00a083\u00a059"), ("tel:+31610205716", "06\u00a010\u00a020\u00a057\u00a016")], links
    text = page.text_content()
    assert text.count("E. Seijsener") == 1 and text.count("A. Rijssenbeek") == 1  # the house style has no contact block


def test_contacts_of_the_header_have_tel_and_mailto_links(werkmap):
    write(werkmap, "content/t/contact.yaml", HEADER_CONTACTS)
    result = invoke(werkmap, "build", "--formaat", "html", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    page = _page(werkmap, "t/contact.html")
    header = [(dd.getprevious().text if dd.getprevious().tag == "dt" else "", dd.text_content(),
               [a.get("href") for a in dd.iter("a")]) for dd in page.xpath("//dl[@class='kop']/dd[@class='contact']")]
    # under the house style's labels (Hilversum 2016: 'Tel. nr.'); its letter shows no e-mail addresses: nor does the page
    assert header == [("Informatie bij", "G. van den Broek", []), ("", "A. Rijssenbeek", []),
                      ("Tel. nr.", "035\u00a0629\u00a02798", ["tel:+31356292798"])], header
    assert "hilversum.nl" not in page.text_content() and not page.xpath("//a[starts-with(@href, 'mailto:')]")
    assert page.text_content().count("van den Broek") == 1


def test_lists_and_footnote_lists_have_the_marks_of_the_letter(werkmap):
    write(werkmap, "content/t/lijst.yaml", HEAD + "secties:\n  - kop: Kop\n" + LISTS)
    for kind in ("docx", "html"):
        result = invoke(werkmap, "build", "--formaat", kind, str(werkmap / "content" / "t"))
        assert result.exit_code == 0, result.output
    with zipfile.ZipFile(werkmap / "build" / "t" / "lijst.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        numbering = etree.fromstring(archive.read("word/numbering.xml"))
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    # The body's marks, as Word shows each list item: bullets, or how the level numbers.
    abstracts = {num.get(f"{W}numId"): num.find(f"{W}abstractNumId").get(f"{W}val") for num in numbering.iter(f"{W}num")}
    levels = {(a.get(f"{W}abstractNumId"), lvl.get(f"{W}ilvl")): lvl for a in numbering.iter(f"{W}abstractNum")
              for lvl in a.iter(f"{W}lvl")}
    shown = []
    for p in body.iter(f"{W}p"):
        if p.find(f".//{W}numPr") is not None:
            level = levels[(abstracts[p.find(f".//{W}numId").get(f"{W}val")], p.find(f".//{W}ilvl").get(f"{W}val"))]
            form, text = level.find(f"{W}numFmt").get(f"{W}val"), level.find(f"{W}lvlText").get(f"{W}val")
            shown.append(text if form == "bullet" else form)
    assert shown == ["•", "–", "▪", "▪", "decimal", "lowerLetter", "lowerRoman"], shown
    # The footnote shows the same marks, in its one paragraph.
    note = "".join("\n" if r.find(f"{W}br") is not None else "".join(t.text or "" for t in r.iter(f"{W}t"))
                   for r in notes.iter(f"{W}r"))
    assert re.findall(r"[•–▪]|\b(?:1|a|i)\.", note) == ["•", "–", "▪", "1.", "a.", "i."], note
    page = _page(werkmap, "t/lijst.html")
    [footnote] = page.xpath("//section[@class='voetnoten']//li")
    for br in footnote.iter("br"):
        br.tail = "\n" + (br.tail or "")
    assert re.findall(r"[•–▪]|\b(?:1|a|i)\.", footnote.text_content()) == ["•", "–", "▪", "1.", "a.", "i."]
    # The page's lists: bullets by depth with the letter's marks, numbers as 1., a., i.
    style = page.xpath("//style")[0].text
    for depth, mark in enumerate("•–▪"):
        assert re.search(r"(^|\n)" + re.escape(":is(ul, ol) " * depth) + r'ul \{ list-style-type: "' + mark, style), style
    assert [ol.get("type") for ol in page.xpath("//div[@class='inhoud']/ol/descendant-or-self::ol")] == [None, "a", "i"]
    assert len(page.xpath("//div[@class='inhoud']/ul/li/ul/li/ul/li/ul")) == 1  # four deep: shown as the third
