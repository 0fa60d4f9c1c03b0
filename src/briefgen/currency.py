"""Whether a letter's outputs are current: one decision for ``build`` and ``list``.

An output is current when none of its recorded inputs changed (manifest.is_current). When only an
organisation file among them changed, the letter is rendered again (by ``list`` in memory, DOCX and
HTML) and its render hashes compared with those its outputs were made from (renderhash.py): equal, and
the outputs made from what was compared stand (:func:`standing`), for every set of formats. ``build`` then records them again; so does ``list`` (:func:`record_unchanged`), so that
neither renders them again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.buildlock import build_lock
from briefgen.manifest import Manifest, file_hash
from briefgen.problems import BriefgenError, Problem, Severity
from briefgen.results import PdfFacts
from briefgen.werkmap import WOO_SUFFIX, Werkmap

if TYPE_CHECKING:
    from briefgen.document import Document
    from briefgen.results import ReadResult
    from briefgen.session import Session

COMPARED = ("docx",)  # with PDF, the DOCX it is made from is rendered again and compared (same_render)


def outputs(werkmap: Werkmap, manifest: Manifest, shown: str, path: Path, formats: tuple[str, ...]) -> dict[str, str]:
    """The output files of ``formats`` (format → file), with the Woo metadata when the letter had it."""
    stem = werkmap.output_stem(path)
    files = {fmt: f"{stem}.{fmt}" for fmt in formats}
    if "pdf" in formats and "woo" in ((manifest.letters.get(shown) or {}).get("uitvoer") or {}):
        files["woo"] = f"{stem}.{WOO_SUFFIX}"
    return files


def late(werkmap: Werkmap, manifest: Manifest, path: Path, formats: tuple[str, ...], attachments: bool) -> list[str]:
    """The formats among ``formats`` whose output is not current by the manifest; a PDF also needs the Woo
    metadata made with it."""
    shown = werkmap.shown(path)
    files = outputs(werkmap, manifest, shown, path, formats)
    old = {fmt for fmt, output in files.items() if not manifest.is_current(werkmap.root, shown, fmt, output, attachments)}
    return [fmt for fmt in formats if fmt in old or (fmt == "pdf" and "woo" in old)]


def maybe_unchanged(werkmap: Werkmap, manifest: Manifest, path: Path, formats: tuple[str, ...],
                    attachments: bool) -> list[str] | None:
    """For a letter that is not current and of which only organisation files changed: the formats that may stand
    if it renders as it did (Manifest.made_before, then :func:`standing`); else None. For every set of formats, so
    that ``build --formaat html`` decides as ``list`` and ``build`` do."""
    shown = werkmap.shown(path)
    return manifest.made_before(werkmap.root, shown, outputs(werkmap, manifest, shown, path, formats), COMPARED, attachments)


MADE_FROM = {"docx": "docx", "pdf": "docx", "woo": "docx", "html": "html"}  # the render hash each output is made from


def standing(manifest: Manifest, shown: str, made: list[str], renders: dict[str, str]) -> list[str] | None:
    """Of the formats ``made`` (:func:`maybe_unchanged`), those that stand as the letter renders now (``renders``):
    the ones made from a part that was rendered again; None when it renders otherwise, or not at all."""
    if not manifest.same_render(shown, renders):
        return None
    return [fmt for fmt in made if MADE_FROM.get(fmt) in renders]


def facts(session: Session, document: Document, appended: tuple[tuple[str, Path], ...]) -> PdfFacts:
    """What goes into the PDF besides the DOCX (part of the DOCX's render hash)."""
    from briefgen import woo

    organisation = session.organisations.get(document.organisation)
    return PdfFacts(document.title, document.author, document.date, appended, woo.facts(document, organisation))


def appendable(
    shown: str, attachments: tuple[tuple[str, Path], ...], problems: list[Problem]
) -> tuple[tuple[str, Path], ...]:
    """The letter's bijlagen that can be appended: its PDFs (resolving warned at ``bestand:`` about the others
    and refused a PDF that cannot be read); ``problems`` gets a warning for one that is no PDF/A."""
    from briefgen.builders.attachments import is_pdfa

    keep = []
    for title, path in attachments:
        if path.suffix.lower() != ".pdf":
            continue
        try:
            pdfa = is_pdfa(path)
        except Exception:  # noqa: BLE001 - changed since it was read: any unreadable PDF is reported the same way
            problems.append(Problem(shown, message=f"bijlage '{title}' ({path.name}) is geen leesbare PDF"))
            continue
        if not pdfa:
            problems.append(Problem(shown, message=f"bijlage '{title}' is geen PDF/A; de PDF van de brief is daardoor geen PDF/A meer", severity=Severity.WARNING))
        keep.append((title, path))
    return tuple(keep)


def rendered_again(session: Session, read: ReadResult, attachments: bool) -> dict[str, str]:
    """The render hashes of the letter as it renders now (in memory, nothing written); empty when it has
    errors or cannot be rendered: then it is not current."""
    from briefgen.builders.docx import DocxBuilder
    from briefgen.builders.html import HtmlBuilder
    from briefgen.renderhash import render_hashes

    document = read.document
    problems = [p.for_build() for p in read.problems if not p.check_only]
    if document is None or any(p.is_error for p in problems):
        return {}
    appended = appendable(read.shown, document.attachment_files, problems) if attachments else ()
    try:
        docx, html = DocxBuilder().output(document), HtmlBuilder().output(document)
    except Exception:  # noqa: BLE001 - as build: a letter that fails to render is not current
        return {}
    return render_hashes(docx, html, facts(session, document, appended))


def record_unchanged(werkmap: Werkmap, manifest: Manifest, loaded: str | None,
                     found: list[tuple[str, tuple[str, ...], list[str], bool, dict[str, str]]]) -> None:
    """Record, as build does, the letters ``list`` rendered again as before (shown path, inputs, formats that stand,
    with bijlagen, render hashes). Only while no build runs and the manifest is still the one ``list`` loaded (its
    hash ``loaded``); else, or when build/ cannot be written, it is left to the next build, which decides the same."""
    if not found:
        return
    try:
        with build_lock(werkmap, holder="list"):
            if file_hash(werkmap.manifest) != loaded:
                return
            for shown, inputs, formats, attachments, renders in found:
                manifest.record(werkmap.root, shown, list(inputs), formats, attachments, renders)
            manifest.save()
    except (BriefgenError, OSError):
        return
