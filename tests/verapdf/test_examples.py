"""Every example letter's PDF passes veraPDF's PDF/A-2B and PDF/UA-1 profiles: 0 failed rules."""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from tests.golden.build import outputs
from tests.verapdf.conftest import validate
from tests.verapdf.verapdf import PROFILES

CONTENT = REPO / "content"
LETTERS = sorted(path.relative_to(CONTENT).with_suffix("").as_posix() for path in CONTENT.rglob("*.yaml")
                 if path.relative_to(CONTENT).parts[0] != "organisaties")


@pytest.fixture(scope="module")
def results(pdf_build):
    """One veraPDF run (one JVM) over all example PDFs."""
    pdfs = outputs(pdf_build, "pdf")
    assert sorted(name[: -len(".pdf")] for name in pdfs) == LETTERS
    return {name[: -len(".pdf")]: result for name, result in zip(pdfs, validate(pdfs.values()), strict=True)}


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("name", LETTERS)
def test_example_passes_verapdf(results, name, profile):
    problems = results[name].problems(profile)
    assert not problems, f"{name}.pdf voldoet niet aan {profile}:\n" + "\n".join(problems)
