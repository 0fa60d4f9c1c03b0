"""A kept LibreOffice that crashes on a letter and will not start again inside ``convert_one`` leaves that letter and
the rest to the worker's ``--convert-to`` fallback (builders/pdf.py), as when it will not start at all: it does not
give up the build with "niet geprobeerd: LibreOffice start niet" for every letter still to come."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from briefgen.builders import resident
from briefgen.builders.pdf import PdfBuilder
from briefgen.builders.resident import for_build
from tests.fuzz.helpers import kill_pids, pids_mentioning
from tests.pdf.test_lone_heading import _letter
from tests.pdf.test_lone_heading_fallback import built_with_the_heading_moved
from tests.pdf.test_pdf_resident_build import _bridges, _eventually, _office, uno  # noqa: F401  (fixture)


def _shim(path: Path, soffice: str, log: Path, starts: Path) -> str:
    """A 'soffice' that logs its arguments and runs the real one; only its first start to be kept running works."""
    path.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\ncase "$*" in *--accept=*)\n'
                    f'  if [ -e "{starts}" ]; then exit 1; fi; touch "{starts}";;\nesac\nexec "{soffice}" "$@"\n',
                    encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_a_crash_whose_restart_fails_leaves_the_letters_to_convert_to(
        soffice, uno, letters, tmp_path, monkeypatch):  # noqa: F811
    jobs = letters(4)
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, tmp_path / "starts")
    workdir = tmp_path / "work"
    convert = resident.ResidentConverter.convert_one

    def crashing_on_the_second(converter, docx, raw, name):
        if docx == jobs[1].docx:  # LibreOffice dies as the letter is sent: convert_one starts it again, which fails
            for pid in _office(workdir):
                os.kill(pid, signal.SIGKILL)
            assert _eventually(lambda: _office(workdir) == [], 30)
        return convert(converter, docx, raw, name)

    monkeypatch.setattr(resident.ResidentConverter, "convert_one", crashing_on_the_second)
    builder = PdfBuilder(shim, jobs=1, workdir=workdir, resident=for_build(shim, 120, workdir))
    try:
        assert [(failure.job.name, failure.reason) for failure in builder.convert(jobs)] == []
        assert all(job.pdf.exists() for job in jobs)
        calls = log.read_text(encoding="utf-8").splitlines()
        assert len([call for call in calls if "--accept=" in call]) == 2, calls  # the first, and the failed restart
        converted = [call for call in calls if "--convert-to" in call]
        assert sum(call.count(".docx") for call in converted) == 3, calls  # the crashed letter and the two after it
        assert _office(workdir) == [] and _bridges() == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_a_crash_on_the_moved_letter_whose_restart_fails_leaves_it_to_convert_to(
        werkmap, soffice, uno, tmp_path, monkeypatch):  # noqa: F811
    """The letter with a lone heading, converted a second time with a page break (pdf.convert_again): LibreOffice dies and
    will not start again; the moved letter goes back to the feed and --convert-to converts it with the next one."""
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, tmp_path / "starts")
    (werkmap / "briefgen.toml").write_text(f'soffice = "{shim}"\ntaken = 1\n', encoding="utf-8")
    for lines in (12, 13, 14):
        _letter(werkmap, lines)
    convert, seen = resident.ResidentConverter.convert_one, []
    build = werkmap / "build"

    def crashing_on_the_second_pass(converter, docx, raw, name):
        if docx in seen:  # the moved letter, sent again
            for pid in _office(build):
                os.kill(pid, signal.SIGKILL)
            assert _eventually(lambda: _office(build) == [], 30)
        seen.append(docx)
        return convert(converter, docx, raw, name)

    monkeypatch.setattr(resident.ResidentConverter, "convert_one", crashing_on_the_second_pass)
    try:
        built_with_the_heading_moved(werkmap)
        calls = log.read_text(encoding="utf-8").splitlines()
        assert len([call for call in calls if "--accept=" in call]) == 2, calls
        assert sum(call.count(".docx") for call in calls if "--convert-to" in call) == 2, calls  # moved and next
    finally:
        kill_pids(pids_mentioning(str(werkmap)))
