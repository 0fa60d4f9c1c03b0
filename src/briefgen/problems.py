"""Problems found in user input, and the one way they are written: ``path:line:col: melding``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from briefgen.invisible import visible


class Severity(StrEnum):
    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem. ``path`` is shown relative to the werkmap when possible.

    ``cause``: the file (shown path) whose own errors this problem follows from (a letter whose
    organisation has errors); reported only when those errors are not (results.counted).
    ``unpublishable``: a warning for ``check`` that is an error for ``build`` (a letter that is not
    finished, such as a bijlage titled "(in te vullen)", must not be published).
    ``check_only``: a warning about the setup of the werkmap, not about a letter (a house style without
    page numbers, a college member still to be filled in): ``check`` and ``templates check`` report it;
    ``build`` and ``watch`` leave it out, since it changes nothing that is built and would repeat at every
    save (see :func:`for_check_only`).
    ``about_pdf``: a ``check_only`` warning about what the machine makes of the PDF (a font of the house style that
    is not installed): it depends on the machine, not on the werkmap, so a build that makes PDFs shows it too, once.
    """

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    severity: Severity = Severity.ERROR
    cause: str = field(default="", compare=False)
    unpublishable: bool = field(default=False, compare=False)
    check_only: bool = field(default=False, compare=False)
    about_pdf: bool = field(default=False, compare=False)

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        prefix = "waarschuwing: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{visible(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def for_build(self) -> Problem:
        """This problem as ``build`` counts it: an unpublishable warning is an error there."""
        if not self.unpublishable or self.is_error:
            return self
        return replace(self, severity=Severity.ERROR, message=f"{self.message}; de brief wordt daarom niet gebouwd")


def for_check_only(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` with each warning marked :attr:`Problem.check_only`; errors stay as they are (a build needs them)."""
    return [p if p.is_error else replace(p, check_only=True) for p in problems]


def closest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The one of ``known`` that ``word`` is a misspelling of, if any (``cutoff``: how alike, difflib's ratio)."""
    import difflib  # only when there is a problem to word

    close = difflib.get_close_matches(word, [k for k in known if k != word], n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``; bedoelde u 'kosten'?`` when ``word`` is a misspelling of one of ``known``, else nothing."""
    return f"; bedoelde u '{close}'?" if (close := closest(word, known)) else ""


class BriefgenError(Exception):
    """Base of every error the core raises; the CLI turns it into messages and an exit code."""


class ProblemsError(BriefgenError):
    """Input that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


class WerkmapNotFound(BriefgenError):
    pass


class WrongUsage(BriefgenError):
    """A command asked for something it refuses, though every file is in order (the README's exit code 2)."""


class PdfEngineMissing(BriefgenError):
    """LibreOffice (soffice) cannot be used: not found, or found but it would not start.

    A fact, not advice (the CLI says what to do): ``program`` is the program asked for, ``setting``
    what asked for it (``"soffice"``: the werkmap's setting, ``"BRIEFGEN_SOFFICE"``: the environment;
    None: looked for on PATH, ``program`` None), ``reason`` why it would not start (None: not found); ``hung``: it
    ran, but did not get ready within its start time-out (a LibreOffice kept running: builders/resident.py).
    """

    def __init__(self, program: str | None = None, setting: str | None = None, reason: str | None = None, *,
                 hung: bool = False):
        self.program, self.setting, self.reason, self.hung = program, setting, reason, hung
        if reason:
            message = f"LibreOffice kon niet worden gestart ({program}): {reason}"
        else:
            message = f"LibreOffice niet gevonden: {program}" if program else "LibreOffice (soffice) niet gevonden"
        super().__init__(message)

