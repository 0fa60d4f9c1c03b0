"""Stop 24: the portefeuillehouder signs as `rol: wethouder`; `list` by path, sorted by date and number;
readability lines only on request; `--help` never cuts a command's description short."""

from __future__ import annotations

import zipfile

from tests.cli.helpers import invoke
from tests.conftest import HEAD, write

WETHOUDER = HEAD + """\
portefeuillehouder: C.D. Bakker
ondertekening:
  - rol: wethouder
"""


def _document_xml(path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def test_the_portefeuillehouder_signs_when_more_than_one_wethouder_is_in_office(werkmap):
    write(werkmap, "content/w/a.yaml", WETHOUDER)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 0, result.output
    xml = _document_xml(werkmap / "build" / "w" / "a.docx")
    assert "C.D. Bakker" in xml and "A.B. Jansen" not in xml


def test_without_a_portefeuillehouder_more_than_one_wethouder_still_asks_for_a_name(werkmap):
    write(werkmap, "content/w/a.yaml", WETHOUDER.replace("portefeuillehouder: C.D. Bakker\n", ""))
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 1
    assert "content/w/a.yaml:6:5: meer dan één wethouder in functie op 16 november 2021 (A.B. Jansen, C.D. Bakker, " in result.stderr
    assert "kies met 'naam'" in result.stderr


def test_a_portefeuillehouder_who_is_the_burgemeester_does_not_pick_a_wethouder(werkmap):
    write(werkmap, "content/w/a.yaml", WETHOUDER.replace("C.D. Bakker", "P.I. Broertjes"))
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 1
    assert "meer dan één wethouder in functie op 16 november 2021" in result.stderr


def test_a_named_wethouder_signs_even_beside_another_portefeuillehouder(werkmap):
    write(werkmap, "content/w/a.yaml", WETHOUDER + "    naam: E.F. Visser\n")
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 0, result.output
    xml = _document_xml(werkmap / "build" / "w" / "a.docx")
    assert "E.F. Visser" in xml
