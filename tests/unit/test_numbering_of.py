"""numbering_of: which kenmerk on letter paper is a letter number (and the ``nummering`` in its form), and which is
a zaak kenmerk that briefgen's number must never stand in for."""

from __future__ import annotations

import pytest

from briefgen.housestyle import numbering_of
from briefgen.numbering import numbering_digits


@pytest.mark.parametrize(("kenmerk", "numbering"), [
    ("RIB 2024-034", "RIB {jaar}-{volgnummer:03}"),
    ("VB/2020/123", "VB/{jaar}/{volgnummer}"),
    ("RIB-0041", "RIB-{volgnummer:04}"),
    ("RIB 12-2024", "RIB {volgnummer}-{jaar}"),
    ("RIB 12/2024", "RIB {volgnummer}/{jaar}"),
    ("2024/34", "{jaar}/{volgnummer}"),
    ("2021/1234", "{jaar}/{volgnummer}"),
    # zaak numbers: more than 4 significant digits, or more than one number
    ("2021/123456", None),
    ("2024-012345", None),
    ("Z-2024-12345", None),
    ("Z/24/612345", None),
    ("1006608", None),
    ("2023/12/2024", None),
])
def test_numbering_of_a_kenmerk(kenmerk, numbering):
    assert numbering_of(kenmerk) == numbering


@pytest.mark.parametrize("kenmerk", ["RIB 2024-034", "RIB 12-2024", "VB/2020/123", "RIB-0041"])
def test_the_numbering_writes_the_kenmerk_again(kenmerk):
    numbering = numbering_of(kenmerk)
    assert numbering is not None
    plain, _ = numbering_digits(numbering)
    sequence = "".join(c for c in kenmerk.replace("2024", "").replace("2020", "") if c.isdigit())
    year = "2024" if "2024" in kenmerk else "2020"
    assert plain.format(jaar=year, volgnummer=sequence) == kenmerk
