#!/usr/bin/env python3
"""Benchmark: where the CPU of bench/batch.py's briefgen build goes, by process and thread; variants interleaved.

    .venv/bin/python bench/pdf_split.py [--letters 100] [--rounds 4] [--rev LABEL=REV] [--src LABEL=DIR]
                                        [--zonder-woo] [--jobs 2]

The werkmap is bench/batch.py's (``--letters`` copies of the Hilversum 2021 letter); it is built once unmeasured
(LibreOffice's profiles kept), then each round runs ``briefgen build --formaat pdf --opnieuw --jobs N`` per variant
(byte-compiled snapshots of src/ on PYTHONPATH, as bench/docx_ab.py; rounds alternate, ABBA). While a build runs,
every thread of its process tree is sampled from /proc every 20 ms; a thread's last utime + stime is its CPU. The
figures: the whole tree (wait4 of the children, this script being their subreaper), briefgen's main thread, its
other threads (the PDF workers' feeders and delivery threads), the UNO bridges (python3 processes), soffice.bin
and anything else. Each is printed per round, then the median (lowest) per variant. Nothing is written to
RESULTS.md: bench/PROFILE.md quotes what it needs.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402, F401  (re-runs this script under the project's .venv, as every bench script does)
from batch import drop_woo, make_werkmap  # noqa: E402
from docx_ab import alternate, summary, variants  # noqa: E402
from startup import PR_SET_CHILD_SUBREAPER, reap_orphans, tree_cpu  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _threads(root: int) -> dict[tuple[int, int], tuple[str, float]]:
    """(pid, tid) -> (kind, CPU seconds) for every thread of ``root``'s tree."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(p for p, q in parents.items() if q == pid)
    found = {}
    for pid in tree:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read()
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        if pid == root:
            kind = None
        elif b"soffice" in command:
            kind = "soffice"
        elif b"uno_bridge" in command or b"python3" in command:
            kind = "bridges"
        elif command:
            kind = "other"
        else:
            kind = "ending"  # a zombie has no command line: its kind is the one seen before
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            cpu = (int(fields[11]) + int(fields[12])) / TICK
            name = kind or ("main thread" if int(tid) == pid else "briefgen threads")
            found[(pid, int(tid))] = (name, cpu)
    return found


def build(src: Path, root: Path, jobs: int) -> dict[str, float]:
    env = os.environ | {"PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    seen: dict[tuple[int, int], tuple[str, float]] = {}
    cpu, started = tree_cpu(), time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(root), "build", "--formaat", "pdf",
                                "--opnieuw", "--jobs", str(jobs)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for key, (kind, used) in _threads(process.pid).items():
                before = seen.get(key)
                seen[key] = (before[0] if before and kind in ("ending", "other") and before[0] != "other" else kind, used)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    stop.set()
    sampler.join()
    wall = time.monotonic() - started
    reap_orphans()
    total = tree_cpu() - cpu
    if process.returncode != 0:
        sys.exit(f"briefgen build failed ({process.returncode}):\n{stderr.decode(errors='replace')[-2000:]}")
    row = {"wall s": wall, "tree CPU s": total}
    for kind in ("main thread", "briefgen threads", "bridges", "soffice", "other"):
        row[kind] = sum(c for k, c in seen.values() if k == kind)
    row["briefgen own"] = total - row["soffice"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rev", action="append", default=[], metavar="LABEL=REV", help="a variant: a git revision's src/")
    parser.add_argument("--src", action="append", default=[], metavar="LABEL=DIR", help="a variant: another src/ folder")
    parser.add_argument("--zonder-woo", action="store_true",
                        help="the organisations without their TOOI code: no .diwoo.xml beside each PDF (Carbone makes none)")
    args = parser.parse_args()
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    with tempfile.TemporaryDirectory(prefix="briefgen-pdf-split-") as tmp:
        scratch = Path(tmp)
        sources = variants(scratch, args.rev, args.src)
        root = scratch / "werkmap"
        make_werkmap(root, args.letters)
        if args.zonder_woo:
            drop_woo(root)
        build(next(iter(sources.values())), root, args.jobs)  # profiles made
        results = alternate(sources, args.rounds, lambda src: build(src, root, args.jobs))
        summary(results, f"median (lowest), {args.rounds} rounds, {args.letters} letters, --jobs {args.jobs}")


if __name__ == "__main__":
    main()
