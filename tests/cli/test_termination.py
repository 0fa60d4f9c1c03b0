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
from briefgen.workers import WORKER_ENDED
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


def _werkmap(tmp_path: Path, settings: str = "taken = 2\n", letters: int = LETTERS) -> Path:
    werkmap = new_werkmap(tmp_path / "werkmap", {f"serie/brief{i}.yaml": SMALL_LETTER.format(n=i) for i in range(letters)},
                          templates=STYLE_2021)
    (werkmap.root / "briefgen.toml").write_text(settings, encoding="utf-8")
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


def _stopped(process: subprocess.Popen, workers: list[int], group: bool, how: signal.Signals) -> None:
    """``how`` to briefgen (or to all its processes): 'briefgen: afgebroken', code 130, no traceback of any
    process, no worker left."""
    try:
        if group:
            os.killpg(process.pid, how)
        else:
            process.send_signal(how)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == dutch.EXIT_INTERRUPTED, stderr
        assert stderr.startswith(f"briefgen: {dutch.ABORTED}")
        assert "Traceback" not in stderr, stderr
        assert gone(workers)
    finally:
        for pid in [process.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


COMMANDS = pytest.mark.parametrize("command", [["check"], ["list"], ["build", "--formaat", "docx"]],
                                   ids=["check", "list", "build"])


@COMMANDS
@pytest.mark.parametrize("group", [False, True], ids=["briefgen", "process-group"])
def test_kill_ends_briefgen_and_its_workers_as_ctrl_c_does(tmp_path, command, group):
    """SIGTERM to briefgen (or to all its processes, as a service manager or a closed terminal sends it) while its
    workers read letters."""
    _stopped(*_start_with_workers(_werkmap(tmp_path), command), group, signal.SIGTERM)


@COMMANDS
def test_ctrl_c_in_the_terminal_ends_briefgen_and_its_workers(tmp_path, command):
    """Ctrl-C in a terminal sends SIGINT to briefgen and its workers alike: the workers leave it to briefgen,
    which ends them after the letters they began."""
    _stopped(*_start_with_workers(_werkmap(tmp_path), command), True, signal.SIGINT)


@COMMANDS
def test_a_worker_killed_on_its_own_ends_briefgen_with_a_dutch_message(tmp_path, command):
    """``kill -9`` of one worker process (the kernel's out-of-memory killer does the same): briefgen says so in Dutch,
    exit code 1, no traceback; the other worker ends too."""
    process, workers = _start_with_workers(_werkmap(tmp_path, letters=64), command)
    try:
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 1, stderr
        assert stderr == f"briefgen: {WORKER_ENDED}\n"
        assert gone(workers)
    finally:
        for pid in [process.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# A LibreOffice that starts and never answers: briefgen is still in its PDF stage when it is stopped.
SILENT_SOFFICE = """#!/bin/sh
case "$*" in *--version*) echo "LibreOffice 7.4.7.2 40(Build:2)"; exit 0;; esac
exec sleep 1000
"""


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_stopping_all_of_briefgen_in_the_pdf_stage_ends_its_workers_and_libreoffices(tmp_path, how):
    """``build --formaat pdf`` with eight jobs (two worker processes that render, eight LibreOffices), stopped as a
    whole (a closed terminal, a service manager, Ctrl-C) once LibreOffice converts while later letters are still
    rendered: as above, and no LibreOffice left. (The PDF stage stops its LibreOffices before the workers are
    ended: the pool's thread, seeing its workers killed, once met letters cancelled meanwhile and printed
    ``InvalidStateError: CANCELLED`` before 'briefgen: afgebroken'; workers.ordered.)"""
    soffice = tmp_path / "soffice"
    soffice.write_text(SILENT_SOFFICE, encoding="utf-8")
    soffice.chmod(0o755)
    process, workers = _start_with_workers(_werkmap(tmp_path, f'taken = 8\nsoffice = "{soffice}"\n', letters=64),
                                           ["build", "--formaat", "pdf"])
    deadline = time.monotonic() + 60
    while not (offices := _offices(process.pid)) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        assert offices, "no LibreOffice started"
        _stopped(process, workers, True, how)
        assert gone(offices)
    finally:
        for pid in offices:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def _offices(pid: int) -> list[int]:
    """The (silent) LibreOffices among the processes ``pid`` started, and they started in turn."""
    found, todo = [], children(pid)
    while todo:
        child = todo.pop()
        todo += children(child)
        try:
            if Path(f"/proc/{child}/cmdline").read_bytes() == b"sleep\x001000\x00":
                found.append(child)
        except OSError:
            pass
    return found
