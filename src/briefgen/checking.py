"""``briefgen check``: every letter read as for a build, plus what needs all letters at once, and spelling."""

from __future__ import annotations

from pathlib import Path

from briefgen import checkcache
from briefgen.index import LetterIndex
from briefgen.locate import Collector
from briefgen.pipeline import BuildReport
from briefgen.problems import Problem, Severity
from briefgen.session import LetterResult, Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap


def check(werkmap: Werkmap, settings: Settings, selection: list[Path] | None = None, proofread: bool = True) -> BuildReport:
    """Everything ``build`` checks, plus what needs all letters at once (numbers) and spelling."""
    session = Session(werkmap, settings)
    report = BuildReport(letters=[session.read(p) for p in werkmap.letters(selection)])
    _duplicate_numbers(report.letters, session.index)
    report.other_problems = session.organisation_problems + _template_folder_problems(session)
    if proofread:
        report.other_problems += _proofread(werkmap, report.letters, everything=selection is None)
    return report


def _proofread(werkmap: Werkmap, results: list[LetterResult], everything: bool) -> list[Problem]:
    """Spelling and readability of each letter, from the cache in build/ when the letter is unchanged."""
    from briefgen import proofreading  # the dictionary is only loaded for check
    from briefgen.spelling import SpellChecker

    available = SpellChecker.available()
    cache = checkcache.CheckCache.load(werkmap.root, werkmap.build, checkcache.dependencies(werkmap.content / proofreading.WORDLIST, available))
    todo = []
    for result in results:
        if result.letter is None or result.loaded is None:
            continue
        key = checkcache.text_hash(result.loaded.text)
        entry = cache.get(result.shown, key)
        if entry is None:
            todo.append((result, key))
        else:
            result.readability = entry.readability
            result.problems += entry.problems
    checker = proofreading.open_checker(werkmap) if available and todo else None
    cacheable = checker is not None or not available  # results without the spelling a cache key promises: not kept
    try:
        for result, key in todo:
            assert result.letter is not None and result.loaded is not None
            entry = checkcache.Entry([], proofreading.readability(result.letter))
            if checker is not None:
                entry.problems = proofreading.spelling(result.loaded, result.letter, checker)
            result.readability = entry.readability
            result.problems += entry.problems
            if cacheable:
                cache.put(result.shown, key, entry)
    finally:
        if checker is not None:
            checker.close()
    if everything:
        cache.keep_only_used()
    cache.save()
    if not available:
        return [Problem(werkmap.shown(werkmap.content), message="spellingcontrole niet beschikbaar: installeer libenchant-2-2 en hunspell-nl (sudo apt-get install libenchant-2-2 hunspell-nl)", severity=Severity.WARNING)]
    return []


def _duplicate_numbers(results: list[LetterResult], index: LetterIndex) -> None:
    """A number is used once per organisation and year, across the whole werkmap."""
    owners: dict[tuple[str, int, str], list[str]] = {}
    for entry in index.all():
        if entry.letter.number:
            key = (entry.letter.organisation, entry.letter.date.year, entry.letter.number.strip())
            owners.setdefault(key, []).append(index.werkmap.shown(entry.path))
    for result in results:
        letter = result.letter
        if letter is None or result.loaded is None or not letter.number:
            continue
        others = [o for o in owners.get((letter.organisation, letter.date.year, letter.number.strip()), []) if o != result.shown]
        if others:
            collector = Collector(result.loaded)
            collector.at(("nummer",), f"nummer {letter.number} komt ook voor in {', '.join(others)}")
            result.problems += collector.problems


def _template_folder_problems(session: Session) -> list[Problem]:
    return [p for t in sorted(session.werkmap.templates.glob("*.docx")) for p in session.template_problems(t)]
