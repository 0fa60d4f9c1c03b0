#!/usr/bin/env python3
"""Benchmark: a DOCX-only build of N letters from an empty build/ (as bench/run.py's target row), variants interleaved.

    .venv/bin/python bench/docx_ab.py [--n 100] [--rounds 10] [--rev LABEL=REV] [--src LABEL=DIR] [--jobs N]

The werkmap is bench/werkmaps.py's (the one bench/run.py measures). Each variant is a byte-compiled snapshot
of a src/ folder on PYTHONPATH (this work tree's by default; ``--rev`` a git revision's, ``--src`` another
folder), run with the same .venv; rounds alternate the variants (ABBA), so a load that drifts favours none.
bench/startup.py's runner wraps a few functions of ``briefgen.pipeline`` on import and writes a time stamp and
the process's CPU time to a file (briefgen prints nothing of it). Per build:

- wall, and CPU (user + sys) of the whole process tree (wait4) and of the main process;
- the main process's CPU for ``import briefgen.cli`` and for importing the read and render modules before the
  pool forks (``pipeline._import_renderers``), and its CPU when those were done (before ``prepare`` and the fork);
- seconds since the start until the first letter was done in a render process.

Each figure is printed per round, then the median and (in brackets) the lowest per variant. Nothing is written
to RESULTS.md: bench/PROFILE.md quotes what it needs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402, F401  (re-runs this script under the project's .venv, as every bench script does)
import werkmaps  # noqa: E402
from prose import REPO  # noqa: E402
from startup import RUNNER, TIMELINE, snapshot, tree_cpu  # noqa: E402


def build(runner: Path, src: Path, root: Path, jobs: int, scratch: Path) -> dict[str, float]:
    shutil.rmtree(root / "build", ignore_errors=True)
    timeline = scratch / "timeline.txt"
    timeline.unlink(missing_ok=True)
    env = os.environ | {"PYTHONPATH": str(src), TIMELINE: str(timeline), "PYTHONDONTWRITEBYTECODE": "1"}
    cpu, started = tree_cpu(), time.monotonic()
    done = subprocess.run([sys.executable, str(runner), "build", "--formaat", "docx", "--jobs", str(jobs)], cwd=root,
                          env=env, capture_output=True, text=True)
    wall, cpu = time.monotonic() - started, tree_cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"briefgen build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    events: dict[str, list[tuple[float, float]]] = {}
    for line in timeline.read_text().splitlines():
        event, stamp, process_cpu = line.split()
        events.setdefault(event, []).append((float(stamp) - started, float(process_cpu)))

    def cpu_at(event: str) -> float:  # these events happen in the main process only (a pool worker ends without atexit)
        return events[event][0][1] if event in events else float("nan")

    return {"wall s": wall, "tree CPU s": cpu, "main CPU s": cpu_at("end"), "CLI import, CPU s": cpu_at("cli"),
            "render imports, CPU s": cpu_at("imported") - cpu_at("imports"), "main CPU before prepare s": cpu_at("imported"),
            "first letter done, s": min((t for t, _ in events.get("letter", [])), default=float("nan"))}


def variants(scratch: Path, revs: list[str], sources: list[str]) -> dict[str, Path]:
    """Byte-compiled snapshots of src/ by label: ``LABEL=REV`` a git revision's, ``LABEL=DIR`` a folder's; none
    given, this work tree's as "werkboom"."""
    found: dict[str, Path] = {}
    for spec in revs:
        label, rev = spec.split("=", 1)
        found[label] = snapshot(scratch / label, rev=rev)
    for spec in sources:
        label, folder = spec.split("=", 1)
        found[label] = snapshot(scratch / label, source=Path(folder))
    return found or {"werkboom": snapshot(scratch / "werkboom", source=REPO / "src")}


def alternate(sources: dict[str, Path], rounds: int,
              run: Callable[[Path], dict[str, float]]) -> dict[str, list[dict[str, float]]]:
    """``run`` each variant ``rounds`` times in turn, the order reversed every other round (ABBA), so that a load
    that drifts favours none; each round printed as it ends."""
    results: dict[str, list[dict[str, float]]] = {label: [] for label in sources}
    for turn in range(rounds):
        for label in sorted(sources, reverse=turn % 2 == 1):
            row = run(sources[label])
            results[label].append(row)
            print(f"{label}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items())
                  + f", load {os.getloadavg()[0]:.1f}", flush=True)
    return results


def summary(results: dict[str, list[dict[str, float]]], heading: str) -> None:
    """Each figure's median and (in brackets) lowest per variant."""
    print(f"\n{heading}, load at end {os.getloadavg()[0]:.1f}")
    for key in next(iter(results.values()))[0]:
        cells = [f"{statistics.median(r[key] for r in rows):.3f} ({min(r[key] for r in rows):.3f})"
                 for rows in results.values()]
        print(f"{key:<26}" + "".join(f"{label}: {cell:<20}" for label, cell in zip(results, cells, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="letters in the werkmap (default: 100)")
    parser.add_argument("--rounds", type=int, default=10, help="builds per variant (default: 10)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs of the build (default: nproc)")
    parser.add_argument("--rev", action="append", default=[], metavar="LABEL=REV", help="a variant: a git revision's src/")
    parser.add_argument("--src", action="append", default=[], metavar="LABEL=DIR", help="a variant: another src/ folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-docx-ab-") as tmp:
        scratch = Path(tmp)
        sources = variants(scratch, args.rev, args.src)
        root = werkmaps.create(scratch / "werkmap", args.n).root
        runner = scratch / "runner.py"
        runner.write_text(RUNNER)
        results = alternate(sources, args.rounds, lambda src: build(runner, src, root, args.jobs, scratch))
        summary(results, f"median (lowest), {args.rounds} rounds, {args.n} letters, --jobs {args.jobs}")


if __name__ == "__main__":
    main()
