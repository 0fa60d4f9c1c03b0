"""The prose of a letter: what a reader reads, found once for every check that looks at words.

A text value is Markdown (CommonMark, raw HTML off, as :mod:`briefgen.richtext` renders it) with
Jinja in it. :func:`extract` parses it with markdown-it and returns its blocks (paragraphs,
headings, code blocks) with every piece of prose at its line and column in the text, so that
:class:`briefgen.locate.Collector` can put a finding on the exact place in the YAML file.

Not prose: Jinja (``{{ … }}``, ``{% … %}``, ``{# … #}``; hidden before Markdown is parsed, as
Jinja runs first), Markdown syntax (markers, link targets ``](…)``, inline code), and within the
text: URLs, bare domain names, e-mail addresses and HTML tags (``<span>`` is literal text for
the reader, but no word). Everything else is, including link texts, image descriptions and the
lines of a code block (richtext renders those as plain paragraphs).

:func:`masked` gives the text with only the prose left (everything else a space, newlines kept),
for tokenizers that need exact offsets (spelling, a number before a word); :func:`units` gives
each block as one line of plain text, for counting sentences and words (readability).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

if TYPE_CHECKING:
    from briefgen.model import Letter

__all__ = ["JINJA", "JINJA_ON_LINE", "Block", "Piece", "extract", "fields", "masked", "units"]

# A Jinja tag: expression, statement or comment, possibly over several lines.
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# The start of an expression or statement on one line, up to its end or the end of the line
# (in a folded value a tag can go on on the next line).
JINJA_ON_LINE = re.compile(r"\{[{%].*?(?:[}%]\}|$)")

# Inside prose text: what is written in words but is none. The look-behinds start a match only
# where a run of word characters starts, so a long run costs linear time, not quadratic.
_NOT_PROSE = re.compile(
    "|".join(
        (
            r"</?[A-Za-z][^<>\n]*>",  # HTML tag
            r"\b(?:https?|ftp)://[^\s<>\"'()\[\]]+",  # URL
            r"\bwww\.[^\s<>\"'()\[\]]+",  # URL without scheme
            r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
            r"(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:nl|be|eu|com|org|net|info|gov|io)\b(?:/[^\s<>\"'()\[\]]*)?",  # domain
            r"\{\{[^\n]*",  # an expression without its }} (reported by jinjatags), to the end of the line
            r"\{[ \t]*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+[ \t]*\}",  # a name path between single braces (jinjatags.stray)
        )
    )
)
_HIDDEN = "\ue001"  # stands in for each character of a Jinja tag while Markdown is parsed
_HIDDEN_RUN = re.compile(f"{_HIDDEN}+")
_NOT_NEWLINE = re.compile(r"[^\n]")
_TABLE_ROW = re.compile(r"^\s*\|")

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass(frozen=True)
class Piece:
    """Prose text that stands unbroken in the source, at 1-based ``line`` and ``col`` of the text."""

    text: str
    line: int
    col: int


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, code block or table (a paragraph that starts with ``|``).

    ``lines`` is the plain text of each of its source lines (Jinja and URLs as a space).
    """

    kind: str  # "paragraph", "heading", "code" or "table"
    pieces: tuple[Piece, ...]
    lines: tuple[str, ...]


def fields(letter: Letter) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every piece of text of a letter a reader sees, with its key path in the file."""
    yield ("onderwerp",), letter.subject
    if letter.salutation:
        yield ("aanhef",), letter.salutation
    for i, section in enumerate(letter.sections):
        if section.heading:
            yield ("secties", i, "kop"), section.heading
        if section.text:
            yield ("secties", i, "tekst"), section.text


@lru_cache(maxsize=512)
def extract(text: str) -> tuple[Block, ...]:
    """The blocks of a Markdown text with Jinja, each with its prose pieces in place."""
    source = _hide_jinja(text)
    lines = source.split("\n")
    blocks: list[Block] = []
    tokens = _MD.parse(source)
    for i, token in enumerate(tokens):
        if token.type == "inline" and token.map is not None:
            kind = "heading" if i and tokens[i - 1].type == "heading_open" else "paragraph"
            if kind == "paragraph" and _TABLE_ROW.match(lines[token.map[0]]):
                kind = "table"
            pieces, plain = _Aligner(lines, token.map[0]).inline(token.children or [])
            blocks.append(Block(kind, tuple(pieces), tuple(plain)))
        elif token.type in ("code_block", "fence") and token.map is not None:
            first = token.map[0] + (1 if token.type == "fence" else 0)
            aligner = _Aligner(lines, first)
            pieces, plain = aligner.lines(token.content.rstrip("\n").split("\n"))
            blocks.append(Block("code", tuple(pieces), tuple(plain)))
    return tuple(blocks)


def masked(text: str) -> str:
    """``text`` with every character that is not prose replaced by a space (newlines kept)."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    chars = list(_NOT_NEWLINE.sub(" ", text))
    for block in extract(text):
        for piece in block.pieces:
            start = line_starts[piece.line - 1] + piece.col - 1
            chars[start : start + len(piece.text)] = piece.text
    return "".join(chars)


def units(text: str) -> list[str]:
    """Each block (paragraph, heading, list item's paragraph) as one line of plain text.

    Tables (paragraphs that start with ``|``) are left out: their cells are no sentences.
    """
    return [" ".join(line.strip() for line in b.lines) for b in extract(text) if b.kind != "table"]


def _hide_jinja(text: str) -> str:
    """Jinja tags as hidden characters of the same length (newlines kept): Markdown cannot see them.

    Also what markdown-it would change in length or lines: CR and NUL become one character each.
    """
    text = text.replace("\r", " ").replace("\0", "\ufffd")
    return JINJA.sub(lambda m: _NOT_NEWLINE.sub(_HIDDEN, m.group()), text)


class _Aligner:
    """Finds the text of markdown-it's tokens back in the source lines, in reading order."""

    def __init__(self, lines: list[str], first: int):
        self.source = lines
        self.line = first
        self.col = 0
        self.pieces: list[Piece] = []
        self.plain: list[str] = [""]

    def inline(self, children: list) -> tuple[list[Piece], list[str]]:
        for child in children:
            if child.type == "text":
                self._place(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                self._next_line()
            elif child.type == "code_inline":
                self._skip(child.content)
            elif child.children:  # image: its description
                self.inline(child.children)
        return self._done()

    def lines(self, contents: list[str]) -> tuple[list[Piece], list[str]]:
        for n, content in enumerate(contents):
            if n:
                self._next_line()
            self._place(content)
        return self._done()

    def _done(self) -> tuple[list[Piece], list[str]]:
        pieces = []
        for piece in self.pieces:
            for match in _NOT_PROSE.finditer(piece.text):
                piece = Piece(piece.text[: match.start()] + " " * len(match.group()) + piece.text[match.end() :],
                              piece.line, piece.col)
            pieces.append(piece)
        plain = [_NOT_PROSE.sub(" ", _HIDDEN_RUN.sub(" ", line)) for line in self.plain]
        return pieces, plain

    def _next_line(self) -> None:
        self.line += 1
        self.col = 0
        self.plain.append("")

    def _current(self) -> str:
        return self.source[self.line] if self.line < len(self.source) else ""

    def _skip(self, content: str) -> None:
        at = self._current().find(content, self.col)
        if at >= 0:
            self.col = at + len(content)

    def _place(self, content: str) -> None:
        """Pieces for ``content``: where it stands whole, or else character by character."""
        self.plain[-1] += content
        line = self._current()
        at = line.find(content, self.col)
        if at >= 0:
            self._add(content, at)
            self.col = at + len(content)
            return
        # An escape (\*) or entity (&amp;) was replaced: place what can be found, in order.
        run, run_at = "", -1
        for char in content:
            at = line.find(char, self.col)
            if at < 0:
                continue
            if run and at != run_at + len(run):
                self._add(run, run_at)
                run = ""
            if not run:
                run_at = at
            run += char
            self.col = at + 1
        if run:
            self._add(run, run_at)

    def _add(self, text: str, at: int) -> None:
        start = 0
        for hidden in _HIDDEN_RUN.finditer(text):
            if hidden.start() > start:
                self.pieces.append(Piece(text[start : hidden.start()], self.line + 1, at + start + 1))
            start = hidden.end()
        if start < len(text):
            self.pieces.append(Piece(text[start:], self.line + 1, at + start + 1))
