"""What crosses letters, for check, build and list alike: a nummer or kenmerk used by more than one letter.

Imports only the standard library until two letters look alike: a build of current letters stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.imported import word_file_name
from briefgen.numbering import number_key, written_year
from briefgen.problems import Problem, Severity
from briefgen.werkmap import Unreadable, read_file

if TYPE_CHECKING:
    from briefgen.werkmap import Werkmap
    from briefgen.yamlio import Loaded

_SERIES_KEYS = ("vorige", "onderwerp")  # only for check (series.py): a subject may need YAML to be read
_TOP_KEY = re.compile(r"^(organisatie|kenmerk|nummer|datum|geimporteerd_uit|vorige|onderwerp):[ \t]*(.*?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class _Claim:
    """A loaded letter's nummer or kenmerk. ``year``: the one the number carries (:func:`written_year`), else
    that of the letter's ``day`` (its datum), None without either. ``imported``: it has ``geimporteerd_uit``."""

    organisation: str
    field: str
    year: int | None
    value: str
    day: dt.date | None
    imported: bool

    def crosses(self, other: _Claim) -> bool:
        """Whether the same number (:func:`number_key`) on both is one too many: a nummer is one per year, with
        another nummer or with a kenmerk (the old number an imported letter keeps), a kenmerk one for good.
        A number with its year in it is the same number in letters dated either side of New Year."""
        if self.field == other.field == "kenmerk":
            return True
        return self.year is not None and self.year == other.year

    def newer(self, other: _Claim) -> bool | None:
        """Whether this letter is the one to change rather than ``other`` for a number both have: the newer one (the
        older was sent with it), on one date the one not imported; None when neither tells (a datum that is no date
        is no older or newer)."""
        if self.day is not None and other.day is not None and self.day != other.day:
            return self.day > other.day
        if self.imported != other.imported:
            return not self.imported
        return None

    def to_change(self, other: _Claim) -> bool:
        """Of a nummer and a kenmerk that are one number, whether this one is to change rather than ``other``:
        the :meth:`newer` letter's, else the nummer."""
        newer = self.newer(other)
        return self.field == "nummer" if newer is None else newer


def scan(werkmap: Werkmap, paths: list[Path], series: bool = False) -> dict[Path, dict[str, str]]:
    """The top-level values of each letter as written, with ``series`` also ``vorige`` and ``onderwerp``
    (:func:`written_values`); nothing of a file that cannot be read as text (reported when it is read)."""
    found = {}
    for path in paths:
        try:
            text = read_file(path, werkmap.root).decode("utf-8")  # no waiting on a FIFO, nothing outside the werkmap
        except (Unreadable, UnicodeDecodeError):
            text = ""
        found[path] = written_values(text, series)
    return found


def duplicates(werkmap: Werkmap, checked: list[tuple[Path, str]], every: list[Path],
               written: dict[Path, dict[str, str]] | None = None) -> dict[str, list[Problem]]:
    """What crosses letters, for check and build alike: a nummer used by two letters of one organisation in
    one year is an error on the newer one (on one date the one not imported) and a warning on the other, which was
    sent with it; on each when neither tells (``build`` builds neither). A kenmerk used by two letters of one
    organisation is a warning on each. Reported on each ``checked`` letter, against ``every`` letter of the werkmap (as
    :func:`scan` read them, when ``written`` is given). Numbers are the same as a reader takes them
    (:func:`number_key`): ``RIB 2026-1`` is ``RIB 2026-01``.

    A nummer that is the kenmerk of another letter of that year is an error on the nummer's letter when that is the
    newer of the two (on one date the one not imported, else the one with the nummer), a warning otherwise: an
    imported letter keeps the number it was sent with as its kenmerk or nummer, and the council cannot tell two
    letters with one number apart, so a newer letter is not built under it. A kenmerk never blocks a build (a zaak
    number is often the kenmerk): when its letter is the one to change, that is a warning saying so.

    The year is the one a number carries (``2025/46``: 2025, also on a letter of 2 January 2026); only a number
    without one (``46``) is one per year of its letter's datum.

    Not every letter is read again for this: the files are scanned as text for their top-level
    ``organisatie:``, ``nummer:`` and ``kenmerk:`` lines, and only the few that look alike are loaded."""
    if written is None:
        written = scan(werkmap, every)
    candidates: dict[tuple[str, tuple[str, ...]], dict[Path, None]] = {}
    for path in every:
        for key in _written_keys(written.get(path, {})):
            candidates.setdefault(key, {})[path] = None
    located: dict[Path, Loaded] = {}
    claims: dict[Path, list[_Claim]] = {}
    owners: dict[tuple[str, tuple[str, ...]], list[tuple[_Claim, str]]] = {}
    for paths in candidates.values():
        if len(paths) < 2:
            continue
        for path in paths:
            if path in claims:
                continue
            from briefgen import yamlio

            read, _ = yamlio.load(path, werkmap.shown(path), werkmap.root)
            claims[path] = []
            if read is None or not isinstance(read.data, dict) or read.data.get("organisatie") is None:
                continue
            located[path] = read
            claims[path] = _claims(read.data)
            for claim in claims[path]:
                owners.setdefault((claim.organisation, number_key(claim.value)), []).append((claim, werkmap.shown(path)))
    found: dict[str, list[Problem]] = {shown: [] for _, shown in checked}
    for path, shown in checked:
        for claim in claims.get(path, []):
            crossed = [(other, where) for other, where in owners[(claim.organisation, number_key(claim.value))]
                       if where != shown and claim.crosses(other)]
            if crossed:
                from briefgen.locate import Collector  # only now: it loads the YAML libraries

                collector = Collector(located[path])
                for message, severity in _messages(claim, crossed):
                    collector.at((claim.field,), message, severity=severity)
                found[shown] += collector.problems
    return found


def _messages(claim: _Claim, crossed: list[tuple[_Claim, str]]) -> list[tuple[str, Severity]]:
    """What is said at ``claim`` about the letters whose number it crosses; each named with its own way of
    writing the number when that differs (``b.yaml (als RIB 2026-01)``). Of two letters with one number, the one to
    change (:meth:`_Claim.newer`, :meth:`_Claim.to_change`) is told so, with an error for its nummer and a warning
    for its kenmerk; the other gets a warning naming the letter to change."""

    def named(others: list[tuple[_Claim, str]]) -> str:
        return ", ".join(sorted(where + (f" (als {other.value})" if other.value != claim.value else "")
                                for other, where in others))

    messages = []
    same = named([(other, where) for other, where in crossed if other.field == claim.field and claim.field == "kenmerk"])
    if same:  # a warning: a zaak number is often the kenmerk of every letter of the zaak, and build builds them
        messages.append((f"kenmerk {claim.value} komt ook voor in {same}; "
                         "dat klopt alleen als deze brieven bij één zaak horen", Severity.WARNING))
    groups: dict[tuple[bool | None, str, bool], list[tuple[_Claim, str]]] = {}
    for other, where in crossed:
        if other.field == claim.field == "nummer":
            groups.setdefault((claim.newer(other), _compared(other, claim), True), []).append((other, where))
        elif other.field != claim.field:
            groups.setdefault((claim.to_change(other), _compared(other, claim), False), []).append((other, where))
    mine, theirs = claim.field, "kenmerk" if claim.field == "nummer" else "nummer"
    for (change, compared, twin), others in sorted(groups.items(), key=lambda group: (
            not group[0][2], group[0][0] is not True, group[0][0] is None, group[0][1])):
        letters = f"de {compared}brief {named(others)}" if len(others) == 1 else f"de {compared}brieven {named(others)}"
        those = "die brief" if len(others) == 1 else "die brieven"
        if twin and change is None:  # neither older nor imported: which one to change is the writer's choice
            messages.append((f"nummer {claim.value} komt ook voor in {named(others)}", Severity.ERROR))
        elif twin:
            said = f"nummer {claim.value} komt ook voor in {letters}"
            messages.append((f"{said}: geef deze brief een ander nummer", Severity.ERROR) if change
                            else (f"{said}: geef {those} een ander nummer, niet deze", Severity.WARNING))
        else:
            said = (f"{mine} {claim.value} is het {theirs} van {letters}; "
                    "twee brieven met één nummer kan de raad niet uit elkaar houden")
            if change:  # a kenmerk never blocks a build: a zaak number is often the kenmerk
                advice = " (briefgen new telt kenmerken mee)" if mine == "nummer" else ""
                messages.append((f"{said}: geef deze brief een ander {mine}{advice}",
                                 Severity.ERROR if mine == "nummer" else Severity.WARNING))
            else:
                messages.append((f"{said}: geef {those} een ander {theirs}, niet deze een ander {mine}", Severity.WARNING))
    return messages


def _compared(other: _Claim, claim: _Claim) -> str:
    """How the ``other`` letter differs from the claim's, before 'brief': 'oudere ', 'geïmporteerde ', …"""
    if other.day != claim.day and other.day is not None and claim.day is not None:
        return "oudere " if other.day < claim.day else "nieuwere "
    if other.imported != claim.imported:
        return "geïmporteerde " if other.imported else "niet geïmporteerde "
    return ""


def _claims(data: dict) -> list[_Claim]:
    """The nummer and kenmerk of a loaded letter, each with the year it carries or else that of its datum."""
    try:
        day: dt.date | None = dt.date.fromisoformat(str(data.get("datum")).strip())
    except ValueError:
        day = None  # no date of its own: the letter's own error, reported there
    imported = word_file_name(data.get("geimporteerd_uit"))  # 'ja' by hand is the letter's own error, no import
    claims = []
    for field in ("nummer", "kenmerk"):
        value = data.get(field)
        if value not in (None, "") and str(value).strip():
            text = str(value).strip()
            year = written_year(text) or (day.year if day is not None else None)
            claims.append(_Claim(str(data["organisatie"]), field, year, text, day, imported))
    return claims


def written_values(text: str, series: bool = False) -> dict[str, str]:
    """A letter's top-level ``organisatie``, ``nummer``, ``kenmerk``, ``datum`` and ``geimporteerd_uit`` (with ``series``
    also ``vorige`` and ``onderwerp``, series.py) as YAML reads them, from its text alone: also of a letter that cannot be
    loaded (``briefgen new`` must not give away its number)."""
    found = {}
    for match in _TOP_KEY.finditer(text):
        key, value = match.groups()
        if key not in _SERIES_KEYS:
            found[key] = _scalar(value)
        elif series:
            more = continued.group().rstrip() if (continued := _CONTINUED.match(text, match.end())) else ""
            found[key] = _folded(key, match.group() + more) if more else _scalar(value)
    return found


# The lines that continue a top-level value: blank or indented (a subject wrapped onto the next line)
_CONTINUED = re.compile(r"(?:\n(?:[ \t][^\n]*|\r)?(?=\n|\Z))*")


def _folded(key: str, written: str) -> str:
    """The value of ``key`` written over more than one line (``written``: the key's line and those that continue it)
    as YAML reads it, folded; the text with its whitespace folded when it is no such scalar."""
    from ruamel.yaml.error import YAMLError

    value = None
    if len(written) <= 1000:  # no subject; deep nesting would recurse
        try:
            value = _loader().load(written)
        except (YAMLError, ValueError, LookupError, TypeError, RecursionError):
            value = None
    if isinstance(value, dict) and isinstance(value.get(key), str):
        return value[key].strip()
    return " ".join(written.partition(":")[2].split())


def _written_keys(found: dict[str, str]) -> set[tuple[str, tuple[str, ...]]]:
    """Organisation and nummer or kenmerk as written on their lines, as compared (:func:`number_key`): for
    finding candidates."""
    return {(found.get("organisatie", ""), number_key(found[field])) for field in ("nummer", "kenmerk")
            if found.get(field, "").strip()}


# Written values YAML reads as the same text (a name, a number with a slash): not parsed, which costs a
# tenth of a millisecond each, on every build.
_SCALAR: list[Any] = []  # made at the first value that needs it: a build of current letters does not load ruamel
_QUOTED = re.compile(r'"([^"\\]*)"|\'([^\']*)\'')  # "2021/45": quoted text without escapes
_SAME_TEXT = re.compile(r"[^\W\d][\w./-]*|\d[\w.-]*/[\w./-]*|[0-9]{4}-[0-9]{2}-[0-9]{2}"  # a date: its ISO text
                        r"|[^\W\d_][^\s#:]*(?:[ \t]+[^\s#:]+)*")  # words from a letter on: "RIB nr. 14 Oud.docx"


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
    from ruamel.yaml.error import YAMLError

    try:
        value = _loader().load(written)
    except (YAMLError, ValueError, LookupError, TypeError):  # also a tag its value does not fit: !!bool misschien
        return written.strip()
    return "" if value is None else str(value).strip()


def _loader() -> Any:
    """The YAML loader of written values, made at the first value that needs it."""
    if not _SCALAR:
        from ruamel.yaml import YAML

        _SCALAR.append(YAML(typ="safe", pure=True))
    return _SCALAR[0]
