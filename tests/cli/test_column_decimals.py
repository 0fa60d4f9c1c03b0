"""A table shows one number of decimals per percentage or number column, the most any cell in it needs (at most
two in a percentage column, three in a number column as ``| getal``): "82,5%" above "75,0%", "6,50" above "4,25", in
the DOCX, the HTML and the PDF alike, and a cell in the text as in the table."""

from __future__ import annotations

import re

import pytest

from briefgen.model.tables import Table
from tests.cli.helpers import invoke
from tests.conftest import HEAD, require_soffice, write
from tests.golden.extract import docx_text, pdf_text

LETTER = "content/test/tabel.yaml"
TABLE = """\
tabellen:
  w:
    kolommen: [Wijk, Aanvragen, Toegekend, Wachttijd]
    soorten: [tekst, aantal, procent, getal]
    rijen:
      - [Noord, 12, 82.5, 6.5]
      - [Zuid, 8, 75.0, 4.25]
      - [West, 3, 60, 3.125]
secties:
  - tekst: |
      {{ tabel('w') }}
"""
ROWS = [("Noord", "12", "82,5%", "6,500"), ("Zuid", "8", "75,0%", "4,250"), ("West", "3", "60,0%", "3,125")]


def test_each_column_shows_as_many_decimals_as_its_cell_that_needs_the_most_in_every_format(werkmap):
    require_soffice()
    write(werkmap, LETTER, HEAD + TABLE)
    result = invoke(werkmap, "build", str(werkmap / LETTER))
    assert result.exit_code == 0, result.output
    built = werkmap / "build" / "test"
    docx = docx_text(built / "tabel.docx")
    for row in ROWS:
        assert f"| {' | '.join(row)} |" in docx
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (built / "tabel.html").read_text(encoding="utf-8")))
    pdf = " ".join(pdf_text(built / "tabel.pdf").split())
    for row in ROWS:
        assert " ".join(row) in html
        assert " ".join(row) in pdf
    assert "75%" not in html + pdf and "6,5 " not in html + pdf and "3,13" not in html + pdf


@pytest.mark.parametrize(("kind", "cells", "shown"), [
    ("procent", [82.5, 75], ["82,5%", "75,0%"]),
    ("procent", [50, 25], ["50%", "25%"]),  # whole numbers stay whole
    ("getal", [6.5, 4.25], ["6,50", "4,25"]),
    ("getal", [0.125, 1], ["0,125", "1,000"]),  # as many decimals as | getal shows
    ("getal", [0.0625, 1], ["0,063", "1,000"]),  # at most three, rounded half-up
    ("procent", [12.125, 1], ["12,13%", "1,00%"]),  # at most two
    ("getal", [1234.5, -2], ["1.234,5", "-2,0"]),
])
def test_the_decimals_of_a_column_are_those_of_its_most_precise_cell_up_to_its_most(kind, cells, shown):
    table = Table.model_validate({"soorten": ["tekst", kind], "rijen": [[f"r{i}", c] for i, c in enumerate(cells)]})
    assert [table.shown(row[1]) for row in table.rows] == shown


def test_a_cell_in_the_text_reads_as_in_the_table_also_when_it_is_whole(werkmap):
    write(werkmap, LETTER, HEAD + TABLE.replace("{{ tabel('w') }}", "Zuid {{ tabellen.w.rijen[1][2] }}, Noord "
                                                "{{ tabellen.w.rijen[0][2] }}, West {{ tabellen.w.rijen[2][2] }}, "
                                                "wacht {{ tabellen.w.rijen[2][3] }}, aanvragen {{ tabellen.w.rijen[0][1] }}."))
    result = invoke(werkmap, "build", "-f", "docx", str(werkmap / LETTER))
    assert result.exit_code == 0, result.output
    text = docx_text(werkmap / "build" / "test" / "tabel.docx")
    assert "Zuid 75,0%, Noord 82,5%, West 60,0%, wacht 3,125, aanvragen 12." in text, text


def test_a_whole_cell_of_a_number_column_reads_as_the_table_and_still_computes_as_whole(werkmap):
    table = TABLE.replace("[Noord, 12, 82.5, 6.5]", "[Noord, 12, 82.5, 6]").replace("{{ tabel('w') }}",
                          "{{ tabellen.w.rijen[0][3] }} en {{ tabellen.w.rijen[0][3] * 2 }}")
    write(werkmap, LETTER, HEAD + table)
    result = invoke(werkmap, "build", "-f", "docx", str(werkmap / LETTER))
    assert result.exit_code == 0, result.output
    assert "6,000 en 12" in docx_text(werkmap / "build" / "test" / "tabel.docx")
