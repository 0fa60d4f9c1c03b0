"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

REASONS: dict[int | None, str] = {  # OSError.errno may be None
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EACCES: "geen toestemming om te schrijven",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENAMETOOLONG: "de bestandsnaam is te lang",
    errno.ENOENT: "de map of het bestand bestaat niet",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "dit is een map",
}


def describe(exc: OSError) -> str:
    """Why a file operation failed, in Dutch where we know the reason."""
    return REASONS.get(exc.errno, exc.strerror or str(exc))


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
