"""Prepares the LibreOffice user profiles the PDF builder keeps between builds.

LibreOffice runs its "graphics render tests" at every start until the profile records the
version it last ran as (``ooSetupLastVersion``). Only the interactive first start writes that
setting, so a headless profile would repeat the tests forever: about a second of CPU and 30 MB
of memory per soffice start. Recording the version once removes both.
"""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path

from briefgen.builders.launch import Deadline, Tail, kill_group
from briefgen.fileio import write_atomic

SETTINGS = "user/registrymodifications.xcu"
_KEY = "ooSetupLastVersion"
_ITEM = ('<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">'
         "<value>{version}</value></prop></item>\n")
_EMPTY = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"'
          ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n</oor:items>\n')
_END = "</oor:items>"
POLL_SECONDS = 0.25  # how often a wait for LibreOffice looks whether the build was interrupted


def version(soffice: str, timeout: float = 120.0, aborted: threading.Event | None = None) -> str | None:
    """LibreOffice's "major.minor" from ``soffice --version`` (a fraction of a second), or None.

    A LibreOffice that hangs gets ``timeout`` seconds (the ``pdf_timeout`` setting), and is then
    killed with everything it started; so is one still running when ``aborted`` is set (Ctrl-C).
    """
    try:
        process = subprocess.Popen([soffice, "--version"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return None
    assert process.stdout is not None  # stdout=PIPE
    output = Tail(process.stdout)  # its last bytes only: a broken soffice may flood its output
    deadline = Deadline(timeout, POLL_SECONDS)
    try:
        while True:
            try:
                process.wait(timeout=max(deadline.step(), 0.01))
                break
            except subprocess.TimeoutExpired:
                if (aborted is not None and aborted.is_set()) or deadline.passed():
                    return None
    finally:
        kill_group(process)  # also what it left running in the background
        text = output.text()
    found = re.search(r"LibreOffice (\d+)\.(\d+)\.", text)
    return f"{int(found[1])}.{int(found[2])}" if found else None


def is_prepared(profile: Path) -> bool:
    try:
        return _KEY in (profile / SETTINGS).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def prepare(profile: Path, version: str) -> None:
    """Record ``version`` as the last one run in ``profile`` (created when missing)."""
    settings = profile / SETTINGS
    try:
        text = settings.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = _EMPTY
    if _KEY in text or _END not in text:
        return  # already there, or a file we do not understand: leave it to LibreOffice
    at = text.rindex(_END)
    write_atomic(settings, (text[:at] + _ITEM.format(version=version) + text[at:]).encode("utf-8"))
