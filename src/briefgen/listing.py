"""``briefgen list``: letters with number, date, subject, style, series and output status; toezeggingen."""

from __future__ import annotations

import csv
import datetime
import io
import os
from dataclasses import dataclass
from pathlib import Path

from briefgen import crossing, currency, formatting
from briefgen.index import cited_number
from briefgen.manifest import Manifest, file_hash
from briefgen.numbering import number_order
from briefgen.pipeline import FORMATS
from briefgen.results import ReadResult
from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from briefgen.workers import in_order

LETTER_HEADER = ("brief", "nummer", "datum", "onderwerp", "huisstijl", "reeks", "uitvoer")
COMMITMENT_HEADER = ("toezegging", "status", "omschrijving", "brief", "datum")


@dataclass(frozen=True)
class _Listed:
    """What ``list`` shows of one letter; for a letter with errors (``failed``) what could be read of it."""

    path: Path
    shown: str
    previous: str | None
    row: tuple[str, str, str, str]  # nummer, datum, onderwerp, huisstijl
    order: tuple  # organisation, date, number: see _order
    failed: bool = False
    renders: tuple[tuple[str, str], ...] = ()  # rendered again (currency.rendered_again): what build compares
    inputs: tuple[str, ...] = ()  # with ``renders``: the files it was rendered from, for the manifest


class _Reader:
    """Reads letters for ``list``; one per worker process (workers.in_order)."""

    def __init__(self, werkmap: Werkmap, settings: Settings):
        self.session = Session(werkmap, settings)

    def __call__(self, task: tuple[Path, bool, bool, bool | None]) -> _Listed | str | None:
        """``built``: the manifest says an output of the letter is current, so it was built from these very
        inputs without errors; then its header is enough (no resolve, no Markdown). ``compare``: only an
        organisation changed, so the letter is rendered again, as build would (with or without bijlagen).

        A letter outside the selection (``listed`` false) is read only for the letter it follows (its
        ``vorige``), so that a listed letter still shows the next one of its series."""
        path, built, listed, compare = task
        if not listed:
            entry = self.session.index.get(self.session.index.ident(path))
            return entry.letter.previous if entry is not None else None
        shown = self.session.werkmap.shown(path)
        if built and compare is None:
            entry = self.session.index.get(self.session.index.ident(path))
            organisation = self.session.organisations.get(entry.letter.organisation) if entry else None
            if entry is not None and entry.path == path and organisation is not None:
                letter = entry.letter
                number = cited_number(letter)
                return _Listed(path, shown, letter.previous, (
                    number or "-", formatting.datum(letter.date), letter.subject,
                    letter.style or organisation.style_for(letter.kind) or "-"),
                    _order(letter.organisation, letter.date, number))
        result = self.session.read(path)
        previous = result.letter.previous if result.letter is not None else None  # a series counts letters with errors too
        if result.document is None or result.letter is None:
            return _Listed(path, shown, previous, _readable(result), _written_order(result), failed=True)
        fields = result.document.fields
        number = fields["nummer"] or fields["zaaknummer"] or fields["kenmerk"]
        renders = currency.rendered_again(self.session, result, compare) if compare is not None else {}
        return _Listed(path, shown, previous, (
            number or "-", formatting.datum(result.document.date), fields["onderwerp"], result.document.style),
            _order(result.document.organisation, result.document.date, number), renders=tuple(renders.items()),
            inputs=tuple(self.session.inputs(result.document)) if renders else ())


def _order(organisation: str | None, date: datetime.date | None, number: str | None) -> tuple:
    """How ``list`` sorts: per organisation, then by date, then by number with its digits as numbers
    (``2021/9`` before ``2021/10``); what is unknown comes last."""
    return (not organisation, organisation or "", date is None, date or datetime.date.min, not number,
            number_order(number or ""))


def _written_order(result: ReadResult) -> tuple:
    """:func:`_order` of a letter with errors, from the validated letter or else as written."""
    letter = result.letter
    if letter is not None:
        return _order(letter.organisation, letter.date, cited_number(letter))
    data = result.loaded.data if result.loaded is not None and isinstance(result.loaded.data, dict) else {}
    organisation = data.get("organisatie")
    number = next((value for key in ("nummer", "zaaknummer", "kenmerk") if isinstance(value := data.get(key), str)), None)
    return _order(organisation if isinstance(organisation, str) else None, _written_date(data.get("datum")), number)


def _written_date(date: object) -> datetime.date | None:
    """A date as the fast loader keeps it (as written), or None when it is none."""
    if isinstance(date, datetime.date):
        return date
    try:
        return datetime.date.fromisoformat(str(date))
    except ValueError:
        return None


def _readable(result: ReadResult) -> tuple[str, str, str, str]:
    """Number, date, subject and style of a letter with errors, as far as they can be read (from the
    validated letter, else as written), so that a list still says which letter it is."""
    letter = result.letter
    if letter is not None:
        return (cited_number(letter) or "-", formatting.datum(letter.date), letter.subject or "-",
                letter.style or "-")
    data = result.loaded.data if result.loaded is not None and isinstance(result.loaded.data, dict) else {}

    def written(*keys: str) -> str:
        return next((" ".join(value.split()) for key in keys if isinstance(value := data.get(key), str) and value.strip()), "-")

    date = _written_date(data.get("datum"))
    shown_date = formatting.datum(date) if date is not None else "-"
    return written("nummer", "zaaknummer", "kenmerk"), shown_date, written("onderwerp"), written("huisstijl")


def letters(werkmap: Werkmap, settings: Settings, selection: list[Path] | None = None) -> list[tuple[str, ...]]:
    """The letters of ``selection`` (files or folders; all by default), per organisation by date and number."""
    loaded = file_hash(werkmap.manifest)  # before it is loaded: a build that saves it meanwhile is noticed
    manifest = Manifest.load(werkmap.manifest)
    paths = werkmap.letters(selection)
    stale = {path: _late(werkmap, manifest, path) for path in paths}
    others = sorted(set(werkmap.letters()) - set(paths), key=lambda path: path.parts) if selection else []
    tasks = [(path, len(stale[path][0]) < len(FORMATS), True, stale[path][1]) for path in paths] + [
        (path, False, False, None) for path in others]
    read = list(in_order(_Reader, (werkmap, settings), tasks, settings.jobs))
    results = [r for r in read if isinstance(r, _Listed)]
    stand = {r.path: _standing(manifest, r, *stale[r.path][1:]) for r in results}
    late = {r.path: [fmt for fmt in stale[r.path][0] if fmt not in stand[r.path]] for r in results}
    currency.record_unchanged(werkmap, manifest, loaded, [
        (r.shown, r.inputs, stand[r.path], bool(stale[r.path][1]), dict(r.renders)) for r in results if stand[r.path]])
    previous = sorted([(r.path, r.previous) for r in results] + list(zip(others, read[len(paths):], strict=True)),
                      key=lambda pair: pair[0].parts)
    following: dict[str, list[str]] = {}
    for path, before in previous:
        if isinstance(before, str):
            following.setdefault(before, []).append(werkmap.letter_id(path))
    # a duplicate nummer, as build finds it: also with a letter outside the selection
    crossed = crossing.duplicates(werkmap, [(p, werkmap.shown(p)) for p in paths], [*paths, *others])
    table: list[tuple[str, ...]] = [LETTER_HEADER]
    for result in sorted(results, key=lambda r: r.order):
        shown = result.shown
        ident = werkmap.letter_id(result.path)
        series = " → ".join(x for x in (result.previous, "•", _successors(following.get(ident, []))) if x) if (
            result.previous or ident in following) else "-"
        failed = result.failed or any(p.is_error for p in crossed[shown])
        status = "bevat fouten (briefgen check)" if failed else _status(werkmap, result.path, late[result.path])
        table.append((shown, *result.row, series, status))
    return table


def _successors(after: list[str]) -> str:
    """The letters that follow one; a series that forks (more than one, which check warns about) says so."""
    return ", ".join(after) + (" (splitst)" if len(after) > 1 else "")


def _late(werkmap: Werkmap, manifest: Manifest, path: Path) -> tuple[list[str], bool | None, list[str]]:
    """The formats that are not current, as build decides (currency.late), of the PDF variant (with or without
    bijlagen) that leaves fewest; whether the letter must be rendered again to tell, and with which variant
    (None: no); and the formats that then stand if it renders as before (currency.maybe_unchanged)."""
    without, with_attachments = (currency.late(werkmap, manifest, path, FORMATS, a) for a in (False, True))
    attachments = len(with_attachments) < len(without)
    late = with_attachments if attachments else without
    made = currency.maybe_unchanged(werkmap, manifest, path, FORMATS, attachments) if late else None
    return late, None if made is None else attachments, made or []


def _standing(manifest: Manifest, listed: _Listed, compare: bool | None, made: list[str]) -> list[str]:
    """The formats that stand because the letter rendered again as it did (currency.standing, as build records them)."""
    if compare is None or listed.failed:
        return []
    return currency.standing(manifest, listed.shown, made, dict(listed.renders)) or []


def _status(werkmap: Werkmap, path: Path, late: list[str]) -> str:
    """``actueel``; ``nog niet gebouwd`` (no output at all); or which outputs are out of date and which were never made."""
    if not late:
        return "actueel"
    missing = [f for f in late if not os.path.lexists(werkmap.output(path, f))]
    if len(missing) == len(FORMATS):
        return "nog niet gebouwd"
    old = [f for f in late if f not in missing]
    parts = ([f"verouderd ({', '.join(old)})"] if old else []) + ([f"nog niet gebouwd ({', '.join(missing)})"] if missing else [])
    return "; ".join(parts)


def commitments(werkmap: Werkmap, settings: Settings, selection: list[Path] | None = None) -> list[tuple[str, ...]]:
    session = Session(werkmap, settings)
    rows = []
    for path in werkmap.letters(selection):
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


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection), also the full-width ``＝ ＋ － ＠``
that some spreadsheets read as their ASCII forms: such a cell gets a ``'`` first."""


def spreadsheet_cell(text: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: a cell a spreadsheet shows as text, never runs as a formula
    (a subject or toezegging is typed by anyone who writes a letter)."""
    return "'" + text if text.startswith(FORMULA_START) and text != "-" else text  # a lone '-' (none) is no formula


def as_csv(table: list[tuple[str, ...]]) -> str:
    """The table as CSV with semicolons, the separator Dutch spreadsheets expect; a BOM so that Excel reads UTF-8.
    A cell that a spreadsheet would run as a formula starts with ``'`` (:func:`spreadsheet_cell`)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(tuple(spreadsheet_cell(c) for c in row) for row in table)
    return "\ufeff" + out.getvalue()
