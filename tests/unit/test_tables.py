"""The shape of a table (rows, numbers, column headings, totals) is checked by its model, in validate()."""

from __future__ import annotations

import pytest

from briefgen import yamlio
from briefgen.model import Letter
from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.validate import validate
from briefgen.werkmap import Werkmap
from tests.conftest import HEAD, signed, write

LETTER = "content/test/brief.yaml"


def validated(tmp_path, text: str):
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, found = yamlio.load(path, "brief.yaml")
    assert found == []
    return validate(loaded, Letter)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    rijen:\n      - [a, 10]\n      - [b, 5]\n    totaal: 16\n",
         ["brief.yaml:10:13: het opgegeven totaal 16 klopt niet met de som van de rijen (15)"]),
        ("    soort: bedrag\n    rijen:\n      - [a, 19000000]\n      - [b, 50000]\n    totaal: 19050001\n",
         ["brief.yaml:11:13: het opgegeven totaal €\u00a019.050.001 klopt niet met de som van de rijen (€\u00a019.050.000)"]),
        ("    rijen:\n      - [a, 1, 2]\n      - [b, 1]\n      - [c, 3, 4]\n",
         ["brief.yaml:9:9: deze rij heeft 1 waarde(n) na de omschrijving, andere rijen 2"]),
        # YAML reads 96.400 as 96.4: a Dutch thousands point would silently make € 96,40 of € 96.400
        ("    soort: bedrag\n    rijen:\n      - [a, 184250.50]\n      - [b, 96.400]\n",
         ["brief.yaml:10:13: bedrag 96.400 is onduidelijk: een punt is hier een decimaalteken (€\u00a096,40), geen punt "
          "voor de duizendtallen; schrijf 96400 voor €\u00a096.400, of 96.40 voor €\u00a096,40"]),
        ("    soort: bedrag\n    rijen:\n      - [a, 12000]\n    totaal: 12.000\n",
         ["brief.yaml:10:13: bedrag 12.000 is onduidelijk: een punt is hier een decimaalteken (€\u00a012,00), geen punt "
          "voor de duizendtallen; schrijf 12000 voor €\u00a012.000, of 12.00 voor €\u00a012,00"]),
        # 2.345 is no amount in cents: only a thousands point (€ 2.345) or a typo, never "€ 2,34"
        ("    soort: bedrag\n    rijen:\n      - [a, 10]\n      - [b, 2.345]\n",
         ["brief.yaml:10:13: een bedrag heeft hoogstens twee decimalen (centen), niet 2.345; schrijf 2345 voor "
          "€\u00a02.345"]),
        ("    rijen:\n      - [a, 1.250]\n",
         ["brief.yaml:8:13: een aantal is een geheel getal, niet 1.250; schrijf 1250 (zonder punt)"]),
        # a decimal comma: YAML reads [b, 96400,50] as three values
        ("    soort: bedrag\n    rijen:\n      - [a, 10]\n      - [b, 96400,50]\n",
         ["brief.yaml:10:9: deze rij heeft 2 waarde(n) na de omschrijving, andere rijen 1; staat er een komma in een "
          "getal? schrijf 96400.50, met een punt"]),
        ("    rijen:\n      - [a, veel]\n      - [b, 1.5]\n      - [5, 1]\n",
         ["brief.yaml:8:13: 'veel' is geen getal", "brief.yaml:9:13: een aantal is een geheel getal, niet 1.5; decimalen in "
          "een kolom: geef de kolommen een soort, bijvoorbeeld soorten: [tekst, aantal, procent]",
          "brief.yaml:10:9: een rij begint met een omschrijving: [omschrijving, waarde]"]),
        ("    kolommen: [A, B, C]\n    rijen:\n      - [a, 1]\n",
         ["brief.yaml:7:15: er zijn 3 kolomkoppen voor 2 kolommen"]),
        # without soorten every value column is an aantal: the message says how to allow decimals
        ("    rijen:\n      - [a, 82.5]\n",
         ["brief.yaml:8:13: een aantal is een geheel getal, niet 82.5; decimalen in een kolom: geef de kolommen een "
          "soort, bijvoorbeeld soorten: [tekst, aantal, procent]"]),
        ("    soorten: [tekst, aantal, procent]\n    rijen:\n      - [a, 1]\n",
         ["brief.yaml:7:14: er zijn 3 soorten voor 2 kolommen (de eerste is tekst)"]),
        ("    soorten: [aantal, tekst]\n    rijen:\n      - [a, 1]\n",
         ["brief.yaml:7:14: de eerste kolom is tekst (de omschrijving), de andere kolommen zijn aantal, bedrag, procent "
          "of getal"]),
        ("    soort: bedrag\n    soorten: [tekst, aantal]\n    rijen:\n      - [a, 1]\n",
         ["brief.yaml:8:14: geef 'soort:' of 'soorten:', niet allebei; 'soorten:' noemt de soort van elke kolom"]),
        # only the counted columns have a declared total
        ("    soorten: [tekst, procent, aantal]\n    rijen:\n      - [a, 82.5, 3]\n    totaal: [82.5, 3]\n",
         ["brief.yaml:10:13: geef 1 totaal/totalen op, één per kolom"]),
        ("    soorten: [tekst, procent, bedrag]\n    rijen:\n      - [a, 1.5, 2.5]\n      - [b, 1.25, 2.5]\n    totaal: [6]\n",
         ["brief.yaml:11:13: het opgegeven totaal €\u00a06 klopt niet met de som van de rijen (€\u00a05)"]),
        # YAML's .inf is a float: it was refused as "moet een geheel getal zijn" in an amount table
        ("    soort: bedrag\n    rijen:\n      - [a, .inf]\n      - [b, -.nan]\n",
         ["brief.yaml:9:13: '.inf' is geen getal (oneindig of NaN kan niet in een tabel)",
          "brief.yaml:10:13: '-.nan' is geen getal (oneindig of NaN kan niet in een tabel)"]),
    ],
)
def test_validate_reports_every_flaw_of_a_table_at_its_place(tmp_path, body, expected):
    letter, found = validated(tmp_path, HEAD + "tabellen:\n  t:\n" + body)
    assert [p.format() for p in found] == expected
    assert letter is not None and not letter.tables["t"].sound  # kept, so the letter's other problems are found too


def test_an_amount_with_three_decimals_after_four_digits_or_a_zero_is_no_thousands_point(tmp_path):
    letter, found = validated(tmp_path, HEAD + "tabellen:\n  t:\n    soort: bedrag\n    rijen:\n      - [a, 96.40]\n"
                                                "      - [b, 1250.000]\n      - [c, 0.500]\n")
    assert found == [] and letter.tables["t"].sound


def test_a_sound_table_passes(tmp_path):
    letter, found = validated(tmp_path, HEAD + "tabellen:\n  t:\n    rijen:\n      - [a, 10]\n      - [b, 5]\n    totaal: 15\n")
    assert found == [] and letter.tables["t"].sound


def test_a_wrong_total_is_reported_with_a_misspelt_key(werkmap):
    """The README's example: both messages at once (before, the misspelt key hid the total)."""
    text = HEAD.replace("onderwerp:", "onderwep:") + "tabellen:\n  t:\n    rijen:\n      - [a, 10]\n      - [b, 5]\n    totaal: 16\n"
    write(werkmap, LETTER, signed(text))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / LETTER)
    assert result.document is None
    assert [p.format() for p in result.problems] == [
        f"{LETTER}:4:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?",
        f"{LETTER}:10:13: het opgegeven totaal 16 klopt niet met de som van de rijen (15)",
    ]


GROUPED = ("tabellen:\n  t:\n{compare}    rijen:\n      - [\"Jeugd: personeel\", 1000]\n      - [\"  overig\", 200]\n"
           "      - [\"Wmo: personeel\", 3000]\n      - [\"  overig\", 400]\n"
           "secties:\n  - tekst: |\n      {{{{ tabel('t') }}}}\n")


@pytest.mark.parametrize("compare", ["", "    vergelijken: false\n"])
def test_a_repeated_label_is_fine_in_a_table_not_compared(werkmap, compare):
    """Grouped rows (``Jeugd: personeel``, ``  overig``) built before stop 25; a repeated label was then an error in
    every table, also with vergelijken: false and in a letter without vorige (review stop 25)."""
    write(werkmap, LETTER, signed(HEAD + GROUPED.format(compare=compare)))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / LETTER)
    assert [p.format() for p in result.problems] == [] and result.document is not None
    assert [row[0] for row in result.document.tables["t"].rows] == ["Jeugd: personeel", "overig", "Wmo: personeel",
                                                                     "overig"]
    later = HEAD.replace("2021-11-16", "2022-01-10").replace("Test", "Test 2") + "vorige: test/brief\n" + GROUPED.format(compare="    vergelijken: false\n")
    write(werkmap, "content/test/later.yaml", signed(later))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / "content/test/later.yaml")
    assert [p.format() for p in result.problems] == [] and result.document is not None


def test_a_repeated_label_in_a_table_compared_with_the_previous_letter_is_an_error_at_the_row(werkmap):
    """A compared table matches rows by label: [pgb, 4] would silently replace [PGB, 6]."""
    write(werkmap, "content/test/eerste.yaml", HEAD + "tabellen:\n  t:\n    rijen:\n      - [PGB, 5]\n"
                                                "secties:\n  - tekst: |\n      {{ tabel('t') }}\n")
    later = HEAD.replace("2021-11-16", "2022-01-10").replace("Test", "Test 2") + "vorige: test/eerste\n"
    write(werkmap, LETTER, signed(later + "tabellen:\n  t:\n    rijen:\n      - [PGB, 6]\n      - [Andere aanbieder, 2]\n"
                                      "      - [pgb , 4]\nsecties:\n  - tekst: |\n      {{ tabel('t') }}\n"))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / LETTER)
    assert result.document is None
    assert [p.format() for p in result.problems] == [
        f"{LETTER}:11:10: de omschrijving 'pgb' staat al in rij 1 van deze tabel, en de tabel wordt vergeleken met de "
        "vorige brief (per omschrijving); geef elke rij een eigen omschrijving, tel de rijen op tot één, of zet "
        "'vergelijken: false'"]


def test_a_repeated_label_in_the_previous_letters_compared_table_is_an_error_at_the_table(werkmap):
    """The previous letter (without vorige) may repeat a label; comparing with it would drop one of its rows."""
    write(werkmap, "content/test/eerste.yaml", HEAD + GROUPED.format(compare=""))
    later = HEAD.replace("2021-11-16", "2022-01-10").replace("Test", "Test 2") + "vorige: test/eerste\n"
    write(werkmap, LETTER, signed(later + "tabellen:\n  t:\n    rijen:\n      - [Jeugd, 1200]\n"
                                      "secties:\n  - tekst: |\n      {{ tabel('t') }}\n"))
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / LETTER)
    assert result.document is None
    assert [p.format() for p in result.problems] == [
        f"{LETTER}:7:3: de tabel 't' van de vorige brief heeft de omschrijving 'overig' in rij 2 en rij 4: de "
        "vergelijking per omschrijving zou een van beide weglaten; zet 'vergelijken: false', of geef in de vorige "
        "brief elke rij een eigen omschrijving"]
