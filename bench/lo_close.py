#!/usr/bin/env python3
"""Benchmark: a kept LibreOffice asked to quit against one killed, and how fast the next one starts with its profile.

    .venv/bin/python bench/lo_close.py DOCX [--pairs 12]

Each mode has its own profile under a temporary folder and ends its LibreOffice only that way, so each next start
sees what that way leaves behind. Per round and mode a fresh process starts a ResidentConverter as a build's worker
does (``resident.for_build``, without warm-up), converts DOCX once, and ends it: ``quit`` with the bridge's
``desktop.terminate()`` and a wait for LibreOffice's exit (briefgen ``watch``, and every build before stop 30),
``kill`` with its process group (a build since stop 30). The modes alternate; printed are the medians (lowest) of
"ready" (start until the bridge answered), "convert" (the first letter) and "close", and the paired median of
kill minus quit for "ready". bench/PROFILE.md, stop 30: the tail.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402, F401  (re-runs this script under the project's .venv, as every bench script does)

ONE = r'''
import sys, threading, time
from pathlib import Path
from briefgen.builders import profile, resident
docx, work, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
kept = work / f"profile-{mode}"
if not profile.is_prepared(kept):  # as a build's PdfBuilder does: no render tests at each start
    profile.prepare(kept, profile.version("soffice"))
converter = resident.for_build("soffice", 120.0, work)(kept, threading.Event())
converter.ends_hard = mode == "kill"
started = time.monotonic()
converter.start()
ready = time.monotonic()
reason, _ = converter.convert_one(docx, work / "out.pdf", docx.name)
converted = time.monotonic()
converter.close()
print(ready - started, converted - ready, time.monotonic() - converted, reason)
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docx", type=Path)
    parser.add_argument("--pairs", type=int, default=12)
    args = parser.parse_args()
    modes = ("quit", "kill")
    figures: dict[str, list[tuple[float, float, float]]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory(prefix="briefgen-lo-close-") as work:
        for mode in modes:  # a first start of each profile, not counted
            subprocess.run([sys.executable, "-c", ONE, str(args.docx.resolve()), work, mode], check=True,
                           capture_output=True)
        for _ in range(args.pairs):
            for mode in modes:
                out = subprocess.run([sys.executable, "-c", ONE, str(args.docx.resolve()), work, mode], check=True,
                                     capture_output=True, text=True).stdout.split()
                figures[mode].append((float(out[0]), float(out[1]), float(out[2])))
    for mode in modes:
        columns = list(zip(*figures[mode], strict=True))
        print(mode, *(f"{name} {statistics.median(c):.3f} ({min(c):.3f})"
                      for name, c in zip(("ready", "convert", "close"), columns, strict=True)))
    paired = [k[0] - q[0] for q, k in zip(figures["quit"], figures["kill"], strict=True)]
    print(f"ready, kill minus quit (paired median): {statistics.median(paired):+.3f}")


if __name__ == "__main__":
    main()
