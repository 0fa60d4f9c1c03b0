"""One width rule for every data table (stop 30): a column of numbers as wide as its widest value or heading, the
labels the rest, never wider than the text area of the template; in the DOCX, the HTML edition and the PDF."""

from __future__ import annotations

import re
import subprocess
import zipfile

import lxml.html
from lxml import etree

from briefgen.builders.tablewidths import CELL_PADDING, value_width
from tests.cli.helpers import invoke
from tests.conftest import HEAD, require_soffice, write

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LETTER = "content/x/breedtes.yaml"
TEXT_WIDTH = 11906 - 2 * 1417  # A4 between the margins of the templates in templates/
SEVEN = ("Voorziening, Aanmeldingen, Doorverwijzingen, Wachtlijstregistraties, Herindicatieaanvragen, Beëindigingen, "
         "Klachtenafhandelingen")
LONG_HEADING = "Aantal cliënten met een indicatie voor begeleiding in 2023"
BODY = f"""\
aanhef: Geachte leden van de raad,
secties:
  - tekst: |
      Twee kolommen met bedragen.

      {{{{ tabel("twee") }}}}

      Vier kolommen met lange koppen.

      {{{{ tabel("vier") }}}}

      Zeven kolommen.

      {{{{ tabel("zeven") }}}}
tabellen:
  twee:
    titel: Kosten per voorziening
    soort: bedrag
    kolommen: [Voorziening, Bedrag]
    rijen:
      - ["Jeugdhulp met verblijf bij een gecertificeerde instelling buiten de regio", 1234567.89]
      - ["Hulp bij het huishouden", 250000]
  vier:
    titel: Cliënten per wijk
    kolommen: [Wijk, {LONG_HEADING}, Aantal cliënten 2024, Doorverwijzingen]
    rijen:
      - ["Kortenhoef-Noord tussen de kerk en het oude raadhuis aan de Koninginneweg", 120, 134, 12]
      - ["Zuid", 1200, 1304, 88]
  zeven:
    titel: Aanmeldingen per voorziening
    kolommen: [{SEVEN}]
    rijen:
      - [Jeugdhulpverleningsinstellingen, 120, 34, 56, 12, 8, 9991]
      - [Schuldhulpverleningstrajecten, 99, 12, 88, 7, 6, 9992]
      - [Hulp bij het huishouden, 1234, 4567, 88, 7000, 6, 12345]
ondertekening: college
"""


def _build(werkmap, kind: str) -> None:
    write(werkmap, LETTER, HEAD + BODY)
    result = invoke(werkmap, "build", "--formaat", kind, str(werkmap / LETTER))
    assert result.exit_code == 0, result.output


def _tables(werkmap) -> list[tuple[int, list[int]]]:
    """Each data table's width (w:tblW) and grid; asserts that every row's cells have the grid's widths."""
    with zipfile.ZipFile(werkmap / "build/x/breedtes.docx") as built:
        document = etree.fromstring(built.read("word/document.xml"))
    found = []
    for table in document.iter(f"{{{W}}}tbl"):
        if table.find("w:tr/w:trPr/w:tblHeader", NS) is None:
            continue  # the house style's own tables (letterhead, signatures)
        grid = [int(c.get(f"{{{W}}}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
        for row in table.findall("w:tr", NS):
            assert [int(c.get(f"{{{W}}}w")) for c in row.findall("w:tc/w:tcPr/w:tcW", NS)] == grid
        found.append((int(table.find("w:tblPr/w:tblW", NS).get(f"{{{W}}}w")), grid))
    return found


def _span(text: str) -> int:
    return len(text) * 100 + 230


def test_columns_of_numbers_are_as_wide_as_they_need_and_the_labels_take_the_rest(werkmap):
    _build(werkmap, "docx")
    (two_width, two), (four_width, four), (seven_width, seven) = _tables(werkmap)
    assert two_width == four_width == seven_width == TEXT_WIDTH
    total = value_width("€\u00a01.484.567,89") + CELL_PADDING
    assert two == [TEXT_WIDTH - total, total]  # the widest value: the total
    assert sum(four) == TEXT_WIDTH and four[0] >= TEXT_WIDTH // 2  # the long label wraps at most once more
    assert _span("begeleiding") <= four[1] < _span(LONG_HEADING) // 2  # the long heading wraps, not widens
    assert four[3] == _span("Doorverwijzingen")  # one word: never broken inside
    assert sum(seven) == TEXT_WIDTH and len(seven) == 7 and seven[0] >= 2268 and min(seven) > 0
    assert seven[3] > seven[1]  # "Wachtlijstregistraties" needs more than "Aanmeldingen": shared by need


def _left_margin(werkmap, twips: int) -> None:
    """The house style of the test letters with another left margin."""
    template = werkmap / "templates/hilversum-rib-2021.docx"
    with zipfile.ZipFile(template) as source:
        parts = {info: source.read(info) for info in source.infolist()}
    for info, data in parts.items():
        if info.filename == "word/document.xml":
            parts[info] = re.sub(rb'(<w:pgMar [^>]*w:left=")1417"', rb'\g<1>%d"' % twips, data)
            assert parts[info] != data
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts.items():
            target.writestr(info, data)


def test_tables_are_as_wide_as_the_text_of_a_template_with_other_margins(werkmap):
    """A house style with a left margin of 5 cm: the tables were 16 cm wide and stuck out 2.5 cm on the right."""
    _left_margin(werkmap, 2835)
    _build(werkmap, "docx")
    for width, grid in _tables(werkmap):
        assert width == sum(grid) == 11906 - 2835 - 1417


def test_tables_stay_within_a_text_area_under_4_cm(werkmap):
    """A house style with a text area of 3,5 cm: the tables fell back to 16 cm and stuck out far beyond the page."""
    _left_margin(werkmap, 11906 - 1417 - 1985)
    _build(werkmap, "docx")
    tables = _tables(werkmap)
    assert len(tables) == 3
    for width, grid in tables:
        assert width == sum(grid) == 1985 and min(grid) > 0


def test_the_html_edition_gives_its_columns_the_same_rule(werkmap):
    _build(werkmap, "html")
    page = lxml.html.fromstring((werkmap / "build/x/breedtes.html").read_bytes())
    shares = [[float(re.fullmatch(r"width: ([\d.]+)%", col.get("style"))[1]) for col in table.xpath("colgroup/col")]
              for table in page.iter("table")]
    assert [len(columns) for columns in shares] == [2, 4, 7]
    assert all(abs(sum(columns) - 100) < 0.5 for columns in shares)
    assert shares[0][1] < 25 < 50 < shares[0][0]  # the amounts narrow, the labels wide
    assert shares[1][1] < 20  # the long heading wraps


def test_a_table_of_seven_columns_stays_within_the_text_area_of_the_pdf(werkmap):
    """In a house style with a left margin of 5 cm, as the others of its letters: within the margins, every column
    printed."""
    require_soffice()
    _left_margin(werkmap, 2835)
    _build(werkmap, "pdf")
    boxes = subprocess.run(["pdftotext", "-bbox", str(werkmap / "build/x/breedtes.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    page = next(p for p in boxes.split("<page ")[1:] if ">Zeven<" in p)
    words = [(float(x0), float(y0), float(x1), word) for x0, y0, x1, word in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)]
    top = next(y for _, y, _, word in words if word == "Zeven")
    bottom = next(y for _, y, _, word in words if word == "Hoogachtend,")
    table = [(x0, x1, word) for x0, y, x1, word in words if top < y < bottom]
    left, right = 2835 / 20, 595.3 - 1417 / 20  # the margins, in points
    assert table and all(left - 1 <= x0 and x1 <= right + 1 for x0, x1, _ in table), table
    ends = [x1 for _, x1, word in table if word in {"9.991", "9.992", "12.345", "32.328"}]
    assert len(ends) == 4 and max(ends) - min(ends) < 1  # the last column is printed, its numbers right-aligned
