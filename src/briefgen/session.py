"""The read stage for one letter: load → validate → resolve, with organisations and templates read once."""

from __future__ import annotations

from pathlib import Path

from briefgen import yamlio
from briefgen.document import Document
from briefgen.index import LetterIndex
from briefgen.locate import Collector
from briefgen.model import Letter, Organisation
from briefgen.model.base import touches
from briefgen.problems import Problem, Severity
from briefgen.resolve import resolve
from briefgen.results import ReadResult
from briefgen.settings import Settings
from briefgen.templatecheck import (
    lint,
    naming_others,
    styles_naming_others,
    styles_without_template,
    unshown,
)
from briefgen.templateshows import template_uses
from briefgen.validate import validate_partial
from briefgen.werkmap import Werkmap, file_problem


class Session:
    """One run over a werkmap: organisations and templates are read and checked once."""

    def __init__(self, werkmap: Werkmap, settings: Settings):
        self.werkmap = werkmap
        self.settings = settings
        self._organisations: dict[str, Organisation | None] | None = None
        self.organisation_problems: list[Problem] = []
        self._styled: dict[str, tuple[yamlio.Loaded, Organisation]] = {}
        """The organisations whose house styles :meth:`style_problems` checks, by the shown path of their file."""
        self._template_problems: dict[Path, list[Problem]] = {}
        self._naming: dict[tuple[Path, str], list[str]] = {}
        self._style_problems: dict[tuple[str, frozenset[str] | None], list[Problem]] = {}
        self.index = LetterIndex(werkmap)

    @property
    def organisations(self) -> dict[str, Organisation | None]:
        if self._organisations is None:
            self._organisations = {}
            valid: dict[str, tuple[yamlio.Loaded, Organisation]] = {}
            for ident in self.werkmap.organisation_ids():
                path = self.werkmap.organisation_file(ident)
                loaded, problems = yamlio.load(path, self.werkmap.shown(path), self.werkmap.root)
                model = None
                if loaded is not None:
                    model, invalid, broken = validate_partial(loaded, Organisation)  # a broken value hides no other problem
                    problems += _not_at(problems, invalid)
                self._organisations[ident] = None if any(p.is_error for p in problems) else model
                if loaded is not None and model is not None and not touches(broken, ("huisstijl",)):
                    self._styled[self.werkmap.shown(path)] = (loaded, model)
                if loaded is not None and model is not None and self._organisations[ident] is not None:
                    valid[ident] = (loaded, model)
                self.organisation_problems.extend(problems)
            self.organisation_problems.extend(styles_naming_others(self.werkmap, valid))
        return self._organisations

    def organisation_errors(self, ident: str) -> list[Problem]:
        """The errors in the file of organisation ``ident`` (none when it reads well or does not exist)."""
        if self.organisations.get(ident) is not None:
            return []
        shown = self.werkmap.shown(self.werkmap.organisation_file(ident))
        return [p for p in self.organisation_problems if p.path == shown and p.is_error]

    def style_problems(self, shown: str, kinds: frozenset[str] | None) -> list[Problem]:
        """The house styles of the organisation (its file's shown path) for letters of ``kinds`` (None: all) that
        have no template, at their lines in its file: reported once, for what letters use (a werkmap may hold an
        organisation, or a kind of letter, still being set up); its letters say only that the style is
        unusable (resolve.py), and one with a 'huisstijl:' of its own is read."""
        key = (shown, kinds)
        if key not in self._style_problems:  # asked for each letter of a build: the templates are looked up once
            source = self._styled.get(shown) if self.organisations else None  # read first: that finds the styled ones
            self._style_problems[key] = [] if source is None else styles_without_template(self.werkmap, *source, kinds)
        return self._style_problems[key]

    def used_style_problems(self, letter: Letter | None) -> list[Problem]:
        """:meth:`style_problems` of the organisation whose house style ``letter`` uses (none with its own)."""
        if letter is None or letter.style or self.organisations.get(letter.organisation) is None:
            return []
        return self.style_problems(self.werkmap.shown(self.werkmap.organisation_file(letter.organisation)),
                                   frozenset({letter.kind}))

    def prepare(self) -> None:
        """What reading letters in the organisations' house styles needs first, done now (before render processes
        are forked, which then start with it): the organisations read, those templates checked and the fields they
        use found."""
        for template in self.house_styles():
            try:
                self.template_problems(template)
                template_uses(template)
            except Exception:  # noqa: BLE001 - a head start only: a letter in this style meets the failure itself
                continue

    def house_styles(self) -> list[Path]:
        """The templates the organisations name as their house styles, those that can be read (the ones most
        letters use; a letter may choose another)."""
        found: list[Path] = []
        for organisation in self.organisations.values():
            for style in organisation.styles.values() if organisation is not None else ():
                path = self.werkmap.template_file(style)
                if path is not None and path not in found and file_problem(path, self.werkmap.root) is None:
                    found.append(path)
        return found

    def template_problems(self, template: Path) -> list[Problem]:
        if template not in self._template_problems:
            self._template_problems[template] = lint(template, self.werkmap.shown(template))
        return self._template_problems[template]

    def read(self, path: Path) -> ReadResult:
        """Read, validate and resolve one letter; problems are collected, never raised."""
        shown = self.werkmap.shown(path)
        loaded, problems = yamlio.load(path, shown, self.werkmap.root)
        if (too_long := self.werkmap.name_problem(path)) is not None:
            problems.append(Problem(shown, message=too_long))
        if loaded is None:
            return ReadResult(path, shown, tuple(problems))
        letter, invalid, broken = validate_partial(loaded, Letter)
        problems += _not_at(problems, invalid)
        if letter is None:
            return ReadResult(path, shown, _ordered(shown, problems), loaded)
        if not any(p.is_error for p in problems):  # read on despite its errors (yamlio, validate): not for others
            self.index.add(path, letter)
        document, unresolved = resolve(self.werkmap, loaded, letter, self.organisations, self.index, broken)
        problems += unresolved
        if broken:  # read on for its other problems only: stand-ins in place of its broken values are for nobody else
            return ReadResult(path, shown, _ordered(shown, problems), loaded)
        if document is not None:
            template_problems = self.template_problems(document.template)
            problems += template_problems
            if letter.style:
                problems += self._chosen_style_naming_others(loaded, letter, document)
            if any(p.is_error for p in template_problems):
                problems += self._unusable_template(loaded, letter, document)
            else:
                problems += unshown(loaded, letter, document)
            if any(p.is_error for p in problems):
                document = None
        return ReadResult(path, shown, _ordered(shown, problems), loaded, letter, document)

    def _chosen_style_naming_others(self, loaded: yamlio.Loaded, letter: Letter, document: Document) -> list[Problem]:
        """A letter's own ``huisstijl`` that names another organisation than the letter's, at that line."""
        key = (document.template, letter.organisation)
        if key not in self._naming:
            models = {ident: model for ident, model in self.organisations.items() if model is not None}
            own = models.get(letter.organisation)
            others = [(o.name, o.place) for ident, o in models.items() if ident != letter.organisation]
            self._naming[key] = naming_others(document.template, document.style, own.name, own.place, others) if own else []
        out = Collector(loaded)
        for message in self._naming[key]:
            out.at(("huisstijl",), message, severity=Severity.WARNING)
        return out.problems

    def _unusable_template(self, loaded: yamlio.Loaded, letter: Letter, document: Document) -> list[Problem]:
        """The letter's own located message: which template failed, and who chose it."""
        out = Collector(loaded)
        chosen = "gekozen in deze brief" if letter.style else f"van organisatie '{document.organisation}'"
        out.at(("huisstijl",) if letter.style else ("organisatie",),
               f"de huisstijl '{document.style}' ({chosen}) is onbruikbaar: {self.werkmap.shown(document.template)} "
               "heeft fouten (zie de meldingen bij die template); de brief is niet gebouwd")
        return out.problems

    def inputs(self, document: Document) -> list[str]:
        return [self.werkmap.shown(p) for p in (document.source, *document.extra_inputs)]


def _not_at(refused: list[Problem], found: list[Problem]) -> list[Problem]:
    """``found`` without the problems at the place of a value yamlio refused and read as text (a
    tag, a too long number): "moet een getal zijn" there only repeats it."""
    places = {(p.line, p.col) for p in refused if p.is_error}
    return [p for p in found if (p.line, p.col) not in places]


def _ordered(shown: str, problems: list[Problem]) -> tuple[Problem, ...]:
    """The letter's own problems first, by position; then those of the files it uses."""
    return tuple(sorted(problems, key=lambda p: (p.path != shown, p.path, p.line, p.col)))
