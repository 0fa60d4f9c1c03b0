"""The werkmap's build lock: one build (or `list` writing the manifest) per werkmap at a time."""

from __future__ import annotations

import fcntl
import os
import stat
from contextlib import contextmanager
from pathlib import Path

from briefgen.fileio import OutsideFolder, confined, describe
from briefgen.problems import BriefgenError
from briefgen.werkmap import Werkmap

LOCK_NAME = ".briefgen.lock"


class BuildLocked(BriefgenError):
    """Another build holds the werkmap's lock (``briefgen watch`` waits for it and goes on)."""


@contextmanager
def build_lock(werkmap: Werkmap, holder: str = "build"):
    """One build per werkmap at a time; a second one stops with a clear message. ``holder``: the command that takes
    it (``build``, or ``list`` recording letters that stand), written into the lock file for that message."""
    build = werkmap.build
    unsafe = werkmap.unsafe_build()
    if unsafe is not None:  # before anything below it is made, locked or removed
        raise BriefgenError(unsafe)
    try:
        build.mkdir(parents=True, exist_ok=True)
        lock = confined(build, build / LOCK_NAME)
        # O_NONBLOCK: a FIFO put in its place must not make the build hang
        handle = os.fdopen(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK, 0o644), "a")
    except OutsideFolder:
        raise BriefgenError(
            f"{werkmap.shown(build)}/.briefgen.lock wijst naar een plek buiten {werkmap.shown(build)}/; "
            "verwijder die koppeling en probeer het opnieuw"
        ) from None
    except OSError as exc:
        raise BriefgenError(unusable_folder(werkmap, exc)) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(
                f"er loopt al een 'briefgen {_holder(lock)}' in deze werkmap; wacht tot die klaar is en probeer het opnieuw"
            ) from None
        try:
            _write_holder(handle.fileno(), build / LOCK_NAME, holder)
            yield
        finally:
            _write_holder(handle.fileno(), build / LOCK_NAME, "")
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_holder(descriptor: int, lock: Path, holder: str) -> None:
    """The lock file's content made ``holder``; as it was when it cannot be written (the lock holds all the same).

    Only a lock file of its own is written: not through a link to another file of build/ (a built DOCX, the
    manifest), which would be emptied."""
    try:
        info, named = os.fstat(descriptor), os.lstat(lock)  # ``lock`` as named, links not followed
        if not stat.S_ISREG(named.st_mode) or (named.st_dev, named.st_ino) != (info.st_dev, info.st_ino) \
                or info.st_nlink != 1:
            return
        os.ftruncate(descriptor, 0)
        os.write(descriptor, holder.encode())  # O_APPEND: at the start of the emptied file
    except OSError:
        pass


def _holder(lock: os.PathLike[str]) -> str:
    """The command that holds the lock, as it wrote into the lock file: ``list``, else (also when it has not
    written yet, or the file holds something else) ``build``."""
    try:
        descriptor = os.open(lock, os.O_RDONLY | os.O_NONBLOCK)
        try:
            written = os.read(descriptor, 16)
        finally:
            os.close(descriptor)
    except OSError:
        return "build"
    return "list" if written == b"list" else "build"


def unusable_folder(werkmap: Werkmap, exc: OSError) -> str:
    """Why build/ cannot be used, in Dutch, naming the folder."""
    build = werkmap.build
    shown = werkmap.shown(build)
    if build.is_symlink() and not build.exists():
        return (f"de map {shown}/ is een koppeling naar {os.readlink(build)}, en die bestaat niet "
                "(een netwerkmap die niet is aangekoppeld?); koppel de map aan of verwijder de koppeling")
    if build.exists() and not build.is_dir():
        return f"{shown} is een bestand, geen map; hernoem of verwijder het, dan maakt briefgen de map {shown}/ aan"
    lock = build / ".briefgen.lock"
    if lock.exists() and not lock.is_file():
        return f"{shown}/.briefgen.lock is geen gewoon bestand; verwijder het en probeer het opnieuw"
    return f"kan niet schrijven in de map {shown}/: {describe(exc)}"
