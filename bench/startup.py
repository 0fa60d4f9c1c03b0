#!/usr/bin/env python3
"""Benchmark: from ``briefgen build`` starting to the first letter in LibreOffice, and the whole build's cost.

    .venv/bin/python bench/startup.py [--n 100] [--rounds 5] [--rev LABEL=REV] [--src LABEL=DIR]
                                      [--env LABEL:NAME=VALUE] [--only 100|1] [--out bench/RESULTS.md]

Makes the werkmap of the task description (N copies of the Hilversum 2021 example letter, each with its
own number; ``render_cost.werkmap``), builds it once unmeasured (LibreOffice's profiles under build/ are
kept between builds, as a griffie's are), then runs in turn, for each variant, ``briefgen build --formaat pdf
--opnieuw`` on all letters and on the one example letter. A variant is a byte-compiled snapshot of a src/
folder on PYTHONPATH (this work tree's by default; ``--rev`` a git revision's, ``--src`` another folder),
with the same .venv, optionally with extra environment variables (``--env``, for an A/B of a switch).
Rounds alternate the variants (ABBA), so a load that drifts during the run favours none.

The timeline comes from a runner script (written to the temporary folder) that starts briefgen's CLI in
the same process after a hook on the import of ``briefgen.pipeline`` and ``briefgen.builders.resident``
wrapped a few of their functions to write a time stamp (CLOCK_MONOTONIC, shared by all processes) and the
process's CPU time to a file; briefgen itself prints nothing of it. Each stage is given in seconds since
the benchmark started the process (the interpreter's start included):

- CLI imported: ``import briefgen.cli`` returned;
- planned: the stale letters are known (``pipeline._rendering`` entered);
- PDF stage open: ``pipeline._PdfStage.__enter__`` returned (LibreOffice and its bridges are being started);
- LibreOffice ready: the first ``resident.ResidentConverter.start`` returned (its bridge answered);
- first letter rendered: the first rendered letter reached ``_PdfStage.add``;
- first conversion requested / done: the first ``ResidentConverter.convert_one`` entered / returned;
- first PDF delivered: the first letter's PDF, DOCX and Woo file written (``_PdfStage._delivered``);
- last conversion done, last PDF delivered: the same stamps' last, where the tail (closing LibreOffice) begins;
- end: the process's atexit; "tail" is end minus the last conversion done, per build.

Also the wall time, the CPU time (user + sys) of the main process and of the whole process tree (the
benchmark is the child subreaper: LibreOffice processes that outlive their parent are reaped here and
counted). Each figure is the median over the rounds, the lowest in brackets. The section of ``--out``
between this script's markers is replaced (or added), with ``prose.write``.
"""

from __future__ import annotations

import argparse
import compileall
import ctypes
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402  (re-runs this script under the project's .venv, as every bench script does)
from prose import BENCH, REPO  # noqa: E402
from render_cost import LETTER, werkmap  # noqa: E402

BEGIN = "<!-- bench/startup.py: begin -->"
END = "<!-- bench/startup.py: end -->"
TIMELINE = "BRIEFGEN_STARTUP_TIMELINE"
PR_SET_CHILD_SUBREAPER = 36
TAIL = "tail: end − last conversion done"  # closing LibreOffice, the last delivery and what follows (stop 30)

# (event in the file, what the report calls it, first or last occurrence)
STAGES = [
    ("cli", "CLI imported", min),
    ("planned", "planned (stale letters known)", min),
    ("stage", "PDF stage open", min),
    ("ready", "LibreOffice ready (first)", min),
    ("ready", "LibreOffice ready (last)", max),
    ("rendered", "first letter rendered", min),
    ("requested", "first conversion requested", min),
    ("converted", "first conversion done", min),
    ("delivered", "first PDF delivered", min),
    ("converted", "last conversion done", max),
    ("delivered", "last PDF delivered", max),
    ("end", "end", min),
]

RUNNER = r'''
import atexit, importlib.machinery, os, sys, threading, time

_out = open(os.environ["BRIEFGEN_STARTUP_TIMELINE"], "a", buffering=1)
_lock = threading.Lock()


def mark(event):
    with _lock:
        _out.write(f"{event} {time.monotonic():.6f} {time.process_time():.6f}\n")


def wrap(owner, name, before=None, after=None):
    original = getattr(owner, name, None)
    if original is None:
        return

    def wrapped(*args, **kwargs):
        if before:
            mark(before)
        result = original(*args, **kwargs)
        if after:
            mark(after)
        return result

    setattr(owner, name, wrapped)


def patch_pipeline(module):
    original = module._rendering

    def rendering(*args, **kwargs):
        mark("planned")
        return original(*args, **kwargs)

    module._rendering = rendering
    stage = module._PdfStage
    wrap(stage, "__enter__", after="stage")
    wrap(stage, "add", before="rendered")
    wrap(stage, "_delivered", before="delivered")
    wrap(module, "_import_renderers", before="imports", after="imported")
    wrap(module._Worker, "__call__", after="letter")  # each letter read and rendered (bench/docx_ab.py)


def patch_resident(module):
    converter = module.ResidentConverter
    start = converter.start

    def started(self, *args, **kwargs):
        running = self.running
        result = start(self, *args, **kwargs)
        if not running:
            mark("ready")
        return result

    converter.start = started
    wrap(converter, "convert_one", before="requested", after="converted")


PATCHES = {"briefgen.pipeline": patch_pipeline, "briefgen.builders.resident": patch_resident}


class Hook:
    """Runs a patch right after its module is executed, before anyone can call into it."""

    @staticmethod
    def find_spec(name, path, target=None):
        if name not in PATCHES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            PATCHES[name](module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, Hook)
mark("start")
atexit.register(mark, "end")
from briefgen.cli import main
mark("cli")
sys.argv[0] = "briefgen"
main()
'''


def snapshot(folder: Path, source: Path | None = None, rev: str | None = None) -> Path:
    """A byte-compiled copy of ``source`` (a src/ folder) or of a git revision's src/, in ``folder``."""
    if rev is not None:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev, "src"],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    else:
        assert source is not None
        shutil.copytree(source, folder / "src", symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    compileall.compile_dir(folder / "src", quiet=1)
    return folder / "src"


def tree_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reap_orphans() -> None:
    """Wait for what the build left running (reparented to this subreaper), so its CPU is counted."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def run(python: str, runner: Path, src: Path, env: dict[str, str], root: Path, arguments: list[str],
        scratch: Path) -> dict[str, float]:
    """One build; seconds since the start of the process for each stage, plus wall and CPU."""
    timeline = scratch / "timeline.txt"
    timeline.unlink(missing_ok=True)
    environment = os.environ | {"PYTHONPATH": str(src), TIMELINE: str(timeline), "PYTHONDONTWRITEBYTECODE": "1"} | env
    cpu_before = tree_cpu()
    started = time.monotonic()
    process = subprocess.run([python, str(runner), "build", "--formaat", "pdf", "--opnieuw", *arguments],
                             cwd=root, env=environment, capture_output=True, text=True)
    wall = time.monotonic() - started
    reap_orphans()
    if process.returncode != 0:
        sys.exit(f"briefgen build failed ({process.returncode}):\n{process.stdout}\n{process.stderr}")
    events: dict[str, list[tuple[float, float]]] = {}
    for line in timeline.read_text().splitlines():
        event, stamp, cpu = line.split()
        events.setdefault(event, []).append((float(stamp) - started, float(cpu)))
    result = {"wall": wall, "tree CPU": tree_cpu() - cpu_before, "main CPU": max(c for _, c in events["end"])}
    for event, label, pick in STAGES:
        if event in events:
            result[label] = pick(t for t, _ in events[event])
    if "converted" in events:
        result[TAIL] = max(t for t, _ in events["end"]) - max(t for t, _ in events["converted"])
    if "rendered" in events:
        result["main CPU to first letter rendered"] = events["rendered"][0][1]
    if "imports" in events and "imported" in events:
        result["render imports (wall)"] = events["imported"][0][0] - events["imports"][0][0]
    return result


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f})"


def section(args: argparse.Namespace, results: dict[str, dict[str, list[dict[str, float]]]]) -> str:
    variants = list(next(iter(results.values())))
    rows = [label for _, label, _ in STAGES] + [TAIL, "render imports (wall)", "main CPU to first letter rendered", "wall",
                                                "main CPU", "tree CPU"]
    lines = [BEGIN, "## Start-up to the first conversion (bench/startup.py)", "",
             f"`{args.command}` on commit {args.commit}, load before {args.load_before}, after {args.load_after}. "
             f"{args.rounds} rounds, variants alternating; seconds since the process started (median, lowest in "
             "brackets); CPU is user + sys. Variants: " + "; ".join(f"{name}: {args.described[name]}" for name in variants)
             + ".", ""]
    for scenario, runs in results.items():
        lines += [f"`build --formaat pdf --opnieuw` {scenario}:", "",
                  "| stage | " + " | ".join(variants) + " |", "|---|" + "---:|" * len(variants)]
        for row in rows:
            cells = [summary([r[row] for r in runs[name] if row in r]) if any(row in r for r in runs[name]) else "–"
                     for name in variants]
            lines.append(f"| {row} | " + " | ".join(cells) + " |")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="letters in the werkmap (default: 100)")
    parser.add_argument("--rounds", type=int, default=5, help="builds per variant and scenario (default: 5)")
    parser.add_argument("--rev", action="append", default=[], metavar="LABEL=REV", help="a variant: a git revision's src/")
    parser.add_argument("--src", action="append", default=[], metavar="LABEL=DIR", help="a variant: another src/ folder")
    parser.add_argument("--env", action="append", default=[], metavar="LABEL:NAME=VALUE",
                        help="an environment variable for one variant (a variant of its own when LABEL is new: this work tree's src/)")
    parser.add_argument("--only", choices=["100", "1"], help="only the build of all letters (100) or of one (1)")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md", help="report file (default: bench/RESULTS.md)")
    parser.add_argument("--no-out", action="store_true", help="print the section only")
    args = parser.parse_args()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    args.commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                                 capture_output=True, text=True).stdout.strip() or "unknown"
    args.command = "bench/startup.py " + " ".join(sys.argv[1:])
    args.load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="briefgen-startup-") as tmp:
        scratch = Path(tmp)
        sources: dict[str, Path] = {}
        args.described = {}
        for spec in args.rev:
            label, rev = spec.split("=", 1)
            sources[label] = snapshot(scratch / f"variant-{len(sources)}", rev=rev)
            args.described[label] = f"src/ of {rev}"
        for spec in args.src:
            label, folder = spec.split("=", 1)
            sources[label] = snapshot(scratch / f"variant-{len(sources)}", source=Path(folder))
            args.described[label] = f"{folder}"
        envs: dict[str, dict[str, str]] = {}
        for spec in args.env:
            label, assignment = spec.split(":", 1)
            name, value = assignment.split("=", 1)
            envs.setdefault(label, {})[name] = value
            if label not in sources:
                sources[label] = sources.get("werkboom") or snapshot(scratch / f"variant-{len(sources)}", source=REPO / "src")
                args.described[label] = "this work tree"
            args.described[label] += f", {name}={value}"
        if not sources:
            sources["werkboom"] = snapshot(scratch / "variant-0", source=REPO / "src")
            args.described["werkboom"] = "this work tree"
        runner = scratch / "runner.py"
        runner.write_text(RUNNER, encoding="utf-8")
        root = scratch / "werkmap"
        root.mkdir()
        werkmap(root, args.n)
        scenarios = {"100": (f"{args.n} letters", []), "1": ("one letter", [str(LETTER)])}
        if args.only:
            scenarios = {args.only: scenarios[args.only]}
        first = next(iter(sources))
        run(sys.executable, runner, sources[first], envs.get(first, {}), root, [], scratch)  # profiles, caches
        results: dict[str, dict[str, list[dict[str, float]]]] = {
            title: {name: [] for name in sources} for title, _ in scenarios.values()}
        for turn in range(args.rounds):
            for name in sorted(sources, reverse=turn % 2 == 1):
                for title, arguments in scenarios.values():
                    outcome = run(sys.executable, runner, sources[name], envs.get(name, {}), root, arguments, scratch)
                    results[title][name].append(outcome)
                    print(f"round {turn + 1} {name} {title}: " + ", ".join(
                        f"{key} {value:.2f}" for key, value in outcome.items()), file=sys.stderr)
    args.load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = section(args, results)
    if not args.no_out:
        prose.write(args.out, text, BEGIN, END)
    print(text)


if __name__ == "__main__":
    main()
