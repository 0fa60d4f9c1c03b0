"""Letter numbers: when two are the same, whether one fits an organisation's ``nummering``, and the next free one.

Only the standard library: crossing.py compares the numbers of every letter on every build.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable

_PART = re.compile(r"[0-9]+|[^\W\d_]+|\S")
_RUNS = re.compile(r"\d+|\D+")


def number_key(value: str) -> tuple[str, ...]:
    """A number or kenmerk as a reader tells it apart: runs of letters (case aside), runs of digits (leading
    zeros aside) and each other sign, whitespace between them aside. ``RIB 2026-01``, ``rib 2026-1`` and
    ``RIB2026-1`` are one number; ``2026/7`` and ``2026-7`` are two, and so are ``12 3`` and ``123``."""
    return tuple(part.lstrip("0") or "0" if part.isdigit() else part for part in _PART.findall(value.casefold()))


def number_order(value: str) -> tuple[tuple[int, int, str], ...]:
    """How numbers sort: their runs of digits as numbers, ``2021/9`` before ``2021/10`` (leading zeros aside,
    compared by length and digits: no ``int()`` of a run too long for one), the rest as written."""
    return tuple((0, len(digits := part.lstrip("0")), digits) if part[0].isdecimal() else (1, 0, part)
                 for part in _RUNS.findall(value))


def written_year(value: str) -> int | None:
    """The year a number or kenmerk carries: a run of four digits from 1900 to 2099 (``RIB 2025-46``, ``Z/2022/123``),
    None without one. A number in a nummering with ``{jaar}`` carries it so; numbers that are one (:func:`number_key`)
    carry the same year."""
    for part in number_key(value):
        if len(part) == 4 and part.isdigit() and part[:2] in ("19", "20"):
            return int(part)
    return None


def numbering_digits(numbering: str) -> tuple[str, int]:
    """A valid numbering without the format of its ``{volgnummer}``, and the least number of digits that asks
    for: ``RIB-{volgnummer:03}`` → ``("RIB-{volgnummer}", 3)``; 1 without a format."""
    match = re.search(r"\{volgnummer(?::0([1-9]))?\}", numbering)
    if match is None or match.group(1) is None:
        return numbering, 1
    return numbering[: match.start()] + "{volgnummer}" + numbering[match.end():], int(match.group(1))


@functools.cache
def _form(numbering: str) -> re.Pattern[str]:
    """A valid numbering as a pattern that any way of writing one of its numbers fits (:func:`number_key`):
    case, whitespace and leading zeros aside; groups ``jaar`` and ``volgnummer``. Matched against casefolded text."""
    parts: list[str] = []
    year = "(?P<jaar>[0-9]{4})"
    for literal, field, _, _ in string.Formatter().parse(numbering):
        parts += [re.escape(char) for char in literal.casefold() if not char.isspace()]
        if field == "jaar":
            parts.append(year)
            year = "(?P=jaar)"  # the same year each time it is written
        elif field == "volgnummer":
            parts.append("(?P<volgnummer>[0-9]{1,18})")  # longer: no sequence number (and no int() of 5000 digits)
    return re.compile(r"\s*".join(parts))


def fits(numbering: str, value: str) -> re.Match[str] | None:
    """How ``value`` fits the numbering (its ``jaar`` and ``volgnummer``), None when it does not."""
    return _form(numbering).fullmatch(value.strip().casefold())


def has_year(numbering: str) -> bool:
    return "{jaar}" in numbering


MAX_STEP = 1000
"""How far above the highest number a kenmerk in the numbering format may be to count as a number."""


def next_number(taken: Iterable[tuple[str | None, str | None]], numbering: str, year: int) -> str:
    """The next free number in the organisation's format, after the ``taken`` (nummer, kenmerk) of its letters:
    ``2021/46`` after ``2021/45``. A kenmerk in that format counts as a number too (an imported letter keeps
    "Ons kenmerk: RIB 2024-03" as its kenmerk), and the zero padding of the highest one is kept (``RIB 2024-04``),
    or that of the format (``RIB-{volgnummer:03}``: ``RIB-001``) when it asks for more digits. A kenmerk counts
    only when it is at most MAX_STEP above the highest number or counted kenmerk below it: a zaak number that
    happens to fit the format (``2021/123456``) is no letter's number and would make the numbering jump.
    Numbers are read as :func:`number_key` compares them (``rib 2024-3`` is taken as ``RIB 2024-03``), and the
    number given is none of those taken."""
    taken = list(taken)
    plain, least = numbering_digits(numbering)  # RIB-{volgnummer:03}: RIB-001 for the first

    def sequence(text: str | None) -> list[tuple[int, int]]:
        match = fits(plain, text) if text else None
        if match is None or (has_year(plain) and int(match.group("jaar")) != year):
            return []
        return [(int(match.group("volgnummer")), len(match.group("volgnummer")))]

    highest, width = max((s for number, _ in taken for s in sequence(number)), default=(0, 1))
    for number, digits in sorted(s for _, reference in taken for s in sequence(reference)):
        if number - highest > MAX_STEP:
            break
        if number >= highest:
            highest, width = number, digits
    used = {number_key(value) for pair in taken for value in pair if value}
    while True:  # a number the form does not show (another year's in a numbering without one) may still be there
        highest += 1
        proposed = plain.format(jaar=year, volgnummer=str(highest).zfill(max(width, least)))
        if number_key(proposed) not in used:
            return proposed
