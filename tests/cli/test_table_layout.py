"""How data tables sit on the page: a long table starts where it is introduced, a wide one keeps a
readable first column (found by a new user: a 60-row table left page 1 empty, a 7-column table had a
first column of negative width)."""

from __future__ import annotations

import subprocess
import zipfile

from lxml import etree

from tests.cli.helpers import invoke
from tests.conftest import HEAD, require_soffice, write

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LETTER = "content/x/tabellen.yaml"


def _letter(werkmap, rows: int, columns: int = 2):
    header = ", ".join(["Straat", *(f"Kwartaal {c}" for c in range(1, columns))])
    body = "".join(f"      - [Straat {r} in Kortenhoef-Noord, {', '.join(str(r % 7 + c) for c in range(1, columns))}]\n"
                   for r in range(1, rows + 1))
    return write(werkmap, LETTER, HEAD + (
        "aanhef: Geachte leden van de raad,\n"
        "secties:\n  - tekst: |\n      Wij plaatsen in totaal {{ tabellen.straten.totalen[0] }} laadpalen.\n\n"
        "      {{ tabel(\"straten\") }}\n"
        f"tabellen:\n  straten:\n    titel: Laadpalen per straat\n    kolommen: [{header}]\n    rijen:\n{body}"
        "ondertekening: college\n"
    ))


def _table(werkmap):
    with zipfile.ZipFile(werkmap / "build/x/tabellen.docx") as built:
        document = etree.fromstring(built.read("word/document.xml"))
    return next(t for t in document.iter(f"{{{W}}}tbl") if t.find("w:tblGrid", NS) is not None
                and "Straat" in "".join(t.itertext()))


def _kept(table) -> list[bool]:
    return [row.find("w:tc/w:p/w:pPr/w:keepNext", NS) is not None for row in table.findall("w:tr", NS)]


def test_a_short_table_is_kept_together_and_a_long_one_only_at_its_ends(werkmap):
    _letter(werkmap, rows=8)
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / LETTER)).exit_code == 0
    assert _kept(_table(werkmap)) == [True] * 9 + [False]  # header and 8 rows keep with the next; not the total

    _letter(werkmap, rows=60)
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / LETTER)).exit_code == 0
    kept = _kept(_table(werkmap))
    assert len(kept) == 62
    assert kept[:3] == [True, True, True] and kept[3:59] == [False] * 56 and kept[59:] == [True, True, False]


def test_a_wide_table_keeps_a_first_column_of_at_least_four_centimetres(werkmap):
    _letter(werkmap, rows=3, columns=7)
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / LETTER)).exit_code == 0
    table = _table(werkmap)
    grid = [int(c.get(f"{{{W}}}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
    cells = [int(c.get(f"{{{W}}}w")) for c in table.find("w:tr", NS).findall("w:tc/w:tcPr/w:tcW", NS)]
    assert grid == cells and len(grid) == 7
    assert grid[0] >= 2268 and min(grid) > 0 and sum(grid) <= 9072


def _grid(werkmap, header: str, place: str = "in Kortenhoef-Noord") -> list[int]:
    text = _letter(werkmap, rows=3, columns=3).read_text(encoding="utf-8")
    write(werkmap, LETTER, text.replace("[Straat, Kwartaal 1, Kwartaal 2]", f"[Straat, {header}]").replace("in Kortenhoef-Noord", place))
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / LETTER)).exit_code == 0
    table = _table(werkmap)
    grid = [int(c.get(f"{{{W}}}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(grid) == 9072
    return grid


def test_a_heading_of_several_words_stays_on_one_line_beside_a_first_column_with_room(werkmap):
    """An imported table: "Aantal laadpalen 2023" was broken over two lines in a 2.8 cm column while the first
    column had room to spare."""
    grid = _grid(werkmap, "Aantal laadpalen 2023, Aantal laadpalen 2024")
    assert grid[1] == grid[2] == len("Aantal laadpalen 2023") * 100 + 230
    assert grid[0] >= len("Straat 1 in Kortenhoef-Noord") * 90 + 230


def test_a_first_column_without_room_keeps_it_and_the_heading_breaks_between_words(werkmap):
    place = "in Kortenhoef-Noord tussen de kerk en het oude raadhuis aan de Koninginneweg"
    grid = _grid(werkmap, "Aantal laadpalen 2023, Aantal laadpalen 2024", place)
    assert grid[1:] == [len("laadpalen 2024") * 100 + 230] * 2  # both on two lines; the first column wraps less


def test_a_long_table_starts_on_the_page_of_its_introduction(werkmap):
    require_soffice()
    _letter(werkmap, rows=60)
    result = invoke(werkmap, "build", "--formaat", "pdf", str(werkmap / LETTER))
    assert result.exit_code == 0, result.output
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(werkmap / "build/x/tabellen.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Wij plaatsen in totaal" in first
    assert "Straat 1 in Kortenhoef-Noord" in first and "Straat 10 in Kortenhoef-Noord" in first


def test_a_body_that_ends_with_a_table_has_no_empty_line_after_it(werkmap):
    """That line alone would start a new page when the table fills its page (a blank last page of an informatienota,
    with 41 rows in rzou-informatienota); a table in the middle of the body keeps it as space before the next text."""
    _letter(werkmap, rows=8)
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / LETTER)).exit_code == 0
    table = _table(werkmap)
    after = table.getnext()
    assert after.tag != f"{{{W}}}p" or "".join(after.itertext()).strip() or after.find("w:pPr/w:pStyle", NS) is not None, \
        "an empty paragraph follows the last table"

    text = (werkmap / LETTER).read_text(encoding="utf-8")
    write(werkmap, LETTER, text.replace('      {{ tabel("straten") }}\n', '      {{ tabel("straten") }}\n\n      Tot slot.\n'))
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / LETTER)).exit_code == 0
    after = _table(werkmap).getnext()
    assert after.tag == f"{{{W}}}p" and not "".join(after.itertext()).strip()  # the space between table and text


def test_a_number_column_is_as_wide_as_its_longest_header_word(werkmap):
    """"Doorverwijzingen" in a 2.8 cm column was printed as "Doorverwijzinge/n"; a short header is as wide as it is."""
    text = _letter(werkmap, rows=3, columns=3).read_text(encoding="utf-8")
    write(werkmap, LETTER, text.replace("[Straat, Kwartaal 1, Kwartaal 2]", "[Straat, Doorverwijzingen, Kwartaal 2]"))
    assert invoke(werkmap, "build", "--formaat", "docx", str(werkmap / LETTER)).exit_code == 0
    table = _table(werkmap)
    grid = [int(c.get(f"{{{W}}}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
    cells = [int(c.get(f"{{{W}}}w")) for c in table.find("w:tr", NS).findall("w:tc/w:tcPr/w:tcW", NS)]
    assert grid == cells and sum(grid) == 9072
    assert grid[1] >= 16 * 100 + 230 and grid[2] == len("Kwartaal 2") * 100 + 230 and grid[0] >= 2268
