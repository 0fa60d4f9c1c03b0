"""Markdown (CommonMark) to a small tree of blocks that a builder turns into real document structure.

Raw HTML is off: ``<`` and ``&`` in content stay literal text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from briefgen.typography import keep_together

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

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def parse(markdown: str) -> list[Block]:
    root = SyntaxTreeNode(_MD.parse(markdown))
    return _blocks(root.children)


def _blocks(nodes: list[SyntaxTreeNode]) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        if node.type == "paragraph":
            runs = _inline(node.children[0]) if node.children else ()
            text = "".join(r.text for r in runs)
            ref = _TABLE_REF.match(text.strip())
            blocks.append(TableRef(ref.group(1)) if ref else Paragraph(runs))
        elif node.type == "heading":
            blocks.append(Heading(int(node.tag[1]), _inline(node.children[0]) if node.children else ()))
        elif node.type in ("bullet_list", "ordered_list"):
            items = tuple(tuple(_blocks(item.children)) for item in node.children)
            start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
            blocks.append(ListBlock(node.type == "ordered_list", items, start))
        elif node.type == "blockquote":
            blocks.extend(_blocks(node.children))
        elif node.type in ("code_block", "fence", "html_block"):
            blocks.append(Paragraph((Run(node.content.rstrip("\n")),)))
        elif node.type == "hr":
            continue
    return blocks


def _inline(node: SyntaxTreeNode) -> tuple[Run, ...]:
    out: list[Run] = []
    _walk(node.children, bold=False, italic=False, link=None, out=out)
    return tuple(Run(keep_together(r.text), r.bold, r.italic, r.link, r.line_break) for r in _merge(out))


def _walk(nodes, *, bold: bool, italic: bool, link: str | None, out: list[Run]) -> None:
    for node in nodes:
        kind = node.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(Run(node.content, bold, italic, link))
        elif kind == "softbreak":
            out.append(Run(" ", bold, italic, link))
        elif kind == "hardbreak":
            out.append(Run("", bold, italic, link, line_break=True))
        elif kind == "strong":
            _walk(node.children, bold=True, italic=italic, link=link, out=out)
        elif kind == "em":
            _walk(node.children, bold=bold, italic=True, link=link, out=out)
        elif kind == "link":
            _walk(node.children, bold=bold, italic=italic, link=str(node.attrs.get("href", "")), out=out)
        elif kind == "image":
            out.append(Run(node.content or str(node.attrs.get("alt", "")), bold, italic, link))
        elif node.children:
            _walk(node.children, bold=bold, italic=italic, link=link, out=out)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same style, so Word gets one run per styled stretch."""
    merged: list[Run] = []
    for run in runs:
        if merged and not run.line_break and not merged[-1].line_break and (
            (merged[-1].bold, merged[-1].italic, merged[-1].link) == (run.bold, run.italic, run.link)
        ):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.link)
        else:
            merged.append(run)
    return merged
