#!/usr/bin/env python3
"""Benchmark for ``briefgen watch``: how soon a saved letter has fresh DOCX and PDF.

    .venv/bin/python bench/watch.py [--saves 20] [--builds 5] [--out bench/RESULTS.md]

In a copy of the repository's werkmap (temporary folder) it times, in one run:

1. a one-letter ``briefgen -C DIR build LETTER`` after a save (subprocess, start-up and a fresh
   LibreOffice included: the way without watch), the median of ``--builds`` saves;
2. ``briefgen watch``: ``--saves`` saves of the same 3-page letter, each the time from writing the
   file until its DOCX and PDF are both new (their inodes change: briefgen writes by rename), median;
3. the conversion alone of that letter's DOCX, three ways, each followed by briefgen's own pikepdf
   step (pdf.deliver): a fresh ``soffice --convert-to`` (pdf.PdfBuilder), the resident LibreOffice
   through briefgen's UNO bridge (builders/resident.py), and unoserver (PyPI; only when it is
   installed in the venv and LibreOffice's Python has ``uno``), which drives LibreOffice the same way
   over XML-RPC and TCP ports.

Writes its own section at the end of bench/RESULTS.md (between the markers; bench/run.py keeps it).
A benchmark, not a test: it reports PASS/FAIL against the targets but exits 0 when it ran.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
BRIEFGEN = REPO / ".venv" / "bin" / "briefgen"

if Path(sys.prefix).resolve() != (REPO / ".venv").resolve() and VENV_PYTHON.exists():
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])

LETTER = "content/hilversum/2016/inkoop-sociaal-domein-2017.yaml"  # 3 pages as PDF
BEGIN, END = "<!-- bench/watch.py: begin -->", "<!-- bench/watch.py: end -->"
TARGET_SECONDS, TARGET_RATIO = 0.5, 0.4


def _subject(path: Path, text: str, n: int) -> None:
    lines = [f"onderwerp: Inkoop sociaal domein 2017 (versie {n})" if line.startswith("onderwerp:") else line
             for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def one_letter_builds(root: Path, text: str, count: int) -> list[float]:
    letter = root / LETTER
    times = []
    for n in range(count):
        _subject(letter, text, 1000 + n)
        started = time.monotonic()
        subprocess.run([str(BRIEFGEN), "-C", str(root), "build", str(letter)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.monotonic() - started)
    return times


def watch_saves(root: Path, text: str, count: int) -> list[float]:
    """Seconds from each save to both outputs renamed into place."""
    letter = root / LETTER
    docx, pdf = (root / "build" / Path(LETTER).relative_to("content").with_suffix(s) for s in (".docx", ".pdf"))
    process = subprocess.Popen([str(BRIEFGEN), "-C", str(root), "watch", str(letter)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    try:
        deadline = time.monotonic() + 300
        while not any("wacht op wijzigingen" in line for line in lines):
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("briefgen watch did not start:\n" + "".join(lines))
            time.sleep(0.05)
        time.sleep(1.0)
        times = []
        for n in range(count):
            before = (_inode(docx), _inode(pdf))
            _subject(letter, text, n)
            started = time.monotonic()
            while True:
                now = (_inode(docx), _inode(pdf))
                if now[0] != before[0] and now[1] != before[1]:
                    times.append(time.monotonic() - started)
                    break
                if time.monotonic() - started > 120:
                    raise SystemExit("no new PDF after 120 s:\n" + "".join(lines))
                time.sleep(0.005)
            time.sleep(0.5)  # as between two saves in an editor
        return times
    finally:
        process.terminate()  # as Ctrl-C (SIGINT may be ignored when this runs in the background)
        process.wait(60)


def conversions(root: Path, repeat: int = 5) -> dict[str, list[float] | str]:
    """The conversion of the letter's DOCX alone, followed by pdf.deliver, three ways."""
    from briefgen.builders import pdf
    from briefgen.builders.resident import ResidentConverter, uno_python

    docx = root / "build" / Path(LETTER).relative_to("content").with_suffix(".docx")
    scratch = Path(tempfile.mkdtemp(prefix="conv-", dir=root))
    job = pdf.PdfJob(docx, scratch / "out.pdf", "Bench", "Bench", datetime.date(2021, 1, 1), "bench")
    soffice = pdf.locate_soffice()
    results: dict[str, list[float] | str] = {}

    batch = pdf.PdfBuilder(soffice, jobs=1, workdir=scratch / "batch")
    batch.convert([job])  # creates its profile
    results["fresh soffice --convert-to per letter (pdf.PdfBuilder)"] = [_timed(lambda: batch.convert([job]))
                                                                         for _ in range(repeat)]
    with ResidentConverter(soffice, workdir=scratch / "resident") as resident:
        resident.start()
        resident.convert([job])
        results["resident LibreOffice, briefgen's UNO bridge (builders/resident.py)"] = [
            _timed(lambda: resident.convert([job])) for _ in range(repeat)]
    results["resident LibreOffice, unoserver (XML-RPC)"] = _unoserver(soffice, uno_python(soffice), job, scratch, repeat)
    shutil.rmtree(scratch, ignore_errors=True)
    return results


def _unoserver(soffice: str, python: str | None, job, scratch: Path, repeat: int) -> list[float] | str:
    try:
        import unoserver
        from unoserver.client import UnoClient
    except ImportError:
        return "not measured: unoserver is not installed in .venv (pip install unoserver)"
    if python is None:
        return "not measured: no Python with LibreOffice's uno module"
    from briefgen.builders import pdf

    ports = [_free_port(), _free_port()]
    path = scratch / "unoserver-path"
    path.mkdir()
    package = Path(unoserver.__file__).parent
    for part in (package, *package.parent.glob("unoserver-*.dist-info")):  # the code and its version
        (path / part.name).symlink_to(part)
    profile = scratch / "unoserver-profile"
    server = subprocess.Popen(
        [python, "-m", "unoserver.server", "--port", str(ports[0]), "--uno-port", str(ports[1]),
         "--executable", shutil.which(soffice), "--user-installation", str(profile), "--quiet"],
        env=os.environ | {"PYTHONPATH": str(path)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    options = [f"{name}={value}" for name, (_, value) in pdf.EXPORT_OPTIONS.items()]
    raw = scratch / "unoserver.pdf"
    client = UnoClient(port=str(ports[0]))

    def convert() -> None:
        client.convert(inpath=str(job.docx), outpath=str(raw), convert_to="pdf", filtername="writer_pdf_Export",
                       filter_options=options, update_index=False)
        failure = pdf.deliver(raw, job)
        assert failure is None, failure

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                convert()
                break
            except (ConnectionError, OSError):
                if time.monotonic() > deadline:
                    return "not measured: unoserver did not start"
                time.sleep(0.5)
        return [_timed(convert) for _ in range(repeat)]
    finally:
        os.killpg(server.pid, 9)
        server.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _timed(action) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def section(builds: list[float], saves: list[float], converted: dict, load: str) -> str:
    build = statistics.median(builds)
    save = statistics.median(saves)
    ratio = save / build
    verdict = lambda ok: "PASS" if ok else "FAIL"  # noqa: E731
    soffice = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    rows = [
        "| measurement | result | target |  | what exactly |",
        "| --- | --- | --- | --- | --- |",
        f"| one-letter `briefgen build LETTER` after a save | {_s(build)} | — | info | subprocess, median of "
        f"{len(builds)} (min {_s(min(builds))}, max {_s(max(builds))}) |",
        f"| `briefgen watch`: save → fresh DOCX and PDF | {_s(save)} | ≤ {TARGET_SECONDS} s | "
        f"{verdict(save <= TARGET_SECONDS)} | median of {len(saves)} saves (min {_s(min(saves))}, max "
        f"{_s(max(saves))}) |",
        f"| watch ÷ one-letter build | {ratio:.2f} × | ≤ {TARGET_RATIO} × | {verdict(ratio <= TARGET_RATIO)} | "
        "medians, same run |",
    ]
    for how, times in converted.items():
        if isinstance(times, str):
            rows.append(f"| conversion only, {how} | — | — | info | {times} |")
        else:
            rows.append(f"| conversion only, {how} | {_s(statistics.median(times))} | — | info | median of "
                        f"{len(times)}, pikepdf step included |")
    return "\n".join([
        BEGIN,
        "## Watch: a saved letter (bench/watch.py)",
        "",
        f"Generated by `bench/watch.py` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} CPUs, {soffice}, Python {platform.python_version()}, load average before: {load}. "
        f"Letter: `{LETTER}` (3 pages).",
        "",
        *rows,
        "",
        "- The save is timed from the write of the YAML file until both outputs were renamed into place "
        "(polled every 5 ms); watch notices it through inotify (watchfiles) and waits 20 ms for more changes.",
        "- The conversion rows compare how to keep LibreOffice running. briefgen uses its own small UNO bridge "
        "(builders/uno_bridge.py, run by the Python that has python3-uno): no TCP port that other local users "
        "could use, no extra dependency (unoserver needs python3-uno as well), time-out and restart in "
        "briefgen's hands, and the filter data typed exactly as pdf.EXPORT_OPTIONS says.",
        END,
    ])


def write_section(out: Path, text: str) -> None:
    try:
        current = out.read_text(encoding="utf-8")
    except OSError:
        current = ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head.rstrip("\n") + "\n\n" + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    out.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--builds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-watch-bench-") as folder:
        root = Path(folder) / "werkmap"
        for part in ("content", "templates"):
            shutil.copytree(REPO / part, root / part)
        text = (root / LETTER).read_text(encoding="utf-8")
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        subprocess.run([str(BRIEFGEN), "-C", str(root), "build"], check=True, stdout=subprocess.DEVNULL)
        builds = one_letter_builds(root, text, args.builds)
        saves = watch_saves(root, text, args.saves)
        builds += one_letter_builds(root, text, args.builds)  # before and after: the load changes in between
        converted = conversions(root)
    text = section(builds, saves, converted, load)
    write_section(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
