"""Markdown (CommonMark) to a small tree of blocks that a builder turns into real document structure.

Raw HTML is off: ``<`` and ``&`` in content stay literal text. Every text of a letter's body passes
through :func:`parse`, so this is where what Markdown makes of it is checked: a character entity
such as ``&#12;`` must not become a character XML 1.0 forbids, and a link only becomes a link with
a scheme of :data:`LINK_SCHEMES` (``ms-msdt:``, ``file:``, ``\\\\server\\share`` and the like are
refused: they run programs or open shares from an official letter).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.model.base import FORBIDDEN, forbidden_character
from briefgen.typography import keep_together

LINK_SCHEMES = ("https", "http", "mailto", "tel")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_ENTITY = re.compile(r"&#(?:[xX][0-9a-fA-F]+|[0-9]+);")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
_NOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass(frozen=True)
class Flaw:
    """Something in a Markdown text that cannot go into a letter: at ``line`` and ``col`` (1-based)
    of the text, ``needle`` as written there (empty when not found)."""

    line: int
    col: int
    message: str
    needle: str = ""
    warning: bool = False
    """Shown text the writer probably did not mean (a Markdown table, say); the letter is still built."""


TABLE_MARK = "\ue000"
_TABLE_REF = re.compile(f"^{TABLE_MARK}tabel:([^{TABLE_MARK}]+){TABLE_MARK}$")
_TABLE_NAME = re.compile(f"{TABLE_MARK}tabel:([^{TABLE_MARK}]*){TABLE_MARK}", re.IGNORECASE)


def table_marker(name: str) -> str:
    """What ``{{ tabel("x") }}`` puts into the text: a paragraph that becomes table ``x``."""
    return f"{TABLE_MARK}tabel:{name}{TABLE_MARK}"


def misplaced_tables(blocks: list[Block] | tuple[Block, ...], nested: bool = False) -> list[str]:
    """Names of the tables whose ``{{ tabel(…) }}`` does not stand on a line of its own: inside a
    sentence, a heading, a list or a footnote, where its marker would be printed as text ("?" when a filter
    changed the marker beyond recognition)."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, TableRef):
            if nested:
                found.append(block.name)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found += misplaced_tables(item, nested=True)
        else:
            text = block.text + "".join(r.text for run in block.runs if run.note for r in run.note)
            if TABLE_MARK in text:
                found += [m.group(1) for m in _TABLE_NAME.finditer(text)] or ["?"]
    return found


def stray_marker(text: str) -> bool:
    """Whether ``text`` (a heading, say) holds a table marker."""
    return TABLE_MARK in text


@dataclass(frozen=True)
class Run:
    text: str = ""
    bold: bool = False
    italic: bool = False
    link: str | None = None
    line_break: bool = False
    note: tuple[Run, ...] | None = None
    """A footnote reference (``[^1]``): the note's text; the run's own text is empty."""


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join("\n" if r.line_break else r.text for r in self.runs)


@dataclass(frozen=True)
class Heading:
    level: int
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class TableRef:
    name: str


Block = Paragraph | Heading | ListBlock | TableRef


class _MarkdownIt(MarkdownIt):
    """MarkdownIt that keeps every link: its own check would drop some without a word."""

    def validateLink(self, url: str) -> bool:
        return True  # every link is judged (and reported) by _link, not dropped silently


# How deep lists (two levels each) and quotes may be nested. markdown-it stops reading a text where
# its nesting reaches this, and drops the rest without a word: that is reported (_too_deep).
MAX_NESTING = 50
_MD = _MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False,
                                 "maxNesting": MAX_NESTING}).use(footnote_plugin)
_TOO_DEEP = ("lijsten of citaten staan hier te diep genest (meer dan {} niveaus in elkaar): de tekst vanaf hier "
             "zou wegvallen; maak de lijst of het citaat minder diep")
_DELIMITER_ROW = re.compile(r"^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$")
_PIPE_TABLE = ("een tabel in Markdown (regels met | en |---|) wordt geen tabel in de brief maar gewone tekst met "
               "streepjes; zet de tabel onder 'tabellen:' en plaats hem met {{ tabel(\"naam\") }} "
               "(zie docs/inhoudsmodel.md)")


class _Source:
    """The Markdown text and the flaws found in it, for placing each flaw on its line."""

    def __init__(self, markdown: str, flaws: list[Flaw] | None):
        self.lines = markdown.split("\n")
        self.flaws = flaws
        self.notes: dict[int, tuple[Run, ...]] = {}

    def span(self, node: SyntaxTreeNode) -> range:
        first, last = node.map if node.map else (0, len(self.lines))
        return range(first, max(last, first + 1))

    def text(self, node: SyntaxTreeNode) -> str:
        return "\n".join(self.lines[n] for n in self.span(node) if n < len(self.lines))

    def report(self, node: SyntaxTreeNode, message: str, needle: str | None, warning: bool = False) -> None:
        if self.flaws is None:
            return
        span = self.span(node)
        line = next((n for n in span if needle and n < len(self.lines) and needle in self.lines[n]), None)
        if line is None or not needle:  # line is only found for a needle
            self.flaws.append(Flaw(span.start + 1, 1, message, warning=warning))
        else:
            self.flaws.append(Flaw(line + 1, self.lines[line].index(needle) + 1, message, needle, warning))


def parse(markdown: str, flaws: list[Flaw] | None = None) -> list[Block]:
    """The blocks of ``markdown``; what cannot go into a letter is left out and added to ``flaws``.

    Footnotes (``[^1]`` and ``[^1]: text``) become runs with a ``note``; a reference without a
    definition, or a definition never referenced, is a flaw (it would show as text, or vanish).
    """
    blocks, found = (_remembered if len(markdown) <= REMEMBERED_CHARS else _parsed)(markdown)
    if flaws is not None:
        flaws.extend(found)
    return list(blocks)


def unexpanded_flaws(markdown: str) -> list[Flaw]:
    """The flaws of a text whose expressions could not be filled in, so that they are reported in the
    same run as the expression's problem: the text is read as written, and a flaw that touches a
    ``{{ … }}``, ``{% … %}`` or ``{# … #}`` (whose value is not known) is left out."""
    flaws: list[Flaw] = []
    parse(markdown, flaws)
    starts = [0]
    for line in markdown.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    tags = [range(m.start(), m.end()) for m in _JINJA_TAG.finditer(markdown)]

    def clear(flaw: Flaw) -> bool:
        if flaw.needle:
            first = starts[flaw.line - 1] + flaw.col - 1
            return not any(first < tag.stop and tag.start < first + len(flaw.needle) for tag in tags)
        return not any(tag.start < starts[flaw.line] and starts[flaw.line - 1] < tag.stop for tag in tags)

    return [flaw for flaw in flaws if flaw.line < len(starts) and clear(flaw)]


_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
REMEMBERED_CHARS = 16_000  # longer texts are parsed every time: 128 of them stay a few MB at most


def _parsed(markdown: str) -> tuple[tuple[Block, ...], tuple[Flaw, ...]]:
    flaws: list[Flaw] = []
    tokens = _MD.parse(markdown)
    source = _Source(markdown, flaws)
    _too_deep(tokens, source)
    root = SyntaxTreeNode(tokens)
    used: set[str] = set()
    for node in root.children:
        if node.type == "footnote_block":
            for note in node.children:
                _nested_notes(note, source)
                lines = _note_lines(_blocks(note.children, source))
                source.notes[note.meta["id"]] = tuple(run for line in _joined(lines) for run in line)
    blocks = _blocks(root.children, source)
    for token in root.walk():
        if token.type == "footnote_ref":
            used.add(token.meta["label"])
    _check_notes(source, used)
    return tuple(blocks), tuple(flaws)


# What _parsed made of a text, remembered: the texts many letters share (a standard paragraph, the
# sections of a batch of similar letters) are parsed once per process. Blocks and flaws are
# immutable, so a result can be handed out again; its flaws are reported at every call.
_remembered = functools.lru_cache(maxsize=128)(_parsed)


def _too_deep(tokens: list[Token], source: _Source) -> None:
    """Reports where markdown-it stopped reading because lists or quotes are nested MAX_NESTING deep:
    a block opened at the deepest level has its content (and the text after it) left out."""
    deepest = next((t for t in tokens if t.nesting == 1 and t.level >= MAX_NESTING - 1 and t.map
                    and t.type not in ("paragraph_open", "heading_open")), None)
    if deepest is not None and deepest.map and source.flaws is not None:
        source.flaws.append(Flaw(deepest.map[0] + 1, 1, _TOO_DEEP.format(MAX_NESTING)))


def _nested_notes(note: SyntaxTreeNode, source: _Source) -> None:
    """A footnote in the text of a footnote is an error: Word has no note in a note (its reference is left out)."""
    for inline in (node for node in note.walk() if node.type == "inline"):
        for ref in (node for node in inline.walk() if node.type == "footnote_ref"):
            label = ref.meta["label"]
            source.report(inline, f"voetnoot '[^{label}]' staat in de tekst van een andere voetnoot; een voetnoot kan "
                                  f"geen voetnoot hebben: zet de tekst van [^{label}] in die voetnoot zelf", f"[^{label}]")


def _note_lines(blocks: list[Block] | tuple[Block, ...], depth: int = 0) -> list[tuple[Run, ...]]:
    """The lines of a footnote's text: a note is one paragraph in Word, so its paragraphs, list items
    (with their number or bullet) and quotes each become a line of it; nothing of the note is left out."""
    lines: list[tuple[Run, ...]] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for number, item in enumerate(block.items, block.start):
                mark = Run(f"{'  ' * depth}{list_mark(block.ordered, number, depth)} ")
                inner = _note_lines(item, depth + 1)
                first = inner.pop(0) if item and not isinstance(item[0], ListBlock) else ()
                lines.append((mark, *first))
                lines += inner
        elif isinstance(block, TableRef):
            lines.append((Run(table_marker(block.name)),))  # reported by misplaced_tables
        else:
            lines.append(tuple(run for run in block.runs if run.note is None))
    return lines


# How a list shows in every edition (DOCX, PDF, HTML, a footnote): per depth its bullet, or how it numbers
# (Word's name); a list nested deeper than LIST_LEVELS is shown at the last depth.
BULLETS = ("•", "–", "▪")
NUMBERINGS = ("decimal", "lowerLetter", "lowerRoman")
LIST_LEVELS = 3
_SPELLED = 3999  # the largest number written in letters or roman numbers


def list_depth(depth: int) -> int:
    """The depth a list nested ``depth`` lists deep is shown at (0 for the outer list)."""
    return min(depth, LIST_LEVELS - 1)


def list_mark(ordered: bool, number: int, depth: int) -> str:
    """A list item's mark as the letter shows it: ``•``, ``–``, ``▪`` by depth, or ``1.``, ``a.``, ``i.``."""
    depth = list_depth(depth)
    if not ordered:
        return BULLETS[depth]
    numbering = NUMBERINGS[depth]
    if not 1 <= number <= _SPELLED:
        return f"{number}."  # no letters or roman numbers for 0 or a number of 9 digits (CommonMark allows both)
    if numbering == "lowerLetter":
        return f"{_letters(number)}."
    if numbering == "lowerRoman":
        return f"{_roman(number)}."
    return f"{number}."


def _letters(number: int) -> str:
    """1 → a, 26 → z, 27 → aa (as Word counts: the letter repeated)."""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def _joined(lines: list[tuple[Run, ...]]) -> Iterator[tuple[Run, ...]]:
    for n, line in enumerate(lines):
        yield (Run(line_break=True), *line) if n else line


def _check_notes(source: _Source, used: set[str]) -> None:
    if source.flaws is None:
        return
    defined = set()
    for number, line in enumerate(source.lines):
        definition = _NOTE_DEFINITION.match(line)
        if definition:
            label = definition.group(1)
            if label in defined:
                source.flaws.append(Flaw(number + 1, line.index("[") + 1,
                                         f"voetnoot '[^{label}]' heeft al een tekst; geef deze voetnoot een eigen "
                                         "nummer (en zet dat in de tekst), of laat een van beide weg", f"[^{label}]"))
            defined.add(label)
            if label not in used:
                source.flaws.append(Flaw(number + 1, line.index("[") + 1,
                                         f"voetnoot '[^{label}]' wordt nergens in de tekst gebruikt; "
                                         f"zet [^{label}] achter het woord waar de voetnoot bij hoort, of laat hem weg",
                                         f"[^{label}]"))
    for number, line in enumerate(source.lines):
        if _NOTE_DEFINITION.match(line):
            continue
        for reference in _NOTE_REFERENCE.finditer(line):
            label = reference.group(1)
            if label not in defined:
                source.flaws.append(Flaw(number + 1, reference.start() + 1,
                                         f"voetnoot '[^{label}]' heeft geen tekst; schrijf in dezelfde sectie "
                                         f"een regel '[^{label}]: …'", reference.group()))


def _blocks(nodes: list[SyntaxTreeNode], source: _Source) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        if node.type == "paragraph":
            runs = _inline(node, source)
            text = "".join(r.text for r in runs)
            ref = _TABLE_REF.match(text.strip())
            blocks.append(TableRef(ref.group(1)) if ref else Paragraph(runs))
            _pipe_table(node, source)
        elif node.type == "heading":
            level = int(node.tag[1])
            if level > HEADING_LEVELS:
                source.report(node, f"een kop met {'#' * level} wordt in de brief even groot als {'#' * HEADING_LEVELS}: "
                                    f"onder de kop van een sectie zijn er twee niveaus (## en ###); gebruik "
                                    f"{'#' * HEADING_LEVELS} of maak er een gewone alinea van", "#" * level, warning=True)
            blocks.append(Heading(level, _inline(node, source)))
        elif node.type in ("bullet_list", "ordered_list"):
            items = tuple(tuple(_blocks(item.children, source)) for item in node.children)
            start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
            blocks.append(ListBlock(node.type == "ordered_list", items, start))
        elif node.type == "blockquote":
            blocks.extend(_blocks(node.children, source))
        elif node.type in ("code_block", "fence", "html_block"):
            blocks.append(Paragraph((_clean(Run(node.content.rstrip("\n")), node, source),)))
        elif node.type == "hr":
            continue
    return blocks


HEADING_LEVELS = 3  # ### is the smallest heading a letter has; a deeper one is shown as ###


def _pipe_table(paragraph: SyntaxTreeNode, source: _Source) -> None:
    """A Markdown (GFM) table is not read as a table here: it would be printed as text, with its bars."""
    lines = source.text(paragraph).split("\n")
    for above, line in zip(lines, lines[1:], strict=False):
        if "|" in line and "|" in above and _DELIMITER_ROW.match(line):
            source.report(paragraph, _PIPE_TABLE, above.strip(), warning=True)
            return


def heading_flaws(heading: str) -> list[Flaw]:
    """What a section's ``kop`` (plain text, not Markdown) would print as written: ``*…*``, ``**…**``
    and ``[…](…)`` keep their asterisks and brackets in the letter, so each gets a warning."""
    flaws = []
    for token in (child for inline in _MD.parseInline(heading) for child in inline.children or ()):
        if token.type in ("em_open", "strong_open", "link_open"):
            needle = token.markup or "["
            what = "een link" if token.type == "link_open" else "vet of cursief"
            flaws.append(Flaw(1, heading.find(needle) + 1,
                              f"de kop van een sectie is gewone tekst: {what} in Markdown ('{needle}') wordt er niet "
                              f"opgemaakt maar staat er letterlijk; haal de tekens weg (een kop is al vet)",
                              needle, warning=True))
            break
    return flaws


def _inline(block: SyntaxTreeNode, source: _Source) -> tuple[Run, ...]:
    if not block.children:
        return ()
    out: list[Run] = []
    for image in _images(block.children[0].children):
        alt = image.content or str(image.attrs.get("alt", ""))
        needle = f"![{alt}" if f"![{alt}" in source.text(block) else "!["
        source.report(block, f"afbeelding '{alt}' kan niet in de tekst van een brief (alleen de beschrijving zou blijven "
                             "staan): voeg de afbeelding toe als bijlage, of beschrijf in woorden wat erop staat", needle)
    _walk(block.children[0].children, bold=False, italic=False, link=None, out=out, notes=source.notes)
    merged = _merge([_clean(run, block, source) for run in out], block, source)
    return tuple(r if (kept := keep_together(r.text)) == r.text else replace(r, text=kept) for r in merged)


def _clean(run: Run, block: SyntaxTreeNode, source: _Source) -> Run:
    """A run without characters XML 1.0 forbids (made by ``&#12;`` and the like) and without a
    link of a scheme not in LINK_SCHEMES; each one removed is reported."""
    message = forbidden_character(run.text)
    if message:
        entity = next((found.group() for found in _ENTITY.finditer(source.text(block))
                       if FORBIDDEN.search(_decoded(found.group()))), None)
        source.report(block, message + (f" (geschreven als '{entity}')" if entity else ""), entity)
        run = replace(run, text=FORBIDDEN.sub("", run.text))
    return run


def _decoded(entity: str) -> str:
    code = int(entity[3:-1], 16) if entity[2] in "xX" else int(entity[2:-1])
    return chr(code) if code <= 0x10FFFF else ""


def _link(href: str) -> str | None:
    """Why ``href`` may not be a link in a letter, or None."""
    shown = unquote(href)
    scheme = _SCHEME.match(href)
    allowed = ", ".join(f"{name}:" for name in LINK_SCHEMES)
    if scheme is None:
        return f"link '{shown}' heeft geen schema; schrijf het adres volledig, bijvoorbeeld https://www.voorbeeld.nl"
    if scheme.group(1).lower() not in LINK_SCHEMES:
        return f"link '{shown}' is niet toegestaan: alleen {allowed} worden een link in een brief"
    return None


def _walk(nodes, *, bold: bool, italic: bool, link: str | None, out: list[Run],
          notes: dict[int, tuple[Run, ...]] | None = None) -> None:
    for node in nodes:
        kind = node.type
        if kind == "footnote_ref":
            out.append(Run("", bold, italic, None, note=(notes or {}).get(node.meta["id"], ())))
        elif kind in ("text", "code_inline", "html_inline"):
            out.append(Run(node.content, bold, italic, link))
        elif kind == "softbreak":
            out.append(Run(" ", bold, italic, link))
        elif kind == "hardbreak":
            out.append(Run("", bold, italic, link, line_break=True))
        elif kind == "strong":
            _walk(node.children, bold=True, italic=italic, link=link, out=out, notes=notes)
        elif kind == "em":
            _walk(node.children, bold=bold, italic=True, link=link, out=out, notes=notes)
        elif kind == "link":
            _walk(node.children, bold=bold, italic=italic, link=str(node.attrs.get("href", "")), out=out, notes=notes)
        elif kind == "image":
            out.append(Run(node.content or str(node.attrs.get("alt", "")), bold, italic, link))
        elif node.children:
            _walk(node.children, bold=bold, italic=italic, link=link, out=out, notes=notes)


def _images(nodes) -> Iterator[SyntaxTreeNode]:
    for node in nodes:
        if node.type == "image":
            yield node
        elif node.children:
            yield from _images(node.children)


def _merge(runs: list[Run], block: SyntaxTreeNode, source: _Source) -> list[Run]:
    """Join neighbouring runs of the same style, so Word gets one run per styled stretch.

    A link of a refused scheme is reported once and its text stays, as plain text.
    """
    merged: list[Run] = []
    refused: set[str] = set()
    for run in runs:
        why = _link(run.link) if run.link is not None else None
        if why:
            assert run.link is not None  # only a link is refused
            if run.link not in refused:
                refused.add(run.link)
                source.report(block, why, unquote(run.link))
            run = replace(run, link=None)
        if merged and not run.line_break and not merged[-1].line_break and run.note is None and merged[-1].note is None and (
            (merged[-1].bold, merged[-1].italic, merged[-1].link) == (run.bold, run.italic, run.link)
        ):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.link)
        else:
            merged.append(run)
    return merged
