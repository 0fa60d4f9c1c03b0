"""Nested lists of another kind (numbered in bullets and the other way round), numbered at levels of their own in
the list of their parent (builders/docx.py _list_levels, skipping levels), still pass veraPDF: the tagging itself is
checked in tests/pdf/test_pdf_lists.py."""

from __future__ import annotations

from tests.pdf.test_pdf_lists import build_other_kinds
from tests.verapdf.conftest import validate
from tests.verapdf.verapdf import PROFILES


def test_nested_lists_of_another_kind_pass_verapdf(werkmap):
    pdfs = list(build_other_kinds(werkmap).values())
    for path, checked in zip(pdfs, validate(pdfs), strict=True):
        for profile in sorted(PROFILES):
            assert not checked.problems(profile), f"{path.name} voldoet niet aan {profile}: {checked.problems(profile)}"
