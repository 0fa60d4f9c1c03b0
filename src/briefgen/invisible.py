"""Characters an editor does not show, pasted from Word, e-mail or web pages.

Inside a text they are harmless (a zero-width space may mark where a long word can break). In a
key, in front of a ``#`` or in indentation they change what the YAML means, and a message that
quotes them shows nothing where the difference is. These helpers name them and make them visible.
"""

from __future__ import annotations

import re

LINE_BREAKS = {"\x85": "NEL-regeleinde", "\u2028": "regelscheiding", "\u2029": "alineascheiding"}
ZERO_WIDTH = {
    "\u200b": "breedteloze spatie",
    "\u200c": "breedteloze niet-verbinder",
    "\u200d": "breedteloze verbinder",
    "\u2060": "woordverbinder",
    "\ufeff": "BOM-teken",
    "\u00ad": "zachte afbreekstreep",
}
SPACES = {"\u00a0": "harde spatie", "\u202f": "smalle harde spatie", "\u2007": "cijferspatie"}
NAMES = LINE_BREAKS | ZERO_WIDTH | SPACES

PATTERN = re.compile("[" + "".join(NAMES) + "]")
_SHOWN_PATTERN = re.compile("[" + "".join(LINE_BREAKS | ZERO_WIDTH) + "]")


def describe(ch: str) -> str:
    """'U+200B, breedteloze spatie'."""
    return f"U+{ord(ch):04X}, {NAMES.get(ch, 'onzichtbaar teken')}"


def stand_in(ch: str) -> str:
    """What the character should have been: a space for a line break or hard space, else nothing."""
    return "" if ch in ZERO_WIDTH else " "


def visible(text: str) -> str:
    """``text`` with every zero-width character and odd line break written as ⟨U+200B⟩.

    Hard spaces stay: briefgen itself puts them in amounts and phone numbers it quotes.
    """
    return _SHOWN_PATTERN.sub(lambda found: f"⟨U+{ord(found.group()):04X}⟩", text)
