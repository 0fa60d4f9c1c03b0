"""``briefgen check``: every letter read as for a build, plus what needs all letters at once, and spelling."""

from __future__ import annotations

from pathlib import Path

from briefgen import checkcache
from briefgen.index import LetterIndex
from briefgen.locate import Collector
from briefgen.problems import Problem, Severity
from briefgen.readability import Readability
from briefgen.results import CheckedLetter, CheckReport, ReadResult
from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap


def check(werkmap: Werkmap, settings: Settings, selection: list[Path] | None = None, proofread: bool = True) -> CheckReport:
    """Everything ``build`` checks, plus what needs all letters at once (numbers) and spelling."""
    session = Session(werkmap, settings)
    results = [session.read(p) for p in werkmap.letters(selection)]
    extra = _duplicate_numbers(results, session.index)
    other_problems = session.organisation_problems + _template_folder_problems(session)
    readability: dict[str, Readability] = {}
    if proofread:
        readability, unavailable = _proofread(werkmap, results, extra, everything=selection is None)
        other_problems += unavailable
    letters = tuple(
        CheckedLetter(r.path, r.shown, (*r.problems, *extra[r.shown]), r.letter, readability.get(r.shown))
        for r in results
    )
    return CheckReport(letters, tuple(other_problems))


def _proofread(werkmap: Werkmap, results: list[ReadResult], extra: dict[str, list[Problem]],
               everything: bool) -> tuple[dict[str, Readability], list[Problem]]:
    """Readability by letter, and spelling problems into ``extra`` by letter, from the cache in build/
    when the letter is unchanged; returned besides is why there is no spelling check, if so."""
    from briefgen import proofreading  # the dictionary is only loaded for check
    from briefgen.spelling import SpellChecker

    available = SpellChecker.available()
    cache = checkcache.CheckCache.load(werkmap.root, werkmap.build, checkcache.dependencies(werkmap.content / proofreading.WORDLIST, available))
    readability: dict[str, Readability] = {}
    todo = []
    for result in results:
        if result.letter is None or result.loaded is None:
            continue
        key = checkcache.text_hash(result.loaded.text)
        entry = cache.get(result.shown, key)
        if entry is None:
            todo.append((result, key))
        else:
            readability[result.shown] = entry.readability
            extra[result.shown] += entry.problems
    checker = proofreading.open_checker(werkmap) if available and todo else None
    cacheable = checker is not None or not available  # results without the spelling a cache key promises: not kept
    try:
        for result, key in todo:
            assert result.letter is not None and result.loaded is not None
            entry = checkcache.Entry([], proofreading.readability(result.letter))
            if checker is not None:
                entry.problems = proofreading.spelling(result.loaded, result.letter, checker)
            readability[result.shown] = entry.readability
            extra[result.shown] += entry.problems
            if cacheable:
                cache.put(result.shown, key, entry)
    finally:
        if checker is not None:
            checker.close()
    if everything:
        cache.keep_only_used()
    cache.save()
    if not available:
        return readability, [Problem(werkmap.shown(werkmap.content), message="spellingcontrole niet beschikbaar: installeer libenchant-2-2 en hunspell-nl (sudo apt-get install libenchant-2-2 hunspell-nl)", severity=Severity.WARNING)]
    return readability, []


def _duplicate_numbers(results: list[ReadResult], index: LetterIndex) -> dict[str, list[Problem]]:
    """A number is used once per organisation and year, across the whole werkmap."""
    owners: dict[tuple[str, int, str], list[str]] = {}
    for entry in index.all():
        if entry.letter.number:
            key = (entry.letter.organisation, entry.letter.date.year, entry.letter.number.strip())
            owners.setdefault(key, []).append(index.werkmap.shown(entry.path))
    found: dict[str, list[Problem]] = {r.shown: [] for r in results}
    for result in results:
        letter = result.letter
        if letter is None or not letter.number or result.loaded is None:
            continue
        others = [o for o in owners.get((letter.organisation, letter.date.year, letter.number.strip()), []) if o != result.shown]
        if others:
            collector = Collector(result.loaded)
            collector.at(("nummer",), f"nummer {letter.number} komt ook voor in {', '.join(others)}")
            found[result.shown] += collector.problems
    return found


def _template_folder_problems(session: Session) -> list[Problem]:
    return [p for t in sorted(session.werkmap.templates.glob("*.docx")) for p in session.template_problems(t)]
