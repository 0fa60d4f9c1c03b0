"""Spelling and readability of a letter's prose, for ``briefgen check`` (warnings, not errors)."""

from __future__ import annotations

from briefgen import prose
from briefgen.locate import Collector
from briefgen.model import Letter
from briefgen.problems import Problem, Severity
from briefgen.readability import Readability, measure
from briefgen.spelling import SpellChecker, load_wordlist
from briefgen.werkmap import Werkmap
from briefgen.yamlio import Loaded

WORDLIST = "woordenlijst.txt"


def open_checker(werkmap: Werkmap) -> SpellChecker | None:
    """One spell checker for a whole run (loading the dictionary is the slow part); None if unavailable."""
    if not SpellChecker.available():
        return None
    return SpellChecker(load_wordlist(werkmap.content / WORDLIST))


def spelling(loaded: Loaded, letter: Letter, checker: SpellChecker) -> list[Problem]:
    out = Collector(loaded)
    granted: set[str] = set()  # one budget of dictionary suggestions for the whole letter
    for loc, text in prose.fields(letter):
        for finding in checker.check(text, granted):
            out.at_word(loc, finding.line, finding.col, finding.word, finding.message, severity=Severity.WARNING)
    return out.problems


def readability(letter: Letter) -> Readability:
    return measure("\n\n".join(text for loc, text in prose.fields(letter) if loc[-1] == "tekst"))
