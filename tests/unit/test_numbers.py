"""Numbers typed in a letter's text that can silently disagree with its tables (typednumbers.py)."""

from __future__ import annotations

import shutil

import pytest

from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import HEAD, REPO, signed, write

LETTER = "content/test/brief.yaml"
COUNT = "  opvang:\n    kolommen: [Locatie, Aantal personen]\n    rijen:\n      - [Kortenhoef, 48]\n      - [Ankeveen, 38]\n"
COSTS = "  kosten:\n    soort: bedrag\n    rijen:\n      - [Huisvesting, 1000.50]\n      - [Leefgeld, 250]\n"


def warnings(root, tables: str, text: str) -> list[str]:
    write(root, LETTER, signed(HEAD + "tabellen:\n" + tables + "secties:\n  - tekst: |\n      " + text + "\n"))
    result = Session(Werkmap(root), Settings()).read(root / LETTER)
    assert (result.document is None) == any(p.is_error for p in result.problems)  # an error stops the letter
    return [p.format() for p in result.problems]


def test_a_typed_total_that_differs_from_the_only_count_table_is_a_warning_at_the_number(werkmap):
    """The griffie's letter: 'in totaal 87' while the table adds up to 86; check --streng said nothing."""
    text = "Wij vangen in totaal 87 (in woorden {{ tabellen.opvang.totaal | woorden }}) ontheemden op."
    assert warnings(werkmap, COUNT + COSTS, text) == [
        f"{LETTER}:18:28: waarschuwing: '87' in de tekst wijkt af van het totaal van tabel 'opvang' (86); "
        "schrijf {{ tabellen.opvang.totaal }} zodat tekst en tabel gelijk blijven"]


@pytest.mark.parametrize(
    "text",
    [
        "Wij vangen in totaal 86 ontheemden op.",  # right
        "Wij vangen in totaal {{ tabellen.opvang.totaal }} ontheemden op.",  # the expression
        "Wij vangen een totaal van 1.250,50 euro op.",  # the other table's total
        "In totaal hebben 277 aanbieders ingeschreven.",  # no number right after 'in totaal'
        "Dat is in totaal 12 procent meer.",  # a unit, not a count
        "Dat is in totaal 12% meer.",
        "Zij wachten in totaal 14 weken.",
    ],
)
def test_no_warning_for_a_right_total_or_no_typed_total(werkmap, text):
    assert warnings(werkmap, COUNT + COSTS, text) == []


def test_no_warning_when_two_count_tables_could_be_meant(werkmap):
    other = "  scholen:\n    kolommen: [Wijk, Aantal leerlingen]\n    rijen:\n      - [Noord, 3]\n"
    assert warnings(werkmap, COUNT + other, "Wij vangen in totaal 87 (zie de tabellen) mensen op.") == []


def test_with_two_count_tables_the_word_after_the_number_says_which_one_is_meant(werkmap):
    """"In totaal" and the word of one table, in a sentence that says nothing else: a certain claim, so an error
    (stop 30); a sentence that says more ("reizen … mee") is a warning."""
    other = "  scholen:\n    kolommen: [Wijk, Aantal leerlingen]\n    rijen:\n      - [Noord, 30]\n      - [Zuid, 40]\n"
    for text, severity in (("Er zijn in totaal 72 leerlingen.", ""), ("Er reizen in totaal 72 leerlingen mee.", " waarschuwing:")):
        [problem] = warnings(werkmap, COUNT + other, text)
        assert problem.endswith(f":{severity} '72' in de tekst wijkt af van het totaal van tabel 'scholen' (70); schrijf "
                                "{{ tabellen.scholen.totaal }} zodat tekst en tabel gelijk blijven")


def test_a_typed_amount_total_that_differs_suggests_the_amount_filter(werkmap):
    [warning] = warnings(werkmap, COUNT + COSTS, "De kosten zijn in totaal € 1.250,00 per maand.")
    assert warning == (f"{LETTER}:18:32: waarschuwing: '€ 1.250,00' in de tekst wijkt af van het totaal van tabel "
                       "'kosten' (€\u00a01.250,50); schrijf {{ tabellen.kosten.totaal | bedrag }} zodat tekst en "
                       "tabel gelijk blijven")


def test_the_example_letters_have_no_typed_total_warning(tmp_path):
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    shutil.copytree(REPO / "content", tmp_path / "content")
    session = Session(Werkmap(tmp_path), Settings())
    letters = sorted((tmp_path / "content").rglob("*.yaml"))
    found = [p.format() for path in letters if "organisaties" not in path.parts for p in session.read(path).problems]
    assert len(letters) > 5 and not [p for p in found if "wijkt af van het totaal" in p or "wijkt af van de rij" in p]


def test_a_typed_total_in_bold_is_found_too(werkmap):
    [warning] = warnings(werkmap, COUNT, "Wij vangen in totaal **87** ontheemden op.")
    assert warning.startswith(f"{LETTER}:13:30: waarschuwing: '87' in de tekst wijkt af van het totaal van tabel 'opvang'")


def test_a_number_that_names_no_table_is_no_total_unless_close_to_the_only_tables_total(werkmap):
    """A review's false alarms: counts of other things, and a cell value of the table, are no typed total."""
    table = "  t:\n    titel: Kinderen per wijk\n    kolommen: [Wijk, Kinderen]\n    rijen:\n      - [Noord, 10]\n      - [Zuid, 5]\n"
    text = ("Er hebben in totaal 3 aanbieders gereageerd. Van de kinderen woonden er in totaal 10 in Noord. "
            "De wethouder sprak in totaal 4 ouders. Dat kostte in totaal 2 avonden.")
    assert warnings(werkmap, table, text) == []
    [warning] = warnings(werkmap, table, "Er zijn in totaal 16 mensen.")  # close to 15: a typed total gone stale
    assert "waarschuwing: '16' in de tekst wijkt af van het totaal van tabel 't' (15)" in warning


def test_the_total_pattern_reads_at_most_thirty_digits():
    """Linear on a long run of digits: the number is capped and not backtracked into (was quadratic before a '%')."""
    from briefgen.typednumbers import _TOTAL_IN_TEXT

    assert _TOTAL_IN_TEXT.search("in totaal " + "1" * 30 + " kinderen")
    assert _TOTAL_IN_TEXT.search("in totaal " + "1" * 31 + " kinderen") is None
    assert _TOTAL_IN_TEXT.search("in totaal " + "1" * 31 + "%") is None
    assert "(?>" in _TOTAL_IN_TEXT.pattern


def test_a_long_run_of_digits_after_in_totaal_is_no_warning(werkmap):
    assert warnings(werkmap, COUNT, "Wij vangen in totaal " + "1" * 5000 + " personen op.") == []


def test_a_long_run_of_digits_next_to_a_placed_table_is_no_crash(werkmap):
    """Before: int() of 5000 digits raised (Python's limit on integer strings) in the check of placed tables."""
    assert warnings(werkmap, COUNT, "Er zijn " + "1" * 5000 + " personen.\n\n      {{ tabel('opvang') }}") == []
