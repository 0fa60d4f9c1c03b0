"""What makes a letter an imported one: ``geimporteerd_uit`` names the old Word file it was made from.

Without pydantic: the text scan of every letter's numbers (crossing, numberform) asks it on each build."""

from __future__ import annotations

IMPORTED_SUFFIXES = (".docx", ".doc", ".docm", ".odt")
"""What the name in ``geimporteerd_uit`` ends with: the old letter's file (import reads .docx; the others were
converted to it first)."""


def word_file_name(value: object) -> bool:
    """Whether ``value`` (of ``geimporteerd_uit``) names a Word file: only then is the letter an imported one."""
    if not isinstance(value, str):
        return False
    stem, _, suffix = value.strip().rpartition(".")
    return bool(stem.strip()) and not stem.endswith(("/", "\\")) and f".{suffix.lower()}" in IMPORTED_SUFFIXES
