"""Odd Word letters for ``templates nieuw`` and ``import``: a Dutch message or a result, never a traceback."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from tests.cli.helpers import invoke


def _odd(kind: str, path):
    doc = Document()
    body = doc.element.body
    if kind != "no-labels":
        doc.add_paragraph("Datum: 31 februari 2020" if kind == "impossible-date" else "Datum: 1 mei 2020")
        doc.add_paragraph("Onderwerp:" if kind == "empty-subject" else "Onderwerp: Raar")
    doc.add_paragraph("Geachte leden van de raad,")
    if kind == "unknown-numbering":
        body.insert(len(body) - 1, parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:numPr><w:ilvl w:val="7"/><w:numId w:val="99"/>'
                                             "</w:numPr></w:pPr><w:r><w:t>punt</w:t></w:r></w:p>"))
    if kind == "odd-tables":
        table = doc.add_table(rows=2, cols=3)
        table.cell(0, 0).merge(table.cell(0, 2))
        table.cell(1, 0).add_table(rows=1, cols=1).cell(0, 0).text = "genest"
        table.cell(1, 1).text = "12"
        doc.add_table(rows=1, cols=1)
        body.insert(len(body) - 1, parse_xml(f'<w:tbl {nsdecls("w")}><w:tr/></w:tbl>'))
    if kind == "dangling-link":
        body.insert(len(body) - 1, parse_xml(f'<w:p {nsdecls("w", "r")}><w:hyperlink r:id="rId999"><w:r><w:t>weg</w:t></w:r>'
                                             "</w:hyperlink></w:p>"))
    if kind == "label-without-value":
        table = doc.add_table(rows=1, cols=1)
        table.cell(0, 0).text = "Kenmerk"
        body.insert(0, table._tbl)
    doc.add_paragraph("Hoogachtend,")
    doc.add_paragraph("de burgemeester,")
    doc.save(path)
    return path


KINDS = ("no-labels", "impossible-date", "empty-subject", "unknown-numbering", "odd-tables", "dangling-link",
         "label-without-value")


@pytest.mark.parametrize("kind", KINDS)
def test_an_odd_word_letter_gives_dutch_messages_not_a_traceback(werkmap, tmp_path, kind):
    source = _odd(kind, tmp_path / f"{kind}.docx")
    for args in (("import", str(source), "-o", "hilversum"), ("templates", "nieuw", "vreemd", "--van", str(source))):
        result = invoke(werkmap, *args)
        assert result.exit_code in (0, 1), (kind, args, result.output, result.exception)
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
            kind, args, repr(result.exception))
        assert "Traceback" not in result.output
    checked = invoke(werkmap, "templates", "check")  # what templates nieuw made passes the check
    assert checked.exit_code == 0, checked.output
