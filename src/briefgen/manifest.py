"""The build manifest: for every letter, the hashes of what each output was made from.

Decisions are made from content hashes, never from mtimes: a fresh clone with an existing build/
rebuilds nothing, a touched-but-unchanged file rebuilds nothing. To decide quickly, the manifest
also keeps each input's hash with what ``stat`` said of it (size, mtime, ctime, inode, device); a
file is read and hashed again unless all five are unchanged, and a hash is only kept for a file
that had not changed for :data:`SETTLED_NS` before the build began (a write within the same
timestamp tick as the hashing would otherwise go unnoticed). ctime cannot be set back by a user.

A build records what its outputs were made from, and an input may be saved while the build runs
(after a worker read it, before the manifest hashes it): a file whose ctime is later than the start
of the build is recorded as :data:`CHANGED_DURING_BUILD`, which matches no hash, so the
next build makes its letters again from what the file says then.

The manifest lives in build/ and is untrusted input: what it says is checked on load (an entry
with an odd path or type is ignored and said so), and it only ever decides what is rebuilt; every
write or delete it leads to is still confined to build/ (fileio.confined).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from briefgen import __version__
from briefgen.fileio import write_atomic
from briefgen.werkmap import ORGANISATIONS

FORMAT_VERSION = 1
MAX_SAID = 5  # ignored entries named one by one; the rest are counted
_FORMAT = re.compile(r"[a-z]+(\+[a-z]+)?")  # "pdf+bijlagen": a record of an older briefgen
_SHA256 = re.compile(r"[0-9a-f]{64}")
SETTLED_NS = 2_000_000_000  # coarse file system clocks (FAT: 2 s); a file changed later is hashed again next time
_ORGANISATION = re.compile(rf"content/{ORGANISATIONS}/[^/]+\.yaml")
RENDERS = "weergave"  # optional key of an entry: what its outputs rendered to (renderhash.py); older manifests lack it
CHANGED_DURING_BUILD = "gewijzigd-tijdens-de-build"  # an input's record that no hash equals
# Build settings outside the werkmap that change a PDF (and so its Woo metadata): each is part of the
# key of those outputs, so a build with another value makes them again.
PDF_ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


def file_hash(path: Path) -> str | None:
    """The hash of a regular file (a FIFO or device named by a hostile manifest is never read)."""
    hashed = _hash_file(path)
    return hashed[1] if hashed else None


def _hash_file(path: Path | str) -> tuple[list[int], str] | None:
    """What ``stat`` says of a regular file (as :func:`_signature`) and its hash; None for anything else.

    The file is opened without blocking and checked on the open descriptor, so a FIFO swapped in
    after a look is never waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None
            return _signature(info), hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def organisation_digest(root: Path, rel: str, raw_hash: str) -> str | None:
    """What the organisation file ``rel`` says, as one hash: its data as YAML reads it, not its bytes,
    so that a comment, a blank line or other quotes rebuild none of its letters.

    None when the file has any problem of its own, even one that leaves the data as it was (a key
    given twice; then its bytes count, and its letters are read again and report it), or when the
    file read is no longer the one whose bytes hash to ``raw_hash``. Mapping order and the way a
    number is written (``007``) are kept: a letter may show either.
    """
    from briefgen import yamlio  # only for a file not seen before: a build with nothing to do parses no YAML

    read = yamlio.canonical(root / rel, rel, root)
    if read is None:
        return None
    text, canonical = read
    encoded = text.encode("utf-8")
    if raw_hash not in (hashlib.sha256(encoded).hexdigest(), hashlib.sha256(b"\xef\xbb\xbf" + encoded).hexdigest()):
        return None  # written again since it was hashed
    return hashlib.sha256(b"organisatie\0" + canonical.encode("utf-8")).hexdigest()


def _signature(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _stat_entry(rel: object, value: object) -> bool:
    """A usable entry of the manifest's ``bestanden``: five whole numbers and a SHA-256 hash."""
    return (is_werkmap_path(rel) and isinstance(value, list) and len(value) == 6
            and all(isinstance(n, int) and not isinstance(n, bool) for n in value[:5])
            and isinstance(value[5], str) and _SHA256.fullmatch(value[5]) is not None)


def _read_entry(rel: object, value: object) -> bool:
    """A usable entry of the manifest's ``gelezen``: an organisation file, its file hash and its data hash."""
    return (is_werkmap_path(rel) and _ORGANISATION.fullmatch(rel) is not None and isinstance(value, list)
            and len(value) == 2 and all(isinstance(h, str) and _SHA256.fullmatch(h) for h in value))


@functools.cache
def code_hash() -> str:
    """briefgen's own source: a changed builder rebuilds every letter, even within one version."""
    return source_hash(Path(__file__).parent)


def source_hash(package: Path) -> str:
    """The hash of a package's source: its modules and what its builders render with (the Jinja
    templates of the HTML edition in ``builders/templates/``)."""
    digest = hashlib.sha256()
    for path in source_files(package):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def source_files(package: Path) -> list[Path]:
    """The files of :func:`source_hash`, in a fixed order."""
    templates = package / "builders" / "templates"
    return sorted({*package.rglob("*.py"), *(path for path in templates.rglob("*") if path.is_file()
                                              and "__pycache__" not in path.parts)})


def variant(fmt: str, attachments: bool) -> str:
    """What kind of output a file is: a PDF with appended bijlagen is another PDF than one without,
    and one made with ``SOURCE_DATE_EPOCH`` (its dates) another than one without, or with another value."""
    if fmt not in ("pdf", "woo"):
        return fmt
    kind = f"{fmt}+bijlagen" if attachments else fmt
    for name in PDF_ENVIRONMENT:
        value = os.environ.get(name)
        if value:
            kind += f"\0{name}={value}"
    return kind


def is_werkmap_path(rel: object, prefix: str = "") -> TypeGuard[str]:
    """A plain relative path inside the werkmap, as the manifest writes them (``content/a/b.yaml``)."""
    if not isinstance(rel, str) or not rel.startswith(prefix) or "\\" in rel or "\0" in rel:
        return False
    wrapped = f"/{rel}/"  # a part that is empty (also a leading or trailing /), . or ..
    return "//" not in wrapped and "/./" not in wrapped and "/../" not in wrapped


def _entry_problem(letter: object, entry: object) -> str | None:
    """Why a manifest entry cannot be used, or None."""
    if not is_werkmap_path(letter, "content/") or not letter.endswith(".yaml"):
        return "geen briefbestand in content/"
    if not isinstance(entry, dict) or not {"invoer", "uitvoer"} <= set(entry) <= {"invoer", "uitvoer", RENDERS}:
        return "onverwachte inhoud"
    renders = entry.get(RENDERS, {})
    if not isinstance(renders, dict) or not all(k in ("docx", "html") and isinstance(v, str) and _SHA256.fullmatch(v)
                                                for k, v in renders.items()):
        return "ongeldige weergave"
    inputs, outputs = entry["invoer"], entry["uitvoer"]
    if not isinstance(inputs, dict) or not all(is_werkmap_path(k) and (v is None or isinstance(v, str)) for k, v in inputs.items()):
        return "ongeldige invoer"
    if not isinstance(outputs, dict) or not all(isinstance(k, str) and _FORMAT.fullmatch(k) and isinstance(v, str)
                                                for k, v in outputs.items()):
        return "ongeldige uitvoer"
    return None


@dataclass
class Manifest:
    """``letters[content path] = {"invoer": {path: hash}, "uitvoer": {file format: key}, "weergave": {part: hash}}``.

    One record per output file: its key says what it was made from, including the variant (a PDF
    with or without bijlagen), so switching the variant makes the file stale.

    One instance serves one build: input hashes are computed once (or taken from ``bestanden``
    when ``stat`` says the file is unchanged), and each output folder is listed once (one
    ``scandir`` instead of a ``stat`` per output).
    """

    path: Path
    letters: dict[str, dict] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # Dutch: entries of the file that were not used
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)
    _digests: dict[str, Any] = field(default_factory=dict, repr=False)  # letter → hash of its recorded inputs
    _listings: dict[str, frozenset[str] | None] = field(default_factory=dict, repr=False)
    _stats: dict[str, list] = field(default_factory=dict, repr=False)  # rel → [size, mtime, ctime, inode, device, hash]
    _read: dict[str, list[str]] = field(default_factory=dict, repr=False)  # organisation → [file hash, data hash]
    _started: int = field(default_factory=time.time_ns, repr=False)  # before any file of this build was hashed
    _changed: bool = field(default=True, repr=False)  # False while it says what its file says

    @classmethod
    def load(cls, path: Path, *, trusted: bool = True) -> Manifest:
        """The manifest at ``path``; not ``trusted`` (``build --opnieuw``): without its kept hashes
        (``bestanden``, ``gelezen``), so every input is hashed afresh and a forced build repairs them."""
        manifest = cls._load(path)
        if not trusted:
            manifest._stats, manifest._read, manifest._changed = {}, {}, True
        return manifest

    @classmethod
    def _load(cls, path: Path) -> Manifest:
        try:
            if not path.is_file():
                return cls(path)
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return cls(path)
        if not isinstance(data, dict) or data.get("versie") != FORMAT_VERSION:
            return cls(path)
        letters = data.get("brieven")
        if not isinstance(letters, dict):
            return cls(path, ignored=["'brieven' is geen tabel; het manifest is genegeerd"] if "brieven" in data else [])
        manifest = cls(path)
        dropped = False
        for letter, entry in letters.items():
            problem = _entry_problem(letter, entry)
            if problem:
                manifest.ignored.append(f"vermelding {json.dumps(letter, ensure_ascii=False)[:120]} genegeerd ({problem})")
                continue
            if any("+" in fmt for fmt in entry["uitvoer"]):
                entry["uitvoer"] = {fmt: key for fmt, key in entry["uitvoer"].items() if "+" not in fmt}
                dropped = True
            manifest.letters[letter] = entry
        if len(manifest.ignored) > MAX_SAID:
            rest = len(manifest.ignored) - MAX_SAID
            manifest.ignored[MAX_SAID:] = [f"en nog {rest} {'vermelding' if rest == 1 else 'vermeldingen'} genegeerd"]
        stats = data.get("bestanden")
        if isinstance(stats, dict):
            manifest._stats = {rel: value for rel, value in stats.items() if _stat_entry(rel, value)}
        read = data.get("gelezen")
        if isinstance(read, dict):
            manifest._read = {rel: value for rel, value in read.items() if _read_entry(rel, value)}
        # unusable entries are cleaned up by a save; unusable kept hashes only with the next record
        manifest._changed = dropped or bool(manifest.ignored) or not set(data) <= {"versie", "brieven", "bestanden", "gelezen"}
        return manifest

    def save(self) -> None:
        """Write the manifest, unless no record changed (a build that makes nothing writes nothing)."""
        if not self._changed:
            return
        inputs = {rel for entry in self.letters.values() for rel in entry["invoer"]}
        data = {"versie": FORMAT_VERSION, "brieven": dict(sorted(self.letters.items())),
                "bestanden": {rel: value for rel, value in sorted(self._stats.items()) if rel in inputs}}
        read = {rel: value for rel, value in sorted(self._read.items()) if rel in inputs}
        if read:
            data["gelezen"] = read
        text = (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        write_atomic(self.path, text, inside=self.path.parent)
        self._changed = False

    def hash_of(self, root: Path, rel: str) -> str | None:
        """Hash of a werkmap file, computed once per build, and only when ``stat`` says it may have changed."""
        if rel not in self._hashes:
            raw = self._hash(f"{root}/{rel}", rel)  # a string: cheaper than a Path
            organisation = raw is not None and raw != CHANGED_DURING_BUILD and _ORGANISATION.fullmatch(rel)
            self._hashes[rel] = self._data_hash(root, rel, raw) if organisation and raw is not None else raw
        return self._hashes[rel]

    def _data_hash(self, root: Path, rel: str, raw: str) -> str:
        """An organisation's :func:`organisation_digest`, parsed once for each content of the file
        (``gelezen``: its file hash and data hash); its file hash if it has problems."""
        known = self._read.get(rel)
        if known is not None and known[0] == raw:
            return known[1]
        digest = organisation_digest(root, rel, raw)
        if digest is None:
            return raw
        self._read[rel] = [raw, digest]  # kept as the stat cache is: written with the next change of a record
        return digest

    def _hash(self, path: str, rel: str) -> str | None:
        cached = self._stats.get(rel)
        if cached is not None:
            try:
                if _signature(os.stat(path)) == cached[:5]:
                    return cached[5]
            except OSError:
                pass
        hashed = _hash_file(path)
        if hashed is not None and hashed[0][2] >= self._started:  # ctime: a future mtime (touch -d) is no change
            self._stats.pop(rel, None)
            return CHANGED_DURING_BUILD  # which content a worker read is not known
        settled = hashed is not None and max(hashed[0][1], hashed[0][2]) < self._started - SETTLED_NS
        # Kept in memory; written with the next change of a record, so a build that makes nothing
        # (a no-op, or one whose letters all fail) leaves the manifest byte for byte as it was.
        if hashed is not None and settled:
            self._stats[rel] = [*hashed[0], hashed[1]]
        else:
            self._stats.pop(rel, None)
        return hashed[1] if hashed is not None else None

    def was_file(self, rel: str) -> bool:
        """``rel`` was hashed in this build as a regular file (saves looking again)."""
        return self._hashes.get(rel) is not None

    @staticmethod
    def key(inputs: dict[str, str | None], fmt: str) -> str:
        """What an output of ``fmt`` depends on, as one hash: inputs, format and briefgen itself."""
        return _with_format(_inputs_digest(inputs), fmt)

    def is_current(self, root: Path, letter: str, fmt: str, output: Path | str, attachments: bool = False) -> bool:
        """True when ``output`` exists, is of this variant, and none of its recorded inputs changed."""
        entry = self.letters.get(letter)
        if not entry or not self._is_file(output):
            return False
        if letter not in self._digests:
            recorded = entry.get("invoer") or {}
            self._digests[letter] = (_inputs_digest({rel: self.hash_of(root, rel) for rel in recorded})
                                     if letter in recorded else None)
        digest = self._digests[letter]
        return digest is not None and (entry.get("uitvoer") or {}).get(fmt) == _with_format(digest, variant(fmt, attachments))

    def _is_file(self, output: Path | str) -> bool:
        """``output`` is a regular file (symlinks followed), from a listing of its folder taken once."""
        folder, name = os.path.split(output)
        if folder not in self._listings:
            self._listings[folder] = _regular_files(folder)
        names = self._listings[folder]
        return name in names if names is not None else os.path.isfile(output)

    def made_before(self, root: Path, letter: str, outputs: dict[str, str], compared: tuple[str, ...],
                    attachments: bool = False) -> list[str] | None:
        """When only organisation files among the letter's recorded inputs changed, and each of ``outputs``
        (format → file) is there as those inputs made it: the formats among ``outputs`` and ``compared`` (the
        parts rendered again and compared) made from them, to record again if the letter renders as it did
        (:meth:`same_render`); else None. A format made before but neither built nor compared now stays stale."""
        entry = self.letters.get(letter)
        if not entry or not entry.get(RENDERS):
            return None
        recorded = entry["invoer"]
        if letter not in recorded:
            return None
        changed = [rel for rel, value in recorded.items() if self.hash_of(root, rel) != value]
        if not changed or not all(_ORGANISATION.fullmatch(rel) for rel in changed):
            return None
        digest = _inputs_digest(recorded)
        made = [fmt for fmt, key in entry["uitvoer"].items() if key == _with_format(digest, variant(fmt, attachments))]
        if any(fmt not in made or not self._is_file(path) for fmt, path in outputs.items()):
            return None
        return [fmt for fmt in made if fmt in outputs or fmt in compared]

    def same_render(self, letter: str, renders: dict[str, str]) -> bool:
        """Whether ``renders`` (what the letter renders to now) is what its recorded outputs were rendered from."""
        recorded = (self.letters.get(letter) or {}).get(RENDERS) or {}
        return bool(renders) and all(recorded.get(part) == value for part, value in renders.items())

    def record(self, root: Path, letter: str, inputs: list[str], formats: list[str], attachments: bool = False,
               renders: dict[str, str] | None = None) -> None:
        """The letter's ``formats`` made from ``inputs`` now; ``renders``: what they rendered to (renderhash.py)."""
        hashes = {rel: self.hash_of(root, rel) for rel in inputs}
        before = self.letters.get(letter)
        same = bool(before and before.get("invoer") == hashes)
        outputs = dict(before["uitvoer"]) if before and same else {}
        digest = _inputs_digest(hashes)
        for fmt in formats:
            outputs[fmt] = _with_format(digest, variant(fmt, attachments))
        entry: dict[str, Any] = {"invoer": hashes, "uitvoer": outputs}
        kept = {**((before or {}).get(RENDERS) or {} if same else {}), **(renders or {})}
        if kept:
            entry[RENDERS] = dict(sorted(kept.items()))
        self._digests.pop(letter, None)
        if entry != before:
            self.letters[letter] = entry
            self._changed = True

    def forget(self, letter: str) -> None:
        self._digests.pop(letter, None)
        if self.letters.pop(letter, None) is not None:
            self._changed = True


def _inputs_digest(inputs: dict[str, str | None]) -> Any:
    """The part of every output key its letter's outputs share: briefgen itself and the input hashes."""
    digest = hashlib.sha256(f"briefgen {__version__} {code_hash()}\0".encode())
    for rel, value in sorted(inputs.items()):
        digest.update(f"{rel}\0{value}\0".encode())
    return digest


def _with_format(digest: Any, fmt: str) -> str:
    """One output's key: the shared digest, then the format (an input path holds no NUL, so this cannot collide)."""
    digest = digest.copy()
    digest.update(f"uitvoer\0{fmt}".encode())
    return digest.hexdigest()


def _regular_files(folder: str) -> frozenset[str] | None:
    """The names of the regular files in ``folder``; None when it cannot be listed (then each is looked up)."""
    try:
        with os.scandir(folder or ".") as entries:
            return frozenset(entry.name for entry in entries if entry.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return frozenset()
    except OSError:
        return None
