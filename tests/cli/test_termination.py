"""``kill`` of briefgen, and of its worker processes with it: as Ctrl-C, and nothing keeps running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen.cli import dutch
from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import STYLE_2021, new_werkmap

BRIEFGEN = str(Path(sys.executable).with_name("briefgen"))
LETTERS = 16  # enough for worker processes (workers.POOL_THRESHOLD)


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += map(int, (task / "children").read_text().split())
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    """Running, i.e. existing and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def gone(pids: list[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while any(map(alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(map(alive, pids))


def _werkmap(tmp_path: Path) -> Path:
    werkmap = new_werkmap(tmp_path / "werkmap", {f"serie/brief{i}.yaml": SMALL_LETTER.format(n=i) for i in range(LETTERS)},
                          templates=STYLE_2021)
    (werkmap.root / "briefgen.toml").write_text("taken = 2\n", encoding="utf-8")
    return werkmap.root


def _start_with_workers(root: Path, command: list[str]) -> tuple[subprocess.Popen, list[int]]:
    """``briefgen command`` in its own process group, once its two worker processes run."""
    process = subprocess.Popen([BRIEFGEN, "-C", str(root), *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(workers := children(process.pid)) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if len(workers) < 2:
        process.kill()
        pytest.fail(f"briefgen {' '.join(command)} started no worker processes: {process.communicate()}")
    return process, workers


@pytest.mark.parametrize("command", [["check"], ["list"], ["build", "--formaat", "docx"]], ids=["check", "list", "build"])
@pytest.mark.parametrize("group", [False, True], ids=["briefgen", "process-group"])
def test_kill_ends_briefgen_and_its_workers_as_ctrl_c_does(tmp_path, command, group):
    """SIGTERM to briefgen (or to all its processes, as a service manager or a closed terminal sends it) while its
    workers read letters: 'briefgen: afgebroken', code 130, no traceback of any process, no worker left."""
    process, workers = _start_with_workers(_werkmap(tmp_path), command)
    try:
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == dutch.EXIT_INTERRUPTED, stderr
        assert stderr.startswith(f"briefgen: {dutch.ABORTED}")
        assert "Traceback" not in stderr
        assert gone(workers)
    finally:
        for pid in [process.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_workers_end_when_briefgen_is_killed_with_sigkill(tmp_path):
    """``kill -9`` gives briefgen no chance to stop its workers: they end with it all the same."""
    process, workers = _start_with_workers(_werkmap(tmp_path), ["check"])
    try:
        process.kill()
        process.communicate(timeout=60)
        assert gone(workers)
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
