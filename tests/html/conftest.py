"""The example letters built once as DOCX and HTML (no LibreOffice needed)."""

from __future__ import annotations

import pytest

from tests.golden.build import build_examples


@pytest.fixture(scope="session")
def html_build(tmp_path_factory):
    werkmap, report = build_examples(tmp_path_factory.mktemp("examples-html"), ("docx", "html"))
    assert report.ok, [p.format() for p in report.problems]
    return werkmap
