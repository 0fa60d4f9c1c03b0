"""The one width rule of data tables (builders/tablewidths.py): whatever the table, its columns fill the text width
exactly, none is empty, a long heading wraps, alike columns stay alike."""

from __future__ import annotations

import itertools

from briefgen.builders.tablewidths import HEADING_LINE, MIN_FIRST, MIN_NUMBER, TEXT_WIDTH, column_widths, percentages

HEADINGS = ("Aantal", "Aantal cliënten 2024", "Klachtenafhandelingen", "Aantal cliënten met een indicatie voor begeleiding",
            "Bedrag", "Verschil")
VALUES = ("7", "1.234", "€\u00a01.234.567,89", "−12", "82,5\u00a0%", "")
LABELS = ("PGB", "Jeugdhulp met verblijf bij een gecertificeerde instelling buiten de regio", "")


def test_every_table_fills_the_text_width_exactly_with_no_empty_column():
    for columns, text_width in itertools.product(range(1, 41), (TEXT_WIDTH, 7654, 3000, 600)):
        for shift in range(3):
            header = ["Wijk", *(HEADINGS[(c + shift) % len(HEADINGS)] for c in range(columns - 1))]
            rows = [(LABELS[(r + shift) % len(LABELS)], *(VALUES[(r + c) % len(VALUES)] for c in range(columns - 1)))
                    for r in range(4)]
            widths = column_widths(header, rows, text_width)
            assert len(widths) == columns and sum(widths) == text_width, (columns, text_width, widths)
            assert min(widths) > 0, (columns, text_width, widths)


def test_a_short_heading_stays_on_one_line_and_a_long_one_wraps_between_words():
    short, long = column_widths(["Wijk", "Aantal cliënten 2024", "Aantal cliënten met een indicatie voor begeleiding"],
                                [("Centrum", "7", "8")])[1:]
    assert short == len("Aantal cliënten 2024") * 100 + 230
    assert len("begeleiding") * 100 + 230 <= long <= HEADING_LINE


def test_a_column_of_numbers_is_as_wide_as_its_widest_value_and_at_least_the_minimum():
    assert column_widths(["Post", "Bedrag"], [("Zorg", "€\u00a01.234.567,89")])[1] == 14 * 100 + 230
    assert column_widths(["Post", "Nr"], [("Zorg", "7")]) == (TEXT_WIDTH - MIN_NUMBER, MIN_NUMBER)


def test_alike_columns_beside_long_labels_wrap_alike():
    label = "Straat 1 in Kortenhoef-Noord tussen de kerk en het oude raadhuis aan de Koninginneweg"
    widths = column_widths(["Straat", "Aantal laadpalen 2023", "Aantal laadpalen 2024"], [(label, "3", "4")])
    assert widths[1] == widths[2] < len("Aantal laadpalen 2023") * 100 + 230
    assert widths[0] >= TEXT_WIDTH // 2


def test_with_many_columns_the_labels_keep_four_centimetres_and_the_numbers_share_by_need():
    header = ["Voorziening", "Aanmeldingen", "Wachtlijstregistraties", *["Kwartaal"] * 4]
    widths = column_widths(header, [("Jeugdhulpverleningsinstellingen", *["1"] * 6)])
    assert MIN_FIRST <= widths[0] < MIN_FIRST + len(header)  # what rounding down leaves
    assert widths[2] > widths[1] > widths[3]


def test_percentages_of_the_html_edition():
    assert percentages((6000, 2000, 2000)) == ("60.0%", "20.0%", "20.0%")


def test_a_table_without_columns_has_no_widths():
    assert column_widths([], []) == ()
    assert column_widths(["Wijk"], [("Noord",)], 3000) == (3000,)
