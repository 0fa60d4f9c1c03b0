"""A readability indicator for Dutch prose, for ``briefgen check``: reported, never enforced.

Formula (Flesch-Douma: W.H. Douma, "De leesbaarheid van landbouwbladen", Landbouwhogeschool
Wageningen 1960, Douma's adaptation to Dutch of R. Flesch's Reading Ease, 1948)::

    flesch_douma = 206.835 - 0.93 * (words / sentences) - 77 * (syllables / words)

Douma's norm table (Douma 1960, as reproduced in a 1977 article on dbnl.org): 0-30 zeer
moeilijk (universiteit), 30-45 moeilijk, 45-60 tamelijk moeilijk, 60-70 normaal, 70-80 tamelijk
gemakkelijk, 80-90 gemakkelijk, 90-100 zeer gemakkelijk. Very short words and sentences can
score above 100; the score is reported as computed, not clamped, and the summary says why.

Level (a mapping of our own onto the language levels of the ERK/CEFR; no official conversion
exists): B1, the level Dutch government writing guides ask for (Direct Duidelijk, "Schrijven op
B1-niveau"), needs both a Flesch-Douma score of at least 60 ("normaal" or easier in Douma's
table) and an average sentence length of at most 15 words, a common B1 rule of thumb. Otherwise a
score of at least 45 ("tamelijk moeilijk") is B2, and below 45 ("moeilijk") C1.

Counting:

* Only prose counts (:mod:`briefgen.prose`): Jinja, Markdown syntax, link targets, inline
  code, HTML tags, URLs, domain names and e-mail addresses do not, and neither do Markdown
  tables (paragraphs that start with ``|``).
* Sentences end at ``.``, ``!`` or ``?`` followed by a capital, digit or opening quote, but
  not after an initial or an abbreviation with full stops (``P.I. Broertjes``, ``o.b.v.``)
  or a known abbreviation (``ca.``, ``bijv.``). Headings and list items are sentences of their
  own even without a full stop, as are the paragraphs of a list item.
* Words are runs of letters and digits, with inner hyphens, apostrophes and full stops
  (``Wmo-beschikking``, ``o.b.v.`` and ``43.500,00`` are one word). Numbers count as words of
  one syllable.
* Syllables: see :func:`count_syllables`. textstat (``set_lang("nl")``, syllables by Pyphen's
  hyphenation) was measured as its replacement and rejected (bench/prose.py): Pyphen never
  splits off one letter at a word's edge, so it undercounts ("o-ver-zicht" 2, "re-gi-o" 2,
  "i-de-eën" 2); 2 of the 25 words of the syllable table and about 1 in 20 words of the
  example letters come out wrong. Its formula for Dutch is the same Flesch-Douma as below.
* Long words: words of 4 or more syllables (:data:`LONG_WORD_SYLLABLES`). Syllables rather
  than letters, because that is what the formula counts too; long compounds
  ("zorgaanbieders", "uitloopovereenkomst") are caught either way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from briefgen import prose

__all__ = ["Readability", "count_syllables", "level_for", "measure", "LONG_WORD_SYLLABLES", "B1_MAX_SENTENCE_LENGTH"]

LONG_WORD_SYLLABLES = 4
B1_MIN_SCORE = 60.0
B1_MAX_SENTENCE_LENGTH = 15.0
B2_MIN_SCORE = 45.0
MAX_SCALE = 100.0  # the top of Douma's table; a higher score is explained in the summary

LEVEL_B1 = "B1 (makkelijk)"
LEVEL_B2 = "B2"
LEVEL_C1 = "C1 (moeilijk)"
LEVEL_NONE = "geen tekst"

_VOWELS = frozenset("aeiouy")
# Vowel sequences pronounced as one sound, longest first. Anything else splits: "ideaal" is
# i-de-aal, "individueel" in-di-vi-du-eel, "theater" the-a-ter.
_VOWEL_UNITS = (
    "aai", "ooi", "oei", "eeu", "ieu", "eau",
    "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ei", "ui", "au", "ou", "ai",
)
_DIAERESIS = frozenset("äëïöüÿ")

_ABBREVIATIONS = frozenset("""
    ca bijv bv enz etc nr nrs mr mw mevr dhr drs dr ir ing prof excl incl resp jl zgn evt
    vs min max tel blz art lid ca st sr jr
""".split())

_WORD = re.compile(r"[^\W_]+(?:(?:[’'.\-]|(?<=\d),(?=\d))[^\W_]+)*\.?")
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]*[A-ZÀ-Þ0-9])")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    avg_sentence_length: float  # words per sentence
    long_word_share: float  # share (0..1) of words with LONG_WORD_SYLLABLES or more syllables
    flesch_douma: float  # 206.835 - 0.93 * (words/sentences) - 77 * (syllables/words)
    level: str  # Dutch label: "B1 (makkelijk)", "B2", "C1 (moeilijk)" or "geen tekst"

    @property
    def harder_than_b1(self) -> bool:
        """Measured, and not at the B1 level the government writing guides ask for."""
        return self.level in (LEVEL_B2, LEVEL_C1)

    def summary(self) -> str:
        """Dutch one-liner, e.g. "Flesch-Douma 52 (B2); gemiddeld 18,4 woorden per zin; 9 % lange woorden"."""
        if self.words == 0:
            return "geen tekst om te meten"
        level = self.level.replace(" (", ", ").rstrip(")")
        if self.flesch_douma > MAX_SCALE:
            level = f"boven {MAX_SCALE:.0f}: zeer korte zinnen en woorden; {level}"
        return (
            f"Flesch-Douma {_dutch(self.flesch_douma, 0)} ({level}); "
            f"gemiddeld {_dutch(self.avg_sentence_length, 1)} woorden per zin; "
            f"{_dutch(self.long_word_share * 100, 0)} % lange woorden"
        )


def measure(text: str) -> Readability:
    """Readability of Markdown prose that may contain Jinja."""
    sentences = [s for s in _sentences(text) if s]
    words = [w for s in sentences for w in s]
    if not words:
        return Readability(0, 0, 0.0, 0.0, 0.0, LEVEL_NONE)
    counts = [_word_syllables(w) for w in words]
    avg = len(words) / len(sentences)
    score = 206.835 - 0.93 * avg - 77 * (sum(counts) / len(words))
    long_share = sum(1 for c in counts if c >= LONG_WORD_SYLLABLES) / len(words)
    return Readability(len(words), len(sentences), avg, long_share, score, level_for(score, avg))


def count_syllables(word: str) -> int:
    """Syllables of a Dutch word, by vowel groups; at least 1.

    Every maximal run of vowels (a e i o u y, accented or not) is split into units: the
    diphthongs and long vowels of :data:`_VOWEL_UNITS` (ij is i + the consonant j) count as one,
    any other vowel as one. A vowel with a diaeresis (ë, ï, ü, ö, ä) starts a new syllable:
    "geïnformeerd" is ge-ïn-for-meerd (4), "beëindigen" be-ëin-di-gen (4). A hyphenated word
    is the sum of its parts.
    """
    total = 0
    group: list[str] = []

    def flush() -> None:
        nonlocal total
        total += _units("".join(group))
        group.clear()

    for char in word.lower():
        if char in _DIAERESIS:
            flush()
            group.append(_base_letter(char))
        elif char in _VOWELS or _base_letter(char) in _VOWELS and not char.isascii():
            group.append(_base_letter(char))
        else:
            flush()
    flush()
    return max(total, 1)


def _units(group: str) -> int:
    count, i = 0, 0
    while i < len(group):
        for unit in _VOWEL_UNITS:
            if group.startswith(unit, i):
                i += len(unit)
                break
        else:
            i += 1
        count += 1
    return count


def _base_letter(char: str) -> str:
    return unicodedata.normalize("NFD", char)[0]


def _word_syllables(word: str) -> int:
    if any(c.isdigit() for c in word):
        return 1
    return sum(count_syllables(part) for part in word.split("-") if part) or 1


def level_for(score: float, avg_sentence_length: float) -> str:
    """The Dutch level label for a Flesch-Douma score and average sentence length (see above)."""
    if score >= B1_MIN_SCORE and avg_sentence_length <= B1_MAX_SENTENCE_LENGTH:
        return LEVEL_B1
    if score >= B2_MIN_SCORE:
        return LEVEL_B2
    return LEVEL_C1


def _dutch(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _sentences(text: str) -> list[list[str]]:
    """Every sentence as its list of words."""
    result = []
    for unit in prose.units(text):
        unit = unicodedata.normalize("NFC", unit)
        start = 0
        for match in _BOUNDARY.finditer(unit):
            if _is_abbreviation(unit[: match.start() + 1]):
                continue
            result.append(_words(unit[start : match.start() + 1]))
            start = match.end()
        result.append(_words(unit[start:]))
    return result


def _is_abbreviation(upto_period: str) -> bool:
    """True when the full stop that ends ``upto_period`` belongs to an abbreviation or initial."""
    match = re.search(r"(\S+)$", upto_period)
    if match is None or not upto_period.endswith("."):
        return False
    last = match.group(1).lstrip("(\"“‘'")
    bare = last.rstrip(".")
    if re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", bare):  # P.I., o.b.v., E.G.J., a
        return True
    return bare.lower() in _ABBREVIATIONS


def _words(sentence: str) -> list[str]:
    return [m.group().rstrip(".") for m in _WORD.finditer(sentence)]
