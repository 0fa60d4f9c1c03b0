"""What a letter rendered to, as hashes: to tell, after an organisation file changed, whether its outputs change.

A PDF (and the Woo metadata beside it) is made from the DOCX and the facts handed to LibreOffice and
pikepdf (:class:`~briefgen.results.PdfFacts`); the HTML version is its own file. Rendering is
deterministic, so equal hashes mean equal outputs, and a letter whose organisation changed only in what
this letter does not show needs no new PDF (pipeline.build, manifest ``weergave``).
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any


def render_hashes(docx: Path | None, html: Path | None, facts: Any) -> dict[str, str]:
    """``{"docx": …, "html": …}`` for what was rendered: the DOCX's parts (their names and contents, not
    the zip's own dates) with ``facts``, and the HTML file's bytes. Empty when a file cannot be read."""
    hashes = {}
    try:
        if docx is not None:
            digest = hashlib.sha256(f"feiten\0{facts!r}\0".encode())
            with zipfile.ZipFile(docx) as archive:
                for name in sorted(archive.namelist()):
                    digest.update(f"{name}\0".encode() + archive.read(name) + b"\0")
            hashes["docx"] = digest.hexdigest()
        if html is not None:
            hashes["html"] = hashlib.sha256(html.read_bytes()).hexdigest()
    except (OSError, zipfile.BadZipFile):
        return {}
    return hashes
