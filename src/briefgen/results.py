"""What each stage hands to the next, and what a run reports: small immutable values.

read (session.py) → :class:`ReadResult`; render (pipeline.py: DOCX and HTML) → :class:`Rendered`;
deliver (pipeline.py: PDF, Woo, moved into place) → :class:`LetterOutcome` in a :class:`BuildReport`.
``briefgen check`` reports a :class:`CheckReport` of its own. A later stage makes a new value, it
never changes the one it was given; a large batch keeps only the small ones (no documents).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.problems import BriefgenError, Problem

if TYPE_CHECKING:  # the models import pydantic: a build where everything is current does not need it
    from briefgen.document import Document
    from briefgen.model import Letter
    from briefgen.readability import Readability
    from briefgen.woo import WooFacts
    from briefgen.yamlio import Loaded


def counted(problems: Iterable[Problem]) -> list[Problem]:
    """What a run reports and counts: each problem once, in file order, and a follow-up (``cause``)
    only when no error of the file it follows from is reported itself."""
    distinct = list(dict.fromkeys(problems))  # in the order given, which is kept between problems at one place
    broken = {p.path for p in distinct if p.is_error and not p.cause}
    return sorted((p for p in distinct if p.cause not in broken), key=lambda p: (p.path, p.line, p.col))


def _has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


@dataclass(frozen=True)
class ReadResult:
    """One letter loaded, validated and resolved; ``document`` only when it has no errors."""

    path: Path
    shown: str
    problems: tuple[Problem, ...] = ()
    loaded: Loaded | None = None
    letter: Letter | None = None
    document: Document | None = None

    @property
    def failed(self) -> bool:
        return _has_errors(self.problems)


@dataclass(frozen=True)
class PdfFacts:
    """What the PDF stage needs of a letter whose DOCX was made."""

    title: str
    author: str
    date: dt.date
    attachments: tuple[tuple[str, Path], ...]
    woo: WooFacts | None = None


@dataclass(frozen=True)
class Rendered:
    """One letter after the DOCX and HTML stage; ``facts`` only when its outputs were rendered."""

    path: Path
    shown: str
    problems: tuple[Problem, ...] = ()
    docx: Path | None = None  # where its DOCX was rendered (staged until its PDF is made)
    html: Path | None = None
    inputs: tuple[str, ...] = ()  # the files it was made from, for the manifest
    facts: PdfFacts | None = None
    shared_problems: tuple[Problem, ...] = ()  # about files all letters share (organisations)
    renders: tuple[tuple[str, str], ...] = ()  # what it rendered to, as hashes (renderhash.render_hashes)

    def outcome(self, built: Iterable[str] = (), problems: Iterable[Problem] = ()) -> LetterOutcome:
        """This letter's line in the report: what was delivered, and every problem on the way."""
        return LetterOutcome(self.path, self.shown, (*self.problems, *problems), tuple(built))


@dataclass(frozen=True)
class LetterOutcome:
    """What happened to one letter file in a build: the outputs delivered, or why none were."""

    path: Path
    shown: str
    problems: tuple[Problem, ...] = ()
    built: tuple[str, ...] = ()
    current: bool = False

    @property
    def failed(self) -> bool:
        return _has_errors(self.problems)


@dataclass(frozen=True)
class BuildReport:
    letters: tuple[LetterOutcome, ...] = ()
    other_problems: tuple[Problem, ...] = ()
    removed: tuple[str, ...] = ()
    pdf_unavailable: BriefgenError | None = None  # why no PDF at all; the CLI words a PdfEngineMissing

    @property
    def problems(self) -> list[Problem]:
        return [*self.other_problems, *(p for r in self.letters for p in r.problems)]

    @property
    def ok(self) -> bool:
        return not _has_errors(self.problems) and self.pdf_unavailable is None

    @property
    def built(self) -> list[LetterOutcome]:
        """What the disk holds: a letter is built (all its outputs delivered), current, or not built."""
        return [r for r in self.letters if r.built]

    @property
    def current(self) -> list[LetterOutcome]:
        return [r for r in self.letters if r.current]

    @property
    def not_built(self) -> list[LetterOutcome]:
        return [r for r in self.letters if not r.built and not r.current]


@dataclass(frozen=True)
class CheckedLetter:
    """One letter as ``briefgen check`` saw it."""

    path: Path
    shown: str
    problems: tuple[Problem, ...] = ()
    letter: Letter | None = None
    readability: Readability | None = None

    @property
    def failed(self) -> bool:
        return _has_errors(self.problems)


@dataclass(frozen=True)
class CheckReport:
    letters: tuple[CheckedLetter, ...] = ()
    other_problems: tuple[Problem, ...] = ()
    organisations: tuple[str, ...] = ()  # organisation files named to check (their shown paths)

    @property
    def problems(self) -> list[Problem]:
        return [*self.other_problems, *(p for r in self.letters for p in r.problems)]

    @property
    def ok(self) -> bool:
        return not _has_errors(self.problems)
