"""veraPDF fixtures: skip locally without Java or the jars, fail in CI (BRIEFGEN_REQUIRE_PDF=1)."""

from __future__ import annotations

import os

import pytest

from tests.verapdf.verapdf import VeraPdfUnavailable, run


def validate(pdfs):
    """Results of one veraPDF run; an unavailable veraPDF skips, or fails under BRIEFGEN_REQUIRE_PDF=1."""
    try:
        return run(list(pdfs))[0]
    except VeraPdfUnavailable as exc:
        if os.environ.get("BRIEFGEN_REQUIRE_PDF") == "1":
            pytest.fail(f"{exc}; BRIEFGEN_REQUIRE_PDF=1 eist het")
        pytest.skip(str(exc))
