"""A letter's way through the PDF step: what to convert and deliver (PdfJob), and why it failed
(PdfFailure). Shared by the conversion (builders/pdf.py) and the post-processing (builders/pdfdelivery.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

LANGUAGE = "nl-NL"  # the PDF's /Lang; the DOCX is marked the same (builders/docx.py)


@dataclass(frozen=True)
class PdfJob:
    docx: Path  # rendered DOCX to convert (already exists)
    pdf: Path  # final target path of the PDF
    title: str  # letter subject -> /Title, XMP dc:title
    author: str  # organisation name -> /Author, XMP dc:creator
    date: datetime.date  # all PDF dates are this date 00:00 UTC (or SOURCE_DATE_EPOCH)
    name: str  # how to name the letter in messages
    attachments: tuple[tuple[str, Path], ...] = ()  # (title, PDF) appended after the letter
    relayout: bool = True  # a heading left alone at a page's foot sends the letter back (Relayout); once
    # Converted once already and sent back with a page break (pagelayout.moved, the only place that sets it): its
    # second pass, tried also after LibreOffice hung on another letter (builders/pdf.py), in a fresh LibreOffice.
    second_pass: bool = False


@dataclass(frozen=True)
class PdfFailure:
    job: PdfJob
    reason: str  # Dutch


@dataclass(frozen=True)
class Relayout(PdfFailure):
    """Not delivered: LibreOffice left these headings alone at the foot of a page (builders/pagelayout.py); the
    worker converts the letter again with a page break before them (builders/pdf.py), and never reports this."""

    headings: tuple[int, ...] = ()
