"""The example letters built once per test session (DOCX only; the PDF build is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.golden.build import build_examples


@pytest.fixture(scope="session")
def docx_build(tmp_path_factory):
    werkmap, report = build_examples(tmp_path_factory.mktemp("golden-docx"), ("docx",))
    assert report.ok, [p.format() for p in report.problems]
    return werkmap
