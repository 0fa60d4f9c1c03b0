"""The one width rule of data tables (builders/tablewidths.py): whatever the table, its columns fill the text width
exactly, none is empty, a long heading wraps, alike columns stay alike."""

from __future__ import annotations

import itertools

from briefgen.builders.tablewidths import (
    CELL_PADDING,
    CHAR_WIDTH,
    FONT_SIZES,
    HEADING_LINE,
    MIN_FIRST,
    MIN_LABEL,
    MIN_NUMBER,
    TEXT_WIDTH,
    column_widths,
    percentages,
    table_layout,
    value_width,
)

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
    # Arial's figures (556/1000 em at 9 pt: 100 twips) and points and spaces (278: 50), 5 % more, and the margins
    assert column_widths(["Post", "Bedrag"], [("Zorg", "€\u00a01.234.567,89")])[1] == 10 * 105 + 4 * 55 + 230
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


SIX = ["Regeling", "Oorspronkelijke begroting 2026", "Eerste begrotingswijziging", "Tweede begrotingswijziging",
       "Actuele begroting", "Realisatie tot en met september"]
MILLIONS = ("€\u00a01.250.000,00", "€\u00a0-250.000,00", "€\u00a0125.000,50", "€\u00a01.125.000,50", "€\u00a0998.765,43")


def test_a_heading_word_gives_way_before_a_value_and_the_labels_before_the_size():
    """Six columns of amounts with long heading words: each column holds its widest value; "begrotingswijziging" is
    broken rather than widen its column; the labels give up their 4 cm before the table is set smaller."""
    layout = table_layout(SIX, [("Energietoeslag", *MILLIONS), ("Totaal", *MILLIONS)])
    assert layout.size == FONT_SIZES[0] and sum(layout.widths) == TEXT_WIDTH
    assert all(width >= value_width(value) + CELL_PADDING for width, value in zip(layout.widths[1:], MILLIONS, strict=True))
    assert layout.widths[2] < len("begrotingswijziging") * CHAR_WIDTH + CELL_PADDING
    assert MIN_LABEL <= layout.widths[0] < MIN_FIRST


def test_a_table_whose_values_do_not_fit_is_set_smaller_and_they_fit_at_that_size():
    header = ["Post", *[f"Kwartaal {q}" for q in range(1, 8)]]
    rows = [("Zorg", *["€\u00a012.345,67"] * 7)]
    layout = table_layout(header, rows)
    assert layout.size < FONT_SIZES[0]
    scale = layout.size / FONT_SIZES[0]
    assert all(width >= value_width("€\u00a012.345,67", scale) + CELL_PADDING for width in layout.widths[1:])
    assert table_layout(header[:4], [row[:4] for row in rows]).size == FONT_SIZES[0]


def test_beyond_the_smallest_size_the_values_share_the_width_by_need():
    header = ["Post", *[f"K{q}" for q in range(1, 12)]]
    layout = table_layout(header, [("Zorg", *["€\u00a01.234.567,89"] * 10, "1")])
    assert layout.size == FONT_SIZES[-1] and sum(layout.widths) == TEXT_WIDTH
    assert layout.widths[0] >= MIN_LABEL and layout.widths[1] > 2 * layout.widths[-1]
