"""How wide each column of a data table is, and in what size its text: one rule for the DOCX grid and the HTML edition's columns.

A table should look set by hand: a column of numbers as wide as it needs (its widest value, the longest word of
its heading, a short heading on one line), never narrower than MIN_NUMBER while there is room; the first column
(the labels) takes the rest. Numbers are kept whole first: when the columns do not fit, a heading word is broken
before a value, then the labels give up width down to MIN_LABEL, then the whole table is set smaller (FONT_SIZES);
only beyond the smallest size do the columns share the width and may values break. The widths are in twips and
add up to exactly the text width they are given, so a table never sticks out of the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

TEXT_WIDTH = 9072  # twips: 16 cm, A4 between margins of 2.5 cm (every template in templates/)
MIN_NUMBER = 1134  # twips: 2 cm, the narrowest column of numbers while the table has room
MIN_FIRST = 2268  # twips: 4 cm for the labels while heading words can give way
MIN_LABEL = 1134  # twips: 2 cm, what the labels keep when the values need the rest
NARROWEST = 567  # twips: 1 cm; below this per column of numbers the labels give up their last 2 cm too
HEADING_LINE = 2835  # twips: 5 cm; a longer heading of a column of numbers wraps between words rather than widen it
FONT_SIZES = (18, 16, 14)  # half-points: Briefgen Tabel's 9 pt, then 8 and 7 pt when the values do not fit
CHAR_WIDTH = 100  # twips: a generous width of one character of a bold heading at 9 pt
TEXT_CHAR_WIDTH = 90  # twips: a generous width of one character of a label (not bold)
CELL_PADDING = 230  # twips: a cell's left and right margins, and a little room
# Twips at 9 pt of a character of a value, bold or not: Arial's (Liberation Sans's) widths and 5 % more, for a
# house style's font with wider figures; any other character as the widest of these.
_FIGURE = 105
_VALUE_CHAR = {**dict.fromkeys("0123456789€+−±", _FIGURE), **dict.fromkeys(".,:;'’ \u00a0\u202f", 55),
               "-": 65, "%": 165, "‰": 210}
_OTHER = 110
_WORDS = re.compile("[ \t\n\r]+")  # where a cell's text may break; not at a no-break space (in "€ 1.234")


class TableLayout(NamedTuple):
    widths: tuple[int, ...]  # twips per column, summing to the text width
    size: int  # half-points of the table's text; FONT_SIZES[0] is the table style's own


def column_widths(header: Sequence[str], values: Iterable[Sequence[str]], text_width: int = TEXT_WIDTH) -> tuple[int, ...]:
    """The widths of :func:`table_layout`."""
    return table_layout(header, values, text_width).widths


def table_layout(header: Sequence[str], values: Iterable[Sequence[str]], text_width: int = TEXT_WIDTH) -> TableLayout:
    """The width of each column of a table with ``header`` and the rows (and total) ``values``, in twips, and the
    size of its text: the largest of FONT_SIZES at which every value fits its column beside MIN_LABEL of labels."""
    columns = len(header)
    if columns < 2:
        return TableLayout((text_width,) if columns else (), FONT_SIZES[0])
    rows = [tuple(row) for row in values]
    for size in FONT_SIZES:
        scale = size / FONT_SIZES[0]
        whole = [_value_width(_lines(rows, c), scale) for c in range(1, columns)]
        if sum(whole) <= text_width - MIN_LABEL:
            return TableLayout(_fitted(header, rows, whole, text_width, scale), size)
    return TableLayout(_squeezed(rows, columns, text_width, FONT_SIZES[-1] / FONT_SIZES[0]), FONT_SIZES[-1])


def _fitted(header: Sequence[str], rows: list[tuple[str, ...]], whole: list[int], text_width: int,
            scale: float) -> tuple[int, ...]:
    """The widths when the values fit (each column at least ``whole``, its widest value).

    A column of numbers gets the width of its heading on the fewest lines it takes within HEADING_LINE, but at least
    its widest value, the longest word of its heading and MIN_NUMBER. While the labels have less than their longest
    line (or half the text width) beside them, the widest of those headings take one line more, down to their longest
    word; the labels keep MIN_FIRST. When even that does not fit, the heading words give way (they break, the values
    never): each column gets its values and a share of what is left in proportion to what its heading word asks
    more; with nothing left the labels give up their 4 cm down to MIN_LABEL."""
    char = CHAR_WIDTH * scale
    words = [_WORDS.split(heading.strip()) for heading in header]
    least = [max(low, round(MIN_NUMBER * scale), _span(_longest(words[c]), char)) for c, low in enumerate(whole, 1)]
    widths = [max(low, _span(_narrowest(words[c], int((HEADING_LINE * scale - CELL_PADDING) // char)), char))
              for c, low in enumerate(least, 1)]
    first = _longest(_lines([tuple(header), *rows], 0)) * TEXT_CHAR_WIDTH * scale + CELL_PADDING
    room = text_width - max(MIN_FIRST, min(first, text_width // 2))
    while sum(widths) > room and widths != least:
        widest = max(w for w, low in zip(widths, least, strict=True) if w > low)  # alike columns stay alike
        widths = [max(low, _span(_narrowest(words[c], int((w - CELL_PADDING) // char) - 1), char))
                  if w == widest > low else w for c, (w, low) in enumerate(zip(widths, least, strict=True), 1)]
    room = text_width - MIN_FIRST
    if sum(widths) <= room:
        return (text_width - sum(widths), *widths)
    if sum(whole) < room:
        asked = [low - w for low, w in zip(least, whole, strict=True)]
        extra = _shared(asked, room - sum(whole))
        widths = [w + more for w, more in zip(whole, extra, strict=True)]
    else:
        widths = whole
    return (text_width - sum(widths), *widths)


def _squeezed(rows: list[tuple[str, ...]], columns: int, text_width: int, scale: float) -> tuple[int, ...]:
    """The widths when the values do not fit even at the smallest size: the columns of numbers share what the
    labels' MIN_LABEL leaves in proportion to their widest values (with very many columns everything shrinks in
    that proportion). The widest values break here."""
    whole = [_value_width(_lines(rows, c), scale) for c in range(1, columns)]
    if text_width - MIN_LABEL >= NARROWEST * (columns - 1):
        numbers = _shared(whole, text_width - MIN_LABEL)
    else:
        numbers = _shared([*whole, MIN_LABEL], text_width)[:-1]
    return (text_width - sum(numbers), *numbers)


def percentages(widths: Sequence[int]) -> tuple[str, ...]:
    """Each width as a CSS percentage of the table ("12.5%"), for the HTML edition's ``<col>``."""
    total = sum(widths) or 1
    return tuple(f"{width * 100 / total:.1f}%" for width in widths)


def value_width(text: str, scale: float = 1.0) -> int:
    """Twips that ``text`` (one line of a value) takes at most, bold, at ``scale`` times 9 pt; without the cell's margins."""
    return round(sum(_VALUE_CHAR.get(char, _OTHER) for char in text) * scale)


def _value_width(lines: list[str], scale: float) -> int:
    """The width of a column's widest value, with the cell's margins."""
    return max((value_width(line, scale) for line in lines), default=0) + CELL_PADDING


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


def _span(characters: int, char: float = CHAR_WIDTH) -> int:
    """Twips for ``characters`` of a heading of ``char`` twips each, with the cell's margins."""
    return round(characters * char) + CELL_PADDING


def _shared(asked: list[int], room: int) -> list[int]:
    """``room`` shared in proportion to ``asked`` (rounded down)."""
    total = sum(asked) or 1
    return [ask * room // total for ask in asked]
