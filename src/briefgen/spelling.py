"""Dutch spell check of a letter's prose with the hunspell-nl dictionary, for ``briefgen check``.

Engine: Enchant through pyenchant (Debian packages ``libenchant-2-2`` and ``hunspell-nl``), its
hunspell provider with the nl_NL dictionary, loaded once per :class:`SpellChecker` (about 0.4 s)
and asked in-process (about 0.03 ms per word). The project word list is Enchant's personal word
list of a :class:`enchant.DictWithPWL`, kept in memory (the file is read by
:func:`load_wordlist`, never written). Suggestions cost 0.1-0.7 s per word with the Dutch
dictionary, so only the words that are finally reported are asked about, each once per checker.

This replaced a driver of two ``hunspell`` processes over pipes (``hunspell -l`` under ``stdbuf``
with a sentinel word, ``hunspell -a`` for suggestions); see bench/RESULTS.md for the figures.
``spylls`` (hunspell in pure Python) was measured as well and rejected: 4.5 s to load nl_NL,
0.7 ms per word look-up and about 8 s per suggestion.

What is not checked: what is no prose (:mod:`briefgen.prose`: Jinja, Markdown syntax and link
targets, inline code, HTML tags, URLs, bare domain names, e-mail addresses), numbers and amounts,
words with digits, single letters, and ALL-CAPS abbreviations of at most five letters (WLZ,
PGB, DJGB). Words in the project word list are accepted when they match case-sensitively, or
when the word list has them with a lowercase first letter and the word starts a sentence (or a
line, heading or list item), and in capitals (a heading in capitals), as hunspell does for
its own words. A hyphenated word (``Wmo-beschikking``) is accepted when hunspell
accepts it whole or each of its parts is accepted by the rules above; a trailing hyphen
and a trailing full stop (``ca.``, ``o.b.v.``) are tried with and without. The first part of a
suspended compound (``gezins- en opvoedcoach``, ``zorg- en hulpverlening``) is accepted when it
makes a word with the end of the compound it shares (``gezinscoach``). A capital without its
accent at the start of a word (``Eén`` for ``Één``, as Dutch writes it) is accepted when the
accented form is. Positions are exact: 1-based line and column (in characters) of the word's first
character in the checked text.

Beyond the dictionary, :data:`DT_RULES` is a small table of d/t rules: a past tense used as an
adjective ("tevens verwachtte frictiekosten" instead of "verwachte").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefgen import prose
from briefgen.problems import BriefgenError, Problem, Severity

__all__ = [
    "DT_RULES",
    "DtRule",
    "Misspelling",
    "SpellChecker",
    "SpellingUnavailable",
    "load_wordlist",
    "read_wordlist",
]

MAX_SUGGESTIONS = 3
# Hunspell's suggestions cost 0.1-0.7 s a word: per letter only the first this many distinct unknown
# words (in reading order) get them, so a pasted-in text full of unknown words is checked in seconds,
# not minutes. Later words still get the word list's look-alikes, which are cheap.
MAX_DICTIONARY_SUGGESTIONS = 25
# Where a werkmap keeps its word list; named in the message about a word without suggestions.
WORDLIST_HINT = "content/woordenlijst.txt"
# Hunspell refuses words longer than 100 bytes; such "words" are reported without asking it.
MAX_WORD_BYTES = 90
DICTIONARY_TAGS = ("nl_NL", "nl")
PROVIDER = "hunspell"
UNAVAILABLE = "spellingcontrole niet beschikbaar: installeer de Debian-pakketten libenchant-2-2 en hunspell-nl"
# Words that join the first part of a suspended compound to the compound that ends it.
CONJUNCTIONS = frozenset({"en", "of", "tot", "noch"})
# The shortest end of a compound that the first part is tried with ("gezins" + "coach").
MIN_COMPOUND_END = 3
# First parts in one row ("jeugd-, gezins- en opvoedhulp" has two) that are looked ahead over.
MAX_FIRST_PARTS = 6
_ACCENTS = ("\u0301", "\u0300", "\u0308", "\u0302")  # é è ë ê, for "Eén" as "Één"


class SpellingUnavailable(BriefgenError):
    """Enchant (libenchant-2-2) or its Dutch hunspell dictionary is missing, or the checker is closed."""


@dataclass(frozen=True)
class Misspelling:
    line: int  # 1-based line within the checked text
    col: int  # 1-based column (characters) within that line
    word: str
    suggestions: tuple[str, ...]
    message: str  # Dutch, for the user


@dataclass(frozen=True)
class DtRule:
    """A verb form that is wrong as an adjective before a noun: ``wrong`` should be ``right``.

    The rule fires only when the word stands between an adjective context (sentence start or
    one of :data:`ADJECTIVE_CONTEXT`: article, determiner, preposition, adverb like "tevens")
    and a lowercase word that is not a function word (:data:`FUNCTION_WORDS`). After a noun
    ("de gemeente verwachtte problemen") or before a pronoun or article ("verwachtte de
    gemeente", "verwachtte dat") the word is a verb, and the rule stays silent.
    """

    wrong: str
    right: str
    message: str = "'{word}' is een verleden tijd; als bijvoeglijk naamwoord: '{right}'"


# Past tenses of verbs whose stem ends in t or d: the past tense has "tte"/"dde", the adjective
# (from the past participle) only "te"/"de". Forms that are correct both ways ("gebruikte",
# "gemaakte") must never be added.
DT_RULES: tuple[DtRule, ...] = (
    DtRule("verwachtte", "verwachte"),
    DtRule("besteedde", "bestede"),
    DtRule("beantwoordde", "beantwoorde"),
)

ADJECTIVE_CONTEXT = frozenset("""
    de het een deze dit geen alle elke iedere enkele sommige veel weinig meer minder meest
    onze ons mijn uw zijn haar hun jullie hogere lagere extra eventuele totale overige andere
    met van voor op aan in bij door over uit naar tot om zonder tegen onder boven na per via
    vanwege inclusief exclusief plus tevens ook nog zelfs alleen vooral bovendien daarnaast
""".split())

FUNCTION_WORDS = frozenset("""
    de het een dat die dit deze wat wie welke waar er hier daar
    ik jij je hij zij ze wij we u men het niemand iemand iedereen niets iets alles
    mij me hem haar ons hen hun zich zichzelf
    niet geen wel nog ook al toch echter dus dan toen nu zo te om en of maar want
    in op aan bij van voor met door over uit naar tot na per tegen zonder onder
    veel weinig meer minder erg zeer heel best graag
""".split())

# A word: letters/digits, inner apostrophes, full stops and hyphens, and at most one trailing
# full stop or hyphen (kept to try "ca." and "zorg-"). A leading hyphen is not part of it.
_TOKEN = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*[.\-]?")
_LINE_START = re.compile(r"^\s*(?:(?:[-*+•>]|#{1,6}|\d+[.)]|[A-Za-z][.)])\s+)*[\s*_\"“‘'(\[]*$")
_OPENING = " \t\n*_\"“‘'([„"
_SENTENCE_END = ".!?:"
_POSSESSIVE = re.compile(r"^(?P<base>.+)[’']s$")


@dataclass
class _Token:
    text: str  # the word as it stands, without a trailing full stop or hyphen
    offset: int  # index of its first character in the text
    line: int
    col: int
    trail: str  # "." or "-" right after the word, or ""
    sentence_start: bool


def load_wordlist(path: Path) -> list[str]:
    """Words of a project word list (see :func:`read_wordlist`); what is wrong with it is left out."""
    return read_wordlist(path, str(path))[0]


def read_wordlist(path: Path, shown: str) -> tuple[list[str], list[Problem]]:
    """Words of a project word list: one a line; blank lines and ``#`` comments ignored; and its problems.

    A missing file gives an empty list. A line with spaces gives each of its words. The file is decoded as
    every content file is (yamlio.decode). A word longer than hunspell takes (MAX_WORD_BYTES) is skipped
    with a warning: it could never be asked, and a very long one overflows pyenchant's word list.
    """
    from briefgen.werkmap import Unreadable, read_file
    from briefgen.yamlio import decode

    if not path.exists() and not path.is_symlink():
        return [], []
    try:
        raw = read_file(path)
    except Unreadable as exc:
        return [], [Problem(shown, 1, 1, f"kan het bestand niet lezen: {exc}")]
    text, problems = decode(raw, shown)
    if text is None:
        return [], problems
    words: list[str] = []
    for lineno, raw_line in enumerate(text.splitlines(), 1):
        line = raw_line.split("#", 1)[0]
        for match in re.finditer(r"\S+", line):
            word = match.group()
            if len(word.encode("utf-8")) > MAX_WORD_BYTES:
                problems.append(Problem(shown, lineno, match.start() + 1,
                                        f"woord van {len(word)} tekens overgeslagen: de spellingcontrole kent woorden "
                                        f"tot {MAX_WORD_BYTES} bytes", Severity.WARNING))
            else:
                words.append(word)
    return words, problems


def _enchant():
    """The pyenchant module, or None when libenchant is missing (ImportError) or no library (OSError)."""
    try:
        import enchant
    except (ImportError, OSError):
        return None
    return enchant


def _dutch_dictionary():
    """(pyenchant, broker, tag) for the first Dutch tag the hunspell provider has, or None."""
    enchant = _enchant()
    if enchant is None:
        return None
    try:
        broker = enchant.Broker()
        for tag in DICTIONARY_TAGS:
            broker.set_ordering(tag, PROVIDER)
            if broker.dict_exists(tag):
                return enchant, broker, tag
    except enchant.errors.Error:
        return None
    return None


def _open_dictionary(words: frozenset[str]):
    """The Dutch dictionary with ``words`` as its personal word list (in memory), or None."""
    found = _dutch_dictionary()
    if found is None:
        return None
    enchant, broker, tag = found
    try:
        dictionary = enchant.DictWithPWL(tag, broker=broker)
    except enchant.errors.Error:
        return None
    for word in sorted(words):
        dictionary.pwl.add(word)
    return dictionary


class SpellChecker:
    """Dutch spell checker; load once, call :meth:`check` per text, then :meth:`close`."""

    def __init__(self, extra_words: Iterable[str] = ()):
        self._words = frozenset(w for w in extra_words if w)
        self._dict = _open_dictionary(self._words)
        if self._dict is None:
            raise SpellingUnavailable(UNAVAILABLE)
        self._lower_words = {w.lower(): w for w in self._words}
        self._upper_words = frozenset(w.upper() for w in self._words)
        self._known: dict[str, bool] = {}
        self._suggested: dict[tuple[str, bool], tuple[str, ...]] = {}

    @classmethod
    def available(cls) -> bool:
        """True when libenchant and its Dutch hunspell dictionary are installed."""
        return _dutch_dictionary() is not None

    def __enter__(self) -> SpellChecker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._dict = None

    # --- checking ------------------------------------------------------------------------------

    def check(self, text: str, granted: set[str] | None = None) -> list[Misspelling]:
        """Every unknown word and every d/t-rule finding in ``text``, in reading order.

        ``granted``: the words of this letter that got the dictionary's suggestions so far, shared by
        the calls for one letter's texts; once it holds MAX_DICTIONARY_SUGGESTIONS words, other words
        get only the word list's. None: no limit.
        """
        if self._dict is None:
            raise SpellingUnavailable("de spellingcontrole is al afgesloten")
        masked = prose.masked(text)
        tokens = list(_tokens(masked))
        findings: list[Misspelling] = []
        for i, token in enumerate(tokens):
            rejected = self._rejected(token)
            if rejected and token.trail == "-" and self._suspended(token, tokens[i + 1 : i + 2 + MAX_FIRST_PARTS], masked):
                continue
            for word, line, col, name_like in rejected:
                suggestions = self._suggestions(word, name_like, granted)
                findings.append(Misspelling(line, col, word, suggestions, _unknown_message(word, suggestions)))
        findings.extend(_dt_findings(masked, tokens))
        findings.sort(key=lambda m: (m.line, m.col))
        return findings

    def _skipped(self, word: str, sentence_start: bool) -> bool:
        """Accepted without the dictionary: single letters, digits, abbreviations, word list."""
        letters = [c for c in word if c.isalpha()]
        if len(letters) <= 1 or any(c.isdigit() for c in word):
            return True
        if all(c.isupper() for c in letters) and len(letters) <= 5:
            return True
        if word.isupper() and word in self._upper_words:
            return True
        if sentence_start and word[0].isupper() and word[0].lower() + word[1:] in self._words:
            return True
        possessive = _POSSESSIVE.match(word)
        if possessive is None:
            return False
        return self._skipped(possessive["base"], sentence_start) or possessive["base"] in self._words

    def _whole_forms(self, token: _Token) -> list[str]:
        forms = [token.text]
        if token.trail:
            forms.append(token.text + token.trail)
        return forms

    def _parts(self, token: _Token) -> list[tuple[str, int]]:
        """The parts of a hyphenated word with their offsets in the word."""
        parts, at = [], 0
        for part in token.text.split("-"):
            parts.append((part, at))
            at += len(part) + 1
        return parts

    def _accepted(self, word: str) -> bool:
        """The dictionary or the word list (case-sensitive) has the word, or its capital lost an accent."""
        if word not in self._known:
            self._known[word] = self._ask(word) or any(self._ask(w) for w in _accented_capitals(word))
        return self._known[word]

    def _ask(self, word: str) -> bool:
        if len(word.encode("utf-8", "replace")) > MAX_WORD_BYTES or not _TOKEN.fullmatch(word):
            return False
        try:
            return bool(self._dict.check(word))
        except (UnicodeError, ValueError):  # a lone surrogate, a character Enchant refuses
            return False

    def _rejected(self, token: _Token) -> list[tuple[str, int, int, bool]]:
        """What to report for a token: nothing, the whole word or its failing parts.

        Each as (word, line, col, name_like): a capital inside the word, or at its start but not
        at the start of a sentence, makes it look like a name.
        """
        forms = self._whole_forms(token)
        if any(self._skipped(w, token.sentence_start) or self._accepted(w) for w in forms):
            return []
        if "-" not in token.text:
            return [(token.text, token.line, token.col, _name_like(token.text, token.sentence_start))]
        failing = [
            (part, token.line, token.col + at, _name_like(part, token.sentence_start and i == 0))
            for i, (part, at) in enumerate(self._parts(token))
            if part and not (self._skipped(part, token.sentence_start and i == 0) or self._accepted(part))
        ]
        return failing

    def _suspended(self, token: _Token, following: list[_Token], masked: str) -> bool:
        """``gezins-`` in "gezins- en opvoedcoach": a word with the end of the final compound.

        Further first parts may come between ("jeugd-, gezins- en opvoedhulp"), separated by
        commas only; the conjunction must follow directly, then the compound.
        """
        at = token.offset + len(token.text) + 1
        for i, word in enumerate(following):
            gap = masked[at : word.offset]
            if gap.strip(" ,\n") or "\n\n" in gap:
                return False
            if word.trail == "-":
                at = word.offset + len(word.text) + 1
                continue
            if word.text.lower() not in CONJUNCTIONS or word.trail or i + 1 >= len(following):
                return False
            compound = following[i + 1]
            if masked[word.offset + len(word.text) : compound.offset].strip():
                return False
            head = compound.text.rsplit("-", 1)[-1].lower()
            first = token.text.rsplit("-", 1)[-1]
            if len(first) + len(head) > MAX_WORD_BYTES:
                return False
            return any(
                self._accepted(first + head[k:]) for k in range(0, len(head) - MIN_COMPOUND_END + 1)
            )
        return False

    # --- suggestions ---------------------------------------------------------------------------

    def _suggestions(self, word: str, name_like: bool, granted: set[str] | None) -> tuple[str, ...]:
        dictionary = not name_like and (
            granted is None or word in granted or len(granted) < MAX_DICTIONARY_SUGGESTIONS)
        if dictionary and granted is not None:
            granted.add(word)
        key = (word, dictionary)
        if key not in self._suggested:
            self._suggested[key] = self._make_suggestions(word, dictionary)
        return self._suggested[key]

    def _make_suggestions(self, word: str, dictionary: bool) -> tuple[str, ...]:
        """Word-list look-alikes first when very close, then the dictionary's suggestions.

        The dictionary is asked only when ``dictionary``: not about words that look like names (its
        suggestions for them are noise: "Amaris": "Amars, Damaris"), nor beyond a letter's
        MAX_DICTIONARY_SUGGESTIONS words, as each costs 0.1-0.7 s.
        """
        lower = word.lower()
        close = difflib.get_close_matches(lower, list(self._lower_words), n=MAX_SUGGESTIONS, cutoff=0.8)
        from_list = [self._lower_words[c] for c in close]
        near = [
            w for w, c in zip(from_list, close, strict=True) if difflib.SequenceMatcher(None, lower, c).ratio() >= 0.85
        ]
        far = [w for w in from_list if w not in near]
        ordered: list[str] = []
        from_dictionary = self._dictionary_suggestions(word) if dictionary else []
        for candidate in [*near, *from_dictionary, *far]:
            if candidate != word and candidate not in ordered:
                ordered.append(candidate)
        return tuple(ordered[:MAX_SUGGESTIONS])

    def _dictionary_suggestions(self, word: str) -> list[str]:
        """Hunspell's suggestions only: the word list's are ranked by difflib above."""
        if len(word.encode("utf-8", "replace")) > MAX_WORD_BYTES or not _TOKEN.fullmatch(word):
            return []
        enchant = _enchant()
        try:
            return list(enchant.Dict.suggest(self._dict, word))
        except (UnicodeError, ValueError):
            return []


# --- text handling ---------------------------------------------------------------------------


def _tokens(masked: str) -> Iterator[_Token]:
    line_starts = [0] + [i + 1 for i, c in enumerate(masked) if c == "\n"]
    line_no = 0
    for match in _TOKEN.finditer(masked):
        raw, start = match.group(), match.start()
        while line_no + 1 < len(line_starts) and line_starts[line_no + 1] <= start:
            line_no += 1
        trail = raw[-1] if raw[-1] in ".-" else ""
        word = raw[:-1] if trail else raw
        line_start = line_starts[line_no]
        yield _Token(
            text=word,
            offset=start,
            line=line_no + 1,
            col=start - line_start + 1,
            trail=trail,
            sentence_start=_starts_sentence(masked, line_start, start),
        )


def _starts_sentence(masked: str, line_start: int, start: int) -> bool:
    """First word of the text, of a line (paragraph, heading, list item) or after . ! ? :"""
    if _LINE_START.match(masked[line_start:start]):
        return True
    i = start - 1
    while i >= 0 and masked[i] in _OPENING:
        i -= 1
    return i < 0 or masked[i] in _SENTENCE_END


def _accented_capitals(word: str) -> list[str]:
    """``Één`` for ``Eén``: Dutch may leave the accent off a capital that starts a word."""
    if not word[:1].isupper() or not word[:1].isascii() or len(word) < 2 or word[1:2].isascii():
        return []
    return [unicodedata.normalize("NFC", word[0] + accent) + word[1:] for accent in _ACCENTS]


def _name_like(word: str, sentence_start: bool) -> bool:
    if any(c.isupper() for c in word[1:]) and not word.isupper():
        return True  # HilverZorg, CvE
    return word[0].isupper() and not word.isupper() and not sentence_start


def _unknown_message(word: str, suggestions: tuple[str, ...]) -> str:
    if not suggestions:
        return f"onbekend woord '{word}'; klopt het, zet het dan in {WORDLIST_HINT}"
    if len(suggestions) == 1:
        options = suggestions[0]
    else:
        options = ", ".join(suggestions[:-1]) + " of " + suggestions[-1]
    return f"onbekend woord '{word}'; bedoelde u: {options}?"


def _dt_findings(masked: str, tokens: list[_Token]) -> list[Misspelling]:
    rules = {rule.wrong: rule for rule in DT_RULES}
    findings = []
    for i, token in enumerate(tokens):
        rule = rules.get(token.text.lower())
        if rule is None or token.trail or i + 1 >= len(tokens):
            continue
        following = tokens[i + 1]
        gap = masked[token.offset + len(token.text) : following.offset]
        if gap.strip() or not following.text[0].islower() or not following.text.isalpha():
            continue
        if following.text in FUNCTION_WORDS:
            continue
        if not token.sentence_start:
            previous = tokens[i - 1] if i > 0 else None
            if previous is None or previous.trail == ".":
                continue
            if masked[previous.offset + len(previous.text) : token.offset].strip():
                continue
            if previous.text.lower() not in ADJECTIVE_CONTEXT:
                continue
        right = rule.right[0].upper() + rule.right[1:] if token.text[0].isupper() else rule.right
        message = rule.message.format(word=token.text, right=right)
        findings.append(Misspelling(token.line, token.col, token.text, (right,), message))
    return findings
