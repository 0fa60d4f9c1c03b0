"""Where a file a letter names, but that is not where the letter says, probably is: the same path taken from
the letter's own folder, or the only file of that name under content/ (a bounded walk: a missing bijlage in a
large content/ must not cost a check seconds)."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.werkmap import LETTER_SUFFIXES, Werkmap, file_problem

WALK_LIMIT = 5000
"""Directory entries under content/ looked at before giving up on a suggestion."""


def found_elsewhere(werkmap: Werkmap, letter: Path, given: str) -> Path | None:
    """The file ``given`` (a path from the werkmap that does not exist) probably means, or None; never a letter
    (the letter itself for a ``given`` with its name): a letter is no bijlage."""
    path = Path(given)
    if not path.name or path.suffix.lower() in LETTER_SUFFIXES:
        return None
    for near in (letter.parent / path, letter.parent / path.name):
        if _usable(werkmap, near):
            return Path(os.path.normpath(near))
    matches = _named(werkmap.content, path.name)
    return matches[0] if len(matches) == 1 and _usable(werkmap, matches[0]) else None


def _named(content: Path, name: str) -> list[Path]:
    """Files called ``name`` under ``content`` (symlinked folders not followed), at most two: one is a suggestion."""
    found: list[Path] = []
    seen = 0
    for folder, dirs, files in os.walk(content):
        dirs.sort()
        if name in files:
            found.append(Path(folder) / name)
        seen += len(dirs) + len(files)
        if seen > WALK_LIMIT or len(found) > 1:
            break
    return found


def _usable(werkmap: Werkmap, path: Path) -> bool:
    return werkmap.contains(path) and not werkmap.in_build(path) and file_problem(path, werkmap.root) is None
