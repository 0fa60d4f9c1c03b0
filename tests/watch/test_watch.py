"""``briefgen watch`` as a griffie uses it: a real process, a real LibreOffice, files saved on disk.

Save a letter and see its new PDF; break it and see the located message; fix it and see the PDF;
LibreOffice crashes and the next save still gets its PDF; Ctrl-C ends briefgen and every LibreOffice
it started. Without LibreOffice the test skips, and fails under BRIEFGEN_REQUIRE_PDF=1 (CI).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf

from tests.conftest import VALID_LETTER, require_soffice

WAIT = 240.0  # seconds for one step on a machine busy with other work; a step normally takes about one


class Running:
    """``briefgen watch`` in the background, its output collected line by line."""

    def __init__(self, root: Path):
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "-C", str(root), "watch"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=_collect, args=(stream, lines), daemon=True).start()

    def wait_for(self, what: str, done) -> None:
        deadline = time.monotonic() + WAIT
        while not done():
            assert self.process.poll() is None, f"briefgen watch ended while waiting for {what}:\n{self.output()}"
            assert time.monotonic() < deadline, f"no {what} after {WAIT:g} s:\n{self.output()}"
            time.sleep(0.1)

    def output(self) -> str:
        return "stdout:\n" + "".join(self.out) + "stderr:\n" + "".join(self.err)


def _collect(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


def _title(pdf: Path) -> str | None:
    """The PDF's title (the letter's subject), None while there is no complete PDF."""
    try:
        with pikepdf.open(pdf) as document:
            return str(document.docinfo.get("/Title", ""))
    except (OSError, pikepdf.PdfError):
        return None


def _processes_of(root: Path) -> dict[int, str]:
    """Every process whose command line names the werkmap (LibreOffice's profile lies under its build/)."""
    marks = (str(root), root.as_uri())
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if any(mark in command for mark in marks):
            found[int(entry.name)] = command
    return found


def _with_subject(text: str, subject: str) -> str:
    return re.sub(r"(?m)^onderwerp: .*$", f"onderwerp: {subject}", text, count=1)


def test_save_break_fix_crash_and_ctrl_c(werkmap: Path):
    require_soffice()
    letter = werkmap / VALID_LETTER
    pdf = werkmap / "build" / Path(VALID_LETTER).relative_to("content").with_suffix(".pdf")
    original = letter.read_text(encoding="utf-8")
    watch = Running(werkmap)
    try:
        watch.wait_for("first PDF", lambda: _title(pdf) is not None and "wacht op wijzigingen" in "".join(watch.out))

        letter.write_text(_with_subject(original, "Eerste versie"), encoding="utf-8")
        watch.wait_for("the PDF of the saved letter", lambda: _title(pdf) == "Eerste versie")

        broken = original.replace("\nonderwerp:", "\nonderwep:", 1)
        letter.write_text(broken, encoding="utf-8")
        line = broken.splitlines().index(next(l for l in broken.splitlines() if l.startswith("onderwep:"))) + 1
        message = f"{VALID_LETTER}:{line}:1: onbekende sleutel 'onderwep'"
        watch.wait_for("the located message", lambda: any(message in l for l in watch.err))
        assert _title(pdf) == "Eerste versie"  # the last good PDF stays

        letter.write_text(_with_subject(original, "Verbeterde versie"), encoding="utf-8")
        watch.wait_for("the PDF of the fixed letter", lambda: _title(pdf) == "Verbeterde versie")

        offices = [pid for pid, command in _processes_of(werkmap).items() if "soffice.bin" in command]
        assert offices, f"no resident LibreOffice for this werkmap:\n{watch.output()}"
        for pid in offices:
            os.kill(pid, signal.SIGKILL)  # LibreOffice crashes between two saves
        letter.write_text(_with_subject(original, "Na de crash"), encoding="utf-8")
        watch.wait_for("the PDF after LibreOffice crashed", lambda: _title(pdf) == "Na de crash")
        with pikepdf.open(pdf) as document:  # the resident path gives the batch path's PDF/A and tags
            assert document.Root.Lang == "nl-NL" and document.Root.MarkInfo.Marked
            with document.open_metadata() as meta:
                assert meta.pdfa_status == "2B"

        watch.process.send_signal(signal.SIGINT)
        code = watch.process.wait(timeout=WAIT)
        assert code in (0, 130), watch.output()
        assert "gestopt." in "".join(watch.out)
        assert "Traceback" not in watch.output()
        deadline = time.monotonic() + 10
        while _processes_of(werkmap) and time.monotonic() < deadline:
            time.sleep(0.1)  # a killed process group disappears from /proc once reaped
        assert _processes_of(werkmap) == {}, _processes_of(werkmap)
    finally:
        _kill_all(watch, werkmap)


def test_hanging_libreoffice_is_restarted_and_killed_watch_leaves_no_libreoffice(werkmap: Path):
    """LibreOffice stops responding (SIGSTOP): the save fails after pdf_timeout, the next save gets a fresh
    LibreOffice and its PDF. Then briefgen itself is killed (no Ctrl-C): LibreOffice still ends."""
    require_soffice()
    (werkmap / "briefgen.toml").write_text("pdf_timeout = 10\n", encoding="utf-8")
    letter = werkmap / VALID_LETTER
    pdf = werkmap / "build" / Path(VALID_LETTER).relative_to("content").with_suffix(".pdf")
    original = letter.read_text(encoding="utf-8")
    watch = Running(werkmap)
    try:
        watch.wait_for("first PDF", lambda: _title(pdf) is not None and "wacht op wijzigingen" in "".join(watch.out))
        offices = [pid for pid, command in _processes_of(werkmap).items() if "soffice.bin" in command]
        assert offices, watch.output()
        for pid in offices:
            os.kill(pid, signal.SIGSTOP)
        letter.write_text(_with_subject(original, "Tijdens het hangen"), encoding="utf-8")
        message = f"{VALID_LETTER}: PDF niet gemaakt: LibreOffice reageerde niet binnen 10 s"
        watch.wait_for("the time-out message", lambda: any(message in l for l in watch.err))
        assert not any(pid in _processes_of(werkmap) for pid in offices)  # the hung one is gone

        letter.write_text(_with_subject(original, "Na het hangen"), encoding="utf-8")
        watch.wait_for("the PDF from a fresh LibreOffice", lambda: _title(pdf) == "Na het hangen")

        watch.process.kill()
        watch.process.wait()
        deadline = time.monotonic() + 60
        while _processes_of(werkmap) and time.monotonic() < deadline:
            time.sleep(0.2)  # the bridge sees briefgen gone (stdin closed) and ends LibreOffice
        assert _processes_of(werkmap) == {}
    finally:
        _kill_all(watch, werkmap)


def _kill_all(watch, werkmap) -> None:
    """Whatever a failed test left running: briefgen watch and every LibreOffice of its werkmap."""
    if watch.process.poll() is None:
        watch.process.kill()
        watch.process.wait()
    for pid in _processes_of(werkmap):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
