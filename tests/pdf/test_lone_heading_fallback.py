"""A letter with a lone heading (builders/pagelayout.py) whose kept LibreOffice will not start again: the letter goes
back to the feed and the worker's --convert-to fallback converts it with the others (builders/pdf.py ``settle``),
instead of one more start that fails every letter still to come. Its failure keeps its place among the others."""

from __future__ import annotations

import dataclasses
import datetime
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from briefgen.builders import pdf
from briefgen.builders.pdfjob import PdfJob
from tests.cli.helpers import invoke
from tests.conftest import soffice_shim
from tests.fuzz.helpers import kill_pids, pids_mentioning
from tests.pdf.test_lone_heading import HEADINGS, _breaks, _letter, _page_ends
from tests.pdf.test_pdf_resident_build import uno  # noqa: F401  (fixture)

# A hanging LibreOffice for a shell 'soffice': waits with the call's arguments (the workdir's paths) in its own command
# line, so that pids_mentioning(workdir) finds it if it were left running (a bare "sleep 600" would not be found).
HANG = 'exec /usr/bin/python3 -c "import time; time.sleep(600)" "$@"'


def _shim(path: Path, soffice: str, log: Path, *, accepts: int = 1, converts: int = 1000) -> str:
    """A 'soffice' that logs its arguments and runs the real one: only its first ``accepts`` starts to be kept running
    and its first ``converts`` --convert-to calls; later ones exit 1 at once (fault injection)."""
    return soffice_shim(path, soffice, log,
                        f'case "$*" in *--accept=*) kind=accept limit={accepts};; *--convert-to*) kind=convert '
                        f'limit={converts};; *) kind=other limit=1000;; esac\n'
                        f'seen=$(grep -c -e "--$kind" "{log}")\n'
                        '[ "$kind" = other ] || [ "$seen" -le "$limit" ] || exit 1\n')


def built_with_the_heading_moved(werkmap: Path) -> None:
    """Build the three letters of content/x: all built, the heading left alone in kop-12 moved to the next page."""
    result = invoke(werkmap, "build", str(werkmap / "content/x"))
    assert result.exit_code == 0, result.output
    assert "3 gebouwd" in result.stdout, result.stdout
    moved = werkmap / "build/x/kop-12"
    assert not set(_page_ends(moved.with_suffix(".pdf"))) & set(HEADINGS)
    assert _breaks(moved.with_suffix(".docx")) == ["Maatregelen"]


def test_a_kept_libreoffice_that_will_not_start_again_leaves_the_letters_to_the_fallback(
        werkmap, soffice, uno, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(pdf, "RESIDENT_LETTERS", 1)  # a fresh LibreOffice for the second letter: it will not start
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log)
    (werkmap / "briefgen.toml").write_text(f'soffice = "{shim}"\ntaken = 1\n', encoding="utf-8")
    for lines in (12, 13, 14):
        _letter(werkmap, lines)
    built_with_the_heading_moved(werkmap)
    for lines in (13, 14):
        assert (werkmap / f"build/x/kop-{lines}.pdf").is_file()
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len([call for call in calls if "--accept=" in call]) == 2, calls  # no third start for the moved letter
    [converted] = [call for call in calls if "--convert-to" in call]  # the moved letter with the two others
    assert converted.count(".docx") == 3, converted


def test_a_moved_letter_that_fails_keeps_its_place_among_the_failures(werkmap, soffice, tmp_path):
    """The letter sent back with a page break is another PdfJob (dataclasses.replace): still reported first."""
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, converts=1)  # the second call (the moved letter alone) fails
    _letter(werkmap, 12)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/x"))
    assert result.exit_code == 0, result.output
    date = datetime.date(2021, 11, 16)
    jobs = [PdfJob(werkmap / "build/x/kop-12.docx", tmp_path / "uit/kop-12.pdf", "Maatregelen", "Gemeente", date,
                   "kop-12"),
            PdfJob(tmp_path / "ontbreekt.docx", tmp_path / "uit/ontbreekt.pdf", "Weg", "Gemeente", date, "ontbreekt")]
    builder = pdf.PdfBuilder(shim, jobs=1, workdir=tmp_path / "lo")
    failures = builder.convert(jobs)
    assert [(failure.job.name, failure.reason.split(":")[0]) for failure in failures] == [
        ("kop-12", "LibreOffice afgebroken met code 1"), ("ontbreekt", "DOCX niet leesbaar")]
    assert failures[0].job.relayout is False  # the moved letter's own failure
    assert len([call for call in log.read_text(encoding="utf-8").splitlines() if "--convert-to" in call]) == 2


def _jobs(werkmap: Path, tmp_path: Path, lines: tuple[int, ...]) -> list[PdfJob]:
    """The DOCX of a letter per number of ``lines`` (test_lone_heading._letter: 12 leaves a heading alone), as jobs."""
    for count in lines:
        _letter(werkmap, count)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/x"))
    assert result.exit_code == 0, result.output
    date = datetime.date(2021, 11, 16)
    return [PdfJob(werkmap / f"build/x/kop-{count}.docx", tmp_path / f"uit/kop-{count}.pdf", "Maatregelen", "Gemeente",
                   date, f"kop-{count}") for count in lines]


def _moved(job: PdfJob) -> None:
    """The letter's PDF is there, its heading on the next page, the page break in its DOCX."""
    assert job.pdf.is_file()
    assert not set(_page_ends(job.pdf)) & set(HEADINGS)
    assert _breaks(job.docx) == ["Maatregelen"]


def _hang_after_the_moved_letter(builder: pdf.PdfBuilder, jobs: list[PdfJob], workdir: Path, monkeypatch) -> pdf.Feed:
    """The kept LibreOffice converts jobs[0] (a heading left alone: it waits for its second pass), then hangs on
    jobs[1] (stopped); the build's feed, once done."""
    from tests.pdf.test_pdf_resident_build import _office

    delivered, post_process = threading.Event(), pdf._deliver

    def noting(*args):  # the real post-processing; the test learns when the first letter waits for its second pass
        try:
            return post_process(*args)
        finally:
            delivered.set()

    monkeypatch.setattr(pdf, "_deliver", noting)
    with builder.stream(len(jobs)) as feed:
        feed.put(jobs[0])
        assert delivered.wait(120), "LibreOffice made no PDF of the first letter"  # a heading left alone
        [office] = _office(workdir)
        os.kill(office, signal.SIGSTOP)  # hangs on the next letter
        feed.put(jobs[1])
    return feed


def test_after_a_hang_on_another_letter_the_moved_letter_is_built_by_a_fresh_libreoffice(
        werkmap, soffice, uno, tmp_path, monkeypatch):  # noqa: F811
    """LibreOffice hangs on the next letter (stopped) while the letter before it waits for its second pass. Review: that
    letter failed with "niet meer geprobeerd nadat LibreOffice ook met alleen kop-13 ... niets deed", though LibreOffice
    had converted it and hung on another; the griffie wants it built. A fresh LibreOffice converts it once more (at most
    one more time-out, where LibreOffice hangs on everything); the letter that hung is the only failure."""
    from briefgen.builders.resident import for_build

    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, accepts=10)
    jobs = _jobs(werkmap, tmp_path, (12, 13))
    workdir = tmp_path / "lo"
    builder = pdf.PdfBuilder(shim, jobs=1, timeout=5, workdir=workdir, resident=for_build(shim, 5, workdir))
    try:
        feed = _hang_after_the_moved_letter(builder, jobs, workdir, monkeypatch)
        assert [(failure.job.name, failure.reason) for failure in feed.failures] == [
            ("kop-13", "LibreOffice reageerde niet binnen 5 s (afgebroken)")]
        _moved(jobs[0])
        assert not jobs[1].pdf.exists()
        assert len([call for call in log.read_text(encoding="utf-8").splitlines() if "--accept=" in call]) == 2
        assert pids_mentioning(str(workdir)) == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_after_a_hang_on_another_letter_convert_to_builds_the_moved_letter(werkmap, soffice, tmp_path):
    """The same with --convert-to: one call for both letters, LibreOffice hangs on the second (a fake soffice converts
    the others, then sleeps), which alone hangs again; the first, sent back with its page break, gets a call of its
    own instead of "niet meer geprobeerd"."""
    jobs = _jobs(werkmap, tmp_path, (12, 13))
    log = tmp_path / "soffice.log"
    shim = soffice_shim(tmp_path / "soffice", soffice, log,  # the second letter (staged as 0001.docx) hangs LibreOffice
                        'case "$*" in *0001.docx*)\n'
                        '  for arg; do shift; case "$arg" in *0001.docx) ;; *) set -- "$@" "$arg";; esac; done\n'
                        f'  "{soffice}" "$@"; {HANG};;\nesac\n')
    workdir = tmp_path / "lo"
    builder = pdf.PdfBuilder(str(shim), jobs=1, timeout=5, workdir=workdir)
    try:
        failures = builder.convert(jobs)
        assert [(failure.job.name, failure.reason) for failure in failures] == [
            ("kop-13", "LibreOffice reageerde niet binnen 5 s (afgebroken)")]
        _moved(jobs[0])
        calls = [call.split("--outdir")[1] for call in log.read_text(encoding="utf-8").splitlines()
                 if "--convert-to" in call]
        assert [call.count(".docx") for call in calls] == [2, 1, 1] and calls[2].endswith("0000.docx"), calls
        assert pids_mentioning(str(workdir)) == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_a_libreoffice_that_hangs_on_everything_after_a_hang_costs_one_time_out_more(werkmap, soffice, tmp_path):
    """Review: after a hang on a letter alone, every letter waiting for its second pass was tried once more, in a batch
    that hung and then letter by letter: a time-out each. Now the second passes are tried once, together; when that
    hangs too, nothing more (a hard give-up). A letter not sent back that merely converts once (relayout=False, no
    second pass) is not tried after the hang at all."""
    first, hanging = _jobs(werkmap, tmp_path, (12, 13))
    shutil.copyfile(first.docx, first.docx.with_name("kop-12b.docx"))
    second = dataclasses.replace(first, docx=first.docx.with_name("kop-12b.docx"), pdf=tmp_path / "uit/kop-12b.pdf",
                                 name="kop-12b")
    plain = dataclasses.replace(hanging, pdf=tmp_path / "uit/gewoon.pdf", name="gewoon", relayout=False)
    log, flag = tmp_path / "soffice.log", tmp_path / "hangs"
    shim = tmp_path / "soffice"
    shim.write_text(  # converts the first two letters (staged 0000, 0001), then hangs on everything, for good
        f'#!/bin/sh\necho "$*" >> "{log}"\ncase "$*" in *--convert-to*) ;; *) exec "{soffice}" "$@";; esac\n'
        f'if [ ! -e "{flag}" ]; then\n  touch "{flag}"\n'
        '  for arg; do shift; case "$arg" in *0002.docx|*0003.docx) ;; *) set -- "$@" "$arg";; esac; done\n'
        f'  "{soffice}" "$@"\nfi\n{HANG}\n', encoding="utf-8")
    shim.chmod(0o755)
    workdir, timeout = tmp_path / "lo", 8.0
    builder = pdf.PdfBuilder(str(shim), jobs=1, timeout=timeout, workdir=workdir)
    started = time.monotonic()
    try:
        failures = builder.convert([first, second, hanging, plain])
        seconds = time.monotonic() - started
        given_up = pdf.given_up_reason("kop-13", timeout)
        assert {failure.job.name: failure.reason for failure in failures} == {
            "kop-13": pdf.hang_reason(timeout), "gewoon": given_up, "kop-12": given_up, "kop-12b": given_up}
        calls = [call.split("--outdir")[1] for call in log.read_text(encoding="utf-8").splitlines()
                 if "--convert-to" in call]
        # all four; kop-13 alone; the two second passes together, which hang: no call for either alone
        assert [call.count(".docx") for call in calls] == [4, 1, 2], calls
        assert seconds < 5 * timeout, seconds  # three time-outs and a conversion; six time-outs before
        assert pids_mentioning(str(workdir)) == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


@pytest.mark.parametrize("start", ["hangs", "exits"])
def test_a_kept_libreoffice_that_hangs_at_its_start_after_a_hang_is_not_followed_by_convert_to(
        werkmap, soffice, uno, tmp_path, monkeypatch, start):  # noqa: F811
    """As test_after_a_hang_on_another_letter_the_moved_letter_is_built_by_a_fresh_libreoffice, but the fresh
    LibreOffice does not start. Review: when it hung at its start, the moved letter then went on to --convert-to,
    another time-out. Now that is the hard give-up: the moved letter gets why nothing more is tried, no --convert-to
    call is made. A LibreOffice that exits at once (no time-out) still leaves the moved letter to --convert-to."""
    from briefgen.builders.resident import for_build

    log = tmp_path / "soffice.log"
    shim = tmp_path / "soffice"
    shim.write_text(  # the first LibreOffice to keep running starts, later ones hang at their start
        f'#!/bin/sh\necho "$*" >> "{log}"\ncase "$*" in *--accept=*)\n'
        f'  [ "$(grep -c -e "--accept=" "{log}")" -le 1 ] || {HANG if start == "hangs" else "exit 1"};;\nesac\n'
        f'exec "{soffice}" "$@"\n',
        encoding="utf-8")
    shim.chmod(0o755)
    jobs = _jobs(werkmap, tmp_path, (12, 13))
    workdir = tmp_path / "lo"
    builder = pdf.PdfBuilder(str(shim), jobs=1, timeout=5, workdir=workdir, resident=for_build(str(shim), 5, workdir))
    try:
        feed = _hang_after_the_moved_letter(builder, jobs, workdir, monkeypatch)
        calls = log.read_text(encoding="utf-8").splitlines()
        assert len([call for call in calls if "--accept=" in call]) == 2
        if start == "hangs":
            assert [(failure.job.name, failure.reason) for failure in feed.failures] == [
                ("kop-12", pdf.given_up_reason("kop-13", 5)), ("kop-13", pdf.hang_reason(5))]
            assert not [call for call in calls if "--convert-to" in call], calls
        else:
            assert [(failure.job.name, failure.reason) for failure in feed.failures] == [("kop-13", pdf.hang_reason(5))]
            _moved(jobs[0])
            assert len([call for call in calls if "--convert-to" in call]) == 1, calls
        assert pids_mentioning(str(workdir)) == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))
