"""Whether two written names are one person: ``drs. M.J. van den Berg`` is ``M. J. Van den Berg`` and
``Berg, M.J. van den``; ``M.J. van den Berg`` is not ``M.K. van den Berg`` (the initials must agree)."""

from __future__ import annotations

import re
from collections.abc import Iterable

TITLES_BEFORE = "drs|mr|dr|ir|ing|prof|ds|bc"
"""Academic titles before a name, as a regex alternation: any case, with or without a full stop."""
TITLES_AFTER = "MSc|MA|LLM|LLB|BSc|BA|MBA|PhD"
"""Academic titles after a name, as a regex alternation: as written, after a space or a comma."""
_TITLES_BEFORE = re.compile(rf"^(?:(?:{TITLES_BEFORE})(?:\.\s*|\s+))+", re.IGNORECASE)
_TITLES_AFTER = re.compile(rf"(?:,?\s+(?:{TITLES_AFTER})\.?)+$")
# Initials, spaced or not: "M.J.", "M. J.", "Th.J.", "A.-M."; the last one's full stop may be missing ("M.J van").
_INITIALS = re.compile(r"^(?:[A-Z][a-z]{0,2}\.\s*-?\s*)*(?:[A-Z][a-z]{0,2}\.|[A-Z](?![\w.]))\s*")
_INITIAL = re.compile(r"[A-Z][a-z]{0,2}")


def without_titles(name: str) -> str:
    """The name as written, without academic titles before and after it and with single spaces."""
    text = " ".join(name.replace("\u00a0", " ").split())
    return _TITLES_AFTER.sub("", _TITLES_BEFORE.sub("", text)).strip()


def person_key(name: str) -> tuple[tuple[str, ...], str]:
    """The initials and the surname (with its particles, case aside) that name one person; a name written
    surname first (``Berg, M.J. van den``, ``Van den Berg, M.J.``) is turned round first. A name without
    initials (``Marco van den Berg``) has none: it is one person only with the same name written out."""
    text = without_titles(name)
    surname, comma, rest = text.partition(",")
    if comma and _INITIALS.match(rest.strip()):
        text = f"{rest.strip()} {surname.strip()}"
    initials = _INITIALS.match(text)
    if initials is None:
        return (), text.casefold()
    return tuple(i.casefold() for i in _INITIAL.findall(initials.group())), text[initials.end():].casefold()


def same_person(one: str, other: str) -> bool:
    """Whether two written names are one person: titles, spacing of the initials and the case of the surname
    particles aside; the initials must agree, so two people with one surname are never taken for each other."""
    first, second = person_key(one), person_key(other)
    return bool(first[1]) and first == second


def person_in(text: str, people: Iterable[str]) -> str | None:
    """The one of ``people`` whose whole name ``text`` ends with (``Wethouder drs. A. B. Jansen`` → ``A.B. Jansen``),
    or None. The longest ending that is one of them wins, and an ending never starts among the initials: of
    ``A. B. Jansen`` the ending ``B. Jansen`` is no name, so ``B. Jansen`` is never taken for ``A.B. Jansen``."""
    words, people = text.split(), list(people)
    for i in range(len(words)):
        if i and _INITIALS.fullmatch(words[i - 1]):
            continue
        found = next((person for person in people if same_person(person, " ".join(words[i:]))), None)
        if found is not None:
            return found
    return None
