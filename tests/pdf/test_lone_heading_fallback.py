"""A letter with a lone heading (builders/pagelayout.py) whose kept LibreOffice will not start again: the letter goes
back to the feed and the worker's --convert-to fallback converts it with the others (builders/pdf.py ``settle``),
instead of one more start that fails every letter still to come. Its failure keeps its place among the others."""

from __future__ import annotations

import datetime
from pathlib import Path

from briefgen.builders import pdf
from briefgen.builders.pdfjob import PdfJob
from tests.cli.helpers import invoke
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


def test_a_kept_libreoffice_that_will_not_start_again_leaves_the_letters_to_the_fallback(
        werkmap, soffice, uno, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(pdf, "RESIDENT_LETTERS", 1)  # a fresh LibreOffice for the second letter: it will not start
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log)
    (werkmap / "briefgen.toml").write_text(f'soffice = "{shim}"\ntaken = 1\n', encoding="utf-8")
    for lines in (12, 13, 14):
        _letter(werkmap, lines)
    result = invoke(werkmap, "build", str(werkmap / "content/x"))
    assert result.exit_code == 0, result.output
    assert "3 gebouwd" in result.stdout, result.stdout
    moved = werkmap / "build/x/kop-12"
    assert not set(_page_ends(moved.with_suffix(".pdf"))) & set(HEADINGS)
    assert _breaks(moved.with_suffix(".docx")) == ["Maatregelen"]
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
