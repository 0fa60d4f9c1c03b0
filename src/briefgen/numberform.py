"""``check``: whether a letter's nummer fits its datum and its organisation's ``nummering``.

A warning, at the nummer: a nummer of another year than the letter's datum (when the nummering has ``{jaar}``),
and a nummer that does not fit the nummering at all. Letters written before the organisation took up its
current nummering keep the numbers they were sent with: only a letter dated on or after the oldest letter
whose nummer fits the nummering is held to it (the newest ones, when none fits yet: a nummering that none of
the letters follows is said once, not at every letter). A kenmerk is never held to the nummering, and an
imported letter (``geimporteerd_uit``) is not at all: its nummer is the one it was sent with ("RIB nr. 14"),
and it does not set from when the nummering holds.

From the letters' text alone (crossing.scan), as the duplicate numbers are: fast on thousands of letters.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.numbering import fits, has_year, next_number, numbering_digits
from briefgen.problems import Problem, Severity

if TYPE_CHECKING:
    from briefgen.werkmap import Werkmap


def mismatches(werkmap: Werkmap, checked: list[tuple[Path, str]], written: dict[Path, dict[str, str]],
               numberings: dict[str, str]) -> dict[str, list[Problem]]:
    """Warnings by shown path for the ``checked`` letters, against every letter ``written`` holds;
    ``numberings``: the nummering of each organisation that could be read."""
    numbered: dict[str, list[tuple[Path, dt.date, str]]] = {}
    for path, values in written.items():
        organisation, number = values.get("organisatie", ""), values.get("nummer", "").strip()
        if not number or organisation not in numberings or values.get("geimporteerd_uit"):
            continue
        try:
            day = dt.date.fromisoformat(values.get("datum", ""))
        except ValueError:
            continue  # the letter's own error
        numbered.setdefault(organisation, []).append((path, day, number))
    held: dict[Path, tuple[str, dt.date, str]] = {}
    for organisation, letters in numbered.items():
        fitting = [day for _, day, number in letters if fits(numberings[organisation], number)]
        start = min(fitting) if fitting else max(day for _, day, _ in letters)
        held.update((path, (organisation, day, number)) for path, day, number in letters if day >= start)

    @functools.cache
    def example(organisation: str, year: int) -> str:
        """What ``briefgen new`` gives now: once for each organisation and year, however many letters are off."""
        taken = [(values.get("nummer"), values.get("kenmerk")) for values in written.values()
                 if values.get("organisatie") == organisation]
        return next_number(taken, numberings[organisation], year)

    found: dict[str, list[Problem]] = {shown: [] for _, shown in checked}
    for path, shown in checked:
        if path not in held:
            continue
        organisation, day, number = held[path]
        message = _mismatch(werkmap, organisation, numberings[organisation], day, number, example)
        if message is not None:
            found[shown] += _located(werkmap, path, message)
    return found


def _mismatch(werkmap: Werkmap, organisation: str, numbering: str, day: dt.date, number: str,
              example: Callable[[str, int], str]) -> str | None:
    """What is wrong with the nummer of a letter of ``day``, in Dutch; None when nothing is."""
    from briefgen import formatting

    match = fits(numbering, number)
    if match is not None and (not has_year(numbering) or int(match.group("jaar")) == day.year):
        return None
    proposed = example(organisation, day.year)
    if match is not None:
        return (f"nummer {number} hoort bij {match.group('jaar')}, de brief is van {formatting.datum(day)}; "
                f"klopt de datum, geef de brief dan een nummer van {day.year} (briefgen new geeft nu {proposed})")
    where = werkmap.shown(werkmap.organisation_file(organisation))
    plain, least = numbering_digits(numbering)
    sample = plain.format(jaar=day.year, volgnummer="12".zfill(least))
    return (f"nummer {number} past niet in de nummering van {organisation}: \"{numbering}\", bijvoorbeeld {sample} "
            f"(briefgen new geeft nu {proposed}); klopt de nummering niet, pas dan 'nummering:' aan in {where}")


def _located(werkmap: Werkmap, path: Path, message: str) -> list[Problem]:
    from briefgen import yamlio
    from briefgen.locate import Collector

    read, _ = yamlio.load(path, werkmap.shown(path), werkmap.root)
    if read is None or not isinstance(read.data, dict) or "nummer" not in read.data:
        return []  # not a letter as its text looked: its own problems are reported
    collector = Collector(read)
    collector.at(("nummer",), message, severity=Severity.WARNING)
    return collector.problems
