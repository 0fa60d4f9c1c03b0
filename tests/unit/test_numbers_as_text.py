"""Task s27w3: a number made text inside an expression (``~``, ``| string``, ``%``, ``.format()``, ``| join``) reads as a
bare ``{{ … }}`` prints it; English number patterns are refused; whole-euro table cells are whole numbers to an expression."""

from __future__ import annotations

import pytest

from tests.unit.test_numbers_in_text import LETTER, printed, read

TABLES = """\
  k:
    soort: bedrag
    rijen:
      - [Huur, 2000.50]
      - [Gas, 1000]
  h:
    soort: bedrag
    rijen:
      - [Huur, 3000]
      - [Gas, 1000]
"""
EURO = "€\u00a0"


@pytest.mark.parametrize(("text", "shown"), [
    ("{{ tabellen.k.totaal ~ '' }}", f"{EURO}3.000,50"),
    ("{{ tabellen.k.totaal | string }}", f"{EURO}3.000,50"),
    ("{{ '%s' % tabellen.k.totaal }}", f"{EURO}3.000,50"),
    ("{{ '{}'.format(tabellen.k.totaal) }}", f"{EURO}3.000,50"),
    ("{{ '%s' | format(tabellen.k.totaal) }}", f"{EURO}3.000,50"),
    ("{{ '{a}'.format_map({'a': tabellen.h.totaal}) }}", f"{EURO}4.000"),
    ("{{ (0.1 + 0.2) ~ '' }}", "0,3"),
    ("{{ [2.345] | join }}", "2,35"),
    ("{{ [12345, 2021] | join(' en ') }}", "12.345 en 2021"),  # thousands points from ten thousand, as bare
    ("{{ 'ab' | replace('b', 0.5) }}", "a0,5"),
    ("{{ 'aXa' | replace('a', 1, 1) }} {{ 'abcdef' | truncate(5, true, '..', 0) }}", "1Xa abc.."),  # counts stay numbers
])
def test_a_number_made_text_reads_as_printed_bare(werkmap, text, shown):
    assert printed(werkmap, text, TABLES) == shown


@pytest.mark.parametrize(("text", "spec", "column"), [
    ("{{ '{:,.2f}'.format(1234.5) }}", "{:,.2f}", 11),
    ("{{ 'bedrag: {:,}'.format(tabellen.k.totaal) }}", "{:,}", 19),
    ("{{ '%.2f' % tabellen.k.totaal }}", "%.2f", 11),
    ("{{ 'x %d%%' % 3 }}", "%d", 13),
    ("{{ '%(b).1f' % {'b': 2} }}", "%(b).1f", 11),
    ("{{ '%.2f' | format(3.5) }}", "%.2f", 11),
    ("{{ '{a:d}'.format_map({'a': 2}) }}", "{a:d}", 11),
    ("{{ '{:.3}'.format(2.5) }}", "{:.3}", 11),
    ("{{ '{:08}'.format(2.5) }}", "{:08}", 11),  # of text, zeros after it: '2,500000'
])
def test_an_english_number_pattern_is_refused_at_its_place(werkmap, text, spec, column):
    result = read(werkmap, text, TABLES)
    assert [p.format() for p in result.problems] == [
        f"{LETTER}:18:{column}: '{spec}' schrijft een getal op zijn Engels (1,234.50); schrijf {{{{ x | getal }}}} voor "
        f"1.234,5 of {{{{ x | bedrag }}}} voor € 1.234,50, of %s of {{}} voor een getal zoals de tekst het schrijft"]


def test_a_filter_that_takes_a_number_still_gets_the_number(werkmap):
    assert printed(werkmap, "{{ 12345 | filesizeformat }}", TABLES) == "12,3\u00a0kB"  # not '12 Bytes' of '12.345'


def test_a_text_pattern_still_works(werkmap):
    assert printed(werkmap, "{{ '%s|%-4s|%%' % ('a', 1) }} {{ '{:>3}|{:.2}'.format(2, 'abc') }}", TABLES) == "a|1   |%   2|ab"


@pytest.mark.parametrize(("text", "shown"), [
    ("{{ range(tabellen.h.rijen[0][1] // 500) | list | length }}", "6"),
    ("{% if tabellen.h.rijen[0][1] is integer and tabellen.h.totaal is integer %}ja{% endif %}", "ja"),
    ("{% for i in range(tabellen.h.rijen[1][1] // 250) %}x{% endfor %}", "xxxx"),
    ("{{ tabellen.h.rijen[0][1] % 7 }} {{ tabellen.h.rijen[0][1] | int }}", "4 3000"),  # plain numbers, as of an amount
    # printed and computed as before: an amount
    ("{{ tabellen.h.rijen[0][1] }} {{ tabellen.h.totaal }}", f"{EURO}3.000 {EURO}4.000"),
    ("{{ tabellen.h.rijen[0][1] * 2 }} {{ 2 * tabellen.h.rijen[0][1] }} {{ -tabellen.h.rijen[0][1] }}",
     f"{EURO}6.000 {EURO}6.000 {EURO}-3.000"),
    ("{{ tabellen.h.rijen[0][1] - 0.5 }} {{ 10000 - tabellen.h.totaal }} {{ tabellen.h.totaal / 3 }}",
     f"{EURO}2.999,50 {EURO}6.000 {EURO}1.333,33"),
    ("{{ tabellen.h.rijen[0][1] / tabellen.h.rijen[1][1] }} {{ tabellen.k.totaal / tabellen.h.totaal * 100 }}", "3 75,01"),
    ("{{ tabellen.h.rijen | map(attribute=1) | sum }} {{ tabellen.h.rijen[0][1] | round }}", f"{EURO}4.000 {EURO}3.000"),
    ("{{ tabellen.k.rijen[1][1] }} {{ tabellen.k.rijen[1][1] + 1 }}", f"{EURO}1.000,00 {EURO}1.001,00"),  # with cents
    # a decimal or a sum on the left still makes an amount (a whole amount is no int that float arithmetic takes over)
    ("{{ 1.21 * tabellen.h.rijen[0][1] }} {{ 0.5 + tabellen.h.rijen[0][1] }} {{ [1.5, tabellen.h.rijen[0][1]] | sum }}",
     f"{EURO}3.630 {EURO}3.000,50 {EURO}3.001,50"),
])
def test_a_whole_euro_cell_is_a_whole_number_that_prints_as_an_amount(werkmap, text, shown):
    assert printed(werkmap, text, TABLES) == shown
