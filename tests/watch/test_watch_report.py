"""What ``briefgen watch`` says after a round: which letters were not built and why, as ``build`` does."""

from __future__ import annotations

import threading
from pathlib import Path

from briefgen.cli.watch import _report
from briefgen.settings import Settings
from briefgen.watch import Watcher
from briefgen.werkmap import Werkmap
from tests.conftest import HEAD, VALID_LETTER, write

ORGANISATION = "content/organisaties/hilversum.yaml"


def test_a_round_lists_the_letters_not_built_and_why(werkmap: Path, capsys):
    write(werkmap, "content/x/kapot.yaml", HEAD + "secties:\n  - tekst: '{{ onbekend }}'\n")
    organisation = werkmap / ORGANISATION
    organisation.write_text(organisation.read_text(encoding="utf-8") + "onbekend: 1\n", encoding="utf-8")
    stop = threading.Event()
    watcher = Watcher(Werkmap(werkmap), Settings(jobs=1), formats=("docx",))
    try:
        first = next(watcher.rounds(stop))
    finally:
        stop.set()
        watcher.close()
    _report(first, watcher.settings)
    err = capsys.readouterr().err.splitlines()
    assert err[err.index("Niet gebouwd (eerdere uitvoer, als die er is, blijft ongewijzigd):") + 1:] == [
        f"  {VALID_LETTER} (door de fouten in {ORGANISATION})",
        "  content/x/kapot.yaml",
    ]
