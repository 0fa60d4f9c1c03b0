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


TABLE_MARK = "\ue000"
_TABLE_REF = re.compile(f"^{TABLE_MARK}tabel:([^{TABLE_MARK}]+){TABLE_MARK}$")
_TABLE_NAME = re.compile(f"{TABLE_MARK}tabel:([^{TABLE_MARK}]*){TABLE_MARK}", re.IGNORECASE)


def table_marker(name: str) -> str:
    """What ``{{ tabel("x") }}`` puts into the text: a paragraph that becomes table ``x``."""
    return f"{TABLE_MARK}tabel:{name}{TABLE_MARK}"


def misplaced_tables(blocks: list[Block] | tuple[Block, ...], nested: bool = False) -> list[str]:
    """Names of the tables whose ``{{ tabel(…) }}`` does not stand on a line of its own: inside a
    sentence, a heading or a list, where its marker would be printed as text ("?" when a filter
    changed the marker beyond recognition)."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, TableRef):
            if nested:
                found.append(block.name)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found += misplaced_tables(item, nested=True)
        elif TABLE_MARK in block.text:
            found += [m.group(1) for m in _TABLE_NAME.finditer(block.text)] or ["?"]
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


_MD = _MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).use(footnote_plugin)


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

    def report(self, node: SyntaxTreeNode, message: str, needle: str | None) -> None:
        if self.flaws is None:
            return
        span = self.span(node)
        line = next((n for n in span if needle and n < len(self.lines) and needle in self.lines[n]), None)
        if line is None or not needle:  # line is only found for a needle
            self.flaws.append(Flaw(span.start + 1, 1, message))
        else:
            self.flaws.append(Flaw(line + 1, self.lines[line].index(needle) + 1, message, needle))


def parse(markdown: str, flaws: list[Flaw] | None = None) -> list[Block]:
    """The blocks of ``markdown``; what cannot go into a letter is left out and added to ``flaws``.

    Footnotes (``[^1]`` and ``[^1]: text``) become runs with a ``note``; a reference without a
    definition, or a definition never referenced, is a flaw (it would show as text, or vanish).
    """
    blocks, found = (_remembered if len(markdown) <= REMEMBERED_CHARS else _parsed)(markdown)
    if flaws is not None:
        flaws.extend(found)
    return list(blocks)


REMEMBERED_CHARS = 16_000  # longer texts are parsed every time: 128 of them stay a few MB at most


def _parsed(markdown: str) -> tuple[tuple[Block, ...], tuple[Flaw, ...]]:
    flaws: list[Flaw] = []
    root = SyntaxTreeNode(_MD.parse(markdown))
    source = _Source(markdown, flaws)
    used: set[str] = set()
    for node in root.children:
        if node.type == "footnote_block":
            for note in node.children:
                runs: list[Run] = []
                for paragraph in (c for c in note.children if c.type == "paragraph"):
                    if runs:
                        runs.append(Run(line_break=True))
                    runs.extend(_inline(paragraph, source))
                source.notes[note.meta["id"]] = tuple(runs)
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


def _check_notes(source: _Source, used: set[str]) -> None:
    if source.flaws is None:
        return
    defined = set()
    for number, line in enumerate(source.lines):
        definition = _NOTE_DEFINITION.match(line)
        if definition:
            label = definition.group(1)
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
        elif node.type == "heading":
            blocks.append(Heading(int(node.tag[1]), _inline(node, source)))
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
