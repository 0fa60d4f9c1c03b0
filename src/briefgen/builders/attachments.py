"""Appending attachment PDFs (bijlagen) to a letter's PDF, with a bookmark for each.

The letter stays PDF/A and PDF/UA only when every attachment is PDF/A itself; otherwise the
claims are removed from the XMP (a false claim is worse than none) and the caller says so.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from briefgen.fileio import describe

PDFA = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUA = "{http://www.aiim.org/pdfua/ns/id/}"


def unusable(path: Path) -> str | None:
    """Why ``build --bijlagen`` cannot append the PDF ``path`` (a regular file), in Dutch; None when it can.

    Opened as the build opens it, but without qpdf's repair: a truncated or damaged file that qpdf would
    silently patch up (and append half of) is refused, as is an encrypted one (PDF/A forbids encryption).
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
        if b"%PDF-" not in head:  # as qpdf looks for it: within the first KiB
            return "is geen leesbare PDF (het bestand begint niet als een PDF)"
        with pikepdf.open(path, attempt_recovery=False) as pdf:
            if pdf.is_encrypted:
                return "is een beveiligde (versleutelde) PDF; sla hem op zonder beveiliging"
            len(pdf.pages)  # the page tree is read: a broken one raises here
    except pikepdf.PasswordError:
        return "is met een wachtwoord beveiligd; sla hem op zonder wachtwoord"
    except OSError as exc:
        return f"kan niet gelezen worden: {describe(exc)}"
    except Exception:  # noqa: BLE001 - qpdf reports a damaged file in many ways; each means the same here
        return "is beschadigd of onvolledig (de PDF is niet goed opgebouwd); sla hem opnieuw op als PDF"
    return None


def is_pdfa(path: Path) -> bool:
    with pikepdf.open(path) as pdf:
        return bool(pdf.open_metadata().get(f"{PDFA}part"))


def append(pdf: pikepdf.Pdf, attachments: tuple[tuple[str, Path], ...], letter_title: str) -> None:
    """Add each attachment's pages after the letter, with bookmarks: the letter, then each bijlage."""
    starts = []
    opened = []
    try:
        for title, path in attachments:
            source = pikepdf.open(path)
            opened.append(source)
            starts.append((title, len(pdf.pages)))
            pdf.pages.extend(source.pages)
        with pdf.open_outline() as outline:
            letter = pikepdf.OutlineItem(letter_title, 0)
            letter.children.extend(outline.root)  # the letter's own headings go under it
            outline.root.clear()
            outline.root.append(letter)
            for title, first in starts:
                outline.root.append(pikepdf.OutlineItem(f"Bijlage: {title}", first))
        if not all(_claims_pdfa(source) for source in opened):
            with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                for key in (f"{PDFA}part", f"{PDFA}conformance", f"{PDFUA}part"):
                    if key in meta:
                        del meta[key]
    finally:
        for source in opened:
            source.close()


def _claims_pdfa(pdf: pikepdf.Pdf) -> bool:
    return bool(pdf.open_metadata().get(f"{PDFA}part"))
