"""number_order: numbers sort with their runs of digits as numbers (``list`` and ``new``'s latest letter)."""

from __future__ import annotations

from briefgen.numbering import number_order


def test_runs_of_digits_sort_as_numbers():
    numbers = ["2024/10", "2024/9", "RIB 2024-03", "2024/009", "2023/11", "RIB 2024-2", ""]
    assert sorted(numbers, key=number_order) == ["", "2023/11", "2024/9", "2024/009", "2024/10", "RIB 2024-2", "RIB 2024-03"]


def test_a_run_too_long_for_int_still_sorts():
    assert number_order("1" * 5000) > number_order("9" * 4999)
    assert number_order("²") == ((1, 0, "²"),)  # a digit that is not a decimal one is text
