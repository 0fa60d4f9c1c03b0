#!/usr/bin/env python3
"""Does one merged DOCX make LibreOffice cheaper per letter than separate ones? (issue 16, stop 27; a probe)

    .venv/bin/pip install docxcompose      # (bench/requirements.txt) only for this probe, not for briefgen
    .venv/bin/python bench/merged_probe.py [--letters 50] [--keep DIR] [--no-verapdf]

On a werkmap in a temporary folder with ``--letters`` copies of the Hilversum 2021 example letter
(bench/batch.py's make_werkmap), built DOCX only, one run of each, timed by wall clock and by user+sys
CPU of LibreOffice (the soffice tree, wait4 or /proc):

A. the separate DOCX converted by one ``soffice --convert-to pdf.PDF_FILTER`` call (bench/batch.py's Floor,
   one process; the PDF/A-2b + PDF/UA filter options of builders/pdf.py; LibreOffice start-up included);
B. the same DOCX merged into one with docxcompose, every letter its own section (next page, page numbers
   restarted at 1, the letter's first-page header, NUMPAGES turned into SECTIONPAGES), converted the same way;
C. through UNO (bench/merged_uno.py under a Python with ``uno``; skipped when there is none), one LibreOffice
   kept running: C0 the separate DOCX loaded and exported one by one, as briefgen's bridge does; C the
   merged DOCX loaded once and exported once per letter with the ``PageRange`` filter option (each letter's
   pages as in A; then, timed apart, as LibreOffice's view cursor finds them from each section's first
   paragraph or table, which a build would need); C1 the merged DOCX loaded and exported whole, once, as in
   B but on the running LibreOffice. LibreOffice's start-up is reported apart.

Then every output is looked at (pikepdf: pages, StructTreeRoot and its elements, /Lang, /Title; pdftotext:
the first-page header, the letter's number, "Pagina X van N"), C's letters also after briefgen's own
post-processing (pdf.deliver), and a sample goes through veraPDF (``make verapdf`` first; tests/verapdf).
Prints the figures; writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402, F401  (re-runs this script under the project's .venv, as every bench script does)
from batch import BRIEFGEN, LETTER, Floor, make_werkmap, words  # noqa: E402
from proctree import cpu_seconds  # noqa: E402
from prose import BENCH, REPO  # noqa: E402

from briefgen.builders import launch, pdf  # noqa: E402
from briefgen.builders import profile as lo_profile  # noqa: E402
from briefgen.builders.resident import uno_python  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER_WORD = "Dudokpark"  # in the first-page header of the Hilversum template
PAGE_FOOTER = re.compile(r"Pagina (\d+) van (\d+)")


class KeptFloor(Floor):
    """bench/batch.py's Floor with one process, keeping what the timed call made."""

    def _clear(self) -> None:
        pass

    def outputs(self) -> list[Path]:
        return sorted(self._outdir(0).glob("*.pdf"))


# ---------------------------------------------------------------------------------------------
# B: one DOCX


def merge(docx: list[Path], target: Path) -> None:
    """``docx`` into one document, each letter a section of its own that restarts page numbering."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docxcompose.composer import Composer

    master = Document(str(docx[0]))
    body = master.element.body
    final = body.find(f"{W}sectPr")
    numbering = final.makeelement(f"{W}pgNumType", {f"{W}start": "1"})
    final.find(f"{W}pgMar").addnext(numbering)  # schema order: pgSz, pgMar, …, pgNumType, cols
    for rel in master.part.rels.values():  # "Pagina X van N": N of the letter, not of the whole document
        if rel.reltype == RT.FOOTER:
            for instr in rel.target_part.element.iter(f"{W}instrText"):
                instr.text = instr.text.replace("NUMPAGES", "SECTIONPAGES")
    composer = Composer(master)
    for path in docx[1:]:
        _end_section(body, final)
        composer.append(Document(str(path)))
    composer.save(str(target))


def _end_section(body, final) -> None:
    """End the letter so far with a copy of the final section's properties (next page, own headers)."""
    last = final.getprevious()
    if last is None or last.tag != f"{W}p" or last.find(f"{W}pPr/{W}sectPr") is not None:
        last = body.makeelement(f"{W}p", {})
        final.addprevious(last)
    ppr = last.find(f"{W}pPr")
    if ppr is None:
        ppr = last.makeelement(f"{W}pPr", {})
        last.insert(0, ppr)
    ppr.append(copy.deepcopy(final))


# ---------------------------------------------------------------------------------------------
# C: one LibreOffice through UNO


class Office:
    """One LibreOffice accepting a pipe, as builders/resident.py starts it, and bench/merged_uno.py on it."""

    def __init__(self, python: str, folder: Path):
        soffice = pdf.locate_soffice()
        splash = launch.direct(soffice)
        profile = folder / "profile"
        version = lo_profile.version(soffice)
        if version:
            lo_profile.prepare(profile, version)
        pipe = f"merged-probe-{os.getpid()}"
        started = time.perf_counter()
        self.office = subprocess.Popen(
            [splash or soffice, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nologo", "--nodefault",
             f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env=launch.environment(splash) if splash else None)
        self.helper = subprocess.Popen([python, str(BENCH / "merged_uno.py"), pipe, "60"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True)
        self._answer()
        self.start = (time.perf_counter() - started, cpu_seconds(self.office.pid))

    def _answer(self) -> dict:
        line = self.helper.stdout.readline()
        if not line:
            raise SystemExit(f"bench/merged_uno.py ended with {self.helper.wait()}")
        return json.loads(line)

    def ask(self, request: dict) -> tuple[dict, float, float]:
        """(answer, wall s, LibreOffice's CPU s) of one request."""
        before, started = cpu_seconds(self.office.pid), time.perf_counter()
        self.helper.stdin.write(json.dumps(request | {"options": pdf.EXPORT_OPTIONS}) + "\n")
        self.helper.stdin.flush()
        answer = self._answer()
        return answer, time.perf_counter() - started, cpu_seconds(self.office.pid) - before

    def close(self) -> None:
        self.helper.stdin.close()
        self.helper.wait(60)
        try:
            self.office.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.office.pid, 9)
            self.office.wait()


def pages(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as document:
        return len(document.pages)


def ranges(starts: list[int], pages: int) -> list[str]:
    ends = [start - 1 for start in starts[1:]] + [pages]
    return [f"{start}-{end}" for start, end in zip(starts, ends, strict=True)]


# ---------------------------------------------------------------------------------------------
# What came out


def inspect(path: Path) -> dict:
    import pikepdf

    with pikepdf.open(path) as document:
        root = document.Root
        tree = root.get("/StructTreeRoot")
        info = {
            "pages": len(document.pages),
            "struct elements": _count(tree.get("/K")) if tree is not None else 0,
            "top-level": _count(tree.get("/K"), deep=False) if tree is not None else 0,
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            "lang": str(root.get("/Lang", "")),
            "title": str(document.docinfo.get("/Title", "")),
        }
        with document.open_outline() as outline:
            info["bookmarks"] = len(outline.root)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout.split("\f")
    info["header on page 1"] = HEADER_WORD in text[0]
    info["numbers"] = re.findall(r"2021/\d+", text[0])[:1]
    footers = [f"p{n + 1}: " + "/".join(found[0]) for n, page in enumerate(text) if (found := PAGE_FOOTER.findall(page))]
    info["footers"] = footers[:4] + ([f"… {len(footers)} in all"] if len(footers) > 4 else [])
    return info


def _count(node, seen: set | None = None, deep: bool = True) -> int:
    """Structure elements in ``node`` (a /K): all of them, or (not ``deep``) those at its own level."""
    import pikepdf

    seen = set() if seen is None else seen
    if isinstance(node, pikepdf.Array):
        return sum(_count(item, seen, deep) for item in node)
    if isinstance(node, pikepdf.Dictionary) and "/S" in node:
        key = node.objgen
        if key != (0, 0) and key in seen:
            return 0
        seen.add(key)
        return 1 + (_count(node.get("/K"), seen) if deep else 0)
    return 0


def delivered(raw: Path, docx: Path, target: Path) -> str:
    """briefgen's post-processing of ``raw``, as for the letter of ``docx``; '' or why it failed."""
    import datetime

    from docx import Document

    properties = Document(str(docx)).core_properties
    job = pdf.PdfJob(docx, target, properties.title, properties.author, datetime.date(2021, 11, 16), docx.name)
    failure = pdf.deliver(raw, job)
    return failure.reason if failure else ""


def verapdf(folder: Path) -> str:
    done = subprocess.run([str(REPO / ".venv" / "bin" / "python"), "-m", "tests.verapdf.valideer", str(folder)],
                          cwd=REPO, capture_output=True, text=True)
    return (done.stdout + done.stderr).strip()


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="keep the werkmap and every output here (a new folder)")
    parser.add_argument("--no-verapdf", action="store_true")
    args = parser.parse_args()
    if args.letters < 2:
        parser.error("--letters: at least 2 (a merged document of one letter measures nothing)")
    try:
        import docxcompose  # noqa: F401
    except ImportError:
        raise SystemExit("docxcompose is missing: .venv/bin/pip install docxcompose") from None
    tmp = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="merged-probe-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        run(tmp, args)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def run(tmp: Path, args: argparse.Namespace) -> None:
    root = tmp / "werkmap"
    make_werkmap(root, args.letters)
    for n, letter in enumerate(sorted((root / LETTER).parent.glob("kopie-*.yaml")), start=1):
        text = letter.read_text(encoding="utf-8")  # a subject of its own: does each PDF keep its letter's title?
        letter.write_text(re.sub(r"^onderwerp: (.*)$", rf"onderwerp: \1 ({n})", text, count=1, flags=re.M),
                          encoding="utf-8")
    subprocess.run([str(BRIEFGEN), "-C", str(root), "build", "--formaat", "docx", "--opnieuw"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    docx = sorted((root / "build" / LETTER.parent.relative_to("content")).glob("*.docx"))
    merged = tmp / "merged" / "brieven.docx"
    merged.parent.mkdir()
    started = time.process_time()
    merge(docx, merged)
    print(f"{len(docx)} letters; merged with docxcompose in {time.process_time() - started:.2f} s CPU", flush=True)

    rows: list[tuple[str, float, float]] = []
    a = KeptFloor(docx, tmp / "a", 1)
    timed = a.run()
    rows.append(("A  separate DOCX, one soffice --convert-to", timed.wall, timed.cpu))
    b = KeptFloor([merged], tmp / "b", 1)
    timed = b.run()
    rows.append(("B  merged DOCX, one soffice --convert-to", timed.wall, timed.cpu))

    python = uno_python(pdf.locate_soffice())
    c_pdfs: list[Path] = []
    if python is None:
        print("C skipped: no Python that can import uno (Debian: python3-uno)", flush=True)
    else:
        office = Office(python, tmp / "c")
        try:
            c0 = tmp / "c" / "separate"
            c0.mkdir()
            office.ask({"separate": [[str(docx[0]), str(c0 / "warm.pdf")]]})  # first-use costs, untimed
            _, wall, cpu = office.ask({"separate": [[str(d), str(c0 / d.with_suffix(".pdf").name)] for d in docx]})
            rows.append(("C0 separate DOCX through UNO (as briefgen)", wall, cpu))
            # Each letter's pages as A found them; then (after the exports, so layout is done) as LibreOffice's
            # view cursor finds them from each letter's first paragraph or table, which a real build would need.
            letters = ranges(list(itertools.accumulate([1] + [pages(p) for p in a.outputs()][:-1])),
                             sum(map(pages, a.outputs())))
            out = tmp / "c" / "ranges"
            out.mkdir()
            c_pdfs = [out / d.with_suffix(".pdf").name for d in docx]
            _, load_wall, load_cpu = office.ask({"load": str(merged)})
            _, export_wall, export_cpu = office.ask({"export": [list(pair) for pair in zip(letters, map(str, c_pdfs),
                                                                                        strict=True)]})
            answer, find_wall, find_cpu = office.ask({"starts": True})
            office.ask({"close": True})
            _, whole_wall, whole_cpu = office.ask({"load": str(merged)})
            _, wall, cpu = office.ask({"export": [["", str(tmp / "c" / "whole.pdf")]]})
            office.ask({"close": True})
            rows.append(("C1 merged DOCX through UNO, one export of all", whole_wall + wall, whole_cpu + cpu))
            rows.append(("C  merged DOCX through UNO: load", load_wall, load_cpu))
            rows.append((f"C  ... {len(c_pdfs)} exports with PageRange", export_wall, export_cpu))
            rows.append(("C  total (load + exports)", load_wall + export_wall, load_cpu + export_cpu))
            rows.append(("C  ... then each letter's pages by view cursor", find_wall, find_cpu))
            found = ranges(answer["starts"], answer["pages"]) if answer["starts"] else []
            print(f"C: LibreOffice start-up (not in the rows) {office.start[0]:.2f} s wall, {office.start[1]:.2f} s "
                  f"CPU; page ranges {letters[:3]} … {letters[-1:]}, by view cursor the same: {found == letters}",
                  flush=True)
        finally:
            office.close()

    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; CPU = user+sys of LibreOffice")
    base = rows[0][2]
    for label, wall, cpu in rows:
        print(f"{label:50} wall {wall:7.2f} s   CPU {cpu:7.2f} s   CPU/letter {cpu / len(docx) * 1000:6.0f} ms"
              f"   CPU ÷ A {cpu / base:5.2f}")

    checks = {"A letter 1": a.outputs()[0], "A letter 2": a.outputs()[1], "B merged": b.outputs()[0]}
    for n in sorted({0, 1, len(c_pdfs) - 1}):
        if 0 <= n < len(c_pdfs):
            checks[f"C letter {n + 1}"] = c_pdfs[n]
    sample = tmp / "verapdf"
    sample.mkdir()
    for label, path in list(checks.items()):
        shutil.copy(path, sample / f"{label.replace(' ', '-')}-raw.pdf")
        if not label.startswith("B"):
            source = docx[0] if label.endswith(" 1") else docx[1] if label.endswith(" 2") else docx[-1]
            target = sample / f"{label.replace(' ', '-')}-delivered.pdf"
            why = delivered(path, source, target)
            if why:
                print(f"{label}: briefgen's post-processing refused it: {why}")
            else:
                checks[f"{label} delivered"] = target
    print()
    for label, path in checks.items():
        print(f"{label:22} {json.dumps(inspect(path), ensure_ascii=False)}")
    if c_pdfs:
        differ = [pdf_file.name for pdf_file, own in zip(c_pdfs, a.outputs(), strict=False)
                  if words(pdf_file) != words(own)]
        print(f"C: {len(c_pdfs) - len(differ)} of {len(c_pdfs)} letters have the words of their own PDF in A"
              + (f"; not: {differ[:5]}" if differ else ""))
    if args.no_verapdf:
        return
    print("\nveraPDF (PDF/A-2B and PDF/UA-1), the file and each rule it failed:")
    for line in verapdf(sample).splitlines():
        if not line.startswith("      "):  # not the objects a rule failed on
            print(line)


if __name__ == "__main__":
    main()
