"""How wide each column of a data table is: one rule for the DOCX grid and the HTML edition's columns.

A table should look set by hand: a column of numbers as wide as it needs (its widest value, the longest word of
its heading, a short heading on one line), never narrower than MIN_NUMBER; the first column (the labels) takes
the rest. The widths are in twips and add up to exactly the text width they are given, so a table never sticks
out of the page, however many columns it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

TEXT_WIDTH = 9072  # twips: 16 cm, A4 between margins of 2.5 cm (every template in templates/)
MIN_NUMBER = 1134  # twips: 2 cm, the narrowest column of numbers while the table has room
MIN_FIRST = 2268  # twips: 4 cm at least for the labels; columns of numbers narrow to leave it
NARROWEST = 567  # twips: 1 cm; below this per column of numbers the labels give up their 4 cm too
HEADING_LINE = 2835  # twips: 5 cm; a longer heading of a column of numbers wraps between words rather than widen it
CHAR_WIDTH = 100  # twips: a generous width of one character of a bold heading or a number
TEXT_CHAR_WIDTH = 90  # twips: a generous width of one character of a label (not bold)
CELL_PADDING = 230  # twips: a cell's left and right margins, and a little room
_WORDS = re.compile("[ \t\n\r]+")  # where a cell's text may break; not at a no-break space (in "€ 1.234")


def column_widths(header: Sequence[str], values: Iterable[Sequence[str]], text_width: int = TEXT_WIDTH) -> tuple[int, ...]:
    """The width of each column of a table with ``header`` and the rows (and total) ``values``, in twips.

    A column of numbers gets the width of its heading on the fewest lines it takes within HEADING_LINE, but at least
    its widest value and MIN_NUMBER. While the labels have less than their longest line (or half the text width)
    beside them, the widest of those headings take one line more, down to their longest word; the labels keep
    MIN_FIRST. When even that does not fit, the columns of numbers share what the labels leave in proportion to
    what they need (and with very many columns everything shrinks in that proportion)."""
    columns = len(header)
    if columns < 2:
        return (text_width,) if columns else ()
    rows = [tuple(row) for row in values]
    words = [_WORDS.split(heading.strip()) for heading in header]
    least = [max(MIN_NUMBER, _span(max(_longest(words[c]), _longest(_lines(rows, c))))) for c in range(1, columns)]
    widths = [max(low, _span(_narrowest(words[c], (HEADING_LINE - CELL_PADDING) // CHAR_WIDTH)))
              for c, low in enumerate(least, 1)]
    first = _longest(_lines([tuple(header), *rows], 0)) * TEXT_CHAR_WIDTH + CELL_PADDING
    room = text_width - max(MIN_FIRST, min(first, text_width // 2))
    while sum(widths) > room and widths != least:
        widest = max(w for w, low in zip(widths, least, strict=True) if w > low)  # alike columns stay alike
        widths = [max(low, _span(_narrowest(words[c], (w - CELL_PADDING) // CHAR_WIDTH - 1))) if w == widest > low else w
                  for c, (w, low) in enumerate(zip(widths, least, strict=True), 1)]
    if sum(widths) <= text_width - MIN_FIRST:
        return (text_width - sum(widths), *widths)
    if text_width - MIN_FIRST >= NARROWEST * (columns - 1):
        numbers = _shared(least, text_width - MIN_FIRST)
    else:
        numbers = _shared([*least, MIN_FIRST], text_width)[:-1]
    return (text_width - sum(numbers), *numbers)


def percentages(widths: Sequence[int]) -> tuple[str, ...]:
    """Each width as a CSS percentage of the table ("12.5%"), for the HTML edition's ``<col>``."""
    total = sum(widths) or 1
    return tuple(f"{width * 100 / total:.1f}%" for width in widths)


def _narrowest(words: list[str], width: int) -> int:
    """Characters of the narrowest wrapping of ``words`` that takes no more lines than at ``width`` characters:
    "Aantal cliënten 2023" stays on one line within 26, "Geschatte contractwaarde" takes two within 20. Never less
    than the longest word (a heading breaks between words only)."""
    shortest = _longest(words)
    if width <= shortest:
        return shortest
    most = _line_count(words, width)
    return next(narrow for narrow in range(shortest, width + 1) if _line_count(words, narrow) <= most)


def _line_count(words: list[str], width: int) -> int:
    """Lines of ``words`` wrapped at ``width`` characters (a longer word alone on its line)."""
    lines, used = 1, -1
    for word in words:
        if used >= 0 and used + 1 + len(word) > width:
            lines, used = lines + 1, -1
        used += 1 + len(word)
    return lines


def _lines(rows: Sequence[Sequence[str]], column: int) -> list[str]:
    return [line for row in rows if column < len(row) for line in row[column].splitlines()]


def _longest(parts: Iterable[str]) -> int:
    return max((len(part) for part in parts), default=0)


def _span(characters: int) -> int:
    """Twips for ``characters`` of a heading or a number, with the cell's margins."""
    return characters * CHAR_WIDTH + CELL_PADDING


def _shared(asked: list[int], room: int) -> list[int]:
    """``room`` shared in proportion to ``asked`` (rounded down)."""
    total = sum(asked)
    return [ask * room // total for ask in asked]
