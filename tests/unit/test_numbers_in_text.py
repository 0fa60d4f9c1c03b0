"""Stop 25: numbers in a letter's text read as its tables print them, in Dutch (formatting.bare, Table.marked)."""

from __future__ import annotations

import pytest

from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import HEAD, signed, write

LETTER = "content/test/brief.yaml"
TABLES = """\
  v:
    kolommen: [Wijk, Aanmeldingen]
    rijen:
      - [Noord, 1000]
      - [Zuid, 299]
  t:
    soort: bedrag
    rijen:
      - [Huur, 2000.45]
      - [Gas, 250]
      - [Nul, -0.0]
"""


def read(root, text: str, tables: str = TABLES):
    write(root, LETTER, signed(HEAD + "tabellen:\n" + tables + "secties:\n  - tekst: |\n      " + text + "\n"))
    return Session(Werkmap(root), Settings()).read(root / LETTER)


def printed(root, text: str, tables: str = TABLES) -> str:
    result = read(root, text, tables)
    assert result.document is not None, [p.format() for p in result.problems]
    return "".join(run.text for section in result.document.sections for block in section.blocks
                   for run in getattr(block, "runs", ()))


@pytest.mark.parametrize(("text", "shown"), [
    # review: one rule for every whole number, so "samen 3.320 ... som 3320" cannot happen in one letter and a
    # year in a table is no "2.021": below ten thousand as it is, from ten thousand with thousands points
    ("{{ tabellen.v.totaal_per_kolom.Aanmeldingen }}", "1299"),
    ("{{ tabellen.v.totaal }} = {{ tabellen.v.rijen[0][1] + tabellen.v.rijen[1][1] }}", "1299 = 1299"),
    ("{{ tabellen.v.totaal * 10 }} en {{ tabellen.v.totaal * 100 }}", "12.990 en 129.900"),
    ("{{ tabellen.t.totaal }}", "€\u00a02.250,45"),  # not 2250.45
    ("{{ tabellen.t.totalen[0] }}", "€\u00a02.250,45"),
    ("{{ tabellen.t.totaal / 3 }}", "€\u00a0750,15"),  # an amount computed from an amount: still an amount
    ("{{ 38 / tabellen.v.totaal * 1000 }}", "29,25"),  # not 29.253271747498074
    ("{{ (38 / tabellen.v.totaal * 100) | procent }}", "2,9%"),
    ("{{ (tabellen.t.totaal / 7) | bedrag }}", "€\u00a0321,49"),
    ("{{ tabellen.v.totaal | getal }} {{ tabellen.v.totaal | woorden }}", "1.299 duizendtweehonderdnegenennegentig"),
    ("{{ 2021 }} en {{ 12345 }}", "2021 en 12.345"),  # a year gets no thousands point
    ("{{ tabellen.v.totaal + 1 }}", "1300"),  # computed: plain, as any whole number
])
def test_a_number_printed_bare_in_the_text_reads_the_dutch_way(werkmap, text, shown):
    assert printed(werkmap, text) == shown


def test_a_negative_zero_amount_is_no_debt(werkmap):
    result = read(werkmap, "{{ tabel('t') }}")
    assert result.document is not None
    assert result.document.tables["t"].rows[2] == ("Nul", "€\u00a00,00")


@pytest.mark.parametrize(("text", "column", "method"), [
    ("{{ datum.strftime('%A %d %B %Y') }}", 16, "strftime"),
    ("{{ datum.ctime() }}", 16, "ctime"),
    ("{{ '{:%A %B}'.format(datum) }}", 21, "format"),
])
def test_a_date_method_that_writes_english_is_refused_in_dutch(werkmap, text, column, method):
    result = read(werkmap, text)
    assert [p.format() for p in result.problems] == [
        f"{LETTER}:19:{column}: '{method}' schrijft een datum in het Engels (Tuesday 16 November 2021); "
        "schrijf {{ datum | datum }} voor 16 november 2021"]


AMOUNTS = ("tabellen:\n  k:\n    soort: bedrag\n    vergelijken: true\n    rijen:\n      - [Huur, {a}]\n      - [Gas, {b}]\n"
           "secties:\n  - tekst: |\n      {{{{ tabel('k') }}}}\n")


def test_an_amount_table_in_a_series_is_compared_too(werkmap):
    """vergelijken: true on a soort: bedrag table did nothing, silently (only count tables were compared)."""
    write(werkmap, "content/test/eerste.yaml", HEAD + 'nummer: "2021/1"\n' + AMOUNTS.format(a=1000, b=250))
    later = HEAD.replace("2021-11-16", "2022-01-10").replace("Test", "Test 2") + 'nummer: "2022/1"\nvorige: test/eerste\n'
    write(werkmap, LETTER, signed(later + AMOUNTS.format(a="1200.50", b=200)))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / LETTER)
    assert [p.format() for p in result.problems] == [] and result.document is not None
    table = result.document.tables["k"]
    euro = "€\u00a0"
    assert table.header == ("", "Vorige brief", "Bedrag", "Verschil")
    assert table.rows == (("Huur", f"{euro}1.000,00", f"{euro}1.200,50", f"{euro}+200,50"),
                          ("Gas", f"{euro}250,00", f"{euro}200,00", f"{euro}−50,00"))
    assert table.total == ("Totaal", f"{euro}1.250,00", f"{euro}1.400,50", f"{euro}+150,50")


@pytest.mark.parametrize(("kind", "earlier", "now", "unchanged"), [
    ("bedrag", 1000, 1000, "€\u00a00"),
    ("bedrag", "1000.50", "1000.50", "€\u00a00,00"),  # a table that shows cents shows them in the difference too
    ("aantal", 12, 12, "0"),
])
def test_no_difference_in_a_series_is_a_zero_of_the_columns_kind(werkmap, kind, earlier, now, unchanged):
    """An amount that did not change showed "0" in the difference column, not "€ 0" as the amounts beside it."""
    table = AMOUNTS.replace("soort: bedrag", f"soort: {kind}")
    write(werkmap, "content/test/eerste.yaml", HEAD + 'nummer: "2021/1"\n' + table.format(a=earlier, b=5))
    later = HEAD.replace("2021-11-16", "2022-01-10").replace("Test", "Test 2") + 'nummer: "2022/1"\nvorige: test/eerste\n'
    write(werkmap, LETTER, signed(later + table.format(a=now, b=5)))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / LETTER)
    assert [p.format() for p in result.problems] == [] and result.document is not None
    shown = result.document.tables["k"]
    assert [row[3] for row in shown.rows] == [unchanged, unchanged] and shown.total[3] == unchanged


def test_a_subject_of_two_lines_is_no_warning(werkmap):
    """A 100-character onderwerp wraps over two lines in every house style; check warned above 90."""
    subject = "Stand van zaken inkoop Wmo en Jeugd, de uitloopovereenkomsten, transitieregeling en vervolg in 2022."
    assert len(subject) == 100
    write(werkmap, LETTER, signed(HEAD.replace("onderwerp: Test", f"onderwerp: {subject}") + "secties:\n  - tekst: Tekst.\n"))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / LETTER)
    assert [p.format() for p in result.problems] == []


CHOSEN = """\
  w:
    kolommen: [Wijk, Aanvragen, Toegekend (%), Gemiddelde wachttijd (weken)]
    soorten: [tekst, aantal, procent, getal]
    rijen:
      - [Noord, 1120, 82.5, 6.5]
      - [Zuid, 130, 90, 7]
"""


def test_soorten_chooses_the_totalled_columns_and_allows_decimals(werkmap):
    """Every number column was totalled (Totaal 250 247 13, "247 %"), and 82.5 refused in a percentage column."""
    text = ("{{ tabellen.w.totaal }}, {{ tabellen.w.totaal_per_kolom.Aanvragen }}, {{ tabellen.w.rijen[0][2] }}, "
            "{{ tabellen.w.rijen[0][3] }}\n\n      {{ tabel('w') }}")
    result = read(werkmap, text, CHOSEN)
    assert [p.format() for p in result.problems] == [] and result.document is not None
    assert "".join(run.text for run in result.document.sections[0].blocks[0].runs) == "1250, 1250, 82,5%, 6,5"
    table = result.document.tables["w"]
    assert table.rows == (("Noord", "1.120", "82,5%", "6,5"), ("Zuid", "130", "90,0%", "7,0"))
    assert table.total == ("Totaal", "1.250", "", "")


def test_the_total_of_a_column_that_is_not_totalled_is_a_located_error(werkmap):
    result = read(werkmap, "Gemiddeld {{ tabellen.w.totalen[1] }} procent.", CHOSEN)
    assert [p.format() for p in result.problems] == [
        f"{LETTER}:14:31: kolom 2 na de omschrijving wordt niet opgeteld (soort procent of getal)"]
