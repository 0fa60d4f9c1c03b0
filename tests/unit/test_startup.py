"""Start-up: what briefgen imports before it does its work (issue 16: the first letter at LibreOffice sooner).

Each test runs briefgen in a fresh interpreter, since ``sys.modules`` of the test process says nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.cli.helpers import invoke
from tests.conftest import VALID_LETTER

# Runs ``briefgen ARGS``; when the PDF stage opens (LibreOffice starts), says which of these are already imported.
OBSERVED = ("pydantic", "briefgen.session", "briefgen.builders.docx")
PDF_STAGE_PROBE = f"""
import sys
import briefgen.cli
from briefgen import pipeline

enter = pipeline._PdfStage.__enter__

def observed(self):
    print("geladen bij de PDF-fase:", [m for m in {OBSERVED!r} if m in sys.modules], file=sys.stderr)
    return enter(self)

pipeline._PdfStage.__enter__ = observed
sys.argv = ["briefgen", *sys.argv[1:]]
briefgen.cli.main()
"""


def _imported(*args: str, cwd=None) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "briefgen", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)
    assert done.returncode == 0, done.stdout + done.stderr
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_help_and_a_build_with_nothing_to_do_import_no_pydantic(werkmap):
    """The CLI parses its options without pydantic (typer < 0.29): only reading letters needs it."""
    assert invoke(werkmap, "build", "--formaat", "docx").exit_code == 0
    assert "pydantic" not in _imported("--help")
    assert "pydantic" not in _imported("-C", str(werkmap), "build", "--formaat", "docx")


def test_the_pdf_stage_opens_before_the_read_and_render_libraries_are_imported(werkmap):
    """LibreOffice starts as the PDF stage opens: nothing that only reading and rendering need comes first."""
    env = {**os.environ, "BRIEFGEN_SOFFICE": str(werkmap / "geen-libreoffice")}  # no LibreOffice needed here
    done = subprocess.run([sys.executable, "-c", PDF_STAGE_PROBE, "-C", str(werkmap), "build", "--formaat", "pdf",
                           VALID_LETTER], capture_output=True, text=True, timeout=120, cwd=werkmap, env=env)
    assert "geladen bij de PDF-fase: []" in done.stderr.splitlines(), done.stdout + done.stderr
    assert "LibreOffice niet gevonden" in done.stderr  # the letter was read and rendered after it
