"""Review of s27d: every argument of a filter that makes text is text, a number or a date (a switch set to
none/true/false excepted), also join's separator and the attribute it joins; | round of a float is a float."""

from __future__ import annotations

import pytest

from tests.unit.test_numbers_in_text import printed, read

REFUSED = "deze expressie geeft geen tekst maar {}; alleen tekst, getallen en datums kunnen in een brief"


@pytest.mark.parametrize(("text", "shown"), [
    ("{{ [[datum]] | join(', ', 0) }}", "16 november 2021"),
    ("{{ [{'a': {'b': datum}}] | join(attribute='a.b') }}", "16 november 2021"),
    ("{{ ['a', 'b'] | join(datum) }}", "a16 november 2021b"),
    ("{{ [{'a': 1}, {'a': 2}] | join(' en ', attribute='a') }}", "1 en 2"),
    ("{{ 'ab' | truncate(9, true, '...', none) }} {{ 'ab' | indent(2, first=true) }}", "ab   ab"),
])
def test_join_makes_its_items_and_separator_text(werkmap, text, shown):
    assert printed(werkmap, text) == shown


@pytest.mark.parametrize(("text", "what"), [
    ("{{ [{'a': tabellen.v.rijen}] | join(', ', 'a') }}", "een lijst"),
    ("{{ [{'a': tabellen.v.rijen}] | join(attribute='a') }}", "een lijst"),
    ("{{ ['a', 'b'] | join(tabellen.v.rijen) }}", "een lijst"),
    ("{{ ['a', 'b'] | join(d=organisatie) }}", "een verzameling van namen en waarden"),
    ("{{ 'a' | replace('a', none) }}", "niets (None)"),
    ("{{ '%s' | format(true) }}", "een ja/nee-waarde"),
    ("{{ 'a' | replace('a', new=false) }}", "een ja/nee-waarde"),
])
def test_a_value_that_is_no_switch_is_made_text(werkmap, text, what):
    result = read(werkmap, text)
    assert [p.message for p in result.problems] == [REFUSED.format(what)]


def test_round_of_a_float_computes_on_as_a_float(werkmap):
    assert printed(werkmap, "{{ (2.5 | round) + 0.1 }} {{ (2.25 | round(1)) * 2 }}") == "3,1 4,6"


@pytest.mark.parametrize("text", ["{{ 1e300 | round }}", "{{ 1e300 }}", "{{ 1e150 | bedrag }}"])
def test_a_huge_number_is_refused_in_dutch(werkmap, text):
    result = read(werkmap, text)
    assert [p.message for p in result.problems] and all("te groot getal" in p.message for p in result.problems), \
        [p.format() for p in result.problems]
