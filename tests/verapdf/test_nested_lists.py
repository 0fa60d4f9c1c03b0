"""Nested lists of another kind (numbered in bullets and the other way round), numbered at levels of their own in
the list of their parent (builders/docx.py _list_levels, skipping levels), still pass veraPDF: the tagging itself is
checked in tests/pdf/test_pdf_lists.py."""

from __future__ import annotations

from tests.cli.helpers import invoke
from tests.cli.test_markdown_text import letter
from tests.conftest import require_soffice, write
from tests.pdf.test_pdf_lists import OTHER_KIND, OTHER_KIND_NUMBERED
from tests.verapdf.conftest import validate
from tests.verapdf.verapdf import PROFILES


def test_nested_lists_of_another_kind_pass_verapdf(werkmap):
    require_soffice()
    write(werkmap, "content/t/anders.yaml", letter(OTHER_KIND))
    write(werkmap, "content/t/genummerd.yaml", letter(OTHER_KIND_NUMBERED))
    result = invoke(werkmap, "build", str(werkmap / "content" / "t"))
    assert result.exit_code == 0, result.output
    pdfs = [werkmap / "build" / "t" / f"{name}.pdf" for name in ("anders", "genummerd")]
    for path, checked in zip(pdfs, validate(pdfs), strict=True):
        for profile in sorted(PROFILES):
            assert not checked.problems(profile), f"{path.name} voldoet niet aan {profile}: {checked.problems(profile)}"
