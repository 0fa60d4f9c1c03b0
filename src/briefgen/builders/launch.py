"""How the PDF builder starts LibreOffice: past the ``soffice`` shell script, with GnuPG out of sight.

On every document it loads, soffice.bin checks the document's signatures. For that gpgme runs
gpgconf (twice), gpg, gpgsm and gpgconf again, and LibreOffice runs ``sh -c paperconf``: six
forks of a 170 MB process per start, each briefly counted twice in memory, and about 0.1 s.
A conversion needs none of it. gpgme looks for its programs along PATH, so soffice.bin gets a
PATH with only LibreOffice's own program folder: gpgme then reports no engine and LibreOffice
goes on without signature checks, which an unsigned DOCX does not need.

On Linux ``soffice`` is a shell script that, for a plain start, only exports
SAL_ENABLE_FILE_LOCKING=1 and then starts ``oosplash`` (LC_ALL it sets for its own commands and
restores). The PATH must be set after the script, so briefgen does the same and starts oosplash
itself, but only when the script is the one LibreOffice ships (it ends by starting oosplash).
Anything else (macOS, the BSDs, a wrapper, a test's fake soffice) starts as given.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

_SCRIPT_ENDING = b'"$sd_prog/oosplash" "$@"'


def direct(soffice: str) -> str | None:
    """The ``oosplash`` to start instead of ``soffice``, or None to start ``soffice`` as given."""
    found = shutil.which(soffice)
    if found is None or not sys.platform.startswith("linux"):
        return None
    real = Path(found).resolve()
    program = real.parent
    splash = program / "oosplash"
    if (real.name == "soffice" and _is_packaged_script(real) and os.access(splash, os.X_OK)
            and (program / "soffice.bin").is_file() and not (program / "ooenv").exists()):
        return str(splash)
    return None


def environment(splash: str) -> dict[str, str]:
    """The environment for ``splash``: the current one as the script leaves it, PATH its own folder."""
    return os.environ | {"SAL_ENABLE_FILE_LOCKING": "1", "PATH": str(Path(splash).parent)}


def kill_group(process: subprocess.Popen) -> None:
    """Kill a program started with ``start_new_session`` and everything it started, and reap it.

    LibreOffice starts oosplash -> soffice.bin (and a hanging one may have more children): killing
    only the direct child would leave them running.
    """
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _is_packaged_script(path: Path) -> bool:
    try:
        text = path.read_bytes()[:20_000]
    except OSError:
        return False
    return text.startswith(b"#!") and _SCRIPT_ENDING in text
