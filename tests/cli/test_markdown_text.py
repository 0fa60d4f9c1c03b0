"""Markdown in a section's text (stop 25): nothing lost silently, all problems at once, lists as one list.

Every letter here has its text from line 8, column 7 of its file (see :func:`letter`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
from lxml import etree

from tests.cli.helpers import invoke
from tests.conftest import HEAD, signed, write

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def letter(text: str, kop: str = "Kop") -> str:
    """A letter with one section; its text starts on line 8, column 7."""
    body = "\n".join(f"      {line}" if line else "" for line in text.split("\n"))
    return f"{HEAD}secties:\n  - kop: {kop}\n    tekst: |\n{body}\n"


def _build(werkmap: Path, name: str, text: str, *formats: str, kop: str = "Kop"):
    write(werkmap, f"content/t/{name}.yaml", signed(letter(text, kop)))
    results = [invoke(werkmap, "build", "--formaat", f, str(werkmap / "content" / "t")) for f in formats]
    return results


def _check(werkmap: Path, name: str, text: str, kop: str = "Kop"):
    write(werkmap, f"content/t/{name}.yaml", signed(letter(text, kop)))
    return invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content" / "t"))


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def _docx_text(path: Path, name: str = "word/document.xml") -> str:
    root = etree.fromstring(_part(path, name).encode("utf-8"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


def _html_text(path: Path) -> str:
    return lxml.html.fromstring(path.read_bytes()).text_content()


# 1. Deep nesting -------------------------------------------------------------------------------------

DEEP_LIST = "\n".join("  " * depth + f"- punt {depth}" for depth in range(10)) + "\n\nNa de lijst."
DEEP_QUOTE = "> " * 20 + "Diep citaat.\n\nNa het citaat."


def test_a_list_ten_levels_deep_and_a_quote_twenty_deep_keep_all_their_text(werkmap):
    for name, text, expected in (("lijst", DEEP_LIST, [f"punt {n}" for n in range(10)] + ["Na de lijst."]),
                                 ("citaat", DEEP_QUOTE, ["Diep citaat.", "Na het citaat."])):
        check = _check(werkmap, name, text)
        assert check.exit_code == 0, check.output
        docx, html = _build(werkmap, name, text, "docx", "html")
        assert docx.exit_code == 0 and html.exit_code == 0, docx.output + html.output
        body = _docx_text(werkmap / "build" / "t" / f"{name}.docx")
        page = _html_text(werkmap / "build" / "t" / f"{name}.html")
        for piece in expected:
            assert piece in body and piece in page, (name, piece)
        (werkmap / "content" / "t" / f"{name}.yaml").unlink()


def test_nesting_too_deep_to_read_is_a_located_error_not_lost_text(werkmap):
    text = "Ervoor.\n\n" + "> " * 80 + "Te diep.\n\nNa het citaat."
    result = _check(werkmap, "diep", text)
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if "te diep genest" in line]
    assert line.startswith("content/t/diep.yaml:10:7: "), line
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content" / "t")).exit_code == 1
    assert not (werkmap / "build" / "t" / "diep.docx").exists()


# 2. Footnotes ----------------------------------------------------------------------------------------

def test_a_footnote_inside_a_footnote_is_a_located_error(werkmap):
    result = _check(werkmap, "noot", "Tekst[^1].\n\n[^1]: Rapport[^2].\n[^2]: Gepubliceerd in 2021.")
    assert result.exit_code == 1
    assert ("content/t/noot.yaml:10:20: voetnoot '[^2]' staat in de tekst van een andere voetnoot; een voetnoot kan "
            "geen voetnoot hebben: zet de tekst van [^2] in die voetnoot zelf") in result.stderr.splitlines(), result.stderr
    assert "interne fout" not in result.output + result.stderr
    html = invoke(werkmap, "build", "--formaat", "html", str(werkmap / "content" / "t"))
    assert html.exit_code == 1 and "interne fout" not in html.output + html.stderr


def test_a_duplicate_footnote_text_is_a_located_error(werkmap):
    result = _check(werkmap, "noot", "Tekst[^1].\n\n[^1]: een\n[^1]: twee")
    assert result.exit_code == 1
    assert ("content/t/noot.yaml:11:7: voetnoot '[^1]' heeft al een tekst; geef deze voetnoot een eigen nummer "
            "(en zet dat in de tekst), of laat een van beide weg") in result.stderr.splitlines(), result.stderr


NOTE_WITH_BLOCKS = ("Tekst[^1].\n\n[^1]: Voet.\n\n    - onderdeel a;\n    - onderdeel b.\n\n"
                    "    > Geciteerd in de noot.\n\nNa de noot.")


def test_a_list_and_a_quote_under_a_footnote_are_in_the_note(werkmap):
    assert _check(werkmap, "noot", NOTE_WITH_BLOCKS).exit_code == 0
    docx, html = _build(werkmap, "noot", NOTE_WITH_BLOCKS, "docx", "html")
    assert docx.exit_code == 0 and html.exit_code == 0, docx.output + html.output
    notes = _docx_text(werkmap / "build" / "t" / "noot.docx", "word/footnotes.xml")
    page = lxml.html.fromstring((werkmap / "build" / "t" / "noot.html").read_bytes())
    [note] = page.xpath("//section[@class='voetnoten']//li")
    for piece in ("Voet.", "onderdeel a;", "onderdeel b.", "Geciteerd in de noot."):
        assert piece in notes and piece in note.text_content(), piece
    assert "Na de noot." in _docx_text(werkmap / "build" / "t" / "noot.docx")


# 3. All problems at once -----------------------------------------------------------------------------

def test_an_expression_error_does_not_hide_a_forbidden_link_in_the_same_text(werkmap):
    result = _check(werkmap, "link", "Zie [de site](file://server/map) en {{ tabellen.mojeugd.totaal }}.")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/t/link.yaml:8:") and "mojeugd" in line for line in lines), lines
    assert ("content/t/link.yaml:8:21: link 'file://server/map' is niet toegestaan: alleen https:, http:, mailto:, "
            "tel: worden een link in een brief") in lines, lines


def test_an_expression_in_a_link_that_failed_gives_no_second_problem(werkmap):
    result = _check(werkmap, "link", "Zie [de site]({{onbekend}}).")
    assert result.exit_code == 1
    assert not any("schema" in line for line in result.stderr.splitlines()), result.stderr


# 4. A Markdown table ---------------------------------------------------------------------------------

def test_a_markdown_pipe_table_is_a_located_warning_pointing_to_tabellen(werkmap):
    result = _check(werkmap, "tabel", "Ervoor.\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stderr.splitlines() if "tabellen:" in line]
    assert line.startswith("content/t/tabel.yaml:10:7: waarschuwing: "), line
    assert invoke(werkmap, "check", "--geen-spelling", "--streng", str(werkmap / "content" / "t")).exit_code == 1


# 5. A bullet list under a numbered item is one list --------------------------------------------------

MIXED_LIST = "1. Eerste punt:\n   - onderdeel a;\n   - onderdeel b.\n2. Tweede punt.\n3. Derde punt."


def test_bullets_under_a_numbered_item_share_the_numbering_of_the_list(werkmap):
    [docx] = _build(werkmap, "lijst", MIXED_LIST, "docx")
    assert docx.exit_code == 0, docx.output
    path = werkmap / "build" / "t" / "lijst.docx"
    body = etree.fromstring(_part(path, "word/document.xml").encode("utf-8"))
    numbered = [(p.find(f".//{W}ilvl").get(f"{W}val"), p.find(f".//{W}numId").get(f"{W}val"),
                 "".join(t.text for t in p.iter(f"{W}t"))) for p in body.iter(f"{W}p") if p.find(f".//{W}numPr") is not None]
    assert [(level, text) for level, _, text in numbered] == [
        ("0", "Eerste punt:"), ("1", "onderdeel a;"), ("1", "onderdeel b."), ("0", "Tweede punt."), ("0", "Derde punt.")]
    assert len({num for _, num, _ in numbered}) == 1
    numbering = etree.fromstring(_part(path, "word/numbering.xml").encode("utf-8"))
    [num] = [n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == numbered[0][1]]
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    [abstract] = [a for a in numbering.iter(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id]
    formats = [lvl.find(f"{W}numFmt").get(f"{W}val") for lvl in abstract.iter(f"{W}lvl")]
    assert formats[:2] == ["decimal", "bullet"]


# 6. A nested numbered list has letters in the HTML too -----------------------------------------------

def test_a_nested_numbered_list_has_letters_in_the_html_as_in_the_docx(werkmap):
    [html] = _build(werkmap, "lijst", "1. Eerste punt.\n2. Tweede punt.\n   1. deelpunt\n   2. deelpunt", "html")
    assert html.exit_code == 0, html.output
    page = lxml.html.fromstring((werkmap / "build" / "t" / "lijst.html").read_bytes())
    [outer] = page.xpath("//main//ol[not(ancestor::ol)][not(ancestor::section)]")
    [inner] = outer.xpath(".//ol")
    assert outer.get("type") in (None, "1") and inner.get("type") == "a"


# 7. Headings -----------------------------------------------------------------------------------------

def test_emphasis_in_a_section_heading_is_a_located_warning(werkmap):
    result = _check(werkmap, "kop", "Tekst.", kop="Hoofdstuk *Wmo* en **Jeugd**")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stderr.splitlines() if "kop" in line and "waarschuwing" in line]
    assert line.startswith("content/t/kop.yaml:6:20: waarschuwing: "), line


def test_a_fourth_level_heading_is_a_located_warning(werkmap):
    result = _check(werkmap, "kop", "Tekst.\n\n#### Vierde niveau\n\nMeer tekst.")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stderr.splitlines() if "####" in line]
    assert line.startswith("content/t/kop.yaml:10:7: waarschuwing: "), line


def test_a_table_in_a_footnote_is_a_located_error_not_a_printed_marker(werkmap):
    text = 'Tekst[^1].\n\n[^1]: {{ tabel("t") }}'
    write(werkmap, "content/t/noot.yaml", letter(text).replace(
        "secties:", "tabellen:\n  t:\n    kolommen: [Soort, Aantal]\n    rijen:\n      - [PGB, 6]\nsecties:", 1))
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content" / "t"))
    assert result.exit_code == 1
    assert any(line.startswith("content/t/noot.yaml:15:") and "tabel() moet op een eigen regel staan" in line
               for line in result.stderr.splitlines()), result.stderr
