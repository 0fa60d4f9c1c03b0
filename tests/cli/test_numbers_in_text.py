"""Task s27w3: through the CLI, a number made text in an expression reads the Dutch way in the built DOCX, and
English number patterns are located errors of their own letter, while the other letters still build."""

from __future__ import annotations

import zipfile

from tests.cli.helpers import invoke
from tests.cli.test_all_problems import _errors
from tests.conftest import HEAD, write

TABLES = """\
tabellen:
  h:
    soort: bedrag
    rijen:
      - [Huur, 3000]
      - [Gas, 1000.50]
  w:
    soort: bedrag
    rijen:
      - [Huur, 3000]
      - [Gas, 1000]
"""
GOOD = HEAD + TABLES + """\
secties:
  - tekst: |
      Samen {{ "ruim " ~ tabellen.h.totaal }}, {{ "{} en {}".format(tabellen.h.rijen[0][1], 0.1 + 0.2) }}.
      Stappen: {% for i in range(tabellen.w.rijen[0][1] // 1000) %}{{ i }}{% endfor %}{% if tabellen.w.totaal is integer %} heel{% endif %}.
"""
BAD = HEAD + TABLES + """\
secties:
  - tekst: |
      Samen {{ "%.2f" % tabellen.h.totaal }} euro.
      Of {{ "{:,}".format(tabellen.w.totaal) }} euro, {{ "%d stuks" | format(3) }}.
"""
MESSAGE = ("'{}' schrijft een getal op zijn Engels (1,234.50); schrijf {{{{ x | getal }}}} voor 1.234,5 of "
           "{{{{ x | bedrag }}}} voor € 1.234,50, of %s of {{}} voor een getal zoals de tekst het schrijft")


def _place(text: str, needle: str) -> str:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return f"{number}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def test_numbers_in_text_are_dutch_and_english_patterns_are_located_errors(werkmap):
    write(werkmap, "content/x/goed.yaml", GOOD)
    write(werkmap, "content/x/fout.yaml", BAD)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content" / "x"))
    assert result.exit_code == 1, result.stderr + result.stdout
    assert [line for line in _errors(result) if line.startswith("content/")] == [
        f"content/x/fout.yaml:{_place(BAD, spec)}: {MESSAGE.format(spec)}" for spec in ("%.2f", "{:,}", "%d")
    ], result.stderr
    assert not (werkmap / "build" / "x" / "fout.docx").exists()
    with zipfile.ZipFile(werkmap / "build" / "x" / "goed.docx") as docx:
        xml = docx.read("word/document.xml").decode()
    assert "Samen ruim € 4.000,50, € 3.000,00 en 0,3." in xml.replace("\u00a0", " ")
    assert "Stappen: 012 heel." in xml


ROWS = HEAD + """\
tabellen:
  woningen:
    kolommen: [Wijk, Aantal woningen]
    rijen:
      - [Zeist-West, 120]
      - [Centrum, 45]
      - [Noord, 50]
secties:
  - tekst: |
      {{ tabel("woningen") }}

      In Zeist-West zijn 120 woningen opgeleverd. In Centrum zijn {} woningen opgeleverd.
      In totaal zijn er {} woningen.
"""


def test_a_row_value_beside_its_placed_table_is_no_error_about_its_total(werkmap):
    """A tester's letter: "In Zeist-West zijn 120 woningen opgeleverd" beside the table it comes from was an error
    "wijkt af van het totaal (215)" and the letter did not build. A sentence naming a row is about that row; a
    count that differs from the total in a sentence naming no row is still the error."""
    rel = "content/x/woningen.yaml"
    write(werkmap, rel, ROWS.format(45, 215))
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / rel))
    assert "wijkt af van het totaal" not in result.stderr, result.stderr
    write(werkmap, rel, ROWS.format(46, 215))
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / rel))
    assert "wijkt af van het totaal" not in result.stderr, result.stderr
    write(werkmap, rel, ROWS.format(45, 225))
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / rel))
    assert f"{rel}:17:25: '225' in de tekst wijkt af van het totaal van tabel 'woningen' (215)" in result.stderr, \
        result.stderr


NEXT = ROWS.split("secties:")[0] + """\
secties:
  - tekst: |
      {{{{ tabel("woningen") }}}}
  - kop: Vervolg
    tekst: |
      {}
"""


def test_a_typed_total_in_another_section_is_an_error_when_certain_and_a_warning_when_likely(werkmap):
    """Stop 30: the letter's tables are one set. "In totaal … woningen" in a section that does not place the table
    was silent as an error; it now stops the letter. A count that only ends in the table's word is a warning: the
    letter is built."""
    rel = "content/x/woningen.yaml"
    write(werkmap, rel, NEXT.format("Daarmee zijn er in totaal 225 woningen opgeleverd."))
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / rel))
    assert result.exit_code == 1, result.stderr
    assert f"{rel}:17:33: '225' in de tekst wijkt af van het totaal van tabel 'woningen' (215); schrijf " \
           "{{ tabellen.woningen.totaal }} zodat tekst en tabel gelijk blijven" in result.stderr, result.stderr
    assert not (werkmap / "build" / "x" / "woningen.docx").exists()
    write(werkmap, rel, NEXT.format("Er zijn 225 woningen opgeleverd."))
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / rel))
    assert result.exit_code == 0, result.stderr
    assert f"{rel}:17:15: waarschuwing: '225' in de tekst wijkt af van het totaal van tabel 'woningen'" in result.stderr, \
        result.stderr
    assert (werkmap / "build" / "x" / "woningen.docx").exists()
