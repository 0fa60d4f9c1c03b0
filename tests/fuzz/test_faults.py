"""Fault injection: a LibreOffice that hangs, crashes or makes nothing; a disk that fills up during
a write; briefgen killed halfway. Earlier outputs and the manifest must survive, byte for byte, and
the next good build must recover."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import briefgen.fileio
from briefgen import pipeline
from briefgen.settings import Settings
from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import (
    EXAMPLE_2021,
    LONG,
    REPO,
    STYLE_2021,
    assert_docx_ok,
    assert_pdf_ok,
    example,
    kill_pids,
    leftovers,
    new_werkmap,
    outputs,
    pids_mentioning,
    run_cli,
    snapshot,
)

BRIEFGEN = [sys.executable, "-m", "briefgen"]  # the briefgen of this interpreter, as a separate process
SMALL = "content/klein/korte-brief.yaml"

FAKE_HEADER = """\
import os, sys, time
from pathlib import Path
with open({log!r}, "a") as log:
    log.write(" ".join(Path(a).name for a in sys.argv[1:] if a.endswith(".docx")) + "\\n")
outdir = Path(sys.argv[sys.argv.index("--outdir") + 1])
docs = [Path(a) for a in sys.argv[1:] if a.endswith(".docx")]
"""
FAKES = {
    # name: (body, the reason briefgen gives)
    "hangt": ("time.sleep(1000)\n", "LibreOffice reageerde niet binnen 3 s (afgebroken)"),
    "crasht": (
        "for d in docs:\n"
        "    (outdir / (d.stem + '.pdf')).write_bytes(b'%PDF-1.7\\n1 0 obj\\n<< /Type /Cat')\n"
        "print('Segmentation fault (core dumped)', file=sys.stderr)\n"
        "sys.exit(139)\n",
        "LibreOffice afgebroken met code 139",
    ),
    "maakt-niets": ("print('convert ok')\nsys.exit(0)\n", "LibreOffice heeft geen PDF gemaakt"),
}


def fake_soffice(folder: Path, name: str) -> tuple[Path, Path]:
    """An executable Python 'soffice' that misbehaves as ``name``; (program, call log)."""
    log = folder / f"{name}.log"
    program = folder / f"soffice-{name}"
    program.write_text(f"#!{sys.executable}\n" + FAKE_HEADER.format(log=str(log)) + FAKES[name][0], encoding="utf-8")
    program.chmod(0o755)
    return program, log


def use_soffice(werkmap, program: Path | None) -> None:
    """Select LibreOffice through the werkmap's briefgen.toml (None: the real one, from PATH)."""
    toml = werkmap.root / "briefgen.toml"
    if program is None:
        toml.unlink(missing_ok=True)
    else:
        toml.write_text(f'soffice = "{program}"\npdf_timeout = 3\ntaken = 1\n', encoding="utf-8")


def counts(stdout: str) -> tuple[int, int, int]:
    match = re.search(r"(\d+) gebouwd, (\d+) actueel, (\d+) met fouten", stdout)
    assert match, stdout
    return tuple(int(n) for n in match.groups())


# --- A LibreOffice that hangs, crashes or makes nothing ------------------------------------------


def test_fake_soffice_failures_leave_everything_intact_and_real_soffice_recovers(copy_baseline, tmp_path):
    werkmap = copy_baseline()
    before = snapshot(werkmap.build)
    assert {"klein/korte-brief.pdf", "hilversum/2021/inkoop-wmo-jeugd.pdf", ".briefgen-manifest.json"} <= set(before)
    small = werkmap.root / SMALL
    small.write_text(small.read_text(encoding="utf-8").replace("met een zin", "met een andere zin"), encoding="utf-8")

    for name, (_, reason) in FAKES.items():
        program, log = fake_soffice(tmp_path, name)
        use_soffice(werkmap, program)
        started = time.monotonic()
        result = run_cli(["-C", str(werkmap.root), "build", "--formaat", "pdf"])
        assert time.monotonic() - started < 15, name
        assert result.exit_code == 1, (name, result.output)
        assert f"{SMALL}: PDF niet gemaakt: {reason}" in result.stderr, (name, result.stderr)
        assert log.read_text().split() == ["0000.docx"], name  # the fake was asked, for the changed letter only
        assert snapshot(werkmap.build) == before, f"{name}: uitvoer of manifest is veranderd"
        assert leftovers(werkmap.build) == [], name

    use_soffice(werkmap, None)
    result = run_cli(["-C", str(werkmap.root), "build"])
    assert result.exit_code == 0, result.output
    assert counts(result.stdout) == (1, 1, 0)
    after = snapshot(werkmap.build)
    for rel in ("klein/korte-brief.docx", "klein/korte-brief.pdf", ".briefgen-manifest.json"):
        assert after[rel] != before[rel], rel
    assert_docx_ok(werkmap.build / "klein" / "korte-brief.docx")
    assert_pdf_ok(werkmap.build / "klein" / "korte-brief.pdf")
    for rel in ("hilversum/2021/inkoop-wmo-jeugd.docx", "hilversum/2021/inkoop-wmo-jeugd.pdf"):
        assert after[rel] == before[rel], rel
    assert counts(run_cli(["-C", str(werkmap.root), "build"]).stdout) == (0, 2, 0)


def test_failed_pdf_is_not_recorded_as_current(copy_baseline, tmp_path):
    werkmap = copy_baseline()
    before = snapshot(werkmap.build)
    small = werkmap.root / SMALL
    small.write_text(small.read_text(encoding="utf-8").replace("met een zin", "met een andere zin"), encoding="utf-8")
    program, log = fake_soffice(tmp_path, "crasht")
    use_soffice(werkmap, program)
    for attempt in (1, 2):
        result = run_cli(["-C", str(werkmap.root), "build"])
        assert result.exit_code == 1
        assert counts(result.stdout) == (0, 1, 1)  # the PDF failed: the letter is not built, its DOCX not delivered
        # the stale PDF is tried again, not "actueel" (the empty lines: LibreOffice started to be kept running)
        assert len(log.read_text().split()) == attempt
    after = snapshot(werkmap.build)
    assert after["klein/korte-brief.pdf"] == before["klein/korte-brief.pdf"]  # old PDF left as it was
    assert after["klein/korte-brief.docx"] == before["klein/korte-brief.docx"]  # "Niet gebouwd" and the disk agree
    assert leftovers(werkmap.build) == []


# --- The disk fills up during a write ---------------------------------------------------------------


def _fill(folder: Path, leave: int = 0) -> None:
    """Fill the file system of ``folder``; then free ``leave`` bytes again."""
    filler = folder / "opvulling"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))


DISK_LETTERS = [EXAMPLE_2021, "rzou/2021/inkoop-jeugdhulp-wmo-begeleiding.yaml"]  # DOCX of 40 and 25 kB


def _disk_werkmap(tmp_path, tmpfs):
    letters = {rel: (REPO / "content" / rel).read_bytes() for rel in DISK_LETTERS}
    werkmap = new_werkmap(tmp_path / "werkmap", letters)
    tmpfs(werkmap.build, "200k")
    first = run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx"])
    assert first.exit_code == 0, first.output
    for rel in DISK_LETTERS:  # every letter changes, so every DOCX must be written again
        path = werkmap.content / rel
        path.write_text(path.read_text(encoding="utf-8").replace("onderwerp: ", "onderwerp: Gewijzigd - ", 1), encoding="utf-8")
    return werkmap


def test_disk_full_during_docx_write_gives_messages_and_keeps_old_outputs(tmp_path, tmpfs):
    werkmap = _disk_werkmap(tmp_path, tmpfs)
    _fill(werkmap.build, leave=8 * 1024)  # room for the manifest, not for a DOCX (the smallest is 12 kB)
    before = snapshot(werkmap.build)
    result = run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx"])
    assert result.exit_code == 1
    for rel in DISK_LETTERS:
        name = Path(rel).with_suffix(".docx").name
        assert re.search(rf"^content/{re.escape(rel)}: kan {re.escape(name)} niet schrijven: ", result.stderr, re.M), result.stderr
    assert counts(result.stdout) == (0, 0, len(DISK_LETTERS))
    after = snapshot(werkmap.build)
    assert {k: v for k, v in after.items() if k.endswith(".docx")} == {k: v for k, v in before.items() if k.endswith(".docx")}
    assert leftovers(werkmap.build) == []
    json.loads((werkmap.build / ".briefgen-manifest.json").read_text(encoding="utf-8"))
    for path in outputs(werkmap, "docx").values():
        assert_docx_ok(path)


def test_disk_completely_full_gives_a_message_not_a_traceback(tmp_path, tmpfs):
    werkmap = _disk_werkmap(tmp_path, tmpfs)
    _fill(werkmap.build)
    manifest = (werkmap.build / ".briefgen-manifest.json").read_bytes()
    result = run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx"])
    assert result.exit_code == 1
    assert "de schijf is vol" in result.stderr and "Traceback" not in result.stderr
    assert (werkmap.build / ".briefgen-manifest.json").read_bytes() == manifest
    assert leftovers(werkmap.build) == []


def test_disk_full_reason_is_dutch(tmp_path, monkeypatch):
    werkmap = new_werkmap(tmp_path / "werkmap", {EXAMPLE_2021: example()}, templates=STYLE_2021)
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if ".docx." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(briefgen.fileio.os, "fsync", fsync)
    report = pipeline.build(werkmap, Settings(jobs=1), formats=("docx",))
    [problem] = report.problems
    assert problem.message.startswith("kan inkoop-wmo-jeugd.docx niet schrijven")
    assert "No space" not in problem.message and "vol" in problem.message


def test_disk_full_while_writing_pdfs_gives_messages_and_keeps_old_pdfs(tmp_path, tmpfs, warm):
    """qpdf used to abort the process (SIGABRT) on the failed write, leaving LibreOffice and a .tmp."""
    letters = {rel: (REPO / "content" / rel).read_bytes() for rel in DISK_LETTERS}
    werkmap = new_werkmap(tmp_path / "werkmap", letters)
    tmpfs(werkmap.build, "800k")
    tmpfs(werkmap.build / ".briefgen-lo", "50m")  # LibreOffice's own work has room: only the PDF write fails
    warm(werkmap)
    command = [*BRIEFGEN, "-C", str(werkmap.root), "build", "-j", "1"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    for rel in DISK_LETTERS:
        path = werkmap.content / rel
        path.write_text(path.read_text(encoding="utf-8").replace("onderwerp: ", "onderwerp: Gewijzigd - ", 1), encoding="utf-8")
    staged = sum(p.stat().st_size for p in werkmap.build.rglob("*") if p.suffix in (".docx", ".html"))
    smallest_pdf = min(p.stat().st_size for p in werkmap.build.rglob("*.pdf"))
    assert smallest_pdf > 32 * 1024
    _fill(werkmap.build, leave=staged + 16 * 1024)  # room for the new DOCX and HTML (staged), not for any PDF
    before = snapshot(werkmap.build)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        left_running = pids_mentioning(str(werkmap.root))
    finally:
        kill_pids(pids_mentioning(str(werkmap.root)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for rel in DISK_LETTERS:
        name = Path(rel).with_suffix(".pdf").name
        assert f"content/{rel}: PDF niet gemaakt: kan {name} niet schrijven: de schijf is vol" in result.stderr, result.stderr
    assert counts(result.stdout) == (0, 0, len(DISK_LETTERS))  # a letter is built whole or not at all
    after = snapshot(werkmap.build)
    delivered = (".pdf", ".docx")
    assert {k: v for k, v in after.items() if k.endswith(delivered)} == {k: v for k, v in before.items() if k.endswith(delivered)}
    assert leftovers(werkmap.build) == []
    assert left_running == []
    json.loads((werkmap.build / ".briefgen-manifest.json").read_text(encoding="utf-8"))

    (werkmap.build / "opvulling").unlink()  # room again: the next build makes the PDFs
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    for path in outputs(werkmap, "pdf").values():
        assert_pdf_ok(path)


# --- briefgen killed halfway --------------------------------------------------------------------------

KILL_POINTS = ["docx", pytest.param("pdf", marks=pytest.mark.skipif(not LONG, reason="alleen met BRIEFGEN_FUZZ=lang"))]


def _wait_until(condition, process, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("de build was klaar (of hing) voordat hij afgebroken kon worden")


def _staged_docx(werkmap) -> int:
    """DOCX rendered and waiting for their PDF (delivered together with it)."""
    folder = werkmap.build / ".briefgen-tmp"
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".docx"))


def _staged_pdfs(werkmap) -> int:
    folder = werkmap.build / ".briefgen-lo"
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".pdf"))


@pytest.mark.parametrize("point", KILL_POINTS)
def test_killed_build_leaves_only_complete_outputs_and_next_build_completes(tmp_path, warm, point):
    count = 30
    werkmap = new_werkmap(tmp_path / "werkmap", {f"serie/brief{i:02d}.yaml": SMALL_LETTER.format(n=i) for i in range(count)})
    warm(werkmap, 2)
    command = [*BRIEFGEN, "-C", str(werkmap.root), "build", "-j", "2"]
    log = (tmp_path / "afgebroken.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if point == "docx":
            _wait_until(lambda: _staged_docx(werkmap) >= 5, process)
        else:
            _wait_until(lambda: _staged_pdfs(werkmap) >= 1, process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # briefgen and its worker processes
        process.wait()
        log.close()
        kill_pids(pids_mentioning(str(werkmap.root)))  # soffice runs in a session of its own
    assert process.returncode == -signal.SIGKILL

    docs, pdfs = outputs(werkmap, "docx"), outputs(werkmap, "pdf")
    assert len(pdfs) < count, "niet halverwege afgebroken"
    for path in docs.values():
        assert_docx_ok(path)
    for path in pdfs.values():
        assert_pdf_ok(path)

    done = subprocess.run(command, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    built, current, failed = counts(done.stdout)
    assert built + current == count and failed == 0
    assert built >= count - len(pdfs)
    assert len(outputs(werkmap, "docx")) == len(outputs(werkmap, "pdf")) == count
    for path in [*outputs(werkmap, "docx").values(), *outputs(werkmap, "pdf").values()]:
        (assert_docx_ok if path.suffix == ".docx" else assert_pdf_ok)(path)
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert counts(again.stdout) == (0, count, 0)


def test_next_build_cleans_up_after_a_killed_build(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    assert pipeline.build(werkmap, Settings(jobs=1), formats=("docx",)).ok
    # what a build killed halfway leaves: a batch being converted, a scratch DOCX, a half-written output
    half = werkmap.build / ".briefgen-lo" / "batch-0-k1ll3d" / "out" / "0000.pdf"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Ty")
    scratch = werkmap.build / ".briefgen-tmp" / "x" / "brief.docx"
    scratch.parent.mkdir(parents=True)
    scratch.write_bytes(b"PK\x03\x04")
    (werkmap.build / "x" / ".brief.docx.k1ll3d.tmp").write_bytes(b"PK\x03\x04half")
    assert len(leftovers(werkmap.build)) == 3
    assert pipeline.build(werkmap, Settings(jobs=1), formats=("docx",), force=True).ok
    assert leftovers(werkmap.build) == []


def test_ctrl_c_during_the_conversion_leaves_no_docx_waiting_for_its_pdf(tmp_path):
    """Ctrl-C arrives while the letters' PDFs are being made: the DOCX rendered for them are not output, and
    the scratch folder they waited in goes with the interrupted build, not only at the next one."""

    class Interrupted:
        def convert(self, jobs):
            raise KeyboardInterrupt

    werkmap = new_werkmap(tmp_path / "werkmap", {f"x/brief{i}.yaml": SMALL_LETTER.format(n=i) for i in range(3)},
                          templates=STYLE_2021)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(werkmap, Settings(jobs=1), converter=Interrupted())
    assert leftovers(werkmap.build) == []
    assert outputs(werkmap, "docx") == {}
