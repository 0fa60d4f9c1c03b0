"""What crosses letters, for check, build and list alike: a nummer or kenmerk used by more than one letter.

Imports only the standard library until two letters look alike: a build of current letters stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.problems import Problem, Severity
from briefgen.werkmap import Unreadable, read_file

if TYPE_CHECKING:
    from briefgen.werkmap import Werkmap
    from briefgen.yamlio import Loaded

_TOP_KEY = re.compile(r"^(organisatie|kenmerk|nummer):[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def duplicates(werkmap: Werkmap, checked: list[tuple[Path, str]], every: list[Path]) -> dict[str, list[Problem]]:
    """What crosses letters, for check and build alike: a nummer used by two letters of one organisation in
    one year is an error on each (``build`` builds neither), a kenmerk used by two letters of one organisation
    a warning on each. Reported on each ``checked`` letter, against ``every`` letter of the werkmap.

    Not every letter is read again for this: the files are scanned as text for their top-level
    ``organisatie:``, ``nummer:`` and ``kenmerk:`` lines, and only the few that look alike are loaded."""
    candidates: dict[tuple[str, str, str], list[Path]] = {}
    for path in every:
        for key in _written_keys(werkmap, path):
            candidates.setdefault(key, []).append(path)
    owners: dict[tuple[str, str, int | None, str], list[str]] = {}
    located: dict[Path, Loaded] = {}
    claims: dict[Path, list[tuple[str, str, int | None, str]]] = {}
    for (_, field, _), paths in candidates.items():
        if len(paths) < 2:
            continue
        for path in paths:
            if path not in located:
                from briefgen import yamlio

                read, _ = yamlio.load(path, werkmap.shown(path), werkmap.root)
                if read is None or not isinstance(read.data, dict) or read.data.get("organisatie") is None:
                    continue
                located[path] = read
            claim = _claim(located[path].data, field)
            if claim is not None and claim not in claims.setdefault(path, []):
                claims[path].append(claim)
                owners.setdefault(claim, []).append(werkmap.shown(path))
    found: dict[str, list[Problem]] = {shown: [] for _, shown in checked}
    for path, shown in checked:
        for claim in claims.get(path, []):
            field, value = claim[1], claim[3]
            others = sorted(o for o in owners[claim] if o != shown)
            if not others:
                continue
            from briefgen.locate import Collector  # only now: it loads the YAML libraries

            collector = Collector(located[path])
            if field == "nummer":
                collector.at(("nummer",), f"nummer {value} komt ook voor in {', '.join(others)}")
            else:  # a warning: a zaak number is often the kenmerk of every letter of the zaak, and build builds them
                collector.at(("kenmerk",), f"kenmerk {value} komt ook voor in {', '.join(others)}; "
                                           "dat klopt alleen als deze brieven bij één zaak horen", severity=Severity.WARNING)
            found[shown] += collector.problems
    return found


def _claim(data: dict, field: str) -> tuple[str, str, int | None, str] | None:
    """(organisation, field, year, value) of a loaded letter: a nummer is one per year, a kenmerk one for good."""
    value = data.get(field)
    if value in (None, "") or not str(value).strip():
        return None
    year = None
    if field == "nummer":
        try:
            year = dt.date.fromisoformat(str(data.get("datum")).strip()).year
        except ValueError:
            return None  # no date of its own: the letter's own error, reported there
    return str(data["organisatie"]), field, year, str(value).strip()


def written_values(text: str) -> dict[str, str]:
    """A letter's top-level ``organisatie``, ``nummer`` and ``kenmerk`` as YAML reads them, from its text alone:
    also of a letter that cannot be loaded (``briefgen new`` must not give away its number)."""
    return {key: _scalar(value) for key, value in _TOP_KEY.findall(text)}


def _written_keys(werkmap: Werkmap, path: Path) -> list[tuple[str, str, str]]:
    """Organisation and nummer or kenmerk as written on their lines (quotes and case aside), for finding candidates."""
    try:
        text = read_file(path, werkmap.root).decode("utf-8")  # no waiting on a FIFO, nothing outside the werkmap
    except (Unreadable, UnicodeDecodeError):
        return []  # the letter's own problem, reported when it is read
    found = written_values(text)
    keys = []
    for field in ("nummer", "kenmerk"):
        value = " ".join(found.get(field, "").split()).casefold()
        if value:
            keys.append((found.get("organisatie", ""), field, value))
    return keys


# Written values YAML reads as the same text (a name, a number with a slash): not parsed, which costs a
# tenth of a millisecond each, on every build.
_SCALAR: list[Any] = []  # made at the first value that needs it: a build of current letters does not load ruamel
_QUOTED = re.compile(r'"([^"\\]*)"|\'([^\']*)\'')  # "2021/45": quoted text without escapes
_SAME_TEXT = re.compile(r"[^\W\d][\w./-]*|\d[\w.-]*/[\w./-]*")


def _scalar(written: str) -> str:
    """The value of a one-line YAML scalar as YAML reads it (quotes and a trailing comment aside);
    the text itself when it is no such scalar (the letter is loaded and reported on anyway)."""
    if _SAME_TEXT.fullmatch(written) and written.casefold() not in ("true", "false", "null"):
        return written
    quoted = _QUOTED.fullmatch(written)
    if quoted:
        return (quoted.group(1) if quoted.group(1) is not None else quoted.group(2)).strip()
    if len(written) > 200 or written.lstrip().startswith(("[", "{")):  # no kenmerk; deep nesting would recurse
        return written.strip()
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    if not _SCALAR:
        _SCALAR.append(YAML(typ="safe", pure=True))
    try:
        value = _SCALAR[0].load(written)
    except (YAMLError, ValueError, LookupError, TypeError):  # also a tag its value does not fit: !!bool misschien
        return written.strip()
    return "" if value is None else str(value).strip()
