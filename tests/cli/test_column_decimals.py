"""A table shows one number of decimals per percentage or number column, the most any cell in it needs (at most
two): "82,5%" above "75,0%", "6,50" above "4,25", in the DOCX, the HTML and the PDF alike."""

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
ROWS = [("Noord", "12", "82,5%", "6,50"), ("Zuid", "8", "75,0%", "4,25"), ("West", "3", "60,0%", "3,13")]


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
    assert "75%" not in html + pdf and "6,5 " not in html + pdf


@pytest.mark.parametrize(("kind", "cells", "shown"), [
    ("procent", [82.5, 75], ["82,5%", "75,0%"]),
    ("procent", [50, 25], ["50%", "25%"]),  # whole numbers stay whole
    ("getal", [6.5, 4.25], ["6,50", "4,25"]),
    ("getal", [0.125, 1], ["0,13", "1,00"]),  # at most two decimals, rounded half-up
    ("getal", [1234.5, -2], ["1.234,5", "-2,0"]),
])
def test_the_decimals_of_a_column_are_those_of_its_most_precise_cell_up_to_two(kind, cells, shown):
    table = Table.model_validate({"soorten": ["tekst", kind], "rijen": [[f"r{i}", c] for i, c in enumerate(cells)]})
    assert [table.shown(row[1]) for row in table.rows] == shown
