"""Cache of ``briefgen check``'s prose results (spelling and readability), per letter, by content hash.

Spelling and readability depend only on the letter file, the werkmap's word list, the Dutch
dictionary and briefgen's own code; an entry is reused when all of those hashes are unchanged.

The cache lives in build/ and is untrusted input, like the manifest: every entry is type-checked on
load and one that does not fit is ignored (recomputed), a corrupt file is an empty cache, and it is
only ever written inside build/ (fileio.write_atomic with ``inside``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, field
from pathlib import Path

from briefgen import __version__
from briefgen.fileio import confined, write_atomic
from briefgen.manifest import code_hash, file_hash
from briefgen.problems import BriefgenError, Problem, Severity
from briefgen.readability import Readability

NAME = ".briefgen-check.json"
FORMAT_VERSION = 1
DICTIONARY_FILES = ("/usr/share/hunspell/nl_NL.dic", "/usr/share/hunspell/nl_NL.aff")  # hunspell-nl, as Enchant finds it


@dataclass
class Entry:
    problems: list[Problem]
    readability: Readability


def dependencies(wordlist: Path, spelling_available: bool) -> str:
    """One hash of what every letter's prose check depends on besides the letter itself."""
    digest = hashlib.sha256(f"briefgen {__version__} {code_hash()} {spelling_available}\0".encode())
    for path in (wordlist, *map(Path, DICTIONARY_FILES)):
        digest.update(f"{path}\0{file_hash(path)}\0".encode())
    return digest.hexdigest()


@dataclass
class CheckCache:
    path: Path
    inside: Path  # build/
    root: Path  # the werkmap: build/ itself must lie inside it
    depends: str
    entries: dict[str, tuple[str, Entry]] = field(default_factory=dict)  # shown path -> (letter hash, entry)
    _used: set[str] = field(default_factory=set)
    _changed: bool = False

    @classmethod
    def load(cls, root: Path, build: Path, depends: str) -> CheckCache:
        """The cache in ``build`` (in werkmap ``root``); anything unreadable or odd in it is left out (recomputed)."""
        cache = cls(build / NAME, build, root, depends)
        try:
            if not cache.path.is_file():
                return cache
            data = json.loads(cache.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return cache
        if not isinstance(data, dict) or data.get("versie") != FORMAT_VERSION or data.get("afhankelijk") != depends:
            return cache
        letters = data.get("brieven")
        if not isinstance(letters, dict):
            return cache
        for shown, raw in letters.items():
            parsed = _entry(raw)
            if isinstance(shown, str) and parsed is not None:
                cache.entries[shown] = parsed
        return cache

    def get(self, shown: str, letter_hash: str | None) -> Entry | None:
        found = self.entries.get(shown)
        if letter_hash is None or found is None or found[0] != letter_hash:
            return None
        self._used.add(shown)
        return found[1]

    def put(self, shown: str, letter_hash: str | None, entry: Entry) -> None:
        if letter_hash is None:
            return
        self.entries[shown] = (letter_hash, entry)
        self._used.add(shown)
        self._changed = True

    def save(self) -> None:
        """Write the cache (only the letters of this run, when it checked all of them)."""
        if not self._changed:
            return
        data = {
            "versie": FORMAT_VERSION,
            "afhankelijk": self.depends,
            "brieven": {
                shown: {"hash": h, "problemen": [[p.path, p.line, p.col, p.message, p.severity.value] for p in e.problems],
                        "leesbaarheid": list(astuple(e.readability))}
                for shown, (h, e) in sorted(self.entries.items())
            },
        }
        text = json.dumps(data, ensure_ascii=False).encode("utf-8")
        try:
            confined(self.root, self.inside)
            write_atomic(self.path, text, inside=self.inside)
        except (OSError, BriefgenError):
            pass  # a cache that cannot be written only means the next check recomputes

    def keep_only_used(self) -> None:
        """Drop entries of letters that no longer exist (after a run over all letters)."""
        for shown in set(self.entries) - self._used:
            del self.entries[shown]
            self._changed = True


def _entry(raw: object) -> tuple[str, Entry] | None:
    if not isinstance(raw, dict):
        return None
    letter_hash, problems, readability = raw.get("hash"), raw.get("problemen"), raw.get("leesbaarheid")
    if not isinstance(letter_hash, str) or not isinstance(problems, list) or not isinstance(readability, list):
        return None
    out = []
    for item in problems:
        problem = _problem(item)
        if problem is None:
            return None
        out.append(problem)
    if len(readability) != 6 or not all(type(x) is int for x in readability[:2]) or \
            not all(type(x) in (int, float) for x in readability[2:5]) or not isinstance(readability[5], str):
        return None
    words, sentences, avg, long_share, score, level = readability
    return letter_hash, Entry(out, Readability(words, sentences, float(avg), float(long_share), float(score), level))


def _problem(item: object) -> Problem | None:
    if not isinstance(item, list) or len(item) != 5:
        return None
    path, line, col, message, severity = item
    if not isinstance(path, str) or type(line) is not int or type(col) is not int or not isinstance(message, str):
        return None
    if severity not in {s.value for s in Severity}:
        return None
    return Problem(path, line, col, message, Severity(severity))


def text_hash(text: str) -> str:
    """The hash of a letter as it was read (the text the results were computed from)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
