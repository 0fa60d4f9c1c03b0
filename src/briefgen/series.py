"""What ``check`` says across the letters of a series (``vorige:``): a series that forks, and a subject that
another earlier letter of the series already had.

From the letters' text alone (crossing.scan), as the duplicate numbers are: no letter is loaded for it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.problems import Problem, Severity
from briefgen.werkmap import Unreadable, read_file

if TYPE_CHECKING:
    from briefgen.werkmap import Werkmap


NAMED = 3  # the other letters of a fork named in its warning; the rest counted


def _same(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def problems(werkmap: Werkmap, checked: list[tuple[Path, str]], every: list[Path],
             written: dict[Path, dict[str, str]]) -> dict[str, list[Problem]]:
    """Warnings on each ``checked`` letter: at ``vorige:`` when another letter follows the same one (a series has one
    next letter); at ``onderwerp:`` when a letter before its previous one in the series has the same subject (the
    previous one itself is compared when the letter is read, checks._subject)."""
    ident = {path: unicodedata.normalize("NFC", werkmap.letter_id(path)) for path in every}
    by_ident = {name: path for path, name in ident.items()}
    previous = {path: unicodedata.normalize("NFC", value.strip()) for path in every
                if (value := written.get(path, {}).get("vorige", "")).strip()}
    followers: dict[str, list[Path]] = {}
    for path, ident_before in previous.items():
        followers.setdefault(ident_before, []).append(path)
    found: dict[str, list[Problem]] = {shown: [] for _, shown in checked}
    for path, shown in checked:
        said: list[tuple[str, str]] = []
        before = previous.get(path)
        others = [other for other in followers.get(before, []) if other != path] if before else []
        if before and others:
            said.append(("vorige", _fork(werkmap, path, before, others, written)))
        subject = _same(written.get(path, {}).get("onderwerp", ""))
        earlier = by_ident.get(before) if before else None
        seen = {path}
        while subject and earlier is not None and earlier not in seen:
            seen.add(earlier)
            further = by_ident.get(previous.get(earlier, ""))
            if further is not None and further not in seen and _same(written.get(further, {}).get("onderwerp", "")) == subject:
                said.append(("onderwerp", f"het onderwerp is gelijk aan dat van {ident[further]}, eerder in deze reeks: "
                                             "geef deze brief een eigen onderwerp (bijvoorbeeld het volgende volgnummer)"))
                break
            earlier = further
        if said:
            found[shown] = _located(werkmap, path, shown, said)
    return found


def followers(werkmap: Werkmap) -> dict[str, list[Path]]:
    """For each letter id that a ``vorige:`` names (as written, crossing.scan): the letters that follow it, by path."""
    from briefgen import crossing

    letters = werkmap.letters()
    found: dict[str, list[Path]] = {}
    for path, values in crossing.scan(werkmap, letters, series=True).items():
        if before := values.get("vorige", "").strip():
            found.setdefault(unicodedata.normalize("NFC", before), []).append(path)
    return found


def last(werkmap: Werkmap, following: dict[str, list[Path]], path: Path) -> Path:
    """The last letter of the series from ``path`` on (``following``: :func:`followers`), as long as each letter
    has one next letter."""
    seen = {path}
    while len(after := following.get(unicodedata.normalize("NFC", werkmap.letter_id(path)), [])) == 1 and after[0] not in seen:
        path = after[0]
        seen.add(path)
    return path


def _fork(werkmap: Werkmap, path: Path, before: str, others: list[Path], written: dict[Path, dict[str, str]]) -> str:
    """The warning at ``vorige:`` of a letter that shares its previous letter with ``others``: the later of each pair
    is to follow the earlier one."""
    first, *later = sorted([path, *others], key=lambda p: (written.get(p, {}).get("datum", ""), p.parts))
    ordered = sorted(others, key=lambda p: p.parts)
    named = ", ".join(werkmap.letter_id(other) for other in ordered[:NAMED])
    if len(ordered) > NAMED:
        named += f" en nog {len(ordered) - NAMED} andere"
    if len(later) == 1:
        then = werkmap.letter_id(later[0])
        advice = (f"zet in {then} 'vorige: {werkmap.letter_id(first)}' als die daarop volgt, "
                  f"of haal daar 'vorige:' weg als {then} geen vervolg is")
    else:
        advice = (f"zet in elke latere van deze brieven de brief ervoor (op datum, de eerste is {werkmap.letter_id(first)}) "
                  "als 'vorige:', of haal 'vorige:' weg waar een brief geen vervolg is")
    return f"ook {named} {'volgt' if len(ordered) == 1 else 'volgen'} op {before}; een reeks heeft één volgende brief: {advice}"


def _located(werkmap: Werkmap, path: Path, shown: str, said: list[tuple[str, str]]) -> list[Problem]:
    """The warnings at the values of their top-level keys, found in the text as crossing.scan found them (no YAML
    is loaded); none when the file cannot be read again (its own problems are reported)."""
    try:
        text = read_file(path, werkmap.root).decode("utf-8")
    except (Unreadable, UnicodeDecodeError):
        return []
    found = []
    for key, message in said:
        match = re.search(rf"^{key}:[ \t]*", text, re.MULTILINE)
        if match is not None:
            line = text.count("\n", 0, match.start()) + 1
            found.append(Problem(shown, line, match.end() - match.start() + 1, message, Severity.WARNING))
    return found
