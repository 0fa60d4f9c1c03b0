"""The build manifest: for every letter, the hashes of what each output was made from.

Decisions are made from content hashes, never from mtimes: a fresh clone with an existing build/
rebuilds nothing, a touched-but-unchanged file rebuilds nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from briefgen import __version__
from briefgen.fileio import write_atomic

FORMAT_VERSION = 1


def file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@functools.cache
def code_hash() -> str:
    """briefgen's own source: a changed builder rebuilds every letter, even within one version."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Manifest:
    """``letters[content path] = {"invoer": {path: hash}, "uitvoer": {format: key}}``."""

    path: Path
    letters: dict[str, dict] = field(default_factory=dict)
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("versie") != FORMAT_VERSION:
            return cls(path)
        letters = data.get("brieven")
        return cls(path, letters if isinstance(letters, dict) else {})

    def save(self) -> None:
        """Write the manifest, unless nothing changed (a no-op build writes nothing)."""
        data = {"versie": FORMAT_VERSION, "brieven": dict(sorted(self.letters.items()))}
        text = (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            if self.path.read_bytes() == text:
                return
        except OSError:
            pass
        write_atomic(self.path, text)

    def hash_of(self, root: Path, rel: str) -> str | None:
        """Hash of a werkmap file, computed once per build."""
        if rel not in self._hashes:
            self._hashes[rel] = file_hash(root / rel)
        return self._hashes[rel]

    @staticmethod
    def key(inputs: dict[str, str | None], fmt: str) -> str:
        """What an output of ``fmt`` depends on, as one hash: inputs, format and briefgen itself."""
        digest = hashlib.sha256(f"briefgen {__version__} {code_hash()}\0{fmt}\0".encode())
        for rel, value in sorted(inputs.items()):
            digest.update(f"{rel}\0{value}\0".encode())
        return digest.hexdigest()

    def is_current(self, root: Path, letter: str, fmt: str, output: Path) -> bool:
        """True when ``output`` exists and none of its recorded inputs changed."""
        entry = self.letters.get(letter)
        if not entry or not output.is_file():
            return False
        recorded = entry.get("invoer") or {}
        if letter not in recorded:
            return False
        current = {rel: self.hash_of(root, rel) for rel in recorded}
        return (entry.get("uitvoer") or {}).get(fmt) == self.key(current, fmt)

    def record(self, root: Path, letter: str, inputs: list[str], formats: list[str]) -> None:
        hashes = {rel: self.hash_of(root, rel) for rel in inputs}
        entry = self.letters.get(letter)
        if not entry or entry.get("invoer") != hashes:
            entry = {"invoer": hashes, "uitvoer": {}}
        for fmt in formats:
            entry["uitvoer"][fmt] = self.key(hashes, fmt)
        self.letters[letter] = entry

    def forget(self, letter: str) -> None:
        self.letters.pop(letter, None)
