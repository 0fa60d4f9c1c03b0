"""Dutch spell check of a letter's prose with the hunspell-nl dictionary, for ``briefgen check``.

Engine: the ``hunspell`` program (Debian packages ``hunspell`` and ``hunspell-nl``), kept running
for the life of a :class:`SpellChecker`, so the dictionary (about 0.3 s to load) is read once
per run. Two processes are used, because hunspell's ispell pipe mode (``-a``) computes
suggestions for *every* rejected word, which for the Dutch dictionary costs 0.1-0.7 s per word:

* a checker, ``hunspell -l`` (print the rejected words), run under ``stdbuf -oL`` so that its
  output is line-buffered: all candidate words of one :meth:`SpellChecker.check` call go in as
  one batch, followed by a sentinel word that is always rejected and so marks the end of the
  answer. Checking is then about 0.1 ms per word, so speculative look-ups (a hyphenated word
  whole and in parts, an abbreviation with and without its full stop) cost nothing.
* a suggester, ``hunspell -a`` (ispell pipe protocol), asked only about the words that are
  finally reported, each distinct word once per checker.

``spylls`` (hunspell in pure Python) was measured as well and rejected: 4.5 s to load nl_NL,
0.7 ms per word look-up and about 8 s per suggestion.

What is not checked: Jinja (``{{ … }}``, ``{% … %}``, ``{# … #}``), URLs, bare domain names,
e-mail addresses, Markdown link targets ``](…)``, inline code, HTML tags, numbers and amounts,
words with digits, single letters, and ALL-CAPS abbreviations of at most five letters (WLZ,
PGB, DJGB). Words in the project word list are accepted when they match case-sensitively, or
when the word list has them with a lowercase first letter and the word starts a sentence (or a
line, heading or list item), and in capitals (a heading in capitals), as hunspell does for
its own words. A hyphenated word (``Wmo-beschikking``) is accepted when hunspell
accepts it whole or each of its parts is accepted by the rules above; a trailing hyphen
(``zorg- en hulpverlening``) and a trailing full stop (``ca.``, ``o.b.v.``) are tried with and
without. Positions are exact: 1-based line and column (in characters) of the word's first
character in the checked text.

Beyond the dictionary, :data:`DT_RULES` is a small table of d/t rules: a past tense used as an
adjective ("tevens verwachtte frictiekosten" instead of "verwachte").
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefgen.problems import BriefgenError

__all__ = [
    "DT_RULES",
    "DtRule",
    "Misspelling",
    "SpellChecker",
    "SpellingUnavailable",
    "load_wordlist",
]

MAX_SUGGESTIONS = 3
# Where a werkmap keeps its word list; named in the message about a word without suggestions.
WORDLIST_HINT = "content/woordenlijst.txt"
# Hunspell refuses words longer than 100 bytes; such "words" are reported without asking it.
MAX_WORD_BYTES = 90
# Always rejected by hunspell (no Dutch word or compound of words); ends the answer to a batch.
SENTINEL = "zqxjvkwzqxjv"
# Bytes of candidate words per batch: hunspell's answer is never longer than its question, so
# both stay well below a pipe buffer (64 KiB) and writing a batch can never deadlock.
BATCH_BYTES = 16_000
DICTIONARY_NAMES = ("nl_NL", "nl")
DICTIONARY_DIRS = (
    "/usr/share/hunspell",
    "/usr/share/myspell",
    "/usr/share/myspell/dicts",
    "/usr/local/share/hunspell",
)


class SpellingUnavailable(BriefgenError):
    """The hunspell program, stdbuf or the Dutch dictionary is missing, or hunspell stopped."""


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

# Regions that are never spell-checked; replaced by spaces (newlines kept) before tokenising.
_SKIP_PATTERNS = tuple(
    re.compile(p, re.DOTALL)
    for p in (
        r"\{\{.*?\}\}",  # Jinja expression
        r"\{%.*?%\}",  # Jinja statement
        r"\{#.*?#\}",  # Jinja comment
        r"\]\([^)\n]*\)",  # Markdown link target
        r"`[^`\n]*`",  # inline code
        r"</?[A-Za-z][^<>\n]*>",  # HTML tag
        r"\b(?:https?|ftp)://[^\s<>\"'()\[\]]+",  # URL
        r"\bwww\.[^\s<>\"'()\[\]]+",  # URL without scheme
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
        r"\b[\w-]+(?:\.[\w-]+)*\.(?:nl|be|eu|com|org|net|info|gov|io)\b(?:/[^\s<>\"'()\[\]]*)?",  # domain
    )
)

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
    """Words of a project word list: one a line; blank lines and ``#`` comments ignored.

    A missing file gives an empty list. A line with spaces gives each of its words.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    words: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        words.extend(line.split())
    return words


def _find_dictionary() -> Path | None:
    dirs = [d for d in os.environ.get("DICPATH", "").split(os.pathsep) if d] + list(DICTIONARY_DIRS)
    for name in DICTIONARY_NAMES:
        for directory in dirs:
            base = Path(directory) / name
            if base.with_suffix(".dic").is_file() and base.with_suffix(".aff").is_file():
                return base
    return None


class _Process:
    """One long-lived hunspell process speaking over pipes."""

    def __init__(self, argv: list[str]):
        env = dict(os.environ, LC_ALL="C.UTF-8")
        try:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
                env=env,
            )
        except OSError as exc:
            raise SpellingUnavailable(f"hunspell kon niet worden gestart: {exc.strerror or exc}") from exc

    def write(self, data: str) -> None:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise SpellingUnavailable("hunspell is onverwacht gestopt") from exc

    def readline(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SpellingUnavailable("hunspell is onverwacht gestopt")
        return line.rstrip("\n")

    def close(self) -> None:
        proc = self.proc
        if proc.poll() is None:
            try:
                if proc.stdin:
                    proc.stdin.close()
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream and not stream.closed:
                try:
                    stream.close()
                except OSError:
                    pass


class SpellChecker:
    """Dutch spell checker; load once, call :meth:`check` per text, then :meth:`close`."""

    def __init__(self, extra_words: Iterable[str] = ()):
        dictionary = _find_dictionary()
        hunspell, stdbuf = shutil.which("hunspell"), shutil.which("stdbuf")
        if dictionary is None or hunspell is None or stdbuf is None:
            raise SpellingUnavailable(
                "spellingcontrole niet beschikbaar: installeer de Debian-pakketten hunspell en hunspell-nl"
            )
        self._words = frozenset(w for w in extra_words if w)
        self._lower_words = {w.lower(): w for w in self._words}
        self._upper_words = frozenset(w.upper() for w in self._words)
        self._known: dict[str, bool] = {}
        self._suggested: dict[tuple[str, bool], tuple[str, ...]] = {}
        base = ["-d", str(dictionary), "-i", "utf-8", "-p", os.devnull]
        # Both load the dictionary at the same time; the suggester is needed only for findings.
        self._checker: _Process | None = _Process([stdbuf, "-oL", hunspell, *base, "-l"])
        self._suggester: _Process | None = _Process([hunspell, *base, "-a"])
        self._suggester_ready = False

    @classmethod
    def available(cls) -> bool:
        """True when the hunspell program, stdbuf and the Dutch dictionary are installed."""
        return bool(shutil.which("hunspell") and shutil.which("stdbuf") and _find_dictionary())

    def __enter__(self) -> SpellChecker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finaliser
            pass

    def close(self) -> None:
        for name in ("_checker", "_suggester"):
            process = getattr(self, name, None)
            if process is not None:
                process.close()
                setattr(self, name, None)

    # --- checking ------------------------------------------------------------------------------

    def check(self, text: str) -> list[Misspelling]:
        """Every unknown word and every d/t-rule finding in ``text``, in reading order."""
        if self._checker is None:
            raise SpellingUnavailable("de spellingcontrole is al afgesloten")
        masked = _mask(text)
        tokens = list(_tokens(masked))
        self._look_up({c for t in tokens for c in self._candidates(t)})
        findings: list[Misspelling] = []
        for token in tokens:
            for word, line, col, name_like in self._rejected(token):
                suggestions = self._suggestions(word, name_like)
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
        if word in self._words or word.isupper() and word in self._upper_words:
            return True
        if sentence_start and word[0].isupper() and word[0].lower() + word[1:] in self._words:
            return True
        possessive = _POSSESSIVE.match(word)
        return possessive is not None and self._skipped(possessive["base"], sentence_start)

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

    def _candidates(self, token: _Token) -> Iterator[str]:
        """Every string the dictionary may be asked about for this token."""
        if any(self._skipped(w, token.sentence_start) for w in self._whole_forms(token)):
            return
        yield from self._whole_forms(token)
        if "-" in token.text:
            for i, (part, _) in enumerate(self._parts(token)):
                if part and not self._skipped(part, token.sentence_start and i == 0):
                    yield part

    def _accepted(self, word: str) -> bool:
        return self._known.get(word, False)

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

    def _look_up(self, words: set[str]) -> None:
        """Ask the checker about every word not yet known, in batches."""
        todo = sorted(w for w in words if w not in self._known)
        for word in [w for w in todo if len(w.encode()) > MAX_WORD_BYTES or not _TOKEN.fullmatch(w)]:
            self._known[word] = False
        todo = [w for w in todo if w not in self._known]
        batch: list[str] = []
        size = 0
        for word in todo:
            batch.append(word)
            size += len(word.encode()) + 1
            if size >= BATCH_BYTES:
                self._look_up_batch(batch)
                batch, size = [], 0
        if batch:
            self._look_up_batch(batch)

    def _look_up_batch(self, batch: list[str]) -> None:
        process = self._open(self._checker)
        process.write("\n".join(batch) + "\n" + SENTINEL + "\n")
        rejected = set()
        while (line := process.readline()) != SENTINEL:
            rejected.add(line)
        for word in batch:
            self._known[word] = word not in rejected

    # --- suggestions ---------------------------------------------------------------------------

    def _suggestions(self, word: str, name_like: bool) -> tuple[str, ...]:
        key = (word, name_like)
        if key not in self._suggested:
            self._suggested[key] = self._make_suggestions(word, name_like)
        return self._suggested[key]

    def _make_suggestions(self, word: str, name_like: bool) -> tuple[str, ...]:
        """Word-list look-alikes first when very close, then hunspell's suggestions.

        Hunspell is not asked about words that look like names: its suggestions for them are
        noise ("Amaris": "Amars, Damaris"), and they cost 0.2-0.7 s each.
        """
        lower = word.lower()
        close = difflib.get_close_matches(lower, list(self._lower_words), n=MAX_SUGGESTIONS, cutoff=0.8)
        from_list = [self._lower_words[c] for c in close]
        near = [
            w for w, c in zip(from_list, close, strict=True) if difflib.SequenceMatcher(None, lower, c).ratio() >= 0.85
        ]
        far = [w for w in from_list if w not in near]
        ordered: list[str] = []
        from_hunspell = [] if name_like else self._hunspell_suggestions(word)
        for candidate in [*near, *from_hunspell, *far]:
            if candidate != word and candidate not in ordered:
                ordered.append(candidate)
        return tuple(ordered[:MAX_SUGGESTIONS])

    def _hunspell_suggestions(self, word: str) -> list[str]:
        if len(word.encode()) > MAX_WORD_BYTES or not _TOKEN.fullmatch(word):
            return []
        process = self._open(self._suggester)
        if not self._suggester_ready:
            process.readline()  # the version banner
            self._suggester_ready = True
        process.write("^" + word + "\n")
        answers = []
        while line := process.readline():
            answers.append(line)
        for answer in answers:
            if answer.startswith("& ") and answer.split(" ", 2)[1] == word:
                return [s.strip() for s in answer.split(": ", 1)[1].split(", ")]
        for answer in answers:
            if answer.startswith("& "):
                return [s.strip() for s in answer.split(": ", 1)[1].split(", ")]
        return []

    @staticmethod
    def _open(process: _Process | None) -> _Process:
        if process is None:
            raise SpellingUnavailable("de spellingcontrole is al afgesloten")
        return process


# --- text handling ---------------------------------------------------------------------------


def _mask(text: str) -> str:
    """The text with every region that is not prose replaced by spaces (newlines kept)."""
    chars = list(text)
    for pattern in _SKIP_PATTERNS:
        for match in pattern.finditer(text):
            for i in range(match.start(), match.end()):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)


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
