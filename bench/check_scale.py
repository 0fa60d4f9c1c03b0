#!/usr/bin/env python3
"""Benchmark for ``briefgen check`` and ``briefgen list`` at scale, against the DOCX build of the same letters.

    .venv/bin/python bench/check_scale.py [--n 2000] [--werkmap DIR] [--out bench/RESULTS.md]

In ONE run on one generated werkmap of N letters (bench/werkmaps.py), each a separate process with
the work tree's source: ``build --formaat docx --opnieuw``, ``check`` cold (no build/.briefgen-check.json),
``check`` warm, ``check`` after one letter changed, and ``list``. Writes its own section of the
report (between its markers, replacing an earlier one) with each time as a share of the DOCX build.
Targets (issue 16): warm check and list at most 0.5 x the DOCX build.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402  (re-runs this script under the project's .venv, as every bench script does)
import werkmaps  # noqa: E402
from prose import BENCH, REPO  # noqa: E402

BEGIN = "<!-- bench/check_scale.py: begin -->"
END = "<!-- bench/check_scale.py: end -->"
CACHE = Path("build") / ".briefgen-check.json"
TARGET = 0.5


def measure(root: Path, bench: werkmaps.BenchWerkmap) -> tuple[list[tuple[str, float, float, str]], bool]:
    """The timed steps (label, wall s, CPU s, last line) and whether warm and cold check said the same."""
    source = REPO / "src"
    steps = []

    def step(label: str, *args: str) -> list[str]:
        wall, cpu, last, lines = prose.timed_check(source, root, args)
        steps.append((label, wall, cpu, last))
        print(f"{label}: {wall:.2f} s", file=sys.stderr)
        return lines

    step("`build --formaat docx --opnieuw`", "build", "--formaat", "docx", "--opnieuw")
    (root / CACHE).unlink(missing_ok=True)
    cold = step("`check`, cold (no cache)", "check")
    warm = step("`check`, warm (nothing changed)", "check")
    werkmaps.change_letter(bench.made[0])
    step("`check`, one letter changed", "check")
    step("`list`", "list")
    return steps, cold == warm


def section(args: argparse.Namespace, steps: list[tuple[str, float, float, str]], same: bool) -> str:
    docx = steps[0][1]
    lines = [
        BEGIN,
        "## `check` and `list` at scale (bench/check_scale.py)",
        "",
        f"Measured {time.strftime('%Y-%m-%dT%H:%M:%S%z')} on commit {args.commit}, nproc {os.cpu_count()}, load average at start "
        f"{args.load}. One run, one werkmap of N={args.n} letters, each step a separate process. "
        f"Reproduce: `.venv/bin/python bench/check_scale.py --n {args.n}`.",
        "",
        "| step | wall s | CPU s | × DOCX build (wall) | × DOCX build (CPU) | target | last line |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    docx_cpu = steps[0][2]
    for label, wall, cpu, last in steps:
        target = f"≤ {TARGET}" if label.startswith(("`check`, warm", "`list`")) else ""
        verdict = ("" if not target else " ✓" if wall <= TARGET * docx else " ✗")
        lines.append(f"| {label} | {wall:.2f} | {cpu:.2f} | {wall / docx:.2f}{verdict} | {cpu / docx_cpu:.2f} | {target} | {last} |")
    lines += [
        "",
        f"Output of warm against cold check: {'identical' if same else 'DIFFERENT'} (every line of stdout and stderr).",
        "The cache (build/.briefgen-check.json) keeps each letter's spelling and readability by content hash, and "
        "its whole read result while none of its inputs (letter, organisation, template, cited letters, bijlagen) "
        "changed: a warm check reads no unchanged letter, only the duplicate numbers are computed anew. "
        "What is read (cold check, a changed letter, `list`) is read in `taken` processes, like the build; "
        "`list` reads only the header of a letter the manifest calls built. "
        "The machine is shared: with a high load average compare the CPU columns.",
        "",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="letters in the werkmap (default: 2000)")
    parser.add_argument("--werkmap", type=Path, help="make the werkmap in this folder (must not exist) and keep it")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md", help="report file (default: bench/RESULTS.md)")
    args = parser.parse_args()
    args.commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                                 check=True, capture_output=True, text=True).stdout.strip()
    args.load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="briefgen-check-scale-") as tmp:
        root = args.werkmap or Path(tmp) / "werkmap"
        bench = werkmaps.create(root, args.n)
        steps, same = measure(root, bench)
    text = section(args, steps, same)
    prose.write(args.out, text, BEGIN, END)
    print(text)


if __name__ == "__main__":
    main()
