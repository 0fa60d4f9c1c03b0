"""housestyle.FIELD_LABELS: the labels the HTML edition shows where a house style has none of its own.

Derived from the order of housestyle.LABELS (a field's first label is its name), so a reordering of that table
would silently change text a reader sees: pinned here, with their order (the order of the header rows).
"""

from __future__ import annotations

from briefgen.housestyle import FIELD_LABELS, LABELS


def test_each_field_has_its_own_label_in_the_header_order():
    assert list(FIELD_LABELS.items()) == [
        ("aan", "Aan"), ("van", "Van"), ("datum", "Datum"), ("nummer", "Nummer"), ("kenmerk", "Kenmerk"),
        ("zaaknummer", "Zaaknummer"), ("portefeuillehouder", "Portefeuillehouder"), ("informatie_bij", "Informatie bij"),
        ("informatie_telefoon", "Telefoon"), ("onderwerp", "Onderwerp"), ("bijlagen", "Bijlagen")]


def test_each_label_is_one_the_importer_and_the_template_check_know_for_that_field():
    assert all(LABELS[label.lower()] == field for field, label in FIELD_LABELS.items())
    assert set(FIELD_LABELS) == {field for field in LABELS.values() if field}
