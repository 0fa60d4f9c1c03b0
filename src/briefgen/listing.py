"""``briefgen list``: letters with number, date, subject, style, series and output status; toezeggingen."""

from __future__ import annotations

from briefgen import formatting
from briefgen.manifest import Manifest
from briefgen.pipeline import FORMATS
from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap

LETTER_HEADER = ("brief", "nummer", "datum", "onderwerp", "huisstijl", "reeks", "uitvoer")
COMMITMENT_HEADER = ("toezegging", "status", "omschrijving", "brief", "datum")


def letters(werkmap: Werkmap, settings: Settings) -> list[tuple[str, ...]]:
    session = Session(werkmap, settings)
    manifest = Manifest.load(werkmap.manifest)
    results = [session.read(path) for path in werkmap.letters()]
    following = {
        r.letter.previous: session.index.ident(r.path) for r in results if r.letter is not None and r.letter.previous
    }
    table: list[tuple[str, ...]] = [LETTER_HEADER]
    for result in results:
        shown = result.shown
        if result.document is None or result.letter is None:
            table.append((shown, "-", "-", "bevat fouten (briefgen check)", "-", "-", "fout"))
            continue
        stale = [
            f for f in FORMATS
            if not any(manifest.is_current(werkmap.root, shown, f, werkmap.output(result.path, f), a) for a in (False, True))
        ]
        ident = session.index.ident(result.path)
        series = " → ".join(x for x in (result.letter.previous, "•", following.get(ident)) if x) if (
            result.letter.previous or ident in following) else "-"
        fields = result.document.fields
        table.append((
            shown,
            fields["nummer"] or "-",
            formatting.datum(result.document.date),
            fields["onderwerp"],
            result.document.style,
            series,
            f"verouderd ({', '.join(stale)})" if stale else "actueel",
        ))
    return table


def commitments(werkmap: Werkmap, settings: Settings) -> list[tuple[str, ...]]:
    session = Session(werkmap, settings)
    rows = []
    for path in werkmap.letters():
        result = session.read(path)
        if result.letter is None:
            continue
        for item in result.letter.commitments:
            rows.append((item.number, item.status, item.description, result.shown, formatting.datum(result.letter.date)))
    return [COMMITMENT_HEADER, *sorted(rows, key=lambda r: (r[0], r[4]))]


def aligned(table: list[tuple[str, ...]]) -> list[str]:
    """Plain text columns, as wide as their widest cell."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
