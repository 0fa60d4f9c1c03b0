"""A LibreOffice to keep running that would not start is started again for a later save (``briefgen watch``), with a
back-off.

Review: one failed start (a LibreOffice that is being updated, a full /tmp) and watch never kept LibreOffice running
again. Then, review: started again at every save with the full start time-out, a LibreOffice that hangs at start (a
stuck profile) cost every save about 65 s before its PDF was made the batch way. Now a failed start is tried again at
a save once 1, then 2 minutes have passed, with a build's short start time-out, and after 3 failures in a row no more;
watch says so once per failed start, and the letters are built the batch way meanwhile.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen import watch
from briefgen.builders import resident
from briefgen.cli.watch import _not_started, _report
from briefgen.settings import Settings
from briefgen.watch import StartFailure, Watcher
from briefgen.werkmap import Werkmap
from tests.conftest import VALID_LETTER, soffice_shim
from tests.fuzz.helpers import kill_pids, pids_mentioning
from tests.pdf.conftest import soffice  # noqa: F401  (fixture)
from tests.pdf.test_lone_heading_fallback import HANG
from tests.pdf.test_pdf_resident_build import uno  # noqa: F401  (fixture)
from tests.watch.test_watch import _title, _with_subject

REFUSED = "LibreOffice nam de verbinding niet aan"
MARKER = ".briefgen-lo/resident-profile"  # watch's own LibreOffice; a build's workers keep theirs in profile-N


def _shim(path: Path, real: str, log: Path, failures: int, then: str) -> str:
    """A 'soffice' that logs its arguments and runs the ``real`` one; its first ``failures`` starts of watch's own
    LibreOffice exit 1 at once, the later ones do ``then``: "run" (the real one) or "hang" (wait forever, the
    arguments, with the werkmap, kept in the command line of the process that waits)."""
    later = f'exec "{real}" "$@"' if then == "run" else HANG
    return soffice_shim(path, real, log,
                        f'case "$*" in *--accept=*{MARKER}*|*{MARKER}*--accept=*)\n'
                        f'  [ "$(grep -c -e "--accept=.*{MARKER}\\|{MARKER}.*--accept=" "{log}")" -gt {failures} ] || exit 1\n'
                        f'  {later};;\nesac\n')


def _starts(log: Path) -> int:
    return sum(1 for line in log.read_text(encoding="utf-8").splitlines() if "--accept=" in line and MARKER in line)


@pytest.fixture
def clock(monkeypatch):
    """Minutes passing for watch's back-off at once: ``clock.append(seconds)`` moves it on."""
    skipped: list[float] = []
    monkeypatch.setattr(watch, "_now", lambda: time.monotonic() + sum(skipped))
    return skipped


PDF = Path("build") / Path(VALID_LETTER).relative_to("content").with_suffix(".pdf")


@contextlib.contextmanager
def _watching(werkmap: Path, shim: str) -> Iterator[tuple[Watcher, threading.Event]]:
    """A Watcher of the werkmap's PDFs with this 'soffice' (stopped after 300 s at the latest); afterwards no process
    of the werkmap is left."""
    stop = threading.Event()
    timer = threading.Timer(300, stop.set)
    timer.start()
    watcher = Watcher(Werkmap(werkmap), Settings(jobs=1, soffice=shim, pdf_timeout=60), formats=("pdf",))
    try:
        yield watcher, stop
    finally:
        stop.set()
        timer.cancel()
        watcher.close()
        kill_pids(pids_mentioning(str(werkmap)))
    assert pids_mentioning(str(werkmap)) == []


def _save(werkmap: Path, subject: str, rounds) -> watch.Round:
    """The letter saved with ``subject``: the next round, which built it."""
    letter = werkmap / VALID_LETTER
    letter.write_text(_with_subject(letter.read_text(encoding="utf-8"), subject), encoding="utf-8")
    round_ = next(rounds)
    assert [r.shown for r in round_.report.letters if r.built] == [VALID_LETTER], round_
    assert _title(werkmap / PDF) == subject  # built either way
    return round_


def test_a_libreoffice_that_hangs_at_start_costs_a_save_no_wait_and_is_tried_twice_more(
        werkmap, soffice, uno, tmp_path, capsys, clock, monkeypatch):  # noqa: F811
    monkeypatch.setattr(resident, "BUILD_START_SECONDS", 4.0)  # a try again's start time-out (30 s), short here
    log = tmp_path / "soffice.log"
    with _watching(werkmap, _shim(tmp_path / "soffice", soffice, log, 1, "hang")) as (watcher, stop):
        watcher.start()
        assert watcher.start_failure() == StartFailure(REFUSED, 60.0, 1) and _starts(log) == 1
        assert watcher.start_failure() is None  # said once
        rounds = watcher.rounds(stop)
        assert next(rounds).resident_failed is None and _starts(log) == 1

        # Within the minute: no start, no wait for one (the old way: 60 s start time-out + 5 for each save).
        round_ = _save(werkmap, "Binnen de minuut", rounds)
        assert _starts(log) == 1 and round_.resident_failed is None and round_.seconds < 20, round_

        clock.append(61)  # tried again, hangs: the short time-out, then the batch way; again in 2 minutes
        round_ = _save(werkmap, "Na een minuut", rounds)
        assert _starts(log) == 2 and round_.seconds < 25, round_
        failed = round_.resident_failed
        assert failed is not None and failed.retry == 120.0 and failed.attempts == 2, round_
        _report(round_, watcher.settings)
        assert (f"De LibreOffice die klaar moet blijven staan, start niet ({failed.reason}); briefgen maakt de PDF's "
                "nu met een nieuwe LibreOffice per keer (langzamer) en probeert het over 2 minuten opnieuw, bij de "
                "eerstvolgende wijziging.") in capsys.readouterr().err.replace("\n", " ")

        clock.append(60)  # not yet two minutes
        round_ = _save(werkmap, "Na nog een minuut", rounds)
        assert _starts(log) == 2 and round_.resident_failed is None

        clock.append(61)  # the third failure in a row: no more tries in this watch
        round_ = _save(werkmap, "Derde poging", rounds)
        assert _starts(log) == 3 and round_.seconds < 25, round_
        failed = round_.resident_failed
        assert failed is not None and failed.retry is None and failed.attempts == 3, round_
        _report(round_, watcher.settings)
        err = capsys.readouterr().err.replace("\n", " ")
        assert "start ook na 3 pogingen niet" in err and "voortaan met een nieuwe LibreOffice per keer" in err, err

        clock.append(3600)
        round_ = _save(werkmap, "Een uur later", rounds)
        assert _starts(log) == 3 and round_.resident_failed is None and watcher.converter is None
        assert pids_mentioning(str(werkmap / "build/.briefgen-lo")) == []  # each hanging start was ended


def test_watch_starts_libreoffice_again_after_the_back_off_and_uses_it(
        werkmap, soffice, uno, tmp_path, capsys, clock):  # noqa: F811
    log = tmp_path / "soffice.log"
    with _watching(werkmap, _shim(tmp_path / "soffice", soffice, log, 2, "run")) as (watcher, stop):
        watcher.start()
        assert watcher.converter is None and _starts(log) == 1
        _not_started(watcher.start_failure())
        assert ("start niet (LibreOffice nam de verbinding niet aan); briefgen maakt de PDF's nu met een nieuwe "
                "LibreOffice per keer (langzamer) en probeert het over 1 minuut opnieuw") in capsys.readouterr().err
        rounds = watcher.rounds(stop)
        first = next(rounds)  # the whole selection, the batch way, without another start
        assert _title(werkmap / PDF) is not None and _starts(log) == 1 and first.resident_failed is None, first

        for attempt, subject in enumerate(["Tweede poging", "Derde poging"], start=2):
            clock.append(RETRY := 60.0 * 2 ** (attempt - 2) + 1)
            round_ = _save(werkmap, subject, rounds)
            assert _starts(log) == attempt, RETRY
            if attempt == 2:  # failed again: said in this round, the PDF made the batch way
                assert round_.resident_failed == StartFailure(REFUSED, 120.0, 2) and watcher.converter is None
            else:  # started: this round's PDF came from it, no LibreOffice started for the build
                assert round_.resident_failed is None and watcher.converter is not None and watcher.converter.running
                assert watcher.resident_failed is None
                calls = log.read_text(encoding="utf-8").splitlines()
                assert calls[-1].count("--accept=") == 1 and MARKER in calls[-1], calls
