"""The werkmap: a folder with ``content/`` and ``templates/``; where inputs are and outputs go."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from briefgen.problems import BriefgenError, WerkmapNotFound, WrongUsage

ORGANISATIONS = "organisaties"
WOO_SUFFIX = "diwoo.xml"  # the Woo metadata beside a letter's PDF (woo.path_for): build/…/brief.diwoo.xml
MANIFEST = ".briefgen-manifest.json"
STYLE_NAME = re.compile(r"[\w][\w.-]{0,99}")
LETTER_SUFFIXES = (".yaml", ".yml")
NAME_MAX = 255  # bytes in one file name, on the file systems briefgen runs on (ext4, APFS, NTFS)
# The longest name a letter's stem gets in build/: write_atomic's temporary file of its Woo metadata,
# ``.<stem>.diwoo.xml.<8 random>.tmp``.
MAX_LETTER_STEM = NAME_MAX - len(f"..{WOO_SUFFIX}.12345678.tmp")


class Unreadable(BriefgenError):
    """A content file that cannot be read as a file of the werkmap; the message is Dutch."""


_READ_REASONS = {
    errno.ENOENT: "het bestand bestaat niet (meer)",
    errno.EACCES: "geen toestemming om het bestand te lezen",
    errno.EPERM: "geen toestemming om het bestand te lezen",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ELOOP: "dit is een symbolische koppeling die in een kring naar zichzelf verwijst",
    errno.ENAMETOOLONG: "de bestandsnaam is te lang",
    errno.EIO: "de schijf gaf een leesfout",
}


def read_file(path: Path, inside: Path | None = None) -> bytes:
    """The bytes of a regular file, or :class:`Unreadable` with the reason in Dutch.

    Whatever git can hold under that name is answered without blocking or an English OS text: a
    symlink loop, a dangling symlink, a symlink out of ``inside`` (the werkmap), a folder, a FIFO
    (opened without waiting for a writer) or a device.
    """
    try:
        if inside is not None or path.is_symlink():
            _refuse_outside(path, inside)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise Unreadable(_READ_REASONS[errno.EISDIR])
            if not stat.S_ISREG(mode):
                raise Unreadable(_NOT_REGULAR)
            return handle.read()
    except OSError as exc:
        reason = _READ_REASONS.get(exc.errno or 0, f"systeemfout {errno.errorcode.get(exc.errno or 0, exc.errno)}")
        raise Unreadable(reason) from None


MISSING = "bestaat niet"


def file_problem(path: Path, inside: Path) -> str | None:
    """Why a file a letter refers to (template, bijlage, cited letter) cannot be used, in Dutch: :data:`MISSING`,
    or what :func:`read_file` would say (a folder, a FIFO, a link out of ``inside``); None for a regular file.
    Without opening it: a FIFO is not waited on."""
    try:
        _refuse_outside(path, inside)
        mode = os.stat(path).st_mode
    except Unreadable as exc:
        return str(exc)
    except FileNotFoundError:
        return MISSING
    except OSError as exc:
        return _READ_REASONS.get(exc.errno or 0, f"systeemfout {errno.errorcode.get(exc.errno or 0, exc.errno)}")
    if stat.S_ISDIR(mode):
        return _READ_REASONS[errno.EISDIR]
    if not stat.S_ISREG(mode):
        return _NOT_REGULAR
    return None


_NOT_REGULAR = "dit is geen gewoon bestand (maar bijvoorbeeld een named pipe of een apparaat)"


def _refuse_outside(path: Path, inside: Path | None) -> None:
    """:class:`Unreadable` for a symlink that leads nowhere or into a loop, and for a file that lies
    outside ``inside`` once every symlink on its path is followed: the file's own, or a linked folder's.
    The werkmap's own ``content/`` and ``templates/`` may be links (to a shared drive, a house-style folder):
    what they lead to counts as inside (:func:`inside_roots`)."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a symlink loop so
        raise Unreadable(_READ_REASONS[errno.ELOOP]) from None
    except FileNotFoundError:
        if path.is_symlink():
            raise Unreadable(f"dit is een symbolische koppeling naar '{os.readlink(path)}', en dat bestaat niet") from None
        return  # opening it says what is missing
    except OSError:
        return  # opening it says why
    if inside is None or any(_below(target, root) for root in inside_roots(inside)):
        return
    if path.is_symlink():
        raise Unreadable("dit is een symbolische koppeling naar een bestand buiten de werkmap; kopieer het bestand naar de werkmap")
    raise Unreadable("dit bestand ligt in een map die een symbolische koppeling is naar een plek buiten de werkmap; "
                     "kopieer het bestand naar de werkmap")


def inside_roots(werkmap: Path) -> tuple[Path, ...]:
    """The folders a file of the werkmap ``werkmap`` may lie in once symlinks are followed: the werkmap, and
    where its top-level ``content/`` and ``templates/`` lead when they are symbolic links (a shared folder).
    A link further down, out of these, is not followed into the werkmap."""
    roots = [_resolved(werkmap)]
    for name in ("content", "templates"):
        folder = werkmap / name
        if folder.is_symlink() and (target := _resolved(folder)) != folder and target.is_dir():
            roots.append(target)
    return tuple(roots)


def shadowed_by(path: Path) -> Path | None:
    """For ``x.yml``: the ``x.yaml`` beside it, which would get the same outputs and wins."""
    twin = path.with_suffix(".yaml")
    return twin if path.suffix == ".yml" and os.path.lexists(twin) else None


def _below(path: Path, folder: Path) -> bool:
    """``path`` lies in ``folder`` (both with symlinks already followed)."""
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _resolved(path: Path) -> Path:
    """``path`` with symlinks followed where possible (a loop or a too-long name stays as written)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


@dataclass(frozen=True)
class Werkmap:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())  # once; paths below derive from it, each made once

    @classmethod
    def find(cls, start: Path) -> Werkmap:
        """The nearest folder at or above ``start`` with ``content/`` and ``templates/``, as git finds .git.

        Up the path as written first (the shell's ``$PWD``: from inside a linked content/ that leads to a
        shared drive, up is the werkmap), then up the path with symlinks followed."""
        written = Path(os.path.abspath(start))
        resolved = start.resolve()
        for folder in (written, *written.parents, resolved, *resolved.parents):
            if (folder / "content").is_dir() and (folder / "templates").is_dir():
                return cls(folder)
        start = resolved
        raise WerkmapNotFound(
            f"geen werkmap gevonden in {start} of een map daarboven "
            "(een werkmap heeft de mappen content/ en templates/); maak er een met 'briefgen init MAP'"
        )

    @cached_property
    def content(self) -> Path:
        return self.root / "content"

    @cached_property
    def templates(self) -> Path:
        return self.root / "templates"

    @cached_property
    def build(self) -> Path:
        return self.root / "build"

    def unsafe_build(self) -> str | None:
        """Why build/ may not be written or cleaned, in Dutch; None when it may.

        build/ may be a symbolic link to a folder inside the werkmap, but not to one outside it, nor to
        (a folder in or around) the werkmap itself, content/ or templates/: a build removes leftovers
        there, and would remove other people's files.
        """
        try:
            target = self.build.resolve()
        except (OSError, RuntimeError):
            return "build/ is een symbolische koppeling die in een kring naar zichzelf verwijst; verwijder die koppeling"
        if target == self.build:
            return None
        if _below(self.root, target):
            return (f"build/ is een symbolische koppeling naar {target}, dat is de werkmap zelf of een map eromheen; "
                    "briefgen verwijdert in build/ wat er niet hoort: verwijder de koppeling (of laat hem naar een eigen "
                    "map in de werkmap wijzen)")
        if not _below(target, self.root):
            return (f"build/ is een symbolische koppeling naar {target}, buiten de werkmap; briefgen schrijft en "
                    "verwijdert alleen in de werkmap: verwijder de koppeling (of laat hem naar een map in de werkmap wijzen)")
        for folder in (self.content, self.templates):
            if _below(target, folder) or _below(folder, target):
                return (f"build/ is een symbolische koppeling naar {self.shown(target)}/, dat is (een map in of rond) "
                        f"{self.shown(folder)}/; verwijder de koppeling of laat hem naar een eigen map wijzen")
        return None

    @cached_property
    def manifest(self) -> Path:
        return self.build / MANIFEST

    def organisation_file(self, ident: str) -> Path:
        return self.content / ORGANISATIONS / f"{ident}.yaml"

    def organisation_ids(self) -> list[str]:
        folder = self.content / ORGANISATIONS
        return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []

    def template_file(self, style: str) -> Path | None:
        """``templates/<style>.docx``; None for a name that would point elsewhere (``../``, ``/``). The
        name may end in ``.docx`` (the file's name)."""
        style = style.removesuffix(".docx")
        if not STYLE_NAME.fullmatch(style):
            return None
        return self.templates / f"{style}.docx"

    def letters(self, selection: list[Path] | None = None) -> list[Path]:
        """Letter files (``.yaml`` or ``.yml``), sorted; ``selection`` narrows to given files or folders.

        Anything with a letter's name that is not a folder counts, also a dangling symlink or a
        FIFO: reading it gives a located problem instead of a silent skip.
        """
        roots = [_absolute(p) for p in selection] if selection else [self.content]
        found: set[Path] = set()
        for root in roots:
            root = self._under_content(_resolved(root)) if selection else root
            if not root.is_dir() and os.path.lexists(root) and not self.is_letter(root):
                raise WrongUsage(f"{self.shown(root)} is geen brief: {self.why_not_a_letter(root)}")
            candidates = _named_like_letters(root, self.content) if root.is_dir() else [root] if os.path.lexists(root) else []
            found.update(path for path in candidates if path.suffix in LETTER_SUFFIXES and self.is_letter(path))
        return sorted(found, key=lambda path: path.parts)  # as Path's own order, without its comparisons in Python

    def _under_content(self, path: Path) -> Path:
        """``path`` (resolved) as a path below content/ when content/ is a link and ``path`` lies where it
        leads (a shared drive): letters are named, and their outputs placed, by where they are in content/."""
        if self.content.is_symlink():
            target = _resolved(self.content)
            if target != self.content and _below(path, target):
                return self.content / path.relative_to(target)
        return path

    def is_letter(self, path: Path) -> bool:
        """Below content/, outside organisaties/ and hidden folders, named .yaml or .yml.

        A symlink out of the werkmap still is one: reading it is refused with a message.
        """
        rel = _relative_name(path, self.content)
        if rel is None or path.suffix not in LETTER_SUFFIXES:
            return False
        parts = rel.split("/")
        return parts[0] != ORGANISATIONS and not any(part.startswith(".") for part in parts)

    def in_content(self, path: Path) -> bool:
        """``path`` is content/ or lies in it (as written, or with symlinks followed), or in the shared folder
        a linked content/ leads to."""
        if _relative_name(path, self.content) is not None:
            return True
        resolved = _resolved(_absolute(path))
        return self._under_content(resolved) != resolved

    def organisation_named(self, path: Path) -> str | None:
        """The organisation whose file ``path`` is (``content/organisaties/<id>.yaml``, as ``check`` may be given
        one); None for any other path."""
        absolute = _absolute(path)
        rel = _relative_name(self._under_content(_resolved(absolute)), self.content)
        parts = rel.split("/") if rel is not None else []
        if len(parts) == 2 and parts[0] == ORGANISATIONS and parts[1].endswith(".yaml") and os.path.isfile(absolute):
            return parts[1].removesuffix(".yaml")
        return None

    def why_not_a_letter(self, path: Path) -> str:
        """Why ``path`` (a file) is not a letter, in Dutch."""
        rel = _relative_name(path, self.content)
        parts = rel.split("/") if rel is not None else []
        if path.suffix in LETTER_SUFFIXES and any(part.startswith(".") for part in parts[:-1]):
            return "het ligt in een verborgen map (een naam die met een punt begint); briefgen slaat verborgen mappen over"
        if path.suffix in LETTER_SUFFIXES and parts[:1] == [ORGANISATIONS]:
            return f"het is een organisatiebestand ({self.shown(self.content)}/{ORGANISATIONS}/)"
        return f"brieven zijn .yaml-bestanden in {self.shown(self.content)}/ (buiten {ORGANISATIONS}/ en verborgen mappen)"

    def name_problem(self, letter: Path) -> str | None:
        """Why the outputs of ``letter`` cannot be written under its name (too long), in Dutch; else None."""
        stem = _without_suffix(letter.name)
        size = len(os.fsencode(stem))
        if size <= MAX_LETTER_STEM:
            return None
        return (f"de bestandsnaam is te lang voor de uitvoer: {size} bytes zonder {letter.suffix}, maximaal "
                f"{MAX_LETTER_STEM} (de uitvoer, zoals .{WOO_SUFFIX}, en de tijdelijke bestanden krijgen een langere naam; "
                "een letter met een accent telt als twee bytes); kies een kortere naam")

    def letter_id(self, letter: Path) -> str:
        """How letters refer to each other: the path under content/ without ``.yaml``."""
        return _without_suffix(self._in_content(letter))

    def output(self, letter: Path, suffix: str) -> Path:
        """``content/a/b.yaml`` → ``build/a/b.<suffix>``; always under build/."""
        return Path(f"{self.output_stem(letter)}.{suffix}")

    def output_stem(self, letter: Path) -> str:
        """``content/a/b.yaml`` → ``build/a/b`` (a string): each output is this plus ``.<suffix>``.

        Deciding what is stale looks at thousands of outputs; strings are much cheaper than paths.
        """
        return f"{self.build}/{_without_suffix(self._in_content(letter))}"

    def _in_content(self, letter: Path) -> str:
        rel = _relative_name(letter, self.content)
        if rel is None or rel == ".":  # callers pass letters found under content/
            raise ValueError(f"{letter} is not under {self.content}")
        return rel

    def shown(self, path: Path) -> str:
        rel = _relative_name(path, self.root)
        return rel if rel is not None else str(path)

    def in_build(self, path: Path) -> bool:
        """``path`` (symlinks followed) lies in build/, where briefgen writes its outputs and removes what it did not write."""
        return _below(_resolved(path), _resolved(self.build))

    def contains(self, path: Path) -> bool:
        """True when ``path`` (symlinks followed) lies inside the werkmap, or in what its linked content/ or
        templates/ lead to (:func:`inside_roots`); a symlink loop does not."""
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return False
        return any(_below(resolved, root) for root in inside_roots(self.root))


def current_folder() -> Path:
    """The folder briefgen was started in as the user sees it: the shell's logical ``$PWD`` (which keeps the
    symbolic links the user ``cd``-ed through) when it is the same folder as :func:`os.getcwd`, else that."""
    here = Path.cwd()
    logical = os.environ.get("PWD", "")
    try:
        if os.path.isabs(logical) and os.path.samefile(logical, here):
            return Path(os.path.normpath(logical))
    except OSError:
        pass
    return here


def _absolute(path: Path) -> Path:
    """``path`` from the folder briefgen was started in (:func:`current_folder`) when it is relative."""
    return path if path.is_absolute() else current_folder() / path


def _relative_name(path: Path, base: Path) -> str | None:
    """``path`` relative to ``base`` (posix, ``.`` for ``base`` itself): as written when it is below it,
    else after resolving. Compared as strings: both are absolute and normalised by pathlib, and this
    runs for every letter and output of a build."""
    text = str(_absolute(path))
    folder = str(base)
    prefix = folder if folder.endswith("/") else folder + "/"
    for candidate in (text, None):
        if candidate is None:  # resolved only when needed: a resolve costs system calls for every part of the path
            candidate = str(_resolved(Path(text)))
        if candidate == folder:
            return "."
        if candidate.startswith(prefix):
            return candidate[len(prefix):]
    return None


def _without_suffix(rel: str) -> str:
    """``a/b.yaml`` → ``a/b``: the last suffix of the last part off, as ``PurePath.with_suffix("")`` does."""
    name = rel[rel.rfind("/") + 1:]
    dot = name.rfind(".")
    return rel[: len(rel) - len(name) + dot] if 0 < dot < len(name) - 1 else rel


def _named_like_letters(folder: Path, content: Path) -> list[Path]:
    """Everything below ``folder`` named like a letter that is not a folder, outside hidden folders of ``content``.

    Symlinked folders are listed, not entered (as ``Path.rglob``); one ``scandir`` per folder
    instead of a ``stat`` per file.
    """
    below = f"{content}/"
    found: list[Path] = []
    for parent, subfolders, files in os.walk(folder):
        if f"{parent}/".startswith(below):  # nothing in a hidden folder of content/ is a letter
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found.extend(Path(parent, name) for name in files if name.endswith(LETTER_SUFFIXES))
    return found
