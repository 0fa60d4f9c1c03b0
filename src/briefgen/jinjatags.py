"""How a text's ``{{ … }}``, ``{% … %}`` and ``{# … #}`` are written, read from the source itself.

Jinja stops at its first syntax error and names the line where it noticed it, often the end of the text
(``{% if %}`` without ``{% endif %}``); :func:`misplaced` says instead which tag is wrong, at that tag.
:func:`stray` finds what Jinja accepts but prints as it is: a ``}}`` that closes nothing, and a name
between single braces (``{ tabellen.kosten.totaal }``) where ``{{ … }}`` was meant.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}
_START = re.compile(r"\{[{%#]|\}\}|%\}")
_KEYWORD = re.compile(r"[-+]?\s*(\w+)")
_RAW_END = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}")
_BLOCKS = ("if", "for", "macro", "call", "filter", "block", "with", "autoescape", "set")
_OPEN_BRACKETS, _CLOSE_BRACKETS = "([{", ")]}"
_NAME_PATH = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_SINGLE_BRACES = re.compile(rf"(?<![{{%#])\{{[ \t]*({_NAME_PATH})[ \t]*\}}(?!\}})")


@dataclass(frozen=True)
class Tag:
    """A tag of kind ``{{``, ``{%`` or ``{#`` at ``start`` of the text; ``end`` after its closer, or where it
    stops without one (the next tag or the end of the text) when ``closed`` is false."""

    kind: str
    start: int
    end: int
    closed: bool

    def keyword(self, text: str) -> str:
        """The first word of a statement (``if``, ``endfor``), empty for anything else."""
        found = _KEYWORD.match(text, self.start + 2, self.end)
        return found.group(1) if found and self.kind == "{%" else ""


@dataclass(frozen=True)
class TagFlaw:
    """A mistake in how a tag is written: at ``offset`` in the text, ``needle`` as written there; ``warning``: the
    letter can still be built."""

    offset: int
    needle: str
    message: str
    warning: bool = False

    def line_col(self, text: str) -> tuple[int, int]:
        """The 1-based line and column of the flaw in ``text``."""
        return text.count("\n", 0, self.offset) + 1, self.offset - (text.rfind("\n", 0, self.offset) + 1) + 1


def scan(text: str) -> Iterator[Tag | int]:
    """The tags of ``text`` in order, and the offset of every ``}}`` or ``%}`` that closes none.

    Inside a tag a quoted text and brackets are skipped as Jinja's lexer skips them (``{{ "}}" }}``,
    ``{{ {'a': {'b': 1}} }}``); a tag that meets another opener before its closer is not closed.
    The body of ``{% raw %}`` is no tags.
    """
    position = 0
    while (found := _START.search(text, position)) is not None:
        mark = found.group()
        if mark in ("}}", "%}"):
            yield found.start()
            position = found.end()
            continue
        tag = _tag(text, found.start(), mark)
        yield tag
        position = tag.end
        if tag.closed and tag.keyword(text) == "raw":
            end = _RAW_END.search(text, position)
            position = end.start() if end else len(text)


def _tag(text: str, start: int, kind: str) -> Tag:
    closer = _CLOSER[kind]
    if kind == "{#":
        end = text.find(closer, start + 2)
        return Tag(kind, start, end + 2, True) if end >= 0 else Tag(kind, start, len(text), False)
    depth, i = 0, start + 2
    while i < len(text):
        char = text[i]
        if char in "'\"" and (quoted := _quoted_end(text, i)):
            i = quoted
            continue
        if depth == 0 and text.startswith(closer, i):
            return Tag(kind, start, i + 2, True)
        if text.startswith(("{{", "{%", "{#"), i):
            return Tag(kind, start, i, False)
        if char in _OPEN_BRACKETS:
            depth += 1
        elif char in _CLOSE_BRACKETS and depth:
            depth -= 1
        i += 1
    return Tag(kind, start, len(text), False)


def _quoted_end(text: str, start: int) -> int:
    """Just after the quoted text that starts at ``start``, 0 when it does not end on its line (an apostrophe)."""
    end = text.find(text[start], start + 1)
    return end + 1 if end >= 0 and "\n" not in text[start + 1:end] else 0


def misplaced(text: str) -> TagFlaw | None:
    """The tag that makes ``text`` wrong Jinja, when it can be told from the tags alone: a ``{{`` without
    ``}}`` (or ``{%`` without ``%}``), a ``{% if %}`` or ``{% for %}`` without its end, or an end without its
    start. Called only after Jinja has refused the text, so a valid text is never reported."""
    tags = [tag for tag in scan(text) if isinstance(tag, Tag)]
    for tag in tags:
        if not tag.closed and tag.kind != "{#":
            return TagFlaw(tag.start, tag.kind, f"{tag.kind} zonder {_CLOSER[tag.kind]}: sluit "
                           f"{'de expressie' if tag.kind == '{{' else 'de opdracht'} af met {_CLOSER[tag.kind]}")
    return _unbalanced(text, tags)


def _unbalanced(text: str, tags: list[Tag]) -> TagFlaw | None:
    """The innermost block left open, or an end tag without its start."""
    open_blocks: list[tuple[str, Tag]] = []
    for tag in tags:
        keyword = tag.keyword(text)
        if keyword in _BLOCKS and not (keyword == "set" and "=" in text[tag.start:tag.end]):
            open_blocks.append((keyword, tag))
        elif keyword.startswith("end") and keyword[3:] in _BLOCKS:
            started = keyword[3:]
            if open_blocks and open_blocks[-1][0] == started:
                open_blocks.pop()
            elif any(name == started for name, _ in open_blocks):
                return _unended(text, *open_blocks[-1], before=keyword)
            else:
                return TagFlaw(tag.start, _first_line(text, tag), f"{{% {keyword} %}} zonder {{% {started} … %}} ervoor")
    return _unended(text, *open_blocks[-1]) if open_blocks else None


def _unended(text: str, keyword: str, tag: Tag, before: str = "") -> TagFlaw:
    where = f" vóór {{% {before} %}}" if before else ""
    return TagFlaw(tag.start, _first_line(text, tag),
                   f"{{% {keyword} … %}} zonder {{% end{keyword} %}}: zet {{% end{keyword} %}}{where} waar dit stuk ophoudt")


def _first_line(text: str, tag: Tag) -> str:
    return text[tag.start:tag.end].split("\n")[0]


MAX_FLAWS = 20  # a text full of them is said by its first ones (each is located through the whole file)


def stray(text: str, names: Collection[str]) -> list[TagFlaw]:
    """What a text prints as written though it looks like Jinja: a ``}}`` or ``%}`` that closes no tag, and a
    name path between single braces whose first name is one of ``names`` (``{ tabellen.kosten.totaal }``;
    braces around anything else, ``{ zie bijlage }``, are left alone)."""
    flaws: list[TagFlaw] = []
    position = 0
    for item in scan(text):
        start = item if isinstance(item, int) else item.start
        flaws += _single_braces(text, position, start, names)
        if isinstance(item, int):
            closer = text[item:item + 2]
            opener = "{{" if closer == "}}" else "{%"
            if text.rfind("{", position, item) <= text.rfind("}", position, item):  # not the end of {"a": {"b": 1}}
                flaws.append(TagFlaw(item, closer, f"losse {closer} zonder {opener} ervoor: zo komt '{closer}' letterlijk "
                                     f"in de brief; haal hem weg, zet {opener} waar de expressie begint, of zet de tekst "
                                     "tussen {% raw %} en {% endraw %} als hij zo bedoeld is", warning=True))
            position = item + 2
        else:
            position = item.end
        if len(flaws) >= MAX_FLAWS:
            return flaws[:MAX_FLAWS]
    return (flaws + _single_braces(text, position, len(text), names))[:MAX_FLAWS]


def _single_braces(text: str, start: int, end: int, names: Collection[str]) -> list[TagFlaw]:
    flaws = []
    for found in _SINGLE_BRACES.finditer(text, start, end):
        path = found.group(1)
        if path.split(".")[0] in names:
            flaws.append(TagFlaw(found.start(), found.group(), f"bedoelt u {{{{ {path} }}}}? Tussen enkele accolades komt "
                                 f"'{found.group()}' letterlijk in de brief", warning=True))
    return flaws
