"""Cache of ``briefgen check``'s results per letter, by content hash.

Spelling and readability depend only on the letter file, the werkmap's word list, the Dutch
dictionary and briefgen's own code; that part of an entry is reused when all of those hashes are
unchanged. A letter that resolved also keeps its whole read result (:class:`Read`: its problems and
its number) with the hash of every file it was read from (the letter, its organisation, template,
cited letters and bijlagen, as the build manifest records them): when none of those changed the
letter is not read at all. What crosses letters (duplicate numbers) is computed anew every run.

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
from briefgen.manifest import code_hash, file_hash, is_werkmap_path
from briefgen.problems import BriefgenError, Problem, Severity
from briefgen.readability import Readability

NAME = ".briefgen-check.json"
FORMAT_VERSION = 2
DICTIONARY_FILES = ("/usr/share/hunspell/nl_NL.dic", "/usr/share/hunspell/nl_NL.aff")  # hunspell-nl, as Enchant finds it


@dataclass(frozen=True)
class Number:
    """A letter's number, for the check that a number is used once per organisation and year."""

    organisation: str
    year: int
    text: str


@dataclass
class Read:
    """A letter's whole read result, valid while every file in ``inputs`` has the hash recorded there."""

    inputs: dict[str, str | None]  # werkmap path -> file hash; the letter itself among them
    problems: list[Problem]
    number: Number | None


@dataclass
class Entry:
    problems: list[Problem]  # spelling
    readability: Readability
    read: Read | None = None


class FileHashes:
    """Hashes of werkmap files, each computed once per run."""

    def __init__(self, root: Path):
        self.root = root
        self._hashes: dict[str, str | None] = {}

    def __call__(self, rel: str) -> str | None:
        if rel not in self._hashes:
            self._hashes[rel] = file_hash(self.root / rel)
        return self._hashes[rel]


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

    def unchanged(self, shown: str, hashes: FileHashes) -> Entry | None:
        """The whole entry of a letter none of whose inputs changed (it need not be read), or None."""
        found = self.entries.get(shown)
        if found is None or found[1].read is None:
            return None
        inputs = found[1].read.inputs
        if shown not in inputs or any(hashes(rel) != value for rel, value in inputs.items()):
            return None
        self._used.add(shown)
        return found[1]

    def put(self, shown: str, letter_hash: str | None, entry: Entry) -> None:
        if letter_hash is None:
            return
        self._used.add(shown)
        if self.entries.get(shown) != (letter_hash, entry):
            self.entries[shown] = (letter_hash, entry)
            self._changed = True

    def save(self) -> None:
        """Write the cache (only the letters of this run, when it checked all of them)."""
        if not self._changed:
            return
        data = {
            "versie": FORMAT_VERSION,
            "afhankelijk": self.depends,
            "brieven": {shown: _saved(h, e) for shown, (h, e) in sorted(self.entries.items())},
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


def _saved(letter_hash: str, entry: Entry) -> dict:
    data: dict = {"hash": letter_hash, "problemen": _saved_problems(entry.problems), "leesbaarheid": list(astuple(entry.readability))}
    if entry.read is not None:
        data["gelezen"] = {"invoer": entry.read.inputs, "problemen": _saved_problems(entry.read.problems),
                           "nummer": list(astuple(entry.read.number)) if entry.read.number else None}
    return data


def _saved_problems(problems: list[Problem]) -> list[list]:
    return [[p.path, p.line, p.col, p.message, p.severity.value] for p in problems]


def _entry(raw: object) -> tuple[str, Entry] | None:
    if not isinstance(raw, dict):
        return None
    letter_hash, problems, readability = raw.get("hash"), _problems(raw.get("problemen")), raw.get("leesbaarheid")
    if not isinstance(letter_hash, str) or problems is None or not isinstance(readability, list):
        return None
    if len(readability) != 6 or not all(type(x) is int for x in readability[:2]) or \
            not all(type(x) in (int, float) for x in readability[2:5]) or not isinstance(readability[5], str):
        return None
    words, sentences, avg, long_share, score, level = readability
    entry = Entry(problems, Readability(words, sentences, float(avg), float(long_share), float(score), level))
    if "gelezen" in raw:
        entry.read = _read(raw["gelezen"])
        if entry.read is None:
            return None
    return letter_hash, entry


def _read(raw: object) -> Read | None:
    if not isinstance(raw, dict):
        return None
    inputs, problems, number = raw.get("invoer"), _problems(raw.get("problemen")), raw.get("nummer")
    if not isinstance(inputs, dict) or problems is None or \
            not all(is_werkmap_path(k) and (v is None or isinstance(v, str)) for k, v in inputs.items()):
        return None
    if number is None:
        return Read(inputs, problems, None)
    if not isinstance(number, list) or len(number) != 3 or not isinstance(number[0], str) or \
            type(number[1]) is not int or not isinstance(number[2], str):
        return None
    return Read(inputs, problems, Number(*number))


def _problems(raw: object) -> list[Problem] | None:
    if not isinstance(raw, list):
        return None
    out = []
    for item in raw:
        problem = _problem(item)
        if problem is None:
            return None
        out.append(problem)
    return out


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
