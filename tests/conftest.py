"""Shared fixtures. PDF tests need LibreOffice: they skip locally without it, but fail in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def require_soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        message = "LibreOffice (soffice) ontbreekt: sudo apt-get install libreoffice-writer-nogui"
        if os.environ.get("BRIEFGEN_REQUIRE_PDF") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return soffice


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory):
    """All example letters built once as DOCX and PDF, for the tests that read PDFs."""
    from tests.golden.build import build_examples

    require_soffice()
    werkmap, report = build_examples(tmp_path_factory.mktemp("examples-pdf"), ("docx", "pdf"))
    assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
    return werkmap
