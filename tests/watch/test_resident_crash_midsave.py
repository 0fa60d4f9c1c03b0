"""``briefgen watch``: the LibreOffice kept running crashes on the second letter of a save and will not start again; that
letter and the rest of the save are built the slower way (a LibreOffice per build), as when it would not start at the
save's beginning, instead of failing with "LibreOffice start niet".
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from briefgen.builders import resident
from tests.conftest import VALID_LETTER
from tests.pdf.conftest import soffice  # noqa: F401  (fixture)
from tests.pdf.test_pdf_resident_build import _eventually, _office, uno  # noqa: F401  (fixture)
from tests.pdf.test_resident_restart_fallback import _shim
from tests.watch.test_resident_start_again import _watching
from tests.watch.test_watch import _title, _with_subject

OTHERS = ("content/hilversum/2021/tweede.yaml", "content/hilversum/2021/derde.yaml")


def _pdf(werkmap: Path, letter: str) -> Path:
    return werkmap / "build" / Path(letter).relative_to("content").with_suffix(".pdf")


def test_a_crash_mid_save_whose_restart_fails_builds_the_rest_the_slower_way(
        werkmap, soffice, uno, tmp_path, monkeypatch):  # noqa: F811
    letters = (VALID_LETTER, *OTHERS)
    text = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    texts = {name: text.replace('nummer: "2021/45"', f'nummer: "2021/{45 + n}"') for n, name in enumerate(letters)}
    for name in OTHERS:
        (werkmap / name).write_text(texts[name], encoding="utf-8")
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, tmp_path / "starts")  # only its first start to keep running works
    with _watching(werkmap, shim) as (watcher, stop):
        watcher.start()
        assert watcher.converter is not None and watcher.converter.running
        rounds = watcher.rounds(stop)
        first = next(rounds)  # the whole selection, the batch way
        assert sorted(r.shown for r in first.report.letters if r.built) == sorted(letters), [
            (r.shown, r.problems) for r in first.report.letters]
        build = werkmap / "build"
        convert, sent = resident.ResidentConverter.convert_one, []

        def crashing_on_the_second(converter, docx, raw, name):
            if converter is watcher.converter:
                sent.append(name)
                if len(sent) == 2:  # LibreOffice dies as the letter is sent: its restart fails (the shim)
                    for pid in _office(build / ".briefgen-lo/resident-profile"):
                        os.kill(pid, signal.SIGKILL)
                    assert _eventually(lambda: _office(build / ".briefgen-lo/resident-profile") == [], 30)
            return convert(converter, docx, raw, name)

        monkeypatch.setattr(resident.ResidentConverter, "convert_one", crashing_on_the_second)
        before = len(log.read_text(encoding="utf-8").splitlines())
        for number, name in enumerate(letters):  # one save of three letters: one round, the kept LibreOffice's
            (werkmap / name).write_text(_with_subject(texts[name], f"Opgeslagen {number}"), encoding="utf-8")
        round_ = next(rounds)
        problems = [(r.shown, [p.message for p in r.problems]) for r in round_.report.letters if not r.built]
        assert problems == [] and len(sent) == 2, (problems, sent)
        assert sorted(r.shown for r in round_.report.letters if r.built) == sorted(letters), round_
        assert [_title(_pdf(werkmap, name)) for name in letters] == [f"Opgeslagen {n}" for n in range(3)]
        calls = log.read_text(encoding="utf-8").splitlines()[before:]
        assert sum(call.count(".docx") for call in calls if "--convert-to" in call) == 2, calls  # the crashed, the next
        assert round_.resident_failed is None  # the back-off is the next save's start(), as before
