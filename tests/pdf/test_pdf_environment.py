"""A hostile environment around a build's LibreOffice: faults during the warm-up, LibreOffice's own temporary files.

The faults are real: a stand-in for the UNO bridge's Python (found beside a stand-in ``soffice``, as
resident.uno_python finds LibreOffice's own Python) passes everything to the real bridge and, when the
warm-up is asked for, stops (hangs) or kills (loses) the real LibreOffice, or ends the bridge itself.
Every later start is the real bridge and the real LibreOffice.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from briefgen.builders.pdf import PdfBuilder
from briefgen.builders.resident import WARM_UP_SECONDS, for_build, uno_python
from tests.fuzz.conftest import tmpfs  # noqa: F401  (a fixture)
from tests.fuzz.helpers import kill_pids, pids_mentioning
from tests.pdf.test_pdf_resident_build import _bridges, _eventually, _office, _wait_for, uno  # noqa: F401  (uno: a fixture)

BRIDGE_PROXY = """
import json, os, signal, subprocess, sys
if sys.argv[1] == "-c":  # resident.uno_python's probe for the uno module
    sys.exit(0)
with open(os.path.join(FOLDER, "bridges"), "a") as log:
    log.write(f"{os.getpid()}\\n")
with open(os.path.join(FOLDER, "bridges")) as log:
    if len(log.read().split()) > 1:
        os.execv(UNO, [UNO, *sys.argv[1:]])
bridge = subprocess.Popen([UNO, *sys.argv[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

def forward():
    sys.stdout.write(bridge.stdout.readline())
    sys.stdout.flush()

forward()  # ready
for line in sys.stdin:
    bridge.stdin.write(line)
    bridge.stdin.flush()
    if json.loads(line).get("warm"):
        with open(os.path.join(FOLDER, "offices")) as offices:
            office = int(offices.read().split()[-1])
        open(os.path.join(FOLDER, "warming"), "w").close()
        if FAULT == "bridge":
            bridge.kill()
            sys.exit(1)
        os.killpg(office, signal.SIGSTOP if FAULT == "hang" else signal.SIGKILL)
    forward()
"""


def _gone(processes) -> bool:
    """Whether ``processes()`` is empty within a few seconds: a LibreOffice just killed may take a moment to end."""
    return _eventually(lambda: processes() == [], 10)


def _libreoffice_with_fault(folder: Path, soffice: str, fault: str) -> str:
    """A 'soffice' (the real one, logging each kept LibreOffice's process) with a bridge Python that injects ``fault``."""
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(f'#!/bin/sh\ncase "$*" in *--accept=*) echo $$ >> "{folder}/offices";; esac\n'
                       f'exec "{soffice}" "$@"\n', encoding="utf-8")
    python = folder / "python"
    python.write_text(f"#!{sys.executable}\nFOLDER = {str(folder)!r}\nUNO = {uno_python(soffice)!r}\n"
                      f"FAULT = {fault!r}\n" + BRIDGE_PROXY, encoding="utf-8")
    for path in (program, python):
        path.chmod(0o755)
    return str(program)


@pytest.mark.parametrize("fault", ["hang", "crash", "bridge"])
def test_a_warm_up_that_hangs_or_loses_libreoffice_still_converts_the_letter_and_leaves_nothing(
        soffice, uno, letters, tmp_path, monkeypatch, fault):  # noqa: F811
    """The only worker's LibreOffice hangs, crashes or loses its bridge while it warms up, and the first letter
    comes meanwhile: the letter is converted by a fresh LibreOffice once the warm-up is given up (a hang after
    the warm-up's limit, ``pdf_timeout`` here), no LibreOffice or bridge is left, and neither LibreOffice nor the
    bridge leaves files in TMPDIR (a killed LibreOffice leaves its ``lu*.tmp`` folder there, a killed bridge
    its warm-up document): only below build/."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    program = _libreoffice_with_fault(tmp_path / "lo", soffice, fault)
    [job] = letters(1)
    workdir = tmp_path / "work"
    timeout = 15.0
    builder = PdfBuilder(program, jobs=1, timeout=timeout, workdir=workdir, resident=for_build(program, timeout, workdir))
    try:
        with builder.stream(1) as feed:
            _wait_for("the warm-up", (tmp_path / "lo" / "warming").exists)
            put = time.monotonic()
            feed.put(job)
        waited = time.monotonic() - put
        assert feed.failures == []
        assert job.pdf.read_bytes().startswith(b"%PDF")
        # The warm-up's limit, a fresh start and the conversion, each at most pdf_timeout: not the hang's end.
        assert waited < min(timeout, WARM_UP_SECONDS) + 2 * timeout
        assert len((tmp_path / "lo" / "bridges").read_text().split()) == 2  # the faulty one, then a fresh one
        assert _gone(lambda: _office(workdir) + _bridges())
        assert _gone(lambda: pids_mentioning(str(tmp_path / "lo")))
        assert sorted(os.listdir(temp)) == []
        assert [p.name for p in workdir.iterdir() if p.name != "profile-0"] == []
    finally:
        kill_pids(pids_mentioning(str(workdir)) + pids_mentioning(str(tmp_path / "lo")))


def test_a_build_interrupted_during_the_warm_up_stops_at_once(soffice, uno, letters, tmp_path, monkeypatch):  # noqa: F811
    """Ctrl-C while the warm-up hangs: the build does not wait for the warm-up's limit, LibreOffice is killed."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    program = _libreoffice_with_fault(tmp_path / "lo", soffice, "hang")
    workdir = tmp_path / "work"
    builder = PdfBuilder(program, jobs=1, timeout=600, workdir=workdir, resident=for_build(program, 600, workdir))
    try:
        with pytest.raises(KeyboardInterrupt), builder.stream(1):
            _wait_for("the warm-up", (tmp_path / "lo" / "warming").exists)
            raise KeyboardInterrupt
        assert _gone(lambda: _office(workdir) + _bridges())
        assert _gone(lambda: pids_mentioning(str(tmp_path / "lo")))
        assert sorted(os.listdir(temp)) == []
    finally:
        kill_pids(pids_mentioning(str(workdir)) + pids_mentioning(str(tmp_path / "lo")))


# The real soffice, stopped (hanging) once its LibreOffice has made its temporary folder in TMPDIR.
HANG_ONCE_STARTED = """
if VERSION:
    os.execv(REAL, [REAL, *sys.argv[1:]])
import signal
temp = Path(os.environ.get("TMPDIR") or "/tmp")
before = set(temp.iterdir())
office = subprocess.Popen([REAL, *sys.argv[1:]])
while not any(p.name.startswith("lu") for p in set(temp.iterdir()) - before) and office.poll() is None:
    time.sleep(0.01)
os.killpg(0, signal.SIGSTOP)
"""


def test_a_libreoffice_killed_after_its_time_out_leaves_nothing_in_tmpdir(soffice, fake_soffice, letters, tmp_path,
                                                                          monkeypatch):
    """``--convert-to``: a LibreOffice that hangs is killed after ``pdf_timeout``; its temporary folder was below build/."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    jobs = letters(1)
    workdir = tmp_path / "work"
    program = fake_soffice(HANG_ONCE_STARTED, real=soffice)
    try:
        [failure] = PdfBuilder(program, jobs=1, timeout=5, workdir=workdir).convert(jobs)
        assert failure.reason == "LibreOffice reageerde niet binnen 5 s (afgebroken)"
        assert _gone(lambda: pids_mentioning(str(workdir)))
        assert sorted(os.listdir(temp)) == []
        assert [p.name for p in workdir.iterdir() if p.name != "profile-0"] == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


@pytest.mark.parametrize("kept", [True, False], ids=["kept-libreoffice", "convert-to"])
def test_libreoffice_that_cannot_store_the_pdf_on_a_full_disk_says_so_in_dutch(soffice, uno, tmp_path, tmpfs, kept):  # noqa: F811
    """LibreOffice's own folder under build/ is full (its profile made before): LibreOffice cannot store the PDF.
    Each letter gets 'de schijf is vol', not LibreOffice's English error; the old PDF stays; no process is left."""
    from tests.fuzz.helpers import run_cli
    from tests.fuzz.test_faults import _fill

    root = tmp_path / "werkmap"
    assert run_cli(["init", str(root)]).exit_code == 0
    shim = tmp_path / "soffice"
    refuse = "" if kept else 'case "$*" in *--accept=*) exit 1;; esac\n'
    shim.write_text(f'#!/bin/sh\n{refuse}exec "{soffice}" "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    (root / "briefgen.toml").write_text(f'soffice = "{shim}"\n', encoding="utf-8")
    tmpfs(root / "build" / ".briefgen-lo", "20m")
    first = run_cli(["-C", str(root), "build", "--formaat", "pdf"])
    assert first.exit_code == 0, first.output
    pdf = root / "build" / "hilversum" / "2021" / "inkoop-wmo-jeugd.pdf"
    before = pdf.read_bytes()
    try:
        _fill(root / "build" / ".briefgen-lo", leave=64 * 1024)
        result = run_cli(["-C", str(root), "build", "--formaat", "pdf", "--opnieuw"])
        assert result.exit_code == 1
        assert ("content/hilversum/2021/inkoop-wmo-jeugd.yaml: PDF niet gemaakt: LibreOffice kon de PDF niet opslaan: "
                "de schijf is vol") in result.stderr, result.stderr
        assert "Exception" not in result.stderr and "Error" not in result.stderr
        assert pdf.read_bytes() == before
        assert _gone(lambda: pids_mentioning(str(root)))
    finally:
        kill_pids(pids_mentioning(str(root)))


def test_a_manifest_that_cannot_be_saved_on_a_full_disk_still_reports_every_letter(soffice, tmp_path, tmpfs):  # noqa: F811
    """The first build, with build/ full: neither the letter's outputs nor a new manifest can be written. The build
    said only that the manifest could not be saved and that 'the built letters are complete', without the letter's
    own reason or the count; now both are there, with exit code 1, and nothing is left half-written."""
    from tests.fuzz.helpers import run_cli
    from tests.fuzz.test_faults import _fill

    root = tmp_path / "werkmap"
    assert run_cli(["init", str(root)]).exit_code == 0
    (root / "briefgen.toml").write_text(f'soffice = "{soffice}"\n', encoding="utf-8")
    tmpfs(root / "build", "200k")
    _fill(root / "build")
    try:
        result = run_cli(["-C", str(root), "build"])
        assert result.exit_code == 1
        assert "content/hilversum/2021/inkoop-wmo-jeugd.yaml: " in result.stderr, result.stderr
        assert "build/.briefgen-manifest.json: kan het manifest niet bijwerken: de schijf is vol" in result.stderr
        assert "0 gebouwd, 0 actueel, 1 met fouten." in result.stdout, result.output
        assert not (root / "build" / ".briefgen-manifest.json").exists()
        assert list((root / "build").rglob("*.tmp")) == []
        assert _gone(lambda: pids_mentioning(str(root)))
    finally:
        kill_pids(pids_mentioning(str(root)))


def test_what_a_killed_build_left_in_libreoffices_temporary_folder_is_removed_at_its_next_start(
        soffice, uno, letters, tmp_path):  # noqa: F811
    """A build killed with ``kill -9`` cannot remove its LibreOffice's TMPDIR: the next LibreOffice with that profile
    (the only one that uses that folder) starts with it emptied, so leftovers do not pile up under build/."""
    workdir = tmp_path / "work"
    left = workdir / "profile-0.tmp" / "lu12345abc.tmp"
    left.mkdir(parents=True)
    (left / "groot").write_bytes(bytes(1000))
    builder = PdfBuilder(soffice, jobs=1, timeout=120, workdir=workdir, resident=for_build(soffice, 120, workdir))
    try:
        assert builder.convert(letters(1)) == []
        assert sorted(p.name for p in workdir.iterdir()) == ["profile-0"]
    finally:
        kill_pids(pids_mentioning(str(workdir)))
