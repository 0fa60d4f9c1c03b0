"""All letters of a werkmap by id, for what crosses letters: series, references, numbers, toezeggingen.

A letter's id is its path under ``content/`` without ``.yaml``: ``hilversum/2021/inkoop-wmo-jeugd``.
Letters are read on demand and once; an unreadable letter is simply absent here (its own
problems are reported when that letter itself is checked).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from briefgen import formatting, yamlio
from briefgen.model import Letter
from briefgen.validate import validate
from briefgen.werkmap import Werkmap

SHORT_KIND = {"raadsinformatiebrief": "RIB", "informatienota": "informatienota"}


@dataclass(frozen=True)
class Entry:
    ident: str
    path: Path
    letter: Letter

    def reference(self) -> str:
        """How another letter cites this one: ``RIB 2019/67 van 8 november 2019``."""
        return reference(self.letter.kind, cited_number(self.letter), self.letter.date)


def cited_number(letter: Letter) -> str | None:
    """What a letter is cited and listed by: its nummer, else its zaaknummer, else its kenmerk (an imported
    letter may have only the kenmerk it was sent with; the kenmerk never overrides the other two)."""
    return letter.number or letter.case_number or letter.reference


def reference(kind: str, number: str | None, date: dt.date) -> str:
    """The one way a letter is cited, in content/ or not: ``RIB 2019/67 van 8 november 2019``."""
    short = SHORT_KIND[kind]
    if number and number.lower().split(" ")[0] == short.lower():  # "RIB 2023-07" names its kind itself
        return f"{number} van {formatting.datum(date)}"
    label = f"{short} {number}" if number else short
    return f"{label} van {formatting.datum(date)}"


class LetterIndex:
    def __init__(self, werkmap: Werkmap):
        self.werkmap = werkmap
        self._entries: dict[str, Entry | None] = {}

    def ident(self, path: Path) -> str:
        return self.werkmap.letter_id(path)

    def path(self, ident: str) -> Path:
        """``content/<ident>.yaml``, or the ``.yml`` file when only that one exists."""
        path = self.werkmap.content / f"{ident}.yaml"
        other = path.with_suffix(".yml")
        return other if not os.path.lexists(path) and os.path.lexists(other) else path

    def get(self, ident: str) -> Entry | None:
        if ident not in self._entries:
            self._entries[ident] = self._read(ident)
        return self._entries[ident]

    def add(self, path: Path, letter: Letter) -> None:
        """Record a letter that was already read and validated elsewhere."""
        self._entries[self.ident(path)] = Entry(self.ident(path), path, letter)

    def all(self) -> list[Entry]:
        entries = (self.get(self.ident(p)) for p in self.werkmap.letters())
        return [e for e in entries if e is not None]

    def _read(self, ident: str) -> Entry | None:
        path = self.path(ident)
        if ".." in Path(ident).parts or not self.werkmap.is_letter(path) or not path.is_file():
            return None
        loaded, problems = yamlio.load(path, self.werkmap.shown(path), self.werkmap.root)
        if loaded is None:
            return None
        letter, invalid = validate(loaded, Letter)
        # a letter with errors of its own (a duplicate key, an unknown key, a flawed table) comes
        # with its problems, to report the rest; another letter cannot rely on it
        if letter is None or any(p.is_error for p in (*problems, *invalid)):
            return None
        return Entry(ident, path, letter)
