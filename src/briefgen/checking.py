"""``briefgen check``: every letter read as for a build, plus what needs all letters at once, and spelling.

Letters are read and proofread in ``settings.jobs`` processes (workers.in_order); a letter none of
whose inputs changed since the last check is taken whole from the cache (checkcache.py) and not
read at all. Only what crosses letters is computed anew: duplicate numbers and kenmerken (crossing.py) and
numbers that do not fit their datum or nummering (numberform.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import checkcache, crossing, formatting, numberform, series
from briefgen.checkcache import Entry, Number, Read
from briefgen.problems import Problem, Severity
from briefgen.results import CheckedLetter, CheckReport
from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from briefgen.workers import in_order

if TYPE_CHECKING:
    from briefgen.model import Letter

UNAVAILABLE = ("spellingcontrole niet beschikbaar: installeer libenchant-2-2 en hunspell-nl "
               "(sudo apt-get install libenchant-2-2 hunspell-nl)")


@dataclass(frozen=True)
class _Checked:
    """One letter's own result, small enough to leave a worker process."""

    path: Path
    shown: str
    problems: tuple[Problem, ...]
    number: Number | None = None
    text_hash: str | None = None  # of the letter as read, for the prose part of the cache
    entry: Entry | None = None  # spelling and readability (and the read result when it resolved)
    cacheable: bool = False
    letter: Letter | None = None  # validated in this run; None when taken whole from the cache


def check(werkmap: Werkmap, settings: Settings, selection: list[Path] | None = None, proofread: bool = True) -> CheckReport:
    """Everything ``build`` checks, plus what needs all letters at once (numbers) and spelling."""
    from briefgen import proofreading  # the dictionary is only loaded for check
    from briefgen.spelling import SpellChecker, read_wordlist

    session = Session(werkmap, settings)
    organisations = {p: ident for p in selection or () if (ident := werkmap.organisation_named(p)) is not None}
    if organisations:  # each checked as an organisation (its file, college and house styles), beside letters named
        selection = [p for p in selection or () if p not in organisations]
    paths = werkmap.letters(selection) if selection or not organisations else []
    available = proofread and SpellChecker.available()
    cache = checkcache.CheckCache.load(werkmap.root, werkmap.build, checkcache.dependencies(
        werkmap.content / proofreading.WORDLIST, available)) if proofread else None
    hashes = checkcache.FileHashes(werkmap.root)
    done: dict[Path, _Checked] = {}
    todo: list[tuple[Path, tuple[str, Entry] | None]] = []
    for path in paths:
        shown = werkmap.shown(path)
        entry = cache.unchanged(shown, hashes) if cache is not None else None
        if entry is not None:
            assert entry.read is not None
            done[path] = _Checked(path, shown, tuple(entry.read.problems), entry.read.number, entry=entry)
        else:
            todo.append((path, cache.entries.get(shown) if cache is not None else None))
    for result in in_order(_Worker, (werkmap, settings, proofread, available), todo, settings.jobs):
        done[result.path] = result
        if cache is not None and result.cacheable and result.entry is not None:
            cache.put(result.shown, result.text_hash, result.entry)
    if cache is not None:
        if selection is None:
            cache.keep_only_used()
        cache.save()
    checked = [done[p] for p in paths]
    every = paths if selection is None else werkmap.letters()
    written = crossing.scan(werkmap, every, series=True)
    crossing_problems = crossing.duplicates(werkmap, [(r.path, r.shown) for r in checked], every, written)
    in_series = series.problems(werkmap, [(r.path, r.shown) for r in checked], every, written)
    # the organisations are read here too: their problems are reported once, by the main process
    numberings = {name: org.numbering for name, org in session.organisations.items() if org is not None}
    misfits = numberform.mismatches(werkmap, [(r.path, r.shown) for r in checked], written, numberings)
    letters = tuple(
        CheckedLetter(r.path, r.shown, (*r.problems, *crossing_problems[r.shown], *in_series[r.shown], *misfits[r.shown],
                                        *(r.entry.problems if r.entry else ())),
                      r.letter, r.entry.readability if r.entry else None)
        for r in checked
    )
    used = _used_files(session, checked)
    other_problems = session.organisation_problems + _template_folder_problems(session)
    styled: dict[str, frozenset[str] | None] = dict(_styled_kinds(session, checked))
    named = {werkmap.shown(werkmap.organisation_file(ident)): ident for ident in organisations.values()}
    styled.update(dict.fromkeys(named))  # a named organisation: the house styles of every kind it has
    other_problems += [p for shown, kinds in styled.items() for p in session.style_problems(shown, kinds)]
    if organisations:
        used |= set(named) | {werkmap.shown(t) for ident in named.values() for t in _house_styles(session, ident)}
    if selection is not None:  # only what the checked letters use (or what is selected): what --streng counts must be theirs
        folders = [(p if p.is_absolute() else Path.cwd() / p).resolve() for p in selection]
        other_problems = [p for p in other_problems
                          if p.path in used or any((werkmap.root / p.path).resolve().is_relative_to(f) for f in folders)]
    if proofread:  # the word list's problems: once, by the main process, whatever letters are selected
        wordlist = werkmap.content / proofreading.WORDLIST
        other_problems += read_wordlist(wordlist, werkmap.shown(wordlist))[1]
    if proofread and not available:
        other_problems.append(Problem(werkmap.shown(werkmap.content), message=UNAVAILABLE, severity=Severity.WARNING))
    return CheckReport(letters, tuple(other_problems), tuple(sorted(named)))


def _house_styles(session: Session, ident: str) -> list[Path]:
    """The templates of the house styles organisation ``ident`` names (none when its file has errors)."""
    organisation = session.organisations.get(ident)
    styles = organisation.styles.values() if organisation is not None else ()
    return [t for style in styles if (t := session.werkmap.template_file(style)) is not None]


class _Worker:
    """Reads and proofreads letters; one per process, so organisations, templates and the dictionary load once."""

    def __init__(self, werkmap: Werkmap, settings: Settings, proofread: bool, available: bool):
        self.session = Session(werkmap, settings)
        self.proofread = proofread
        self.available = available
        self._checker = None
        self._opened = False

    def __call__(self, task: tuple[Path, tuple[str, Entry] | None]) -> _Checked:
        from briefgen import proofreading

        path, known = task
        read = self.session.read(path)
        letter, loaded = read.letter, read.loaded
        if letter is None or loaded is None:
            return _Checked(path, read.shown, read.problems)
        number = Number(letter.organisation, letter.date.year, letter.number) if letter.number else None
        if not self.proofread:
            return _Checked(path, read.shown, read.problems, number, letter=letter)
        key = checkcache.text_hash(loaded.text)
        if known is not None and known[0] == key:
            entry = Entry(known[1].problems, known[1].readability)
            cacheable = True
        else:
            entry = Entry([], proofreading.readability(letter))
            checker = self._spelling()
            if checker is not None:
                entry.problems = proofreading.spelling(loaded, letter, checker)
            cacheable = checker is not None or not self.available  # results without the spelling a cache key promises: not kept
        # A letter dated after today gets a warning that goes away by itself: its result is not kept whole.
        if read.document is not None and letter.date <= formatting.today():
            hashes = checkcache.FileHashes(self.session.werkmap.root)
            entry.read = Read({rel: hashes(rel) for rel in self.session.inputs(read.document)}, list(read.problems), number)
        return _Checked(path, read.shown, read.problems, number, key, entry, cacheable, letter)

    def _spelling(self):
        from briefgen import proofreading

        if not self._opened and self.available:
            self._opened = True
            self._checker = proofreading.open_checker(self.session.werkmap)
        return self._checker


def _styled_kinds(session: Session, checked: list[_Checked]) -> dict[str, frozenset[str]]:
    """The kinds of the checked letters, by their organisation file's shown path: its house styles for those kinds
    are checked (also where a letter has a 'huisstijl:' of its own: the next letter of that kind may not)."""
    kinds: dict[str, set[str]] = {}
    for result in checked:
        if result.letter is not None:
            shown = session.werkmap.shown(session.werkmap.organisation_file(result.letter.organisation))
            kinds.setdefault(shown, set()).add(result.letter.kind)
    return {shown: frozenset(found) for shown, found in kinds.items()}


def _used_files(session: Session, checked: list[_Checked]) -> set[str]:
    """The files the checked letters read besides themselves: their organisations and house styles."""
    werkmap = session.werkmap
    used: set[str] = set()
    for result in checked:
        if result.entry is not None and result.entry.read is not None:
            used.update(result.entry.read.inputs)
        if result.letter is not None:
            used.add(werkmap.shown(werkmap.organisation_file(result.letter.organisation)))
            organisation = session.organisations.get(result.letter.organisation)
            style = result.letter.style or (organisation.style_for(result.letter.kind) if organisation is not None else None)
            template = werkmap.template_file(style) if style else None
            if template is not None:
                used.add(werkmap.shown(template))
    return used


def _template_folder_problems(session: Session) -> list[Problem]:
    return [p for t in sorted(session.werkmap.templates.glob("*.docx")) for p in session.template_problems(t)]
