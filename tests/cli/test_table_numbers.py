"""Numbers are never broken inside their cell (stop 30): every amount of a table of 2, 4, 6, 7 or 9 columns is printed
whole on one line in the PDF; the DOCX does not wrap a value's cell and sets a table smaller when its values need it;
the HTML edition keeps a number on one line and lets a wide table scroll."""

from __future__ import annotations

import collections
import re
import subprocess
import zipfile

import lxml.html
from lxml import etree

from tests.cli.helpers import invoke
from tests.conftest import HEAD, require_soffice, write

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LETTER = "content/x/bedragen.yaml"
AMOUNTS = (1250000, -250000, 125000.5, 1125000.5, 998765.43, 480500, 0, 312000)
THOUSANDS = (1250, -250, 1250.5, 1125.5, 998.43, 4805, 0, 3120)


def _table(name: str, columns: int, headings: list[str], amounts: tuple[float, ...] = AMOUNTS) -> str:
    rows = "\n".join(f"      - [{label}, {', '.join(str(amounts[(r + c) % len(amounts)]) for c in range(columns - 1))}]"
                     for r, label in enumerate(["Energietoeslag", "Bijzondere bijstand", "Kwijtschelding"]))
    return f"""  {name}:
    titel: Tabel {name}
    soort: bedrag
    kolommen: [Regeling, {', '.join(headings[:columns - 1])}]
    rijen:
{rows}
"""


HEADINGS = ["Oorspronkelijke begroting 2026", "Eerste begrotingswijziging", "Tweede begrotingswijziging",
            "Actuele begroting", "Realisatie tot en met september", "Verschil", "Prognose", "Saldo"]
TABLES = {"twee": 2, "vier": 4, "zes": 6, "zeven": 7}
BODY = ("aanhef: Geachte leden van de raad,\nsecties:\n  - tekst: |\n"
        + "".join(f"      {{{{ tabel(\"{name}\") }}}}\n\n" for name in [*TABLES, "negen"])
        + "tabellen:\n" + "".join(_table(name, columns, HEADINGS) for name, columns in TABLES.items())
        + _table("negen", 9, HEADINGS, THOUSANDS)
        + "ondertekening: college\n")


def _build(werkmap, kind: str) -> None:
    write(werkmap, LETTER, HEAD + BODY)
    result = invoke(werkmap, "build", "--formaat", kind, str(werkmap / LETTER))
    assert result.exit_code == 0, result.output


def _data_tables(werkmap) -> list:
    with zipfile.ZipFile(werkmap / "build/x/bedragen.docx") as built:
        document = etree.fromstring(built.read("word/document.xml"))
    return [t for t in document.iter(f"{{{W}}}tbl") if t.find("w:tr/w:trPr/w:tblHeader", NS) is not None]


def _values(table) -> list[str]:
    """The texts of the value cells (not the header, not the labels)."""
    return ["".join(cell.itertext()) for row in table.findall("w:tr", NS)[1:] for cell in row.findall("w:tc", NS)[1:]]


def test_every_amount_is_printed_whole_on_one_line(werkmap):
    require_soffice()
    _build(werkmap, "alle")
    printed = subprocess.run(["pdftotext", "-bbox", str(werkmap / "build/x/bedragen.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    words = collections.Counter(re.findall(r"<word [^>]*>([^<]*)</word>", printed))
    values = collections.Counter(value.split("\u00a0")[-1] for table in _data_tables(werkmap) for value in _values(table)
                                 if value)
    assert len(values) > 10
    assert not values - words, values - words  # "1.250.000,0" + "0" on the next line would miss "1.250.000,00"
    layout = subprocess.run(["pdftotext", "-layout", str(werkmap / "build/x/bedragen.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    assert "€ 1.250.000,00" in layout and "€ -250.000,00" in layout


def test_the_docx_does_not_wrap_values_and_sets_a_crowded_table_smaller(werkmap):
    _build(werkmap, "docx")
    tables = _data_tables(werkmap)
    assert len(tables) == len(TABLES) + 1
    for table in tables:
        for row in table.findall("w:tr", NS)[1:]:
            cells = row.findall("w:tc", NS)
            assert cells[0].find("w:tcPr/w:noWrap", NS) is None  # the labels wrap
            assert all(cell.find("w:tcPr/w:noWrap", NS) is not None for cell in cells[1:])
    sizes = [{size.get(f"{{{W}}}val") for size in table.iter(f"{{{W}}}sz")} for table in tables]
    assert sizes[:3] == [set()] * 3  # two to six columns: the table style's 9 pt
    assert sizes[3] in ({"16"}, {"14"}) and sizes[4] == {"14"}  # six columns of millions: smaller; eight of thousands
    for table in tables[3:]:
        assert len(table.findall(".//w:r", NS)) == len(table.findall(".//w:r/w:rPr/w:sz", NS))  # in every cell


def test_the_html_edition_keeps_numbers_on_one_line_and_lets_a_wide_table_scroll(werkmap):
    _build(werkmap, "html")
    page = lxml.html.fromstring((werkmap / "build/x/bedragen.html").read_bytes())
    style = page.xpath("string(//style)")
    assert re.search(r"td\.getal \{[^}]*white-space: nowrap", style)
    assert re.search(r"\.tabel \{[^}]*overflow-x: auto", style)
    tables = page.xpath("//table")
    assert len(tables) == len(TABLES) + 1
    assert all(t.getparent().get("class") == "tabel" and t.getparent().get("tabindex") == "0" for t in tables)
    assert tables[0].get("style") is None  # two columns: the page's size
    assert tables[-1].get("style") == "font-size: 0.778em"  # nine: as the DOCX's 7 pt to its 9 pt
