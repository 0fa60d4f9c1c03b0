"""Output that others open: ``list --csv`` cells a spreadsheet would run as a formula are text, and an
output path taken by a folder stops the letter before any of its outputs is replaced."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.helpers import invoke
from tests.conftest import VALID_LETTER, require_soffice, write

FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
HOSTILE = ('=HYPERLINK("http://x.example/";"klik")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tformule", "\rformule", "\nformule",
           "＝1+1", "＋1", "－2", "＠SUM(A1:A2)")


def _rows(output: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(output.removeprefix("\ufeff"), newline=""), delimiter=";"))


@pytest.mark.parametrize("text", HOSTILE)
def test_list_csv_cells_that_would_be_formulas_start_with_a_quote(werkmap, text):
    letter = werkmap / VALID_LETTER
    source = letter.read_text(encoding="utf-8")
    quoted = json.dumps(text)  # a JSON string is a YAML double-quoted scalar
    source = source.replace("onderwerp: Stand van zaken inkoop Wmo en Jeugd", f"onderwerp: {quoted}")
    write(werkmap, VALID_LETTER, source + f"toezeggingen:\n  - nummer: {quoted}\n    omschrijving: {quoted}\n")
    listed = invoke(werkmap, "list", "--csv")
    assert listed.exit_code == 0, listed.output
    rows = _rows(listed.stdout)
    commitments = invoke(werkmap, "list", "--toezeggingen", "--csv")
    assert commitments.exit_code == 0, commitments.output
    cells = [cell for row in rows + _rows(commitments.stdout) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA) and cell != "-"], cells
    if not text[0].isspace():  # a subject loses its leading tab or line break when it is read
        assert rows[1][3] == "'" + text, rows
        assert _rows(commitments.stdout)[1][:3] == ["'" + text, "lopend", "'" + text], commitments.stdout


def test_a_cell_with_a_tab_or_carriage_return_first_is_quoted():
    from briefgen.listing import as_csv

    out = as_csv([("a", "\tb", "\rc", "\nd", "-", "-1", "x=1", "＝1+1", "＋1", "－1", "＠A1", "x＝1")])
    assert _rows(out) == [["a", "'\tb", "'\rc", "'\nd", "-", "'-1", "x=1", "'＝1+1", "'＋1", "'－1", "'＠A1", "x＝1"]]


def test_list_csv_keeps_ordinary_cells_and_a_lone_dash(werkmap):
    listed = invoke(werkmap, "list", "--csv")
    rows = _rows(listed.stdout)
    assert rows[1][1:4] == ["2021/45", "16 november 2021", "Stand van zaken inkoop Wmo en Jeugd"]
    assert not [cell for row in rows for cell in row if cell.startswith("'")], rows


def _outputs(werkmap) -> dict[str, bytes]:
    folder = werkmap / "build/hilversum/2021"
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize(("formats", "taken"), [(("--formaat", "docx"), "docx"), (("--formaat", "html"), "html")])
def test_an_output_that_is_a_folder_stops_the_letter(werkmap, formats, taken):
    first = invoke(werkmap, "build", *formats)
    assert first.exit_code == 0, first.output
    before = _outputs(werkmap)
    output = werkmap / f"build/hilversum/2021/inkoop-wmo-jeugd.{taken}"
    output.unlink()
    output.mkdir()
    again = invoke(werkmap, "build", "--opnieuw", *formats)
    assert again.exit_code == 1, again.output
    assert (f"{VALID_LETTER}: build/hilversum/2021/inkoop-wmo-jeugd.{taken} is een map, geen bestand: de brief wordt "
            "niet gebouwd") in again.output
    assert "0 gebouwd, 0 actueel, 1 met fouten." in again.output
    assert _outputs(werkmap) == {k: v for k, v in before.items() if k != output.name}
    assert output.is_dir()


def test_a_folder_in_the_place_of_the_woo_metadata_replaces_no_output(werkmap):
    """The .diwoo.xml is written last: a folder there made the letter 'gebouwd' with its DOCX, HTML and PDF
    replaced and exit code 1; now it is not built and nothing of it changes."""
    require_soffice()
    first = invoke(werkmap, "build")
    assert first.exit_code == 0, first.output
    before = _outputs(werkmap)
    woo = werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.diwoo.xml"
    assert woo.is_file()
    woo.unlink()
    woo.mkdir()
    again = invoke(werkmap, "build", "--opnieuw")
    assert again.exit_code == 1, again.output
    assert "inkoop-wmo-jeugd.diwoo.xml is een map, geen bestand" in again.output
    assert "0 gebouwd, 0 actueel, 1 met fouten." in again.output
    assert _outputs(werkmap) == {k: v for k, v in before.items() if k != woo.name}
