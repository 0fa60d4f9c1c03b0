"""Peak memory of a process and all its descendants, sampled from /proc (Linux only).

Every ``interval`` seconds the sampler finds all descendants of the root process (by walking
parent ids in /proc/*/stat) and sums their RSS (/proc/PID/statm) and PSS (/proc/PID/smaps_rollup).
RSS counts pages shared between processes (forked pool workers, LibreOffice libraries) once per
process, so the RSS sum is the pessimistic figure the target is set against; PSS divides shared
pages between their users and is the closer estimate of real memory use.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

PAGE = os.sysconf("SC_PAGE_SIZE")


def _parents() -> dict[int, int]:
    """pid -> ppid for every process we can see."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid …": comm may contain spaces and parentheses
        fields = stat[stat.rindex(b")") + 2:].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def tree(root: int) -> list[int]:
    """``root`` and all its living descendants."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


@dataclass
class Peak:
    rss: int = 0  # bytes, largest sum of RSS over the tree seen in one sample
    pss: int = 0  # bytes, largest sum of PSS
    processes: int = 0  # most processes in the tree at once
    samples: int = 0


class TreeSampler:
    """``with TreeSampler(pid) as sampler: …``; afterwards ``sampler.peak``."""

    def __init__(self, root: int, interval: float = 0.05):
        self.root = root
        self.interval = interval
        self.peak = Peak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        pids = tree(self.root)
        peak = self.peak
        peak.rss = max(peak.rss, sum(map(_rss, pids)))
        peak.pss = max(peak.pss, sum(map(_pss, pids)))
        peak.processes = max(peak.processes, len(pids))
        peak.samples += 1


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root: int) -> float:
    """User + system CPU of ``root`` and its living descendants, with the children they reaped.

    For a process that keeps running (a resident LibreOffice), the difference between two calls is
    the CPU it spent in between.
    """
    total = 0
    for pid in tree(root):
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / TICK


@dataclass
class Measured:
    """One finished process tree: its exit code, output, and what it cost."""

    code: int
    stdout: str
    stderr: str
    wall: float  # seconds, from spawn to exit
    cpu: float  # user + system seconds of the process and every descendant it waited for (wait4)
    peak: Peak | None  # None unless sampled


PR_SET_CHILD_SUBREAPER = 36


@functools.cache
def _subreaper() -> None:
    """Descendants that outlive their parent come to this process, so that their CPU is counted: briefgen kills its
    LibreOffices when their work is done (builders/resident.py), and nobody in the tree waits for them then."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap(others: set[int], seconds: float = 10) -> float:
    """Wait for this process's children that are not ``others`` (descendants of a finished measurement, reparented
    here); their user + system seconds."""
    cpu, deadline, me = 0.0, time.monotonic() + seconds, os.getpid()
    while time.monotonic() < deadline:
        left = [pid for pid, parent in _parents().items() if parent == me and pid not in others]
        if not left:
            break
        for pid in left:
            with contextlib.suppress(ChildProcessError):
                done, _, usage = os.wait4(pid, os.WNOHANG)
                if done:
                    cpu += usage.ru_utime + usage.ru_stime
        time.sleep(0.02)
    return cpu


def measured(command: list[str], *, memory: bool = False, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` to its end; wall and CPU time from wait4 (with what it left running, reaped here), peak
    memory of the tree if ``memory``."""
    _subreaper()
    me = os.getpid()
    others = {pid for pid, parent in _parents().items() if parent == me}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        with TreeSampler(process.pid) if memory else contextlib.nullcontext() as sampler:
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        left = _reap(others)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    return Measured(process.returncode, stdout, stderr, wall, usage.ru_utime + usage.ru_stime + left,
                    sampler.peak if sampler else None)
