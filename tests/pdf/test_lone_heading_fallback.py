"""A letter with a lone heading (builders/pagelayout.py) whose kept LibreOffice will not start again: the letter goes
back to the feed and the worker's --convert-to fallback converts it with the others (builders/pdf.py ``settle``),
instead of one more start that fails every letter still to come. Its failure keeps its place among the others."""

from __future__ import annotations

import datetime
import os
import signal
import threading
from pathlib import Path

from briefgen.builders import pdf
from briefgen.builders.pdfjob import PdfJob
from tests.cli.helpers import invoke
from tests.fuzz.helpers import kill_pids, pids_mentioning
from tests.pdf.test_lone_heading import HEADINGS, _breaks, _letter, _page_ends
from tests.pdf.test_pdf_resident_build import uno  # noqa: F401  (fixture)


def _shim(path: Path, soffice: str, log: Path, *, accepts: int = 1, converts: int = 1000) -> str:
    """A 'soffice' that logs its arguments and runs the real one: only its first ``accepts`` starts to be kept running
    and its first ``converts`` --convert-to calls; later ones exit 1 at once (fault injection)."""
    path.write_text(
        f'#!/bin/sh\necho "$*" >> "{log}"\n'
        f'case "$*" in *--accept=*) kind=accept limit={accepts};; *--convert-to*) kind=convert limit={converts};; '
        f'*) kind=other limit=1000;; esac\n'
        f'seen=$(grep -c -e "--$kind" "{log}")\n'
        f'[ "$kind" = other ] || [ "$seen" -le "$limit" ] || exit 1\n'
        f'exec "{soffice}" "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return str(path)


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



def test_after_a_hang_the_moved_letter_starts_no_fresh_libreoffice(werkmap, soffice, uno, tmp_path,  # noqa: F811
                                                                    monkeypatch):
    """LibreOffice hangs on the next letter (stopped) while the letter before it waits for its second pass: that letter
    is not converted in a fresh LibreOffice (one more time-out where LibreOffice hangs): it gets the reason why nothing
    more is tried."""
    from briefgen.builders.resident import for_build
    from tests.pdf.test_pdf_resident_build import _office

    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, accepts=10)
    for lines in (12, 13):
        _letter(werkmap, lines)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/x"))
    assert result.exit_code == 0, result.output
    date = datetime.date(2021, 11, 16)
    jobs = [PdfJob(werkmap / f"build/x/kop-{lines}.docx", tmp_path / f"uit/kop-{lines}.pdf", "Maatregelen", "Gemeente",
                   date, f"kop-{lines}") for lines in (12, 13)]
    delivered, post_process = threading.Event(), pdf._deliver

    def noting(*args):  # the real post-processing; the test learns when the first letter waits for its second pass
        try:
            return post_process(*args)
        finally:
            delivered.set()

    monkeypatch.setattr(pdf, "_deliver", noting)
    workdir = tmp_path / "lo"
    builder = pdf.PdfBuilder(shim, jobs=1, timeout=5, workdir=workdir, resident=for_build(shim, 5, workdir))
    try:
        with builder.stream(len(jobs)) as feed:
            feed.put(jobs[0])
            assert delivered.wait(120), "LibreOffice made no PDF of the first letter"  # a heading left alone
            [office] = _office(workdir)
            os.kill(office, signal.SIGSTOP)  # hangs on the next letter
            feed.put(jobs[1])
        given_up = ("LibreOffice reageert niet; niet meer geprobeerd nadat LibreOffice ook met alleen kop-13 na 5 s "
                    "niets deed")
        assert [(failure.job.name, failure.reason) for failure in feed.failures] == [
            ("kop-12", given_up), ("kop-13", "LibreOffice reageerde niet binnen 5 s (afgebroken)")]
        assert len([call for call in log.read_text(encoding="utf-8").splitlines() if "--accept=" in call]) == 1
        assert pids_mentioning(str(workdir)) == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))
