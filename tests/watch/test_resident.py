"""The resident LibreOffice gives the batch path's PDF, byte for byte (same filter options, same pikepdf step)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from briefgen.builders.pdf import PdfBuilder, PdfJob
from briefgen.builders.resident import ResidentConverter, uno_python
from tests.conftest import VALID_LETTER, require_soffice


def test_resident_pdf_is_the_batch_pdf_byte_for_byte(werkmap: Path):
    from typer.testing import CliRunner

    from briefgen.cli import app

    soffice = require_soffice()
    if uno_python(soffice) is None:
        message = "geen Python met LibreOffice's uno (sudo apt-get install python3-uno)"
        if os.environ.get("BRIEFGEN_REQUIRE_PDF") == "1":
            pytest.fail(message)
        pytest.skip(message)
    result = CliRunner().invoke(app, ["-C", str(werkmap), "build", "--formaat", "docx"])
    assert result.exit_code == 0, result.output
    docx = werkmap / "build" / Path(VALID_LETTER).relative_to("content").with_suffix(".docx")
    jobs = [PdfJob(docx, werkmap / f"{name}.pdf", "Onderwerp", "Gemeente", datetime.date(2021, 11, 16), name)
            for name in ("batch", "resident")]
    assert PdfBuilder(soffice, jobs=1, workdir=werkmap / "lo-batch").convert(jobs[:1]) == []
    with ResidentConverter(soffice, workdir=werkmap / "lo-resident") as resident:
        assert resident.convert(jobs[1:]) == []
    assert jobs[0].pdf.read_bytes() == jobs[1].pdf.read_bytes()
