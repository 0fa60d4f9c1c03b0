"""briefgen killed (``kill -9``, an out-of-memory kill) while its kept LibreOffice hangs on a letter: the UNO bridge
was blocked in that letter and LibreOffice stayed forever, with its sockets in /tmp. The bridge now sees briefgen
go and kills LibreOffice itself (builders/uno_bridge.py ``_orphaned``)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from briefgen.builders import launch
from tests.fuzz.helpers import kill_pids, pids_mentioning
from tests.pdf.test_pdf_processes import BRIEFGEN, _werkmap
from tests.pdf.test_pdf_resident_build import _eventually, uno  # noqa: F401  (fixture)


def _offices(root: Path) -> list[int]:
    found = []
    for pid in pids_mentioning(str(root)):
        try:
            if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def test_a_hanging_kept_libreoffice_does_not_outlive_a_killed_briefgen(soffice, uno, tmp_path):  # noqa: F811
    root = _werkmap(tmp_path, 8, f'soffice = "{soffice}"\ntaken = 1\npdf_timeout = 600\n')
    profile = (root / "build" / ".briefgen-lo" / "profile-0").resolve()
    build = subprocess.Popen([BRIEFGEN, "-C", str(root), "build", "--formaat", "pdf"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    bridges = f"briefgen-{build.pid}-"
    try:
        assert _eventually(lambda: list((root / "build" / "serie").glob("*.pdf")), 120), "no first PDF"
        [office] = _offices(root)
        os.kill(office, signal.SIGSTOP)  # hangs on the letter it converts now (or the next)
        time.sleep(1)
        build.kill()
        build.wait()
        assert pids_mentioning(bridges), "the bridge should still wait for LibreOffice here"
        assert _eventually(lambda: not _offices(root) and not pids_mentioning(bridges), 30), \
            "LibreOffice or its bridge outlived briefgen"
        assert [path for path in launch.pipe_paths(launch.profile_pipe(profile)) if os.path.lexists(path)] == []
        assert [name for name in os.listdir("/tmp") if name.startswith(f"OSL_PIPE_{os.getuid()}_{bridges}")] == []
    finally:
        build.kill()
        kill_pids(_offices(root) + pids_mentioning(bridges))
