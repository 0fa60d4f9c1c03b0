"""How the PDF builder starts LibreOffice: past the ``soffice`` shell script, with GnuPG out of sight.

On every document it loads, soffice.bin checks the document's signatures. For that gpgme runs
gpgconf (twice), gpg, gpgsm and gpgconf again, and LibreOffice runs ``sh -c paperconf``: six
forks of a 170 MB process per start, each briefly counted twice in memory, and about 0.1 s.
A conversion needs none of it. gpgme looks for its programs along PATH, so soffice.bin gets a
PATH with only LibreOffice's own program folder: gpgme then reports no engine and LibreOffice
goes on without signature checks, which an unsigned DOCX does not need.

On Linux ``soffice`` is a shell script that sets LC_ALL=C (remembering the old value in
LO_SAVE_LC_ALL, which soffice.bin restores) and SAL_ENABLE_FILE_LOCKING=1, then starts
``oosplash``. The PATH must be set after the script, so briefgen does what the script does and
starts oosplash itself. Anything else (macOS, a wrapper, a test's fake soffice) starts as given.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def command(soffice: str) -> tuple[str, dict[str, str] | None]:
    """The program to run and its environment (None: inherit) for the LibreOffice at ``soffice``."""
    found = shutil.which(soffice)
    if found is None:
        return soffice, None
    real = Path(found).resolve()
    program = real.parent
    splash = program / "oosplash"
    if not (real.name == "soffice" and _is_script(real) and os.access(splash, os.X_OK)
            and (program / "soffice.bin").is_file() and not (program / "ooenv").exists()):
        return soffice, None
    environment = dict(os.environ)
    environment["LO_SAVE_LC_ALL"] = environment.get("LC_ALL", "")
    environment["LC_ALL"] = "C"
    environment["SAL_ENABLE_FILE_LOCKING"] = "1"
    environment["PATH"] = str(program)
    return str(splash), environment


def _is_script(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(2) == b"#!"
    except OSError:
        return False
