#!/usr/bin/env python3
"""Benchmark for batch regeneration: how fast briefgen builds, rebuilds and converts many letters.

    .venv/bin/python bench/run.py [--n 100 1000] [--naive-sample 20] [--out bench/RESULTS.md]

Generates werkmaps of N letters in a temporary folder (bench/werkmaps.py), times
``.venv/bin/briefgen -C DIR build …`` as a subprocess (so start-up counts), compares with the
naive way (one fresh ``soffice --convert-to`` per letter), samples the memory of the whole process
tree (bench/proctree.py), and writes a Markdown report. The smallest N is used for the PDF
measurements, the largest for the rebuild and memory measurements; DOCX-only is measured for every N.
A benchmark, not a test: it reports PASS/FAIL against the targets but always exits 0 when it ran.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
BRIEFGEN = REPO / ".venv" / "bin" / "briefgen"

if Path(sys.prefix).resolve() != (REPO / ".venv").resolve() and VENV_PYTHON.exists():
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])  # needs the venv's ruamel.yaml and briefgen

sys.path.insert(0, str(BENCH))
import werkmaps  # noqa: E402
from proctree import Peak, measured  # noqa: E402
from werkmaps import BenchWerkmap  # noqa: E402

MB = 1024 * 1024
CHANGED_TEMPLATE = "huizen"  # the house style whose letters the template measurement rebuilds


class BenchError(Exception):
    """A measurement could not be made (briefgen failed, soffice made no PDF)."""


# ---------------------------------------------------------------------------------------------
# Timing


@dataclass
class Run:
    """One timed briefgen process."""

    wall: float  # seconds, from spawn to exit
    cpu: float  # user + system seconds of the process and every descendant it waited for
    load: float  # 1-minute load average just before the run (other work on the machine)
    built: int
    current: int
    peak: Peak | None = None


def briefgen(werkmap: BenchWerkmap, *args: str, memory: bool = False) -> Run:
    """Run ``briefgen -C WERKMAP build ARGS`` and time it; it must succeed."""
    command = [str(BRIEFGEN), "-C", str(werkmap.root), "build", *args]
    load = os.getloadavg()[0]
    done = measured(command, memory=memory)
    if done.code != 0:
        raise BenchError(f"{' '.join(command)} ended with {done.code}:\n{done.stderr[-2000:]}")
    built, current = _summary(done.stdout)
    return Run(done.wall, done.cpu, load, built, current, done.peak)


def _summary(stdout: str) -> tuple[int, int]:
    """(built, current) from the last line: 'N gebouwd, M actueel, K met fouten.'"""
    words = stdout.strip().splitlines()[-1].replace(",", "").split()
    return int(words[0]), int(words[2])


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def clean(werkmap: BenchWerkmap) -> None:
    """Remove build/ entirely: outputs, manifest and LibreOffice profiles (a cold start)."""
    shutil.rmtree(werkmap.build, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Row:
    measure: str
    value: float
    unit: str
    target: float | None = None  # None: for information, no target
    higher_is_better: bool = False
    run: Run | None = None
    detail: str = ""

    @property
    def status(self) -> str:
        if self.target is None:
            return "info"
        ok = self.value >= self.target if self.higher_is_better else self.value <= self.target
        return "PASS" if ok else "FAIL"

    def cells(self) -> list[str]:
        target = "—" if self.target is None else f"{'≥' if self.higher_is_better else '≤'} {_num(self.target)} {self.unit}"
        run = self.run
        return [self.measure, f"{_num(self.value)} {self.unit}", target, self.status,
                f"{run.wall:.2f}" if run else "", f"{run.cpu:.2f}" if run else "",
                f"{run.load:.1f}" if run else "", self.detail]


HEADER = ["measurement", "result", "target", "", "wall s", "CPU s", "load", "what exactly"]


def _num(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


@dataclass
class Bench:
    tmp: Path
    naive_sample: int
    pdf_budget: float
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  {row.measure}: {_num(row.value)} {row.unit} [{row.status}] {row.detail}", flush=True)
        return row


# ---------------------------------------------------------------------------------------------
# Measurements: one function each


def docx_full_build(bench: Bench, werkmap: BenchWerkmap, memory: bool = False) -> Run:
    clean(werkmap)
    run = briefgen(werkmap, "--formaat", "docx", memory=memory)
    n = len(werkmap.letters)
    bench.add(Row(f"DOCX-only full build, N={n}, per letter", 1000 * run.wall / n, "ms", 25, run=run,
                  detail=f"empty build/; `build --formaat docx`; {run.built} built"))
    return run


def pdf_full_build(bench: Bench, werkmap: BenchWerkmap) -> Row:
    """Cold (no build/, so no LibreOffice profiles yet) and warm (``--opnieuw``, profiles kept)."""
    n = len(werkmap.letters)
    clean(werkmap)
    cold = briefgen(werkmap, "--formaat", "alle", memory=True)
    bench.add(Row(f"full build with PDF, N={n}, per letter (cold)", cold.wall / n, "s", run=cold,
                  detail=f"empty build/ (fresh LibreOffice profiles); `build --formaat alle`; {cold.built} built"))
    peak_memory(bench, cold, f"full build with PDF, N={n}", target=None)
    warm = briefgen(werkmap, "--formaat", "alle", "--opnieuw")
    return bench.add(Row(f"full build with PDF, N={n}, per letter (warm)", warm.wall / n, "s", run=warm,
                         detail=f"`build --formaat alle --opnieuw` after the cold build; {warm.built} built"))


def naive_baseline(bench: Bench, werkmap: BenchWerkmap) -> tuple[Row, Row]:
    """Per letter: briefgen's own read + DocxBuilder (in this process), then one fresh soffice.

    Measured twice over the same DOCX files: with the profile soffice makes for itself (the
    naive loop as anyone would write it) and with a profile prepared as briefgen prepares its
    own (builders/profile.py), which shows how much of the ratio is start-up saved by batching.
    """
    from briefgen.builders import profile as lo_profile
    from briefgen.builders.docx import DocxBuilder
    from briefgen.builders.pdf import PDF_FILTER, find_soffice
    from briefgen.session import Session
    from briefgen.settings import Settings
    from briefgen.werkmap import Werkmap

    sample = werkmap.made[: bench.naive_sample]
    folder = bench.tmp / "naive"
    soffice = find_soffice()
    session = Session(Werkmap(werkmap.root), Settings())

    def render(letter: Path) -> Path:
        result = session.read(letter)
        target = folder / "docx" / f"{letter.stem}.docx"
        DocxBuilder().write(result.document, target)
        return target

    def convert(docx: Path, profile: Path) -> None:
        outdir = folder / f"pdf-{profile.name}"
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
                        "--convert-to", PDF_FILTER, "--outdir", str(outdir), str(docx)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not (outdir / f"{docx.stem}.pdf").is_file():
            raise BenchError(f"naive soffice made no PDF for {docx}")

    own, prepared = folder / "profile", folder / "prepared-profile"
    first = timed(lambda: convert(render(sample[0]), own))  # creates the profile: not counted
    load = os.getloadavg()[0]
    renders, conversions, files = [], [], []
    for letter in sample:
        renders.append(timed(lambda letter=letter: files.append(render(letter))))
        conversions.append(timed(lambda: convert(files[-1], own)))
    version = lo_profile.version(soffice)
    if version is None:
        raise BenchError(f"{soffice} --version gave no LibreOffice version: cannot prepare a profile")
    lo_profile.prepare(prepared, version)
    convert(files[0], prepared)  # completes the prepared profile: not counted
    quick = [timed(lambda docx=docx: convert(docx, prepared)) for docx in files]
    render_mean = statistics.mean(renders)
    bench.notes.append(
        f"Naive baseline, {len(sample)} letters: DOCX render {1000 * render_mean:.0f} ms and one "
        f"`soffice --convert-to` {statistics.mean(conversions):.2f} s a letter (median "
        f"{statistics.median(conversions):.2f} s); the very first soffice call, which created its profile, "
        f"took {first:.1f} s and is not counted. Load average before the sample: {load:.1f}. "
        f"With a prepared profile the same conversions take {statistics.mean(quick):.2f} s a letter: "
        "a profile that soffice creates headless never records its version, so every start repeats "
        "LibreOffice's graphics render tests (about a second); briefgen prepares its profiles so they do not.")
    naive = bench.add(Row(f"naive baseline, per letter ({len(sample)}-letter sample)", render_mean + statistics.mean(conversions),
                          "s", detail="DocxBuilder in-process + one fresh soffice per letter, sequential, the profile "
                                      "soffice made itself, briefgen's PDF/A filter, no pikepdf step"))
    informed = bench.add(Row(f"naive baseline with a prepared profile, per letter ({len(sample)}-letter sample)",
                             render_mean + statistics.mean(quick), "s",
                             detail="the same, but soffice's profile prepared as briefgen prepares its own"))
    return naive, informed


def ratio(bench: Bench, naive: Row, full: Row, label: str, target: float | None = None) -> Row:
    return bench.add(Row(f"{label} / full build with PDF, per letter", naive.value / full.value,
                         "×", target, higher_is_better=True,
                         detail=f"{_num(naive.value)} s ÷ {_num(full.value)} s (warm full build)"))


def noop_rebuild(bench: Bench, werkmap: BenchWerkmap, *args: str, repeat: int = 3) -> Row:
    runs = [briefgen(werkmap, *args) for _ in range(repeat)]
    run = sorted(runs, key=lambda r: r.wall)[len(runs) // 2]
    assert all(r.built == 0 for r in runs), "a no-op rebuild built something"
    return bench.add(Row(f"no-op rebuild, N={len(werkmap.letters)}", run.wall, "s", 1, run=run,
                         detail=f"`build {' '.join(args)}` with everything current; median of {repeat}; "
                                f"{run.current} current, 0 built"))


def one_letter_rebuild(bench: Bench, werkmap: BenchWerkmap, *args: str, repeat: int = 3,
                       label: str = "rebuild after changing 1 letter", target: float | None = 3) -> Row:
    """Change a different letter each time; the median of ``repeat``."""
    n = len(werkmap.letters)
    runs = []
    for k in range(repeat):
        werkmaps.change_letter(werkmap.made[(k * len(werkmap.made)) // repeat + 1])
        runs.append(briefgen(werkmap, *args))
    assert all(r.built == 1 for r in runs), f"expected 1 letter rebuilt, got {[r.built for r in runs]}"
    run = sorted(runs, key=lambda r: r.wall)[len(runs) // 2]
    return bench.add(Row(f"{label}, N={n}", run.wall, "s", target, run=run,
                         detail=f"`build {' '.join(args)}`; median of {repeat} (a different letter each time)"))


def template_rebuild(bench: Bench, werkmap: BenchWerkmap) -> Row:
    template = werkmap.template(CHANGED_TEMPLATE)
    werkmaps.change_template(template, f"bench {time.time()}")
    run = briefgen(werkmap, "--formaat", "alle")
    return bench.add(Row(f"rebuild after changing template {CHANGED_TEMPLATE}.docx, N={len(werkmap.letters)}",
                         run.wall, "s", run=run,
                         detail=f"`build --formaat alle`: {run.built} letters in that style rebuilt with PDF "
                                f"({run.wall / max(run.built, 1):.2f} s a letter), {run.current} current"))


def peak_memory(bench: Bench, run: Run, what: str, target: float | None = 500) -> None:
    """Two rows: PSS (each shared page counted once, the memory the build really takes; the target) and RSS."""
    peak = run.peak
    sampled = (f"sum over briefgen + workers + soffice, sampled every 50 ms ({peak.samples} samples, "
               f"up to {peak.processes} processes)")
    bench.add(Row(f"peak PSS of the process tree, {what}", peak.pss / MB, "MB", target, run=run, detail=sampled))
    bench.add(Row(f"peak RSS of the process tree, {what}", peak.rss / MB, "MB", None, run=run,
                  detail="the same samples; pages shared between processes counted once per process"))


def large_rebuilds(bench: Bench, werkmap: BenchWerkmap, pdf_per_letter: float) -> None:
    """No-op and one-letter rebuilds on the large werkmap, fully built with PDFs if affordable."""
    n = len(werkmap.letters)
    predicted = pdf_per_letter * n
    if predicted <= bench.pdf_budget:
        clean(werkmap)
        full = briefgen(werkmap, "--formaat", "alle", memory=True)
        bench.add(Row(f"full build with PDF, N={n}, per letter (cold)", full.wall / n, "s", run=full,
                      detail=f"empty build/; `build --formaat alle`; {full.built} built; the state for the rebuilds below"))
        peak_memory(bench, full, f"full build with PDF, N={n}")
        noop_rebuild(bench, werkmap, "--formaat", "alle")
        one_letter_rebuild(bench, werkmap, "--formaat", "alle", label="rebuild after changing 1 letter, with PDF")
        return
    bench.notes.append(
        f"A full {n}-letter PDF build was predicted to take {predicted:.0f} s (> --pdf-budget {bench.pdf_budget:g} s), "
        f"so the {n}-letter werkmap was built DOCX-only; the one-letter rebuild is measured as a DOCX-only "
        "rebuild of the whole werkmap plus, separately, a PDF build of just that letter (`build --formaat pdf FILE`).")
    noop_rebuild(bench, werkmap, "--formaat", "docx")
    docx = one_letter_rebuild(bench, werkmap, "--formaat", "docx", label="rebuild after changing 1 letter, DOCX only", target=None)
    letter = werkmap.made[1]
    pdf = briefgen(werkmap, "--formaat", "pdf", str(letter))
    bench.add(Row(f"rebuild after changing 1 letter, with PDF (sum), N={n}", docx.value + pdf.wall, "s", 3, run=pdf,
                  detail=f"DOCX-only rebuild {docx.value:.2f} s + `build --formaat pdf {letter.name}` {pdf.wall:.2f} s"))


# ---------------------------------------------------------------------------------------------
# Report


def snapshot_source(tmp: Path, source: Path = REPO / "src" / "briefgen") -> tuple[Path, str]:
    """Copy src/briefgen and make every briefgen process (and this one) import the copy.

    The work tree may be edited while the benchmark runs; a snapshot keeps one version of the
    code for all measurements. Returns the copy's import root and a fingerprint of its sources.
    """
    root = tmp / "src"
    shutil.copytree(source, root / "briefgen", ignore=shutil.ignore_patterns("__pycache__"))
    # Byte-compile it, as an installed briefgen is (with PYTHONDONTWRITEBYTECODE=1, as on this
    # machine, the editable src/ is compiled anew at every start: about 70 ms).
    compileall.compile_dir(root, quiet=1)
    digest = hashlib.sha256()
    for path in sorted((root / "briefgen").rglob("*")):
        if path.is_file() and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    os.environ["PYTHONPATH"] = str(root)  # before the editable install's src/ on sys.path
    sys.path.insert(0, str(root))
    return root, digest.hexdigest()[:12]


def machine(fingerprint: str) -> dict[str, str]:
    def first(path: str, key: str) -> str:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
        return "?"

    soffice = shutil.which("soffice")
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip() if soffice else "none"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src"], capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "CPUs (nproc)": f"{len(os.sched_getaffinity(0))} (os.cpu_count {os.cpu_count()})",
        "CPU model": first("/proc/cpuinfo", "model name"),
        "RAM": f"{int(first('/proc/meminfo', 'MemTotal').split()[0]) / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "LibreOffice": version,
        "Python": platform.python_version(),
        "briefgen": f"commit {commit}{' + uncommitted changes in src/' if dirty else ''}; measured a copy "
                    f"of src/briefgen taken at the start (fingerprint {fingerprint})",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


METHOD = """\
- Every time is wall time of a `briefgen -C DIR build …` subprocess, start-up included; “CPU s” is
  user+system time of that process and all its descendants (pool workers, soffice), from `wait4`.
  “load” is the 1-minute load average just before the run: other work on the machine inflates wall
  time, not CPU time.
- Werkmaps are generated in a temporary folder (bench/werkmaps.py): a copy of the repository's
  `templates/` and `content/` (organisations, attachments and the example letters, which letters of
  a series cite) plus N minus that many letters made from the examples in turn, each with its own
  subject and number and 0–3 extra tables (3–9 rows each) with a section citing each.
- “cold” = no `build/` folder (LibreOffice profiles are created first); “warm” = `--opnieuw` with the
  profiles from the previous build kept, as in day-to-day use. The ratio uses the warm build, because the
  naive baseline also runs with an already created profile.
- The naive baseline converts letters one after the other; briefgen converts with `taken` (= nproc)
  LibreOffice workers in parallel, each in calls of at most `MAX_BATCH` letters (builders/pdf.py), so
  part of the ratio is parallelism, part is soffice start-up saved.
- The no-op rebuild and one-letter rebuild are the median of 3 runs (each one-letter run changes
  the subject of a different letter). The template rebuild changes only the ZIP comment of
  `templates/huizen.docx`: its hash changes, its rendering does not.
- Peak memory sums PSS and RSS over the whole process tree every 50 ms. The target is on PSS, which
  shares each page out over the processes that map it: RSS counts a shared page once per process (the
  pool workers are forked from briefgen, the LibreOffice processes share their libraries), so the RSS
  sum overstates what the build takes; it is shown for comparison."""


def report(info: dict[str, str], bench: Bench, command: str) -> str:
    table = [HEADER, ["---"] * len(HEADER), *(row.cells() for row in bench.rows)]
    failed = [row.measure for row in bench.rows if row.status == "FAIL"]
    lines = [
        "# Benchmark: batch regeneration", "",
        "Generated by `bench/run.py`; do not edit by hand (add notes to bench/PROFILE.md instead).", "",
        "## Machine", "",
        *(f"- **{key}**: {value}" for key, value in info.items()), "",
        "## Reproduce", "", "```sh", command, "```", "",
        "## Results", "",
        *("| " + " | ".join(cells) + " |" for cells in table), "",
        f"**{len(failed)} target(s) failed**" + (": " + "; ".join(failed) if failed else "."), "",
        "## Notes", "", METHOD, "",
        *(f"- {note}" for note in bench.notes), "",
    ]
    return "\n".join(lines)


def measure_all(bench: Bench, made: list[BenchWerkmap]) -> None:
    """PDF and template measurements on the smallest werkmap, rebuilds and memory on the largest."""
    small, large = made[0], made[-1]
    for werkmap in made[:-1]:
        docx_full_build(bench, werkmap)
    full = pdf_full_build(bench, small)
    noop_rebuild(bench, small, "--formaat", "alle")
    template_rebuild(bench, small)
    naive, informed = naive_baseline(bench, small)
    ratio(bench, naive, full, "naive baseline", target=15)
    ratio(bench, informed, full, "naive baseline with a prepared profile")
    peak_memory(bench, docx_full_build(bench, large, memory=True), f"DOCX-only build, N={len(large.letters)}")
    large_rebuilds(bench, large, full.value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000], help="werkmap sizes (default: 100 1000)")
    parser.add_argument("--naive-sample", type=int, default=20, help="letters in the naive baseline (default: 20)")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md", help="report file (default: bench/RESULTS.md)")
    parser.add_argument("--pdf-budget", type=float, default=600,
                        help="build the largest werkmap with PDFs only if predicted to take at most this many seconds (default: 600)")
    parser.add_argument("--keep", action="store_true", help="keep the generated werkmaps (path is printed)")
    parser.add_argument("--only-rebuilds", action="store_true",
                        help="only the rows of the largest N: its full build with PDF, the no-op and one-letter rebuilds")
    parser.add_argument("--src", type=Path, default=REPO / "src" / "briefgen",
                        help="the briefgen package to measure (default: this work tree's src/briefgen), e.g. a baseline's")
    args = parser.parse_args()
    sizes = sorted(set(args.n))[-1:] if args.only_rebuilds else sorted(set(args.n))

    tmp = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    _, fingerprint = snapshot_source(tmp, args.src)
    info = machine(fingerprint)
    bench = Bench(tmp, args.naive_sample, args.pdf_budget)
    print(f"werkmaps in {tmp}", flush=True)
    try:
        made = {n: werkmaps.create(tmp / f"n{n}", n) for n in sizes}
        if args.only_rebuilds:
            large_rebuilds(bench, made[sizes[-1]], 0)
        else:
            measure_all(bench, [made[n] for n in sizes])
    except BenchError as exc:  # report what was measured so far
        bench.notes.append(f"**The run stopped early**: {exc}")
        print(exc, file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    busy = [row for row in bench.rows if row.run and row.run.load > len(os.sched_getaffinity(0))]
    if busy:
        bench.notes.append(
            f"The machine was busy with other work during {len(busy)} of the measurements (1-minute load above "
            f"nproc = {len(os.sched_getaffinity(0))}): their wall times are inflated; the CPU column is the steadier figure.")
    command = "cd REPO && .venv/bin/python bench/run.py " + " ".join(
        ["--n", *map(str, args.n), "--naive-sample", str(args.naive_sample), "--pdf-budget", f"{args.pdf_budget:g}",
         *(["--only-rebuilds"] if args.only_rebuilds else []),
         *(["--src", str(args.src)] if args.src != REPO / "src" / "briefgen" else [])])
    text = report(info, bench, command.replace("REPO", str(REPO)))
    with contextlib.suppress(OSError):  # the sections after the notes are the other benches' own: kept
        notes = args.out.read_text(encoding="utf-8").partition("\n## Notes\n")[2]
        others = notes[min((i for i in (notes.find("\n## "), notes.find("\n<!-- bench/")) if i >= 0), default=len(notes)):]
        text += f"\n{others.strip()}\n" if others.strip() else ""
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text.split("## Results", 1)[1].split("## Notes", 1)[0].strip())
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
