"""``kill -9`` of one worker process of ``briefgen build``: briefgen ends with its Dutch message, and the manifest agrees
with the disk. Every letter whose output the other worker wrote is recorded (the next build does not make it again),
also those after the killed worker's letter; the letter it was rendering, without output, is not.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from briefgen.manifest import Manifest
from briefgen.werkmap import Werkmap
from briefgen.workers import WORKER_ENDED
from tests.cli.test_termination import LETTERS, _werkmap, alive

# briefgen itself, with the rendering of brief0 (the first letter in order) blocked once it wrote its pid: the worker
# that took it is the one the test kills, once the other worker has written every other letter.
BLOCKING = """
import sys, time
from pathlib import Path
from briefgen import pipeline, start

blocked, call = Path(sys.argv[1]), pipeline._Worker.__call__

def blocking(self, task):
    if task[0].name == "brief0.yaml":
        blocked.write_text(str(__import__("os").getpid()), encoding="utf-8")
        time.sleep(600)
    return call(self, task)

pipeline._Worker.__call__ = blocking
sys.argv = ["briefgen", *sys.argv[2:]]
start.main()
"""


def _docx(root: Path, i: int) -> Path:
    return root / "build" / "serie" / f"brief{i}.docx"


def test_a_killed_worker_leaves_a_manifest_that_agrees_with_the_disk(tmp_path):
    root = _werkmap(tmp_path)
    blocked = tmp_path / "blocked.pid"
    process = subprocess.Popen([sys.executable, "-c", BLOCKING, str(blocked), "-C", str(root), "build", "--formaat",
                                "docx"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (blocked.is_file() and blocked.read_text() and all(_docx(root, i).is_file()
                                                                      for i in range(1, LETTERS))):
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.05)
        os.kill(int(blocked.read_text()), signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 1 and stderr == f"briefgen: {WORKER_ENDED}\n", stderr
    finally:
        if alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)

    werkmap = Werkmap(root)
    manifest = Manifest.load(werkmap.manifest)
    recorded = {shown for shown in manifest.letters
                if manifest.is_current(root, shown, "docx", werkmap.output(root / shown, "docx"))}
    assert not _docx(root, 0).exists()
    assert set(manifest.letters) == recorded == {f"content/serie/brief{i}.yaml" for i in range(1, LETTERS)}, recorded

    again = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(root), "build", "--formaat", "docx"],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert {shown for shown in Manifest.load(werkmap.manifest).letters} == {
        f"content/serie/brief{i}.yaml" for i in range(LETTERS)}
