"""Amounts and numbered references never break after "€", "nr.", "art.": a no-break space in the DOCX."""

from __future__ import annotations

import zipfile

from tests.cli.helpers import invoke
from tests.conftest import HEAD, write

NBSP = "\u00a0"
LETTER = HEAD + """\
tabellen:
  kosten:
    kolommen: [Post, Bedrag]
    rijen:
      - [Huur, 400000]
secties:
  - kop: Kosten
    tekst: |
      Het kost € 400.000 volgens nr. 12 en art. 3, samen {{ 1250.5 | bedrag }} of
      € 12; **Art.  4** geldt.

      {{ tabel("kosten") }}
"""


def test_amounts_and_references_keep_a_no_break_space(werkmap):
    write(werkmap, "content/test/bedragen.yaml", LETTER)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/test/bedragen.yaml"))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(werkmap / "build/test/bedragen.docx") as package:
        document = package.read("word/document.xml").decode()
    for kept in ("€ 400.000", "nr. 12", "art. 3", "€ 1.250,50", "€ 12", "Art. 4"):
        assert kept.replace(" ", NBSP) in document, kept
    for broken in ("€ ", "nr. 1", "art. 3", "Art.  4"):
        assert broken not in document, broken
