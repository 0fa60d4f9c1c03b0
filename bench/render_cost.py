#!/usr/bin/env python3
"""Benchmark: CPU of reading and rendering one letter's DOCX (and HTML), per letter, in one process.

    .venv/bin/python bench/render_cost.py [--n 100] [--repeat 3] [--rounds 2] [--src OTHER/src] [--out bench/RESULTS.md]

Makes the werkmap of the task description (N copies of the Hilversum 2021 example letter, each with
its own number) in a temporary folder, then in this process, like a ``--jobs 1`` build's worker:
sets up a Session, DocxBuilder and HtmlBuilder (timed apart: the start-up a worker pays once),
and times per letter ``Session.read`` (YAML, validation, resolve), ``DocxBuilder.render`` and
``HtmlBuilder.render``. Each figure is the median over ``--repeat`` passes of the CPU time
(``time.process_time``) divided by N, the lowest of ``--rounds`` processes (the machine is shared:
the same code measured twice in a row differed by 20 % and more). ``--src`` measures the briefgen in another src/ folder (a
checkout of main, for before and after on the same machine and load); the section of ``--out``
between this script's markers is replaced (or added), with ``prose.write``.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402  (re-runs this script under the project's .venv, as every bench script does)
from prose import BENCH, REPO  # noqa: E402

BEGIN = "<!-- bench/render_cost.py: begin -->"
END = "<!-- bench/render_cost.py: end -->"
LETTER = Path("content/hilversum/2021/inkoop-wmo-jeugd.yaml")
NUMBER = 'nummer: "2021/45"'


def werkmap(root: Path, n: int) -> list[Path]:
    """The repository's templates and content without the other example letters, plus n-1 copies."""
    for part in ("templates", "content"):
        shutil.copytree(REPO / part, root / part)
    for drop in ("content/huizen", "content/rzou", "content/hilversum/2016"):
        shutil.rmtree(root / drop, ignore_errors=True)
    source = root / LETTER
    text = source.read_text(encoding="utf-8")
    letters = [source]
    for i in range(1, n):
        copy = source.with_name(f"kopie-{i:03d}.yaml")
        copy.write_text(text.replace(NUMBER, f'nummer: "2021/1{i:03d}"', 1), encoding="utf-8")
        letters.append(copy)
    return letters


def cpu(action) -> float:
    started = time.process_time()
    action()
    return time.process_time() - started


def measure(root: Path, letters: list[Path], repeat: int) -> dict[str, float]:
    """CPU seconds: start-up once, and per letter the median over the passes."""
    results: dict[str, float] = {}
    started = time.process_time()
    from briefgen.builders.docx import DocxBuilder
    from briefgen.builders.html import HtmlBuilder
    from briefgen.session import Session
    from briefgen.settings import Settings
    from briefgen.werkmap import Werkmap

    results["imports"] = time.process_time() - started
    session = Session(Werkmap(root), Settings())
    docx, html = DocxBuilder(), HtmlBuilder()
    first = session.read(letters[0])
    if first.document is None:
        sys.exit("\n".join(p.format() for p in first.problems))
    results["first letter"] = cpu(lambda: (docx.render(first.document), html.render(first.document)))
    passes: dict[str, list[float]] = {"read": [], "docx": [], "html": []}
    for _ in range(repeat):
        session = Session(Werkmap(root), Settings())
        session.template_problems(first.document.template)  # the worker's once-per-template check
        started = time.process_time()
        documents = [session.read(p).document for p in letters]
        passes["read"].append((time.process_time() - started) / len(letters))
        for name, builder in (("docx", docx), ("html", html)):
            started = time.process_time()
            for document in documents:
                builder.render(document)
            passes[name].append((time.process_time() - started) / len(letters))
    results |= {name: statistics.median(times) for name, times in passes.items()}
    return results


def section(args: argparse.Namespace, before: dict[str, float] | None, after: dict[str, float]) -> str:
    rows = [("imports", "start-up: importing the read and render modules (once per worker)", 1),
            ("first letter", "the first letter's DOCX + HTML render (caches filled once per worker)", 1),
            ("read", "`Session.read` per letter: YAML, validation, resolve", 1000),
            ("docx", "`DocxBuilder.render` per letter", 1000),
            ("html", "`HtmlBuilder.render` per letter", 1000)]
    head = "| what | unit | " + ("before | after | after ÷ before |" if before else "result |")
    lines = [
        BEGIN, "## Reading and rendering a letter (bench/render_cost.py)", "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {args.commit}, load average at start "
        f"{args.load} (nproc {len(os.sched_getaffinity(0))}); {args.n} copies of `{LETTER}`, CPU time "
        f"(`time.process_time`): the median of {args.repeat} passes in one process, the lowest of "
        f"{args.rounds} such processes per source, run alternately." + (f" Before: `--src {args.src}`." if before else ""),
        "", "```sh", args.command, "```", "", head, "| --- | --- | " + ("---: | ---: | ---: |" if before else "---: |"),
    ]
    for key, what, scale in rows:
        unit, digits = ("ms CPU per letter", 1) if scale == 1000 else ("s CPU", 2)
        values = [v[key] * scale for v in (before, after) if v]
        shown = " | ".join(f"{v:.{digits}f}" for v in values)
        ratio = f" {after[key] / before[key]:.2f} |" if before else ""
        lines.append(f"| {what} | {unit} | {shown} |{ratio}")
    read_render = ("read", "docx")
    total = sum(after[k] for k in read_render) * 1000
    if before:
        was = sum(before[k] for k in read_render) * 1000
        lines += ["", f"Read + DOCX render: **{was:.1f} → {total:.1f} ms CPU per letter** ({total / was:.2f}×)."]
    else:
        lines += ["", f"Read + DOCX render: **{total:.1f} ms CPU per letter**."]
    lines += ["", "- Measured in one process, without writing files and without the pool; the build's own figure "
              "(`/usr/bin/time briefgen build --formaat docx --opnieuw --jobs 1`) adds start-up, the manifest and the writes.",
              "- Before and after run one after the other in the same sitting; the machine is shared, so CPU time, not wall.",
              END]
    return "\n".join(lines)


def run_in(src: Path, n: int, repeat: int) -> dict[str, float]:
    """The measurement in a fresh process that imports briefgen from ``src``."""
    out = subprocess.run([sys.executable, __file__, "--n", str(n), "--repeat", str(repeat), "--only-measure", str(src)],
                         check=True, capture_output=True, text=True).stdout
    return {key: float(value) for key, _, value in (line.partition("=") for line in out.splitlines() if "=" in line)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="letters (default: 100)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the letters (default: 3)")
    parser.add_argument("--rounds", type=int, default=2, help="processes per source, alternating (default: 2)")
    parser.add_argument("--src", type=Path, help="also measure the briefgen in this src/ folder, as 'before'")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md", help="report file (default: bench/RESULTS.md)")
    parser.add_argument("--only-measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only_measure:
        sys.path.insert(0, str(args.only_measure.resolve()))
        with tempfile.TemporaryDirectory(prefix="briefgen-render-cost-") as tmp:
            letters = werkmap(Path(tmp), args.n)
            for key, value in measure(Path(tmp), letters, args.repeat).items():
                print(f"{key}={value!r}")
        return
    args.commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                                 capture_output=True, text=True).stdout.strip() or "unknown"
    args.load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    args.command = "cd REPO && .venv/bin/python bench/render_cost.py " + " ".join(
        ["--n", str(args.n), "--repeat", str(args.repeat), "--rounds", str(args.rounds), *(["--src", str(args.src)] if args.src else [])])
    sources = {"after": REPO / "src"} | ({"before": args.src} if args.src else {})
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in sources}
    for turn in range(args.rounds):  # ABBA order: a load that drifts during the run favours neither
        for name in sorted(sources, reverse=turn % 2 == 1):
            runs[name].append(run_in(sources[name], args.n, args.repeat))
    best = {name: {key: min(run[key] for run in results) for key in results[0]} for name, results in runs.items()}
    before, after = best.get("before"), best["after"]
    text = section(args, before, after)
    prose.write(args.out, text, BEGIN, END)
    print(text)


if __name__ == "__main__":
    main()
