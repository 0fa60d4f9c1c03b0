"""``briefgen list``: every letter with number, date, subject and whether its output is current."""

from __future__ import annotations

from briefgen import formatting
from briefgen.manifest import Manifest
from briefgen.pipeline import FORMATS, Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap


def rows(werkmap: Werkmap, settings: Settings) -> list[tuple[str, ...]]:
    session = Session(werkmap, settings)
    manifest = Manifest.load(werkmap.manifest)
    table = []
    for path in werkmap.letters():
        result = session.read(path)
        shown = result.shown
        stale = [f for f in FORMATS if not manifest.is_current(werkmap.root, shown, f, werkmap.output(path, f))]
        if result.document is None:
            table.append((shown, "-", "-", "bevat fouten", "fout"))
            continue
        fields = result.document.fields
        state = f"verouderd ({', '.join(stale)})" if stale else "actueel"
        table.append((shown, fields["nummer"] or "-", formatting.datum(result.document.date), fields["onderwerp"], state))
    return table
