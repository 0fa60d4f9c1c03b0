"""A LibreOffice to keep running that would not start is started again for a later save (``briefgen watch``).

Review: one failed start (a LibreOffice that is being updated, a full /tmp) and watch never kept LibreOffice running
again: every later save started one per build, and said so only once. Now every round of a few letters starts it again
(with its own start time-out), the round tells why when it fails again, and its letters are still built.
"""

from __future__ import annotations

import threading
from pathlib import Path

from briefgen.builders.pdfjob import PdfJob
from briefgen.builders.resident import ResidentConverter
from briefgen.cli.watch import _report
from briefgen.settings import Settings
from briefgen.watch import Watcher
from briefgen.werkmap import Werkmap
from tests.conftest import VALID_LETTER
from tests.fuzz.helpers import kill_pids, pids_mentioning
from tests.pdf.conftest import make_job, soffice, write_docx  # noqa: F401  (soffice: fixture)
from tests.pdf.test_pdf_resident_build import uno  # noqa: F401  (fixture)
from tests.watch.test_watch import _title, _with_subject

REFUSED = "LibreOffice nam de verbinding niet aan"


def _shim(path: Path, real: str, log: Path, failures: int, marker: str) -> str:
    """A 'soffice' that logs its arguments and runs the ``real`` one; its first ``failures`` starts to be kept running with
    ``marker`` in their arguments exit 1 at once."""
    path.write_text(
        f'#!/bin/sh\necho "$*" >> "{log}"\ncase "$*" in *--accept=*{marker}*|*{marker}*--accept=*)\n'
        f'  [ "$(grep -c -e "--accept=.*{marker}\\|{marker}.*--accept=" "{log}")" -gt {failures} ] || exit 1;;\nesac\n'
        f'exec "{real}" "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def _starts(log: Path, marker: str) -> int:
    return sum(1 for line in log.read_text(encoding="utf-8").splitlines() if "--accept=" in line and marker in line)


def test_a_converter_whose_start_failed_starts_at_the_next_letters(soffice, uno, tmp_path):  # noqa: F811
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, 1, "resident-profile")
    job: PdfJob = make_job(write_docx(tmp_path / "brief.docx", "Tekst."), tmp_path / "uit/brief.pdf", "Brief")
    with ResidentConverter(shim, workdir=tmp_path / "lo", warm_up=False) as converter:
        assert [(f.job, f.reason) for f in converter.convert([job])] == [(job, f"LibreOffice start niet: {REFUSED}")]
        assert converter.convert([job]) == []
    assert job.pdf.is_file() and _starts(log, "resident-profile") == 2


def test_watch_starts_libreoffice_again_for_a_later_save_and_says_each_time_it_fails(
        werkmap, soffice, uno, tmp_path, capsys):  # noqa: F811
    log = tmp_path / "soffice.log"
    marker = ".briefgen-lo/resident-profile"  # watch's own; a build's workers keep theirs in profile-N
    shim = _shim(tmp_path / "soffice", soffice, log, 2, marker)
    letter = werkmap / VALID_LETTER
    pdf = werkmap / "build" / Path(VALID_LETTER).relative_to("content").with_suffix(".pdf")
    original = letter.read_text(encoding="utf-8")
    stop = threading.Event()
    timer = threading.Timer(300, stop.set)
    timer.start()
    watcher = Watcher(Werkmap(werkmap), Settings(jobs=1, soffice=shim, pdf_timeout=60), formats=("pdf",))
    try:
        watcher.start()
        assert watcher.converter is None and _starts(log, marker) == 1
        rounds = watcher.rounds(stop)
        first = next(rounds)  # the whole selection, the batch way, without another start
        assert _title(pdf) is not None and _starts(log, marker) == 1, first
        assert watcher.resident_failed == REFUSED and first.resident_failed is None  # the CLI said it at the start

        for attempt, subject in enumerate(["Tweede poging", "Derde poging"], start=2):
            letter.write_text(_with_subject(original, subject), encoding="utf-8")
            round_ = next(rounds)
            assert [r.shown for r in round_.report.letters if r.built] == [VALID_LETTER], round_
            assert _title(pdf) == subject  # built either way
            assert _starts(log, marker) == attempt
            _report(round_, watcher.settings)
            err = capsys.readouterr().err
            if attempt == 2:  # failed again: said in this round, the PDF made the batch way
                assert round_.resident_failed == REFUSED and watcher.converter is None
                assert f"LibreOffice start niet om klaar te blijven staan ({REFUSED})" in err
            else:  # started: this round's PDF came from it, no LibreOffice started for the build
                assert round_.resident_failed is None and watcher.converter is not None and watcher.converter.running
                assert "LibreOffice start niet" not in err
                calls = log.read_text(encoding="utf-8").splitlines()
                assert calls[-1].count("--accept=") == 1 and marker in calls[-1], calls
    finally:
        stop.set()
        timer.cancel()
        watcher.close()
        kill_pids(pids_mentioning(str(werkmap)))
    assert pids_mentioning(str(werkmap)) == []
