"""A build keeps one LibreOffice running per worker: same PDFs as ``--convert-to``, crashes and hangs handled."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from briefgen.builders.pdf import PdfBuilder
from briefgen.builders.resident import for_build, uno_python
from tests.fuzz.helpers import kill_pids, pids_mentioning


@pytest.fixture
def uno(soffice) -> None:
    if uno_python(soffice) is None:
        message = "geen Python met LibreOffice's uno (sudo apt-get install python3-uno)"
        if os.environ.get("BRIEFGEN_REQUIRE_PDF") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _shim(path: Path, soffice: str, log: Path, *, refuse_accept: bool) -> str:
    """A 'soffice' that logs its arguments and runs the real one; ``refuse_accept``: fails to be kept running."""
    refuse = 'case "$*" in *--accept=*) exit 1;; esac\n' if refuse_accept else ""
    path.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n{refuse}exec "{soffice}" "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_build_keeps_one_libreoffice_per_worker_with_the_pdfs_of_convert_to(soffice, uno, tmp_path):
    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap, run_cli

    names = [f"serie/brief{i}.yaml" for i in range(5)]
    werkmap = new_werkmap(tmp_path / "werkmap", {name: SMALL_LETTER.format(n=i) for i, name in enumerate(names)},
                          templates=STYLE_2021)
    pdfs = [werkmap.build / name.replace(".yaml", ".pdf") for name in names]
    made = {}
    for refuse in (False, True):
        log = tmp_path / f"soffice-{refuse}.log"
        shim = _shim(tmp_path / f"soffice-{refuse}", soffice, log, refuse_accept=refuse)
        (werkmap.root / "briefgen.toml").write_text(f'soffice = "{shim}"\ntaken = 2\n', encoding="utf-8")
        result = run_cli(["-C", str(werkmap.root), "build", "--formaat", "pdf", "--opnieuw"])
        assert result.exit_code == 0, result.output
        assert "5 gebouwd" in result.stdout
        made[refuse] = [pdf.read_bytes() for pdf in pdfs]
        calls = log.read_text(encoding="utf-8").splitlines()
        kept = [call for call in calls if "--accept=" in call]
        converted = [call for call in calls if "--convert-to" in call]
        if refuse:  # the workers fall back to --convert-to, one call each
            assert len(kept) == 2 and len(converted) == 2, calls
        else:  # one LibreOffice per worker, every letter through it
            assert len(kept) == 2 and converted == [], calls
    assert made[False] == made[True]
    assert pids_mentioning(str(werkmap.root)) == []


def _office(workdir: Path) -> list[int]:
    return [pid for pid in pids_mentioning(str(workdir)) if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def _bridges() -> list[int]:
    """This test process's UNO bridges (their pipe is named after briefgen's process, here pytest's)."""
    return pids_mentioning(f"briefgen-{os.getpid()}-")


def _eventually(done, seconds: float) -> bool:
    """Whether ``done()`` became true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _wait_for(what: str, done, seconds: float = 120) -> None:
    assert _eventually(done, seconds), f"no {what} after {seconds} s"


@pytest.mark.parametrize("fault", ["crash", "hang"])
def test_crashed_libreoffice_is_restarted_and_a_hanging_one_given_up(soffice, uno, letters, tmp_path, fault):
    """After the first PDF, LibreOffice is killed (crash) or stopped (hang); then three more letters come."""
    jobs = letters(4)
    workdir = tmp_path / "work"
    builder = PdfBuilder(soffice, jobs=1, timeout=8, workdir=workdir, resident=for_build(soffice, 8, workdir))
    try:
        with builder.stream(len(jobs)) as feed:
            feed.put(jobs[0])
            _wait_for("first PDF", jobs[0].pdf.exists)
            offices = _office(workdir)
            assert len(offices) == 1, offices
            os.kill(offices[0], signal.SIGKILL if fault == "crash" else signal.SIGSTOP)
            for job in jobs[1:]:
                feed.put(job)
        if fault == "crash":
            assert feed.failures == []
            assert all(job.pdf.exists() for job in jobs)
        else:
            assert [(f.job, f.reason) for f in feed.failures] == [
                (jobs[1], "LibreOffice reageerde niet binnen 8 s (afgebroken)"),
                *((job, f"LibreOffice reageert niet; niet meer geprobeerd nadat LibreOffice ook met alleen "
                        f"{jobs[1].name} na 8 s niets deed") for job in jobs[2:]),
            ]
            assert not any(job.pdf.exists() for job in jobs[1:])
        assert _office(workdir) == [] and _bridges() == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_interrupted_build_stops_its_kept_libreoffice_at_once(soffice, uno, letters, tmp_path):
    jobs = letters(2)
    workdir = tmp_path / "work"
    builder = PdfBuilder(soffice, jobs=1, timeout=600, workdir=workdir, resident=for_build(soffice, 600, workdir))
    try:
        with pytest.raises(KeyboardInterrupt), builder.stream(len(jobs)) as feed:
            feed.put(jobs[0])
            _wait_for("first PDF", jobs[0].pdf.exists)
            os.kill(_office(workdir)[0], signal.SIGSTOP)  # busy for ever with the next letter
            feed.put(jobs[1])
            time.sleep(1)
            started = time.monotonic()
            raise KeyboardInterrupt
        assert time.monotonic() - started < 5
        assert pids_mentioning(str(workdir)) == [] and _bridges() == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_kept_libreoffice_is_started_afresh_after_its_share_of_letters(soffice, uno, letters, tmp_path, monkeypatch):
    """For the memory LibreOffice gathers: every RESIDENT_LETTERS letters a fresh one (here 2, so 3 for 5 letters)."""
    from briefgen.builders import pdf

    monkeypatch.setattr(pdf, "RESIDENT_LETTERS", 2)
    jobs = letters(5)
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, refuse_accept=False)
    workdir = tmp_path / "work"
    builder = PdfBuilder(shim, jobs=1, workdir=workdir, resident=for_build(shim, 120, workdir))
    assert builder.convert(jobs) == []
    assert all(job.pdf.exists() for job in jobs)
    assert len([call for call in log.read_text(encoding="utf-8").splitlines() if "--accept=" in call]) == 3
    assert pids_mentioning(str(workdir)) == []


def test_kept_libreoffice_starts_while_the_first_letter_is_still_being_rendered(soffice, uno, tmp_path, monkeypatch):
    """The first letter is only rendered once LibreOffice runs (or after a long wait): its start is not on the way."""
    from briefgen import pipeline
    from briefgen.settings import Settings
    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap

    werkmap = new_werkmap(tmp_path / "w", {"klein/brief.yaml": SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    render, waited = pipeline._Worker.__call__, []

    def render_once_libreoffice_runs(worker, task):
        waited.append(_eventually(lambda: _office(werkmap.root), 30))
        return render(worker, task)

    monkeypatch.setattr(pipeline._Worker, "__call__", render_once_libreoffice_runs)
    try:
        report = pipeline.build(werkmap, Settings(jobs=1, soffice=soffice), formats=("pdf",))
        assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
        assert waited == [True]
        assert (werkmap.build / "klein" / "brief.pdf").is_file()
        assert pids_mentioning(str(werkmap.root)) == []
    finally:
        kill_pids(pids_mentioning(str(werkmap.root)))


def test_a_letters_docx_and_woo_metadata_follow_its_pdf_at_once(soffice, uno, tmp_path, monkeypatch):
    """The third letter is only rendered once the first letter's DOCX and Woo file are in build/ (or after a
    long wait): they are written as its PDF is, beside LibreOffice, not after the last PDF."""
    from briefgen import pipeline
    from briefgen.settings import Settings
    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap

    letters = {f"klein/brief-{n}.yaml": SMALL_LETTER.format(n=n) for n in range(3)}
    werkmap = new_werkmap(tmp_path / "w", letters, templates=STYLE_2021)
    first = werkmap.build / "klein" / "brief-0"
    render, waited = pipeline._Worker.__call__, []

    def render_once_the_first_is_complete(worker, task):
        if task[0].stem == "brief-2":
            waited.append(_eventually(
                lambda: first.with_suffix(".docx").exists() and first.with_suffix(".diwoo.xml").exists(), 60))
        return render(worker, task)

    monkeypatch.setattr(pipeline._Worker, "__call__", render_once_the_first_is_complete)
    try:
        report = pipeline.build(werkmap, Settings(jobs=1, soffice=soffice), formats=("docx", "pdf"))
        assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
        assert waited == [True]
        assert all("woo" in outcome.built and "docx" in outcome.built for outcome in report.letters)
    finally:
        kill_pids(pids_mentioning(str(werkmap.root)))


def test_a_libreoffice_that_will_not_start_again_mid_build_leaves_the_rest_to_convert_to(
        soffice, uno, letters, tmp_path, monkeypatch):
    """Started afresh after its share (here 2 letters), LibreOffice no longer accepts the bridge: the worker goes on
    with --convert-to, and every letter gets its PDF."""
    from briefgen.builders import pdf

    monkeypatch.setattr(pdf, "RESIDENT_LETTERS", 2)
    jobs = letters(4)
    log, starts = tmp_path / "soffice.log", tmp_path / "starts"
    shim = tmp_path / "soffice"
    shim.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\ncase "$*" in *--accept=*)\n'
                    f'  if [ -e "{starts}" ]; then exit 1; fi; touch "{starts}";;\nesac\nexec "{soffice}" "$@"\n',
                    encoding="utf-8")
    shim.chmod(0o755)
    workdir = tmp_path / "work"
    builder = PdfBuilder(str(shim), jobs=1, workdir=workdir, resident=for_build(str(shim), 120, workdir))
    try:
        assert builder.convert(jobs) == []
        assert all(job.pdf.exists() for job in jobs)
        calls = log.read_text(encoding="utf-8").splitlines()
        assert len([c for c in calls if "--accept=" in c]) == 2
        converted = [c for c in calls if "--convert-to" in c]
        assert len(converted) == 1 and converted[0].count(".docx") == 2, calls  # letters 2 and 3, in one call
        assert _office(workdir) == [] and _bridges() == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_libreoffice_converts_the_next_letter_while_the_last_pdf_is_delivered(soffice, uno, letters, tmp_path,
                                                                               monkeypatch):
    """The first letter's delivery (pikepdf, its writes, what follows its PDF) waits until LibreOffice has converted
    the second letter (or a long while): the worker does not leave LibreOffice idle while it delivers."""
    import threading

    from briefgen.builders import resident

    jobs = letters(3)
    convert, second_converted, waited = resident.ResidentConverter.convert_one, threading.Event(), []

    def noting_the_second(converter, docx, raw, name):
        answer = convert(converter, docx, raw, name)
        if docx == jobs[1].docx:
            second_converted.set()
        return answer

    def delivered(job):
        if job is jobs[0]:
            waited.append(second_converted.wait(60))

    monkeypatch.setattr(resident.ResidentConverter, "convert_one", noting_the_second)
    workdir = tmp_path / "work"
    builder = PdfBuilder(soffice, jobs=1, workdir=workdir, resident=for_build(soffice, 120, workdir))
    try:
        with builder.stream(len(jobs), delivered) as feed:
            for job in jobs:
                feed.put(job)
        assert feed.failures == []
        assert waited == [True]
        assert all(job.pdf.exists() for job in jobs)
        assert _office(workdir) == [] and _bridges() == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_a_builds_libreoffice_is_ended_at_once_when_its_work_is_done(soffice, uno, letters, tmp_path):
    """The tail of a build (stop 30): its kept LibreOffice is killed, not asked to quit, so one that would answer no
    quit (stopped here) does not hold up the build's end (asked, it had QUIT_SECONDS); nothing of it keeps running,
    its profile keeps no lock, and the next build starts a kept LibreOffice with that profile and converts with it."""
    from briefgen.builders.resident import PROFILE_LOCK, QUIT_SECONDS

    workdir = tmp_path / "work"
    try:
        for job in letters(2):
            builder = PdfBuilder(soffice, jobs=1, timeout=60, workdir=workdir, resident=for_build(soffice, 60, workdir))
            with builder.stream(1) as feed:
                feed.put(job)
                _wait_for("PDF", job.pdf.exists)
                offices = _office(workdir)
                assert len(offices) == 1, offices
                assert (workdir / "profile-0" / PROFILE_LOCK).exists()
                os.kill(offices[0], signal.SIGSTOP)
                started = time.monotonic()
            assert time.monotonic() - started < QUIT_SECONDS - 2
            assert feed.failures == []
            assert pids_mentioning(str(workdir)) == [] and _bridges() == []
            assert not (workdir / "profile-0" / PROFILE_LOCK).exists()
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_the_systems_python_with_uno_is_found_without_trying_the_one_first_on_path(soffice, uno, tmp_path,
                                                                                   monkeypatch):
    """A virtualenv's or pyenv's ``python3`` first on PATH seldom has uno: /usr/bin/python3 is asked first."""
    from briefgen.builders import resident

    if not os.access("/usr/bin/python3", os.X_OK):
        pytest.skip("geen /usr/bin/python3")
    if os.access(Path(shutil.which(soffice) or soffice).resolve().parent / "python", os.X_OK):
        pytest.skip("LibreOffice heeft een eigen Python: die gaat altijd voor")
    asked = tmp_path / "asked"
    fake = tmp_path / "bin" / "python3"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\ntouch "{asked}"\nexit 1\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    resident.uno_python.cache_clear()
    try:
        assert resident.uno_python(soffice) == "/usr/bin/python3"
        assert not asked.exists()
    finally:
        resident.uno_python.cache_clear()


def test_libreoffice_ends_when_briefgen_is_killed_while_letters_are_converted(soffice, uno, tmp_path):
    """``kill -9`` of a build while its workers convert (mostly in the middle of a letter): each bridge sees
    briefgen gone (its answer cannot be written, or its input ends) and ends its LibreOffice."""
    import subprocess
    import sys

    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap

    werkmap = new_werkmap(tmp_path / "w", {f"serie/brief{i}.yaml": SMALL_LETTER.format(n=i) for i in range(12)},
                          templates=STYLE_2021)
    (werkmap.root / "briefgen.toml").write_text(f'soffice = "{soffice}"\ntaken = 2\n', encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(werkmap.root), "build", "--formaat", "pdf"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for("first PDF", lambda: any((werkmap.build / "serie").glob("*.pdf")) or build.poll() is not None)
        assert build.poll() is None, "the build ended before it could be killed"
        build.kill()
        build.wait()
        _wait_for("LibreOffice to end", lambda: not pids_mentioning(str(werkmap.root)), seconds=30)
    finally:
        build.kill()
        kill_pids(pids_mentioning(str(werkmap.root)))


def test_a_docx_made_only_for_libreoffice_goes_as_soon_as_its_pdf_is_made(soffice, uno, tmp_path, monkeypatch):
    """A PDF-only build: the third letter is only rendered once the first letter's staged DOCX is gone (or after a
    long wait), not left for the end of the build, where removing a thousand of them held up its last step."""
    from briefgen import pipeline
    from briefgen.settings import Settings
    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap

    letters = {f"klein/brief-{n}.yaml": SMALL_LETTER.format(n=n) for n in range(3)}
    werkmap = new_werkmap(tmp_path / "w", letters, templates=STYLE_2021)
    staged = pipeline._scratch(werkmap, werkmap.content / "klein" / "brief-0.yaml", "docx")
    render, waited = pipeline._Worker.__call__, []

    def render_once_the_first_docx_is_gone(worker, task):
        if task[0].stem == "brief-0":
            answer = render(worker, task)
            assert staged.is_file()
            return answer
        if task[0].stem == "brief-2":
            waited.append(_eventually(lambda: not staged.exists(), 60))
        return render(worker, task)

    monkeypatch.setattr(pipeline._Worker, "__call__", render_once_the_first_docx_is_gone)
    try:
        report = pipeline.build(werkmap, Settings(jobs=1, soffice=soffice), formats=("pdf",))
        assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
        assert waited == [True]
        assert all(list(outcome.built) == ["pdf", "woo"] for outcome in report.letters)
        assert not (werkmap.build / "klein" / "brief-0.docx").exists()
    finally:
        kill_pids(pids_mentioning(str(werkmap.root)))
