"""File operations briefgen makes: atomic writes, and the one guard on what a build may change.

Every write and delete below ``build/`` goes through :func:`confined`: the manifest and the folder
itself are untrusted (a hostile manifest, a symlink placed under build/), so a path is checked
after resolving symlinks, and only paths strictly inside the (resolved) folder are touched. A delete
also never follows a symlink, not even one that leads back into the folder.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

from briefgen.problems import BriefgenError

REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EACCES: "geen toestemming om te schrijven",
    errno.EPERM: "geen toestemming",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENAMETOOLONG: "de bestandsnaam is te lang",
    errno.ENOENT: "bestaat niet",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EEXIST: "er staat al een bestand met die naam",
    errno.EISDIR: "is een map",
    errno.ELOOP: "te veel symbolische koppelingen (een lus?)",
}


class OutsideFolder(BriefgenError):
    """A write or delete that would land outside the folder briefgen may change."""

    def __init__(self, path: Path, folder: Path):
        super().__init__(f"{path} ligt buiten {folder.name}/; briefgen schrijft en verwijdert daar niets")
        self.path, self.folder = path, folder


class LinkInPlace(BriefgenError):
    """A file to be written in place is a symbolic link: briefgen does not write through it."""

    def __init__(self, path: Path):
        super().__init__("op die plaats staat een symbolische koppeling; briefgen schrijft daar niet doorheen")
        self.path = path


def describe(exc: OSError) -> str:
    """Why a file operation failed, in Dutch where we know the reason."""
    reason = REASONS.get(exc.errno) if exc.errno is not None else None
    return reason or exc.strerror or str(exc)


def confined(folder: Path, path: Path) -> Path:
    """``path`` with every symlink resolved, when that lies strictly inside ``folder`` (resolved too).

    Raises :class:`OutsideFolder` otherwise, and for a path that cannot be resolved (a symlink loop).
    """
    full = path if path.is_absolute() else folder / path
    try:
        base = folder.resolve()
        target = _resolved(full, folder, base)
    except (OSError, RuntimeError):
        raise OutsideFolder(path, folder) from None
    if target == base or base not in target.parents:
        raise OutsideFolder(path, folder)
    return target


def _resolved(full: Path, folder: Path, base: Path) -> Path:
    """``full.resolve()``, where ``base`` is ``folder.resolve()``: for a path below ``folder`` as written, only
    the part below it is looked at (a system call per part), not the folder's own parts a second time.
    Anything else (``..``, a symlink below the folder, a path elsewhere) is resolved by Path.resolve."""
    try:
        rest = full.relative_to(folder).parts
    except ValueError:
        return full.resolve()
    if ".." in rest:
        return full.resolve()
    current = str(base)
    for at, part in enumerate(rest):
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return full.resolve()
        except OSError:  # as Path.resolve: what does not exist (yet) stays as written
            return Path(current, *rest[at + 1:])
    return Path(current)


def write_atomic(path: Path, data: bytes, inside: Path | None = None, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename; ``inside``: only within that folder;
    with ``exclusive`` an existing ``path`` is never replaced (FileExistsError), also when it appears
    while writing."""
    if inside is not None:
        path = confined(inside, path)
    try:  # the folder is made only when the temporary file cannot be: it nearly always exists
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)  # raises what stops the write, when it is the folder
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:  # on the descriptor: a file object would add its own system calls and a copy into its buffer
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            os.fchmod(fd, 0o644)
        finally:
            os.close(fd)
        if exclusive:
            os.link(tmp, path)
            Path(tmp).unlink()
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_transient(path: Path, data: bytes) -> None:
    """Write ``data`` as a new file at ``path``, without a temporary file or fsync: for a file read once by this
    build and then removed (a DOCX staged only for LibreOffice), which a crash may leave half-written, as the
    build folder's scratch folder is cleared at every build. ``path`` is used as named, not resolved: a symbolic
    link in its place is refused (:class:`LinkInPlace`), and a file there is removed first, so that what another
    (hard) link to it shows is never overwritten."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC  # O_EXCL: no link is followed
    try:
        fd = os.open(path, flags, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        if os.path.islink(path):
            raise LinkInPlace(path) from None
        os.unlink(path)
        fd = os.open(path, flags, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def move_into(inside: Path, source: Path, target: Path) -> None:
    """Rename ``source`` onto ``target`` (atomic), both within ``inside``."""
    target = confined(inside, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(confined(inside, source), target)


def _entry(inside: Path, path: Path) -> Path:
    """What a removal of ``path`` within ``inside`` may touch: ``path`` itself, never what a symbolic link
    leads to. :class:`OutsideFolder` when ``path`` is a symbolic link or one lies on the way below ``inside``
    (also one that leads back into it)."""
    target = confined(inside, path)
    try:
        rest = (path if path.is_absolute() else inside / path).relative_to(inside)
    except ValueError:
        raise OutsideFolder(path, inside) from None
    if target != inside.resolve() / rest:
        raise OutsideFolder(path, inside)
    return target


def remove(inside: Path, path: Path) -> bool:
    """Delete the file ``path`` within ``inside``; False when there was none."""
    target = _entry(inside, path)
    if not target.is_file():
        return False
    target.unlink(missing_ok=True)
    return True


def remove_tree(inside: Path, path: Path) -> None:
    """Delete the folder ``path`` within ``inside`` with everything in it; what cannot go stays, quietly."""
    shutil.rmtree(_entry(inside, path), ignore_errors=True)
