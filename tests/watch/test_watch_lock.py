"""briefgen watch while another build holds the werkmap: it waits for that build and then goes on
(docs/gevaren.md, "Wat een build vastlegt")."""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path

import pytest

from briefgen.buildlock import BuildLocked
from briefgen.cli.watch import _report
from briefgen.settings import Settings
from briefgen.watch import Watcher
from briefgen.werkmap import Werkmap
from tests.conftest import VALID_LETTER


class OtherBuild:
    """Holds the werkmap's lock as a running ``briefgen build`` does."""

    def __init__(self, werkmap: Path):
        (werkmap / "build").mkdir(exist_ok=True)
        self.handle = open(werkmap / "build" / ".briefgen.lock", "a")  # noqa: SIM115 - released by done()
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def done(self) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


@pytest.fixture
def watching(werkmap: Path):
    stop = threading.Event()
    timer = threading.Timer(120, stop.set)
    timer.start()
    watcher = Watcher(Werkmap(werkmap), Settings(jobs=1), formats=("docx",))
    yield watcher.rounds(stop)
    stop.set()
    timer.cancel()
    watcher.close()


def _edit(werkmap: Path) -> None:
    letter = werkmap / VALID_LETTER
    letter.write_text(letter.read_text(encoding="utf-8").replace("onderwerp: ", "onderwerp: Nieuw ", 1), encoding="utf-8")


def _built(round_) -> list[str]:
    assert round_.error is None, round_.error
    return [r.shown for r in round_.report.letters if r.built]


def test_watch_started_during_a_build_builds_once_that_build_is_done(werkmap: Path, watching, capsys):
    other = OtherBuild(werkmap)
    first = next(watching)
    assert isinstance(first.error, BuildLocked)
    _edit(werkmap)  # saved while the other build runs
    other.done()

    round_ = next(watching)

    assert round_.after_lock and _built(round_) == [VALID_LETTER]
    _report(first, Settings())
    _report(round_, Settings())
    out = capsys.readouterr().out
    assert "briefgen wacht tot die build klaar is en bouwt dan wat er veranderd is …" in out
    assert "de andere build is klaar; briefgen bouwt nu wat er intussen veranderd is" in out


def test_a_change_saved_while_another_build_held_the_lock_is_built_after_it(werkmap: Path, watching):
    assert _built(next(watching)) == [VALID_LETTER]
    other = OtherBuild(werkmap)
    _edit(werkmap)
    refused = next(watching)
    assert isinstance(refused.error, BuildLocked) and refused.changed == [VALID_LETTER]
    other.done()

    round_ = next(watching)

    assert round_.after_lock and _built(round_) == [VALID_LETTER]
