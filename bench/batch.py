#!/usr/bin/env python3
"""Batch comparison: briefgen against LibreOffice's own batch floor and against Carbone 3.8.2.

    .venv/bin/python bench/batch.py [--letters 100] [--repeat 3] [--n-memory 1000] [--out bench/RESULTS.md]

In one run, on a werkmap in a temporary folder with the repository's templates/, its organisations
and ``--letters`` copies of the Hilversum 2021 example letter (each its own file and ``nummer``):

1. **briefgen**: ``briefgen -C DIR build --formaat pdf --opnieuw`` as a subprocess (start-up included;
   one LibreOffice kept running per worker through the UNO bridge, builders/resident.py; PDF/A-2b +
   PDF/UA, pikepdf post-processing), wall and CPU (wait4 over the tree), peak RSS and PSS; a
   byte-compiled copy of src/briefgen on PYTHONPATH, as an installed briefgen is.
2. **floor**: the DOCX files briefgen renders for those letters (``build --formaat docx``) converted by
   as many soffice processes as briefgen's ``taken``, split evenly, one ``soffice --convert-to
   pdf.PDF_FILTER`` call per MAX_BATCH letters, started as briefgen starts them (builders/launch.py)
   with profiles prepared as briefgen prepares its own (builders/profile.py); no post-processing.
   Once more with LibreOffice's plain PDF export (the filter Carbone uses), for what tagging costs.
3. **Carbone 3.8.2** (npm, ``make carbone``): bench/carbone/render.js with two warm factories renders
   a Carbone template made from briefgen's DOCX of the letter (markers in place of date, number,
   subject and one table's rows) once per letter, with the letters' data, to plain PDF; start-up
   and warm-up excluded, as in the issue's measurement.

The three are interleaved, ``--repeat`` rounds, and each reported as the median round. Then a
memory-only briefgen build of ``--n-memory`` copies (0 skips it). Writes its own section of the report
(between its markers, replacing an earlier one). A benchmark, not a test: it reports PASS/FAIL
against the targets of issue 16 but exits 0 when it ran.
"""

from __future__ import annotations

import argparse
import collections
import copy
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402  (re-runs this script under the project's .venv, as every bench script does)
from proctree import Peak, TreeSampler, cpu_seconds, measured  # noqa: E402
from prose import BENCH, REPO  # noqa: E402

from briefgen.builders import launch, pdf  # noqa: E402
from briefgen.builders import profile as lo_profile  # noqa: E402
from briefgen.builders.resident import uno_python  # noqa: E402
from briefgen.formatting import datum  # noqa: E402

BRIEFGEN = REPO / ".venv" / "bin" / "briefgen"
LETTER = Path("content/hilversum/2021/inkoop-wmo-jeugd.yaml")
TABLE = "mo_jeugd"  # the table whose rows become a Carbone loop
CARBONE = REPO / ".cache" / "carbone" / "node_modules"
RENDER_JS = BENCH / "carbone" / "render.js"
BEGIN, END = "<!-- bench/batch.py: begin -->", "<!-- bench/batch.py: end -->"
TARGET_CARBONE, TARGET_FLOOR, TARGET_MB = 1.2, 1.1, 500
PLAIN_FILTER = "pdf:writer_pdf_Export"  # LibreOffice's default PDF export, as Carbone 3.8.2 calls it
MB = 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class BenchError(Exception):
    """A measurement could not be made."""


@dataclass
class Round:
    """One timed batch of all letters."""

    wall: float
    cpu: float
    peak: Peak | None
    load: float


# ---------------------------------------------------------------------------------------------
# The werkmap


def make_werkmap(root: Path, letters: int) -> list[str]:
    """templates/, the organisations and ``letters`` copies of LETTER; returns their numbers."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "organisaties", root / "content" / "organisaties")
    text = (REPO / LETTER).read_text(encoding="utf-8")
    original = 'nummer: "2021/45"'
    if original not in text:
        raise BenchError(f"{LETTER} no longer has {original}")
    (root / LETTER).parent.mkdir(parents=True)
    (root / LETTER).write_text(text, encoding="utf-8")
    numbers = ["2021/45"]
    for i in range(1, letters):
        numbers.append(f"2021/{1000 + i}")
        copy_path = (root / LETTER).with_name(f"kopie-{i:04d}.yaml")
        copy_path.write_text(text.replace(original, f'nummer: "{numbers[-1]}"'), encoding="utf-8")
    return numbers


def drop_woo(root: Path) -> None:
    """The organisations of a werkmap without their TOOI code: its PDFs get no Woo metadata (.diwoo.xml)."""
    for organisation in (root / "content" / "organisaties").glob("*.yaml"):
        lines = organisation.read_text(encoding="utf-8").splitlines()
        organisation.write_text("\n".join(line for line in lines if not line.startswith("tooi:")) + "\n", encoding="utf-8")


def build(root: Path, *args: str, memory: bool = False) -> Round:
    load = os.getloadavg()[0]
    done = measured([str(BRIEFGEN), "-C", str(root), "build", *args], memory=memory)
    if done.code != 0:
        raise BenchError(f"briefgen build {' '.join(args)} ended with {done.code}:\n{done.stderr[-2000:]}")
    return Round(done.wall, done.cpu, done.peak, load)


# ---------------------------------------------------------------------------------------------
# LibreOffice's own floor


class Floor:
    """The same DOCX files, converted by ``jobs`` soffice processes as briefgen starts them, nothing else."""

    def __init__(self, docx: list[Path], folder: Path, jobs: int, export: str = pdf.PDF_FILTER):
        soffice = pdf.locate_soffice()
        splash = launch.direct(soffice)
        self.program = splash or soffice
        self.env = launch.environment(splash) if splash else None
        version = lo_profile.version(soffice)
        if version is None:
            raise BenchError(f"{soffice} --version gave no LibreOffice version: cannot prepare a profile")
        self.folder = folder
        self.docx = docx
        self.export = export
        self.shares = [docx[len(docx) * i // jobs: len(docx) * (i + 1) // jobs] for i in range(jobs)]
        self.shares = [share for share in self.shares if share]
        for slot, share in enumerate(self.shares):
            profile = self._profile(slot)
            lo_profile.prepare(profile, version)
            self._call(slot, share[:1])  # completes the profile, as briefgen's first call does: not timed
        self._clear()

    def _profile(self, slot: int) -> Path:
        return self.folder / f"profile-{slot}"

    def _outdir(self, slot: int) -> Path:
        return self.folder / f"out-{slot}"

    def _command(self, slot: int, docs: list[Path]) -> list[str]:
        return [self.program, "--headless", "--norestore", "--nolockcheck",
                f"-env:UserInstallation={self._profile(slot).as_uri()}",
                "--convert-to", self.export, "--outdir", str(self._outdir(slot)), *map(str, docs)]

    def _call(self, slot: int, docs: list[Path]) -> None:
        subprocess.run(self._command(slot, docs), check=True, env=self.env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _clear(self) -> None:
        for slot in range(len(self.shares)):
            shutil.rmtree(self._outdir(slot), ignore_errors=True)

    def run(self) -> Round:
        """All workers in parallel under one shell (one tree to time and sample), each call after call."""
        workers = []
        for slot, share in enumerate(self.shares):
            calls = [shlex.join(self._command(slot, share[start:start + pdf.MAX_BATCH]))
                     for start in range(0, len(share), pdf.MAX_BATCH)]
            workers.append("( " + " && ".join(calls) + " ) &")
        load = os.getloadavg()[0]
        done = measured([shutil.which("sh") or "/bin/sh", "-c", " ".join(workers) + " wait"], memory=True, env=self.env)
        made = sum(1 for slot in range(len(self.shares)) for _ in self._outdir(slot).glob("*.pdf"))
        if made != len(self.docx):
            raise BenchError(f"the floor made {made} PDFs of {len(self.docx)}:\n{done.stderr[-2000:]}")
        self._clear()
        return Round(done.wall, done.cpu, done.peak, load)


# ---------------------------------------------------------------------------------------------
# Carbone


def carbone_template(docx: Path, target: Path, values: dict[str, str], rows: list[list]) -> None:
    """briefgen's DOCX of the letter with Carbone markers in place of its values and TABLE's rows.

    Every ``w:t`` whose whole text is one of ``values`` becomes ``{d.KEY}``; in the table whose
    rows are ``rows``, the first row becomes ``{d.rows[i].…}`` and a copy of it ``{d.rows[i+1].…}``
    (Carbone's loop), the other rows go, and the total cell becomes ``{d.totaal}``.
    """
    from lxml import etree

    with zipfile.ZipFile(docx) as package:
        parts = {info: package.read(info) for info in package.infolist()}
    info = next(i for i in parts if i.filename == "word/document.xml")
    tree = etree.fromstring(parts[info])
    found = collections.Counter()
    for text in tree.iter(f"{W}t"):
        for key, value in values.items():
            if text.text == value:
                text.text = f"{{d.{key}}}"
                found[key] += 1
    missing = [key for key in values if not found[key]]
    if missing:
        raise BenchError(f"the DOCX of {LETTER} has no text run with the value of {', '.join(missing)}")

    def cells(row) -> list[str]:
        return ["".join(cell.itertext()) for cell in row.findall(f"{W}tc")]

    first = [str(value) for value in rows[0]]
    table = next((t for t in tree.iter(f"{W}tbl") if any(cells(r) == first for r in t.findall(f"{W}tr"))), None)
    if table is None:
        raise BenchError(f"the DOCX of {LETTER} has no table with the row {first}")
    trs = table.findall(f"{W}tr")
    data = [tr for tr in trs if cells(tr) in [[str(v) for v in row] for row in rows]]
    if len(data) != len(rows):
        raise BenchError(f"found {len(data)} of the {len(rows)} rows of {TABLE} in the DOCX")
    template_row = data[0]
    for tr in data[1:]:
        table.remove(tr)
    names = ["situatie", "aantal"]
    _mark_cells(template_row, [f"{{d.rows[i].{name}}}" for name in names])
    second = copy.deepcopy(template_row)
    _mark_cells(second, [f"{{d.rows[i+1].{name}}}" for name in names])
    template_row.addnext(second)
    total = str(sum(row[1] for row in rows))
    for tr in table.findall(f"{W}tr"):
        texts = [t for t in tr.iter(f"{W}t") if t.text == total]
        for text in texts:
            text.text = "{d.totaal}"
    parts[info] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for item, content in parts.items():
            package.writestr(item, content)


def _mark_cells(row, markers: list[str]) -> None:
    for cell, marker in zip(row.findall(f"{W}tc"), markers, strict=True):
        texts = list(cell.iter(f"{W}t"))
        texts[0].text = marker
        for text in texts[1:]:
            text.text = ""


def letter_data(numbers: list[str]) -> tuple[dict[str, str], list[dict], list[list]]:
    """(the template values of the original, Carbone's data for every letter, TABLE's rows)."""
    from ruamel.yaml import YAML

    letter = YAML(typ="safe").load((REPO / LETTER).read_text(encoding="utf-8"))
    rows = letter["tabellen"][TABLE]["rijen"]
    values = {"datum": datum(letter["datum"]), "nummer": str(letter["nummer"]), "onderwerp": letter["onderwerp"]}
    data = [values | {"nummer": number, "rows": [{"situatie": s, "aantal": a} for s, a in rows],
                      "totaal": sum(a for _, a in rows)} for number in numbers]
    return values, data, rows


class Carbone:
    """bench/carbone/render.js with warm factories; one timed round per ``round()``."""

    def __init__(self, template: Path, data: list[dict], folder: Path, factories: int):
        node = shutil.which("node")
        if node is None or not (CARBONE / "carbone").is_dir():
            raise BenchError("Carbone is not installed: run `make carbone` (npm ci into .cache/carbone)")
        soffice = Path(pdf.locate_soffice()).resolve()
        python = uno_python(str(soffice))
        if python is None:
            raise BenchError("no python3 that can import uno (Debian: python3-uno)")
        # Carbone looks for soffice.bin and then python3 on PATH (lib/converter.js, detectLibreOffice).
        path = os.pathsep.join([str(soffice.parent), str(Path(python).parent), os.environ.get("PATH", "")])
        (folder / "tmp").mkdir(parents=True)
        (folder / "data.json").write_text(json.dumps(data), encoding="utf-8")
        self.outdir = folder / "out"
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [node, str(RENDER_JS), str(template), str(folder / "data.json"), str(self.outdir), str(factories)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
            env=os.environ | {"PATH": path, "NODE_PATH": str(CARBONE), "TMPDIR": str(folder / "tmp")})
        self.warmup = self._answer()["warmup"]

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(60)
            self.stderr.seek(0)
            raise BenchError(f"render.js ended with {self.process.returncode}:\n"
                             f"{self.stderr.read().decode(errors='replace')[-2000:]}")
        return json.loads(line)

    def round(self) -> tuple[Round, dict]:
        load = os.getloadavg()[0]
        before = cpu_seconds(self.process.pid)
        with TreeSampler(self.process.pid) as sampler:
            self.process.stdin.write("go\n")
            self.process.stdin.flush()
            answer = self._answer()
        return Round(answer["seconds"], cpu_seconds(self.process.pid) - before, sampler.peak, load), answer

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()


def words(pdf_file: Path) -> collections.Counter:
    text = subprocess.run(["pdftotext", "-layout", str(pdf_file), "-"], check=True, capture_output=True,
                          text=True).stdout
    return collections.Counter(text.split())


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Results:
    letters: int
    jobs: int
    factories: int
    briefgen: list[Round]
    floor: list[Round]
    plain: list[Round]  # the floor with PLAIN_FILTER
    carbone: list[Round] | str  # a string: why it was not measured
    carbone_warmup: float | None = None
    word_difference: tuple[int, int, str] | None = None  # (words only in one, words in briefgen's, sample)
    memory: tuple[int, Round] | str | None = None  # (letters, the build) or why not
    pdf_only: list[Round] = field(default_factory=list)  # briefgen without the Woo metadata Carbone does not make


def measure(tmp: Path, args: argparse.Namespace) -> Results:
    # briefgen as installed: a byte-compiled copy of src/briefgen (this machine sets PYTHONDONTWRITEBYTECODE=1,
    # so the editable src/ would be compiled anew at every start, about 0.1 s of CPU).
    os.environ["PYTHONPATH"] = str(prose.snapshot(tmp, None))
    root = tmp / "werkmap"
    numbers = make_werkmap(root, args.letters)
    print(f"werkmap with {args.letters} letters in {root}", flush=True)
    build(root, "--formaat", "pdf", "--jobs", str(args.jobs))  # warm-up: profiles made
    bare = tmp / "zonder-woo"
    make_werkmap(bare, args.letters)
    drop_woo(bare)
    build(bare, "--formaat", "pdf", "--jobs", str(args.jobs))
    build(root, "--formaat", "docx", "--opnieuw")
    docx_dir = root / "build" / LETTER.parent.relative_to("content")
    floor_docx = tmp / "floor" / "docx"
    shutil.copytree(docx_dir, floor_docx, ignore=shutil.ignore_patterns("*.pdf", "*.html", "*.xml"))
    docx = sorted(floor_docx.glob("*.docx"))
    floor = Floor(docx, tmp / "floor", args.jobs)
    plain = Floor(docx, tmp / "plain", args.jobs, PLAIN_FILTER)

    values, data, rows = letter_data(numbers)
    carbone: Carbone | str
    try:
        template = tmp / "carbone" / "template.docx"
        template.parent.mkdir(parents=True)
        carbone_template(docx_dir / f"{LETTER.stem}.docx", template, values, rows)
        carbone = Carbone(template, data, tmp / "carbone", args.factories)
    except BenchError as exc:
        carbone = f"not measured: {exc}"
        print(carbone, file=sys.stderr, flush=True)
    results = Results(args.letters, args.jobs, args.factories, [], [], [], [] if isinstance(carbone, Carbone) else carbone)
    try:
        for n in range(args.repeat):
            results.briefgen.append(build(root, "--formaat", "pdf", "--opnieuw", "--jobs", str(args.jobs), memory=True))
            results.pdf_only.append(build(bare, "--formaat", "pdf", "--opnieuw", "--jobs", str(args.jobs), memory=True))
            results.floor.append(floor.run())
            results.plain.append(plain.run())
            if isinstance(carbone, Carbone):
                timed, _ = carbone.round()
                results.carbone.append(timed)
            print(f"round {n + 1}: briefgen {results.briefgen[-1].wall:.2f} s, without Woo "
                  f"{results.pdf_only[-1].wall:.2f} s, floor {results.floor[-1].wall:.2f} s, "
                  f"plain floor {results.plain[-1].wall:.2f} s"
                  + (f", Carbone {results.carbone[-1].wall:.2f} s" if isinstance(carbone, Carbone) else ""), flush=True)
    finally:
        if isinstance(carbone, Carbone):
            results.carbone_warmup = carbone.warmup
            carbone.close()
    if isinstance(carbone, Carbone):
        ours = words(docx_dir / f"{LETTER.stem}.pdf")
        theirs = words(carbone.outdir / "0000.pdf")
        difference = (ours - theirs) + (theirs - ours)
        sample = ", ".join(f"{'−' if word in ours else '+'}{word}" for word in list(difference)[:8])
        results.word_difference = (sum(difference.values()), sum(ours.values()), sample)
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(bare, ignore_errors=True)
    if args.n_memory:
        big = tmp / "memory"
        make_werkmap(big, args.n_memory)
        print(f"memory: {args.n_memory} letters", flush=True)
        results.memory = (args.n_memory, build(big, "--formaat", "pdf", "--jobs", str(args.jobs), memory=True))
    else:
        results.memory = "skipped (`--n-memory 0`)"
    return results


# ---------------------------------------------------------------------------------------------
# The section


def median(rounds: list[Round]) -> Round:
    return sorted(rounds, key=lambda r: r.wall)[len(rounds) // 2]


def _peaks(rounds: list[Round]) -> tuple[float, float]:
    peaks = [r.peak for r in rounds if r.peak]
    return max(p.rss for p in peaks) / MB, max(p.pss for p in peaks) / MB


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def section(results: Results, args: argparse.Namespace, info: dict[str, str]) -> str:
    n = results.letters
    ours, floor = median(results.briefgen), median(results.floor)
    header = ["measurement", "per letter", "total", "CPU s", "peak RSS", "peak PSS", "target", "", "what exactly"]
    table = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]

    def timing(label: str, rounds: list[Round], what: str) -> Round:
        chosen = median(rounds)
        rss, pss = _peaks(rounds)
        walls = ", ".join(f"{r.wall:.2f}" for r in rounds)
        table.append(f"| {label} | {1000 * chosen.wall / n:.0f} ms | {chosen.wall:.2f} s | {chosen.cpu:.2f} | "
                     f"{rss:.0f} MB | {pss:.0f} MB | — | info | {what}; median of {len(rounds)} rounds "
                     f"(walls {walls} s; load before {chosen.load:.1f}) |")
        return chosen

    timing("briefgen", results.briefgen,
           f"`briefgen -C DIR build --formaat pdf --opnieuw --jobs {results.jobs}` as a subprocess, start-up "
           "included: read, render, LibreOffice (one kept running per worker, fed each letter as it is rendered), "
           "PDF/A-2b + UA post-processing (pikepdf)")
    alone = timing("briefgen, PDF alone", results.pdf_only,
                   "the same build of the same letters, their organisations without a TOOI code: no Woo metadata "
                   "(`.diwoo.xml`) beside each PDF, which Carbone does not make either")
    timing("LibreOffice's floor", results.floor,
           f"the same {n} DOCX, {results.jobs} soffice processes in parallel, one "
           f"`--convert-to pdf.PDF_FILTER` call per {pdf.MAX_BATCH} letters, prepared profiles; no post-processing")
    plain = timing("LibreOffice's floor, plain PDF", results.plain,
                   f"the same, with `--convert-to {PLAIN_FILTER}`: the untagged PDF 1.6 Carbone makes")
    if isinstance(results.carbone, str):
        table.append(f"| Carbone 3.8.2 | — | — | — | — | — | — | info | {results.carbone} |")
    else:
        carbone = timing("Carbone 3.8.2", results.carbone,
                         f"{results.factories} warm factories, `convertTo: 'pdf'` (plain PDF), start-up and "
                         f"warm-up ({results.carbone_warmup:.1f} s) excluded; CPU of node + factories from /proc")
        ratio = carbone.wall / ours.wall
        table.append(f"| Carbone ÷ briefgen | {ratio:.2f} × | | {carbone.cpu / ours.cpu:.2f} × | | | "
                     f"≥ {TARGET_CARBONE} × | {_verdict(ratio >= TARGET_CARBONE)} | wall per letter of the median "
                     "rounds; the CPU column is the CPU ratio (for information) |")
        table.append(f"| Carbone ÷ briefgen, PDF alone | {carbone.wall / alone.wall:.2f} × | | "
                     f"{carbone.cpu / alone.cpu:.2f} × | | | — | info | the same, against the build without Woo metadata |")
        table.append(f"| Carbone ÷ plain floor | {carbone.wall / plain.wall:.2f} × | | {carbone.cpu / plain.cpu:.2f} × "
                     "| | | — | info | Carbone's warm factories against a soffice started per call, the same plain export "
                     "(wall; CPU in the CPU column) |")
    ratio = ours.wall / floor.wall
    table.append(f"| briefgen ÷ floor | {ratio:.2f} × | | {ours.cpu / floor.cpu:.2f} × | | | ≤ {TARGET_FLOOR} × | "
                 f"{_verdict(ratio <= TARGET_FLOOR)} | wall of the median rounds; the CPU column is the CPU ratio "
                 "(for information) |")
    table.append(f"| briefgen, PDF alone ÷ floor | {alone.wall / floor.wall:.2f} × | | {alone.cpu / floor.cpu:.2f} × | | | "
                 "— | info | the same, for the build without Woo metadata |")
    if isinstance(results.memory, tuple):
        letters, run = results.memory
        rss, pss = run.peak.rss / MB, run.peak.pss / MB
        table.append(f"| briefgen memory, {letters} letters | {1000 * run.wall / letters:.0f} ms | {run.wall:.1f} s | "
                     f"{run.cpu:.1f} | {rss:.0f} MB | {pss:.0f} MB | ≤ {TARGET_MB} MB | "
                     f"RSS {_verdict(rss <= TARGET_MB)}, PSS {_verdict(pss <= TARGET_MB)} | `build --formaat pdf` "
                     f"of {letters} copies (a first build: its profiles included); tree sampled every 50 ms ({run.peak.samples} samples, up "
                     f"to {run.peak.processes} processes) |")
    else:
        table.append(f"| briefgen memory, {args.n_memory} letters | — | — | — | — | — | ≤ {TARGET_MB} MB | info | "
                     f"{results.memory} |")
    if results.word_difference:
        count, total, sample = results.word_difference
        table.append(f"| text of Carbone's PDF against briefgen's | {count} words differ | | | | | — | info | "
                     f"`pdftotext -layout` of the original letter (2021/45), words counted as a multiset; "
                     f"briefgen's has {total} words{'; ' + sample if sample else ''} |")
    command = (f"cd {REPO} && make carbone && .venv/bin/python bench/batch.py --letters {n} --repeat {args.repeat} "
               f"--n-memory {args.n_memory} --jobs {results.jobs} --factories {results.factories}")
    return "\n".join([
        BEGIN,
        "## Batch: briefgen against LibreOffice's floor and Carbone (bench/batch.py)",
        "",
        f"Generated by `bench/batch.py` on {info['date']}; {info['machine']}. Load average at start: {info['load']}, "
        f"at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}. {n} copies of `{LETTER}` (each its own "
        "file and `nummer`), rounds interleaved (briefgen, briefgen without Woo metadata, floor, plain floor, Carbone). "
        "Reproduce:",
        "",
        "```sh",
        command,
        "```",
        "",
        *table,
        "",
        "- **How fair.** All three convert the same letter with the same LibreOffice on the same cores. briefgen "
        "and the floor make PDF/A-2b with PDF/UA tagging (`pdf.PDF_FILTER`); Carbone 3.8.2 (community) passes no "
        "PDF filter options to LibreOffice (its `convertTo.formatOptions` for PDF are not handed to its "
        "converter.py), so it makes plain, untagged PDF; the plain-floor row shows what that saves LibreOffice. "
        "briefgen's time "
        "includes its start-up, reading and checking the YAML, rendering each DOCX and the pikepdf step; "
        "Carbone's excludes its start-up and warm-up, as in the issue's measurement (65 ms a letter). briefgen "
        "also writes each letter's Woo metadata (`.diwoo.xml`), which Carbone does not; the issue asks for "
        "\"100 copies … with PDF/A-2b + UA\", so the rows \"PDF alone\" measure the same build without it (the "
        "organisations without a TOOI code); the targets are judged on the full build.",
        "- **The Carbone template** is briefgen's own DOCX of the letter, with `{d.datum}`, `{d.nummer}` and "
        f"`{{d.onderwerp}}` in place of those values, the rows of table `{TABLE}` as a `{{d.rows[i].…}}` loop and "
        "its total as `{d.totaal}` (made in the bench with lxml); Carbone fills it from JSON, one object per "
        "letter with that letter's `nummer`, so the PDFs have the same pages and text. render.js keeps "
        f"{2 * results.factories} renders in flight so that no factory waits while node prepares the next.",
        "- **The floor** is what LibreOffice alone needs for these DOCX files the way briefgen calls it: no "
        "reading, no rendering, no post-processing. briefgen's ratio to it is its whole overhead.",
        "- Memory is the peak sum over the process tree (briefgen with its workers and soffice; the floor's "
        "shell and soffice processes; node with Carbone's soffice.bin and python3 factories), sampled every "
        "50 ms; RSS counts shared pages once per process, PSS shares them out. Carbone's is sampled during "
        "the timed rounds only.",
        "- The machine is shared with other work (see the load average): wall times are provisional; the CPU "
        "column is the steadier figure. With a load above nproc the three compete with other processes for the "
        "cores, so the wall ratios, and the PASS/FAIL taken from them, say little; the CPU ratios hold better.",
        END,
    ])


def machine() -> dict[str, str]:
    soffice = subprocess.run([pdf.locate_soffice(), "--version"], capture_output=True, text=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() if shutil.which(
        "node") else "none"
    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True,
                            text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    return {
        "date": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "machine": f"commit {commit}, {len(os.sched_getaffinity(0))} CPUs ({cpu}), {soffice}, Python "
                   f"{platform.python_version()}, node {node}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=100, help="copies of the letter (default: 100)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each, interleaved (default: 3)")
    parser.add_argument("--n-memory", type=int, default=1000,
                        help="letters of the memory-only build; 0 skips it (default: 1000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="briefgen's taken = the floor's soffice processes (default: nproc)")
    parser.add_argument("--factories", type=int, default=2, help="Carbone's LibreOffice factories (default: 2)")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md", help="report file (default: bench/RESULTS.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (path is printed)")
    args = parser.parse_args()
    if args.letters < 1 or args.repeat < 1 or args.jobs < 1 or args.factories < 1 or args.n_memory < 0:
        parser.error("--letters, --repeat, --jobs and --factories must be at least 1, --n-memory at least 0")
    info = machine()
    tmp = Path(tempfile.mkdtemp(prefix="briefgen-bench-batch-"))
    try:
        results = measure(tmp, args)
    except BenchError as exc:
        raise SystemExit(f"bench/batch.py: {exc}") from None
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    text = section(results, args, info)
    prose.write(args.out, text, BEGIN, END)
    print(text)


if __name__ == "__main__":
    main()
