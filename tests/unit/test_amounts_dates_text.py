"""Task s27d: one rule for amounts and rounding, dates in Dutch, and no list or object turned into text."""

from __future__ import annotations

import pytest

from briefgen import formatting
from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import HEAD, signed, write
from tests.unit.test_numbers_in_text import LETTER, printed, read

AMOUNTS = """\
  k:
    soort: bedrag
    rijen:
      - [Huur, 1000.25]
      - [Gas, 2000.25]
  h:
    soort: bedrag
    rijen:
      - [Huur, 1000]
      - [Gas, 2000]
"""


@pytest.mark.parametrize(("text", "shown"), [
    ("{{ tabellen.k.totaal }}", "€\u00a03.000,50"),
    ("{{ tabellen.k.rijen[0][1] + tabellen.k.rijen[1][1] }}", "€\u00a03.000,50"),
    ("{{ tabellen.k.rijen | map(attribute=1) | sum }}", "€\u00a03.000,50"),
    ("{{ tabellen.k.totaal - 1000.25 | round(2) }}", "€\u00a02.000,25"),
    ("{{ tabellen.h.totaal }}", "€\u00a03.000"),  # whole euros, as the table prints them
    ("{{ tabellen.h.rijen[0][1] + tabellen.h.rijen[1][1] }}", "€\u00a03.000"),
    ("{{ tabellen.h.totaal * 2 }}", "€\u00a06.000"),
    ("{{ tabellen.k.totaal / tabellen.h.totaal * 100 }}", "100,02"),  # amount / amount: a ratio, no euros
    ("{{ tabellen.k.totaal - 0.50 }}", "€\u00a03.000,00"),  # from a table with cents: with cents, as its cells
    ("{{ 1 + tabellen.k.rijen[0][1] - 0.25 }}", "€\u00a01.001,00"),
])
def test_a_computed_amount_prints_as_a_table_amount(werkmap, text, shown):
    assert printed(werkmap, text, AMOUNTS) == shown


@pytest.mark.parametrize(("text", "shown"), [
    ("{{ 2.345 | bedrag }}", "€\u00a02,35"),  # Babel alone rounds to even: € 2,34
    ("{{ 0.125 | bedrag }}", "€\u00a00,13"),
    ("{{ 2.345 }}", "2,35"),
    ("{{ 2.675 | round(2) }}", "2,68"),  # the float 2.675 is 2.67499…: Python's round gives 2.67
    ("{{ 2.5 | round }} {{ 3.5 | round }} {{ -2.5 | round }}", "3 4 -3"),  # half-up, away from zero, not to even
    ("{{ 2.5 | round(0, 'floor') }} {{ 2.1 | round(0, 'ceil') }}", "2 3"),
    ("{{ 1.0005 | getal }}", "1,001"),
])
def test_rounding_is_half_up_everywhere(werkmap, text, shown):
    assert printed(werkmap, text) == shown


def test_round_refuses_a_bad_precision_in_dutch(werkmap):
    result = read(werkmap, "{{ 2.5 | round(99) }}")
    assert [p.message for p in result.problems] == ["'99' is geen aantal decimalen (0 tot en met 10)"]


@pytest.mark.parametrize("text", [
    "{{ datum }}", "{{ '' ~ datum }}", "{{ datum | string }}", "{{ '%s' % datum }}", "{{ '{}'.format(datum) }}",
    "{{ [datum] | join }}", "{{ '%s' | format(datum) }}",
])
def test_a_date_in_text_is_dutch_never_iso(werkmap, text):
    assert printed(werkmap, text) == "16 november 2021"


@pytest.mark.parametrize("text", [
    "{{ tabellen.v.rijen | string }}",
    "{{ '%s' % tabellen.v.rijen }}",
    "{{ '%s en %s' % (1, tabellen.v.rijen) }}",
    "{{ '{}'.format(tabellen.v.rijen) }}",
    "{{ '{x}'.format(x=tabellen.v.rijen) }}",
    "{{ '{x}'.format_map({'x': tabellen.v.rijen}) }}",
    "{{ tabellen.v.rijen | join(', ') }}",
    "{{ tabellen.v.rijen | upper }}",
    "{{ tabellen.v.rijen | tojson }}",
    "{{ tabellen.v.rijen | pprint }}",
    "{{ '%s' | format(tabellen.v.rijen) }}",
    "{{ 'rijen: ' ~ tabellen.v.rijen }}",
])
def test_a_list_made_into_text_any_way_is_refused(werkmap, text):
    result = read(werkmap, text)
    assert [p.format() for p in result.problems] == [
        f"{LETTER}:19:7: deze expressie geeft geen tekst maar een lijst; alleen tekst, getallen en datums kunnen in een brief"]


@pytest.mark.parametrize(("text", "what"), [
    ("{{ organisatie | string }}", "een verzameling van namen en waarden"),
    ("{{ none | string }}", "niets (None)"),
    ("{{ 'ja: ' ~ true }}", "een ja/nee-waarde"),
])
def test_another_value_made_into_text_is_refused(werkmap, text, what):
    result = read(werkmap, text)
    assert [p.message for p in result.problems] == [
        f"deze expressie geeft geen tekst maar {what}; alleen tekst, getallen en datums kunnen in een brief"]


def test_text_made_of_text_still_works(werkmap):
    contacts = "contactpersonen:\n  - naam: E. Seijsener\n    telefoon: '0618878359'\n"
    write(werkmap, LETTER, signed(HEAD + contacts + "secties:\n  - tekst: |\n      " + TEXT + "\n"))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / LETTER)
    assert result.document is not None, [p.format() for p in result.problems]
    assert "".join(run.text for block in result.document.sections[0].blocks for run in getattr(block, "runs", ())) == \
        "E. Seijsener/E. Seijsener/X/a-3/e. seijsener/ab"


TEXT = ("{{ contactpersonen | map(attribute='naam') | join(', ') }}/{{ contactpersonen | join(', ', attribute='naam') }}"
        "/{{ 'x' | upper }}/{{ '%s-%s' % ('a', 3) }}/{{ contactpersonen | map(attribute='naam') | first | lower }}"
        "/{{ 'ab' | truncate(9, true, '...', none) }}")


def test_amount_arithmetic_keeps_the_kind():
    amount = formatting.Amount("10.50")
    assert isinstance(amount + 1, formatting.Amount) and isinstance(1 + amount, formatting.Amount)
    assert isinstance(amount / 2, formatting.Amount) and not isinstance(amount / amount, formatting.Amount)
    assert formatting.bare(-amount) == "€\u00a0-10,50"
