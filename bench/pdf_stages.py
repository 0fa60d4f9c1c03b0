#!/usr/bin/env python3
"""Benchmark: briefgen's own CPU in bench/batch.py's PDF build, by stage (thread CPU time around each step).

    .venv/bin/python bench/pdf_stages.py [--letters 100] [--rounds 3] [--jobs 2] [--zonder-woo] [--uncompiled]

The werkmap is bench/batch.py's (``--letters`` copies of the Hilversum 2021 letter), built once unmeasured
(LibreOffice's profiles kept); then ``--rounds`` times ``build --formaat pdf --opnieuw --jobs N`` of a byte-compiled
snapshot of this work tree's src/ (``--uncompiled``: a copy without byte code, as a source tree runs under
PYTHONDONTWRITEBYTECODE). A runner script wraps the steps below on import (as bench/startup.py's does) and adds
``time.thread_time`` around each call, in whichever thread it runs: the main thread reads and renders, the PDF
workers' delivery threads post-process each PDF and move its DOCX and Woo file. Nested steps are included in the
step that calls them. Printed: each step's calls and median CPU in ms a letter over the rounds (its spread in
brackets), and the main process's CPU (its threads; LibreOffice and the UNO bridges are other processes:
bench/pdf_split.py splits the tree). ``--zonder-woo`` takes the TOOI codes out of the organisations, so that no
``.diwoo.xml`` is written (Carbone makes none).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402, F401  (re-runs this script under the project's .venv, as every bench script does)
from batch import drop_woo, make_werkmap  # noqa: E402
from prose import REPO  # noqa: E402
from startup import snapshot  # noqa: E402

RUNNER = r'''
import atexit, importlib.machinery, os, sys, threading, time, json, collections

TARGETS = {
    "briefgen.pipeline": ["_Worker.__call__", "_Worker._write", "_import_renderers", "_PdfStage._delivered",
                          "_PdfStage._complete", "_write_woo", "_Recorder.delivered", "_PdfStage.add"],
    "briefgen.session": ["Session.read"],
    "briefgen.builders.pdf": ["_deliver"],
    "briefgen.builders.pdfdelivery": ["deliver_pdf", "_finish", "_in_place", "write_atomic"],
    "briefgen.builders.pdfua": ["finish"],
    "briefgen.builders.pagelayout": ["lone_headings"],
    "briefgen.builders.resident": ["ResidentConverter.convert_one"],
    "briefgen.builders.docx": ["DocxBuilder.render", "DocxBuilder.output"],
}
acc = collections.defaultdict(lambda: [0, 0.0])
lock = threading.Lock()
def wrap(owner, attr, label):
    original = getattr(owner, attr, None)
    if original is None:
        print("no", label, file=sys.stderr); return
    def wrapped(*a, **k):
        t = time.thread_time()
        try:
            return original(*a, **k)
        finally:
            d = time.thread_time() - t
            with lock:
                e = acc[label]; e[0] += 1; e[1] += d
    if isinstance(owner, type) and isinstance(owner.__dict__.get(attr), staticmethod):
        wrapped = staticmethod(wrapped)
    setattr(owner, attr, wrapped)
def patch(name, module):
    for q in TARGETS[name]:
        parts = q.split(".")
        owner = module
        for p in parts[:-1]:
            owner = getattr(owner, p)
        wrap(owner, parts[-1], f"{name.split('.')[-1]}.{q}")
class Hook:
    @staticmethod
    def find_spec(name, path, target=None):
        if name not in TARGETS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        execute = spec.loader.exec_module
        def exec_module(module):
            execute(module); patch(name, module)
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, Hook)
t0 = time.process_time()
def end():
    out = {k: v for k, v in acc.items()}
    out["process CPU"] = [1, time.process_time()]
    out["main thread CPU"] = [1, time.thread_time()]
    with open(os.environ["STAGES_OUT"], "a") as f:
        f.write(json.dumps(out) + "\n")
atexit.register(end)
from briefgen.cli import main
acc["cli import (process CPU)"] = [1, time.process_time() - t0]
sys.argv[0] = "briefgen"
main()
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--zonder-woo", action="store_true", help="no TOOI codes: no .diwoo.xml beside each PDF")
    parser.add_argument("--uncompiled", action="store_true", help="src/ without byte code")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-pdf-stages-") as tmp:
        scratch = Path(tmp)
        if args.uncompiled:
            src = scratch / "src"
            shutil.copytree(REPO / "src", src, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            src = snapshot(scratch / "snapshot", source=REPO / "src")
        root, runner, out = scratch / "werkmap", scratch / "runner.py", scratch / "stages.jsonl"
        make_werkmap(root, args.letters)
        if args.zonder_woo:
            drop_woo(root)
        runner.write_text(RUNNER)
        env = os.environ | {"PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1", "STAGES_OUT": str(out)}
        command = [sys.executable, str(runner), "-C", str(root), "build", "--formaat", "pdf", "--jobs", str(args.jobs)]
        subprocess.run(command, env=env, check=True, capture_output=True)  # profiles made
        out.unlink()
        loads = [os.getloadavg()[0]]
        for _ in range(args.rounds):
            subprocess.run([*command, "--opnieuw"], env=env, check=True, capture_output=True)
            loads.append(os.getloadavg()[0])
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        print(f"{args.rounds} rounds, {args.letters} letters, --jobs {args.jobs}{', zonder Woo' if args.zonder_woo else ''}"
              f"{', uncompiled' if args.uncompiled else ''}; load {min(loads):.1f}-{max(loads):.1f}")
        for step in rows[0]:
            seconds = [row[step][1] for row in rows if step in row]
            print(f"{step:42} calls {rows[0][step][0]:4}  ms a letter {statistics.median(seconds) * 1000 / args.letters:6.2f}"
                  f"  ({min(seconds) * 1000 / args.letters:.2f}-{max(seconds) * 1000 / args.letters:.2f})")


if __name__ == "__main__":
    main()
