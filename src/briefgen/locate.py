"""Collecting problems about one content file, each placed at the line and column it concerns."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from briefgen.problems import Problem, Severity
from briefgen.prose import JINJA_ON_LINE
from briefgen.yamlio import Loaded, position, value_position


class Collector:
    """Collects located problems for one letter file."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.problems: list[Problem] = []

    def at(self, loc: tuple[Any, ...], message: str, *, value: bool = True, severity: Severity = Severity.ERROR,
           cause: str = "", unpublishable: bool = False) -> None:
        line, col = (value_position if value else position)(self.loaded.located, loc)
        self.problems.append(Problem(self.loaded.shown, line, col, message, severity, cause, unpublishable))

    def at_text(
        self,
        loc: tuple[Any, ...],
        text_line: int,
        message: str,
        needle: str | None = None,
        severity: Severity = Severity.ERROR,
        cause: str = "",
        before: str = "",
    ) -> None:
        """A problem on line ``text_line`` (1-based) of a text value; ``needle`` pins the exact place.

        Folded and plain scalars do not keep the source's line structure, so when the offending
        name is known it is looked up in the source lines of the value itself. ``before``: the text
        before the failing expression, so that ``needle`` is found after as many expressions holding it
        as stand there (``{{ 1 / 0 }} en {{ 1 / 0 }}``: the second failure at the second).
        """
        line, col = value_position(self.loaded.located, loc)
        node = self._node(loc)
        literal = isinstance(node, LiteralScalarString)
        span = str(node).count("\n") * 2 + 2
        if needle:
            on_line = before[before.rfind("\n") + 1:]
            first = self._find(needle, line + text_line, 1, _holding(needle, on_line)) if literal else None
            found = first or self._find(needle, line, span, _holding(needle, before))
        else:
            found = None if literal else self._expression_on(str(node), text_line, line, span)
        if found:
            line, col = found
        else:
            block = literal or isinstance(node, FoldedScalarString)
            line += text_line - (0 if block else 1)
            lines = self.loaded.text.split("\n")
            if block and line <= len(lines):  # the first character of that line of text
                col = len(lines[line - 1]) - len(lines[line - 1].lstrip(" ")) + 1
        self.problems.append(Problem(self.loaded.shown, line, col, message, severity, cause))

    def _expression_on(self, text: str, text_line: int, first: int, span: int) -> tuple[int, int] | None:
        """Where the expression on line ``text_line`` of a folded or quoted text stands in the file.

        Folding joins and splits lines, so the line number inside the text says little; the
        expression itself is searched for in the value's source lines instead.
        """
        lines = text.split("\n")
        target = lines[min(max(text_line, 1), len(lines)) - 1]
        start = JINJA_ON_LINE.search(target)
        if start is None:
            return None
        snippet = target[start.start(): start.start() + 20]
        source = self.loaded.text.split("\n")
        for number in range(max(first, 1), min(first + span, len(source)) + 1):
            col = source[number - 1].find(snippet)
            if col >= 0:
                return number, col + 1
        return None

    def at_word(self, loc: tuple[Any, ...], text_line: int, text_col: int, word: str, message: str,
                severity: Severity = Severity.ERROR) -> None:
        """A problem about ``word`` at line/column of a text value, mapped onto the file exactly."""
        line, col = value_position(self.loaded.located, loc)
        node = self._node(loc)
        lines = self.loaded.text.split("\n")
        if isinstance(node, LiteralScalarString) and line + text_line <= len(lines):
            source = lines[line + text_line - 1]
            line, col = line + text_line, len(source) - len(source.lstrip(" ")) + text_col
        elif "\n" not in str(node) and 0 < line <= len(lines) and lines[line - 1].find(word, col - 1) >= 0:
            # a character of the text stands no earlier in the source than in the text (a quote, an escape)
            after = lines[line - 1].find(word, col - 1 + text_col - 1)
            col = (after if after >= 0 else lines[line - 1].find(word, col - 1)) + 1
        else:
            line, col = self._find(word, line, str(node).count("\n") * 2 + 2) or (line, col)
        self.problems.append(Problem(self.loaded.shown, line, col, message, severity))

    def _node(self, loc: tuple[Any, ...]) -> Any:
        node = self.loaded.located
        for part in loc:
            node = node[part]
        return node

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def _find(self, needle: str, first: int, span: int, skip: int = 0) -> tuple[int, int] | None:
        """The first whole-name occurrence of ``needle`` inside a ``{{ }}``/``{% %}`` on lines first…first+span,
        after ``skip`` expressions holding it."""
        lines = self.loaded.text.split("\n")
        name = _name(needle)
        for number in range(max(first, 1), min(first + span, len(lines)) + 1):
            for expression in JINJA_ON_LINE.finditer(lines[number - 1]):
                match = name.search(lines[number - 1], expression.start(), expression.end())
                if match and skip:
                    skip -= 1
                elif match:
                    return number, match.start() + 1
        return None


def _name(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")


def _holding(needle: str, text: str) -> int:
    """How many ``{{ }}``/``{% %}`` in ``text`` hold ``needle`` (as :meth:`Collector._find` looks for it)."""
    name = _name(needle)
    return sum(1 for line in text.split("\n") for expression in JINJA_ON_LINE.finditer(line)
               if name.search(line, expression.start(), expression.end()))
