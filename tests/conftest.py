"""Shared fixtures. PDF tests need LibreOffice: they skip locally without it, but fail in CI."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from briefgen.builders.pdf import find_soffice

REPO = Path(__file__).resolve().parents[1]


def require_soffice() -> str:
    """The real LibreOffice; when missing the test fails under BRIEFGEN_REQUIRE_PDF=1 (CI), else skips."""
    soffice = find_soffice()
    if soffice is None:
        message = "LibreOffice (soffice) ontbreekt: sudo apt-get install libreoffice-writer-nogui"
        if os.environ.get("BRIEFGEN_REQUIRE_PDF") == "1":
            pytest.fail(f"{message}; BRIEFGEN_REQUIRE_PDF=1 eist het")
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


# --- Unit and CLI tests (tests/unit, tests/cli): a small werkmap in tmp_path --------------------------

VALID_LETTER = "content/hilversum/2021/inkoop-wmo-jeugd.yaml"

# The first four lines of every test letter; whatever a test appends starts on line 5.
HEAD = """\
soort: raadsinformatiebrief
organisatie: hilversum
datum: 2021-11-16
onderwerp: Test
"""
SIGNED = "ondertekening: [{rol: gemeentesecretaris, markering: l.s.}, burgemeester]\n"
"""The example letter's signers, in one line."""


def signed(text: str) -> str:
    """The test letter ``text`` with :data:`SIGNED` at its end (no line moves) unless it names its own signers: a
    closing formula with nobody under it is a warning (checks._unsigned) that a test of something else need not see."""
    if "\nondertekening:" in text:
        return text
    return text + ("" if text.endswith("\n") else "\n") + SIGNED


@pytest.fixture
def werkmap(tmp_path: Path) -> Path:
    """``tmp_path/werkmap`` with the repository's templates, organisations and one valid letter."""
    return new_werkmap(tmp_path / "werkmap")


def new_werkmap(root: Path) -> Path:
    """``root`` made a werkmap with the repository's templates, organisations and one valid letter."""
    shutil.copytree(REPO / "templates", root / "templates")
    copy_organisations(root)
    write(root, VALID_LETTER, (REPO / VALID_LETTER).read_bytes())
    return root


TEST_SIGNER = "T. Estpersoon"
TEST_MAYOR = "B. Urgemeester"  # a burgemeester "(in te vullen)": not TEST_SIGNER, or one person would sign twice


def copy_organisations(root: Path) -> None:
    """The repository's organisations, with every "(in te vullen)" office-holder filled in with
    TEST_SIGNER (a burgemeester with TEST_MAYOR): the examples name nobody who was not published, but test
    letters must be signable."""
    target = root / "content" / "organisaties"
    shutil.copytree(REPO / "content" / "organisaties", target)
    for path in target.glob("*.yaml"):
        text = re.sub(r'"\(in te vullen\)"(?=[^\n]*\n\s*functie: burgemeester\b)', TEST_MAYOR, path.read_text(encoding="utf-8"))
        path.write_text(text.replace('"(in te vullen)"', TEST_SIGNER), encoding="utf-8")


def write(root: Path, rel: str, content: str | bytes) -> Path:
    """Write a file under ``root`` (creating folders); text is written as UTF-8 with LF line ends."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def soffice_shim(path: Path, real: str, log: Path, before: str) -> str:
    """A 'soffice' at ``path`` that logs its arguments to ``log``, runs the shell lines ``before`` (fault injection: an
    ``exit 1`` there, or an ``exec`` of something else) and then the ``real`` one; its path."""
    path.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n{before}exec "{real}" "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def blank_pdf(**save: Any) -> bytes:
    """A real one-page PDF (a bijlage that briefgen accepts): ``%PDF-1.4`` alone is a damaged file.
    ``save`` goes to pikepdf's ``Pdf.save`` (``encryption=…``)."""
    import io

    import pikepdf

    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        out = io.BytesIO()
        pdf.save(out, **save)
    return out.getvalue()
