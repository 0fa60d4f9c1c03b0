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
    (the letter itself for a ``given`` with its name): a letter is no bijlage. Windows backslashes are read as
    folders; a name that differs only in case or in a missing or doubled ``.pdf`` (:func:`alike`) is suggested
    only when it is the one such file: two are never guessed between."""
    path = Path(written(given))
    if not path.name or path.suffix.lower() in LETTER_SUFFIXES:
        return None
    for near in (werkmap.root / path, letter.parent / path, letter.parent / path.name):
        if _usable(werkmap, near):
            return Path(os.path.normpath(near))
        alike_here = [near.parent / name for name in _names(werkmap, near.parent) if alike(name, path.name)]
        if len(alike_here) == 1 and _usable(werkmap, alike_here[0]):
            return Path(os.path.normpath(alike_here[0]))
    exact, similar, complete = _named(werkmap.content, path.name)
    matches = exact or (similar if complete else [])
    return matches[0] if len(matches) == 1 and _usable(werkmap, matches[0]) else None


def written(given: str) -> str:
    """``given`` with Windows backslashes as the slashes a path in a letter has."""
    return given.replace("\\", "/")


def alike(name: str, given: str) -> bool:
    """``name`` is ``given`` but for case and a missing or doubled ``.pdf`` (``Notitie.PDF``, ``notitie``,
    ``notitie.pdf.pdf`` for ``notitie.pdf``)."""
    return _bare(name) == _bare(given)


def _bare(name: str) -> str:
    name = name.lower()
    while name.endswith(".pdf"):
        name = name.removesuffix(".pdf")
    return name


def _names(werkmap: Werkmap, folder: Path) -> list[str]:
    """The entries of ``folder``; none for a folder outside the werkmap or in build/ (``..\\..\\x.pdf``): a bijlage's
    path never makes briefgen look elsewhere."""
    if not werkmap.contains(folder) or werkmap.in_build(folder):
        return []
    try:
        return sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        return []


def _named(content: Path, name: str) -> tuple[list[Path], list[Path], bool]:
    """Files called ``name`` under ``content`` (symlinked folders not followed), those :func:`alike` it (at most two
    of each: one is a suggestion), and whether all of content/ was looked at."""
    found: list[Path] = []
    similar: list[Path] = []
    seen = 0
    for folder, dirs, files in os.walk(content):
        dirs.sort()
        if name in files:
            found.append(Path(folder) / name)
        if len(similar) < 2:
            similar.extend(Path(folder) / file for file in sorted(files) if file != name and alike(file, name))
        seen += len(dirs) + len(files)
        if seen > WALK_LIMIT or len(found) > 1:
            return found, similar[:2], False
    return found, similar[:2], True


def _usable(werkmap: Werkmap, path: Path) -> bool:
    return werkmap.contains(path) and not werkmap.in_build(path) and file_problem(path, werkmap.root) is None
