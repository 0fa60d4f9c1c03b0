#!/usr/bin/env python3
"""Benchmark for the delivery of every PDF LibreOffice makes: builders/pdf.py ``_deliver`` and the Woo metadata.

    .venv/bin/python bench/pdfpost.py [--baseline REV] [--repeat 20] [--raw DIR] [--werkmap DIR | --copies N] [--out bench/RESULTS.md]

Builds the letters once (``build --formaat pdf --opnieuw`` in a copy of this werkmap, of
``--werkmap``, or with ``--copies N`` of the werkmap of issue 16: the Hilversum letters of 2021 and
2022 and N copies of the 2021 one, each with its own number) and keeps, for each, LibreOffice's raw PDF, its DOCX and attachments, the job
``_deliver`` was given and the Woo facts of its ``.diwoo.xml``. Then times the whole delivery of
each letter as the build does it (``_deliver``: open, repairs, metadata, save, atomic write of the PDF;
then the ``.diwoo.xml`` rendered and written atomically, as pipeline.py does) on exactly those raw
PDFs, in one process per source: the ``--baseline`` revision (git archive; by default where this
branch left main) and the work tree, each a byte-compiled snapshot on PYTHONPATH, the same .venv for
both, the two interleaved ``--repeat`` times. CPU time (``time.process_time``) per letter, the median
over the runs; the output of both sources (PDF and Woo XML) is compared byte for byte. Writes its own
section of the report, replacing an earlier one.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import json
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
from prose import BENCH, REPO, VENV_PYTHON  # noqa: E402

BEGIN = "<!-- bench/pdfpost.py: begin -->"
# Where the time of a delivery goes (stop 22, written by hand; see bench/PROFILE.md).
WHERE = ("Where a delivery's time goes since stop 22 (py-spy --native over 8 x 101 deliveries, and timers around each "
         "step; a shared machine, about 6-7 ms in all): the atomic writes of the PDF and the `.diwoo.xml` about a third "
         "(their fsyncs ~0.3 ms CPU each for the PDF, the rename, the temporary file); the PDF/UA repairs ~2 ms (the "
         "structure elements read by number ~0.8 ms, most of it qpdf parsing the objects read; the content-stream scan "
         "~0.7 ms); writing in place ~1.2 ms (unparsing the ~48 changed objects ~0.45 ms, the check of the xref table "
         "~0.35-0.5 ms, was ~0.8-1.1 ms); XMP and document information ~0.5 ms; qpdf's lazy open ~0.3 ms; the Woo XML "
         "~0.3 ms. Stop 22 cut: the xref table checked with C loops (`map` of bytes methods) instead of Python steps "
         "per object, and written with one % format; qpdf reading LibreOffice's file itself instead of a BytesIO "
         "(through a Python stream each of the lazy open's many reads is a Python call); `write_atomic` on the "
         "descriptor without a file object, fchmod, mkdir only when needed; `confined` resolving the folder once. "
         "Compare whole deliveries, as this table does: code run right after qpdf's costs more than in a loop of its "
         "own (cold caches).")
END = "<!-- bench/pdfpost.py: end -->"
JOBS = "jobs.json"
COPIED = "hilversum/2021/inkoop-wmo-jeugd.yaml"


def capture(folder: Path, source: Path, copies: int = 0) -> list[dict]:
    """Build the letters in a copy of the werkmap ``source`` (with ``copies``: see the module's docstring);
    keep each raw PDF with its job and Woo facts in ``folder``."""
    from briefgen import woo
    from briefgen.builders import pdf
    from briefgen.cli import app

    werkmap = folder / "werkmap"
    werkmap.mkdir(parents=True)
    for part in ("templates", "content"):
        shutil.copytree(source / part, werkmap / part)
    shutil.copy(source / "pyproject.toml", werkmap)
    if copies:
        for other in ("huizen", "rzou", "hilversum/2016"):
            shutil.rmtree(werkmap / "content" / other)
        letter = werkmap / "content" / COPIED
        text = letter.read_text(encoding="utf-8")
        for i in range(1, copies + 1):
            (letter.parent / f"kopie-{i:03d}.yaml").write_text(
                text.replace('\nnummer: "2021/45"', f'\nnummer: "2021/{1000 + i}"', 1), encoding="utf-8")
    kept: list[dict] = []
    facts: dict[Path, dict] = {}
    original, original_render = pdf._deliver, woo.render

    def remember(metadata: woo.WooFacts, target: Path) -> bytes:
        facts[target] = {**dataclasses.asdict(metadata), "date": metadata.date.isoformat()}
        return original_render(metadata, target)

    def keep(raw: Path, job: pdf.PdfJob, stamp: datetime.datetime):
        n = f"{len(kept):02d}"
        shutil.copy(raw, folder / f"{n}.pdf")
        shutil.copy(job.docx, folder / f"{n}.docx")
        attached = []
        for i, (title, path) in enumerate(job.attachments):
            shutil.copy(path, folder / f"{n}-bijlage-{i}.pdf")
            attached.append([title, f"{n}-bijlage-{i}.pdf"])
        kept.append({"n": n, "name": job.name, "title": job.title, "author": job.author,
                     "date": job.date.isoformat(), "stamp": stamp.isoformat(), "attachments": attached,
                     "target": str(job.pdf)})
        return original(raw, job, stamp)

    pdf._deliver, woo.render = keep, remember
    try:
        app(["-C", str(werkmap), "build", "--formaat", "pdf", "--opnieuw"], prog_name="briefgen", standalone_mode=False)
    finally:
        pdf._deliver, woo.render = original, original_render
    for entry in kept:
        entry["woo"] = facts.get(Path(entry.pop("target")))
    kept.sort(key=lambda job: job["name"])
    (folder / JOBS).write_text(json.dumps(kept, indent=1), encoding="utf-8")
    return kept


def woo_facts(entry: dict | None):
    """The captured Woo facts of a letter as a ``woo.WooFacts`` of the briefgen on PYTHONPATH (None: no Woo XML)."""
    from briefgen import tooi, woo

    if entry is None:
        return None
    return woo.WooFacts(**{**entry, "category": tooi.Category(**entry["category"]),
                           "date": datetime.date.fromisoformat(entry["date"])})


def time_deliver(folder: Path, repeat: int) -> dict[str, dict]:
    """In this process (whichever briefgen PYTHONPATH gives): per letter, the CPU s of each delivery
    (``_deliver``, then the Woo XML as pipeline.py writes it) and the hash of the outputs."""
    from briefgen import woo
    from briefgen.builders import pdf
    from briefgen.fileio import write_atomic

    results = {}
    out = folder / "out"
    out.mkdir(exist_ok=True)
    for entry in json.loads((folder / JOBS).read_text(encoding="utf-8")):
        n = entry["n"]
        job = pdf.PdfJob(docx=folder / f"{n}.docx", pdf=out / f"{n}.pdf", title=entry["title"], author=entry["author"],
                         date=datetime.date.fromisoformat(entry["date"]), name=entry["name"],
                         attachments=tuple((title, folder / path) for title, path in entry["attachments"]))
        stamp = datetime.datetime.fromisoformat(entry["stamp"])
        metadata = woo_facts(entry.get("woo"))
        times, woo_times = [], []
        for _ in range(repeat + 1):  # the first run warms up (imports, caches) and is not counted
            start = time.process_time()
            failure = pdf._deliver(folder / f"{n}.pdf", job, stamp)
            delivered = time.process_time()
            if failure:
                raise SystemExit(f"{entry['name']}: {failure.reason}")
            if metadata is not None:
                write_atomic(woo.path_for(job.pdf), woo.render(metadata, job.pdf), inside=out)
            times.append(time.process_time() - start)
            woo_times.append(time.process_time() - delivered)
        digest = hashlib.sha256(job.pdf.read_bytes())
        if metadata is not None:
            digest.update(woo.path_for(job.pdf).read_bytes())
        results[entry["name"]] = {"cpu": times[1:], "woo": woo_times[1:], "sha256": digest.hexdigest()}
    return results


def run_source(source: Path, folder: Path, repeat: int) -> dict[str, dict]:
    env = dict(os.environ, PYTHONPATH=str(source))
    done = subprocess.run([str(VENV_PYTHON), __file__, "--time", str(folder), "--repeat", str(repeat)],
                          env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def merge_base() -> str:
    return subprocess.run(["git", "-C", str(REPO), "merge-base", "HEAD", "main"],
                          check=True, capture_output=True, text=True).stdout.strip()


def section(args: argparse.Namespace, jobs: list[dict], before: dict, after: dict) -> str:
    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    werkmap = (f"the werkmap {args.werkmap}" if args.werkmap
               else f"the werkmap of issue 16 (`--copies {args.copies}`: the Hilversum letters of 2021 and 2022 and "
                    f"{args.copies} copies of the 2021 one)" if args.copies else "the example letters")
    option = f" --werkmap {args.werkmap}" if args.werkmap else f" --copies {args.copies}" if args.copies else ""
    lines = [
        BEGIN,
        "## PDF delivery: pikepdf post-processing and Woo metadata (bench/pdfpost.py)",
        "",
        f"Measured {time.strftime('%Y-%m-%dT%H:%M:%S%z')} on commit {args.commit} against {args.baseline[:10]} "
        f"(baseline), nproc {os.cpu_count()}, load average at start {args.load}. The delivery of each letter of "
        f"{werkmap}, on its raw LibreOffice PDF: `_deliver` (open, metadata, XMP, pdfua repairs, ICC date, /ID, "
        f"save into memory, atomic write) and the `.diwoo.xml` (rendered, written atomically); one process per "
        f"source, {args.repeat} runs each after one warm-up; CPU ms per run, median (of which the Woo XML in "
        f"brackets). Reproduce: `.venv/bin/python bench/pdfpost.py --repeat {args.repeat}{option}`.",
        "",
        "| letter | pages | baseline CPU ms | this branch CPU ms | × baseline | output |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    import pikepdf

    total_before = total_after = woo_before = woo_after = 0.0
    identical = reproducible = 0
    rows = []
    for entry in jobs:
        name = entry["name"]
        with pikepdf.open(args.folder / f"{entry['n']}.pdf") as raw:
            pages = len(raw.pages)
        b, a = ms(before[name]["cpu"]), ms(after[name]["cpu"])
        wb, wa = ms(before[name]["woo"]), ms(after[name]["woo"])
        total_before, total_after = total_before + b, total_after + a
        woo_before, woo_after = woo_before + wb, woo_after + wa
        same = before[name]["sha256"] == after[name]["sha256"] != "not reproducible"
        identical += same
        reproducible += after[name]["sha256"] != "not reproducible"
        rows.append(f"| {name} | {pages} | {b:.1f} ({wb:.1f}) | {a:.1f} ({wa:.1f}) | {a / b:.2f} | "
                    f"{'identical bytes' if same else 'different bytes'} |")
    count = len(jobs)
    lines += rows if count <= 10 else []
    lines += [
        f"| all {count} | | {total_before:.1f} ({woo_before:.1f}) | {total_after:.1f} ({woo_after:.1f}) | "
        f"{total_after / total_before:.2f} | {identical} of {count} identical to the baseline, "
        f"{reproducible} of {count} reproducible |",
        f"| per letter | | {total_before / count:.2f} ({woo_before / count:.2f}) | "
        f"{total_after / count:.2f} ({woo_after / count:.2f}) | | |",
        "",
        "Issue 16: every ms of CPU per letter counts (the parent delivers beside two CPU-bound LibreOffices). "
        "Since stop 21 the PDF is LibreOffice's file with the changed objects written in place "
        "(builders/pdfupdate.py), so its bytes differ from a baseline before stop 21 that let qpdf rewrite it; "
        "against a later baseline a change that only saves time keeps every byte (identical). Always: each source "
        "gives the same bytes every time (reproducible: the same in both interleaved halves), the text, pages and "
        "metadata read back the same, and veraPDF.",
        "",
        WHERE,
        "",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", help="git revision to compare with (default: where this branch left main)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of _deliver per letter and source (default: 20)")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md", help="report file (default: bench/RESULTS.md)")
    parser.add_argument("--raw", type=Path, help="keep the raw PDFs and jobs in this folder (made when it does not exist)")
    parser.add_argument("--werkmap", type=Path, help="build the letters of this werkmap (default: this repository's examples)")
    parser.add_argument("--copies", type=int, default=0,
                        help="the Hilversum letters of 2021 and 2022 and this many copies of the 2021 one (issue 16: 99)")
    parser.add_argument("--time", type=Path, help=argparse.SUPPRESS)  # internal: time the briefgen on PYTHONPATH
    args = parser.parse_args()
    if args.time:
        print(json.dumps(time_deliver(args.time, args.repeat)))
        return
    args.baseline = args.baseline or merge_base()
    args.commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                                 check=True, capture_output=True, text=True).stdout.strip()
    args.load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="briefgen-pdfpost-") as tmp:
        args.folder = args.raw or Path(tmp) / "raw"
        jobs = (json.loads((args.folder / JOBS).read_text(encoding="utf-8")) if (args.folder / JOBS).exists()
                else capture(args.folder, (args.werkmap or REPO).resolve(), args.copies))
        sources = {"before": prose.snapshot(Path(tmp), args.baseline), "after": prose.snapshot(Path(tmp), None)}
        runs: dict[str, dict] = {"before": {}, "after": {}}
        for _ in range(2):  # interleaved halves, so a change of load hits both sources alike
            for key, source in sources.items():
                for name, result in run_source(source, args.folder, max(1, args.repeat // 2)).items():
                    merged = runs[key].setdefault(name, {"cpu": [], "woo": [], "sha256": result["sha256"]})
                    merged["cpu"] += result["cpu"]
                    merged["woo"] += result["woo"]
                    if merged["sha256"] != result["sha256"]:
                        merged["sha256"] = "not reproducible"
        text = section(args, jobs, runs["before"], runs["after"])
    prose.write(args.out, text, BEGIN, END)
    print(text)


if __name__ == "__main__":
    main()
