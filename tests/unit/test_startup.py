"""Start-up: what briefgen imports before it does its work (issue 16: the first letter at LibreOffice sooner).

Each test runs briefgen in a fresh interpreter, since ``sys.modules`` of the test process says nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.cli.helpers import invoke
from tests.conftest import REPO, VALID_LETTER

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


def test_a_docx_build_imports_no_pdf_library(werkmap):
    """Making a DOCX needs no pikepdf (~25 ms of start-up): the house style's label and signature styles are
    named in a module of their own, not in the PDF repairs that look for them."""
    imported = _imported("-C", str(werkmap), "build", "--formaat", "docx", "--opnieuw")
    assert "docxtpl" in imported  # the letter was rendered
    assert "pikepdf" not in imported


def test_the_template_tools_name_the_role_styles_without_the_pdf_repairs():
    """tools/make_templates.py gives label cells and the signature block their styles by the names in
    builders/rolestyles.py: making templates imports no pikepdf (nor pdfua.py, which merely re-exported them)."""
    probe = ("import sys; sys.path.insert(0, 'tools'); import make_templates; "
             "print(sorted({'pikepdf', 'briefgen.builders.pdfua'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.stdout == "[]\n", done.stderr


def test_the_pdf_stage_opens_before_the_read_and_render_libraries_are_imported(werkmap):
    """LibreOffice starts as the PDF stage opens: nothing that only reading and rendering need comes first."""
    env = {**os.environ, "BRIEFGEN_SOFFICE": str(werkmap / "geen-libreoffice")}  # no LibreOffice needed here
    done = subprocess.run([sys.executable, "-c", PDF_STAGE_PROBE, "-C", str(werkmap), "build", "--formaat", "pdf",
                           VALID_LETTER], capture_output=True, text=True, timeout=120, cwd=werkmap, env=env)
    assert "geladen bij de PDF-fase: []" in done.stderr.splitlines(), done.stdout + done.stderr
    assert "LibreOffice niet gevonden" in done.stderr  # the letter was read and rendered after it


def test_a_pdf_build_renders_its_first_letter_without_importing_the_html_builder(werkmap):
    """With ``--formaat pdf`` no HTML is made: its builder (and the house style's labels it reads) is not imported
    before the first letter goes to LibreOffice, nor after; a build that makes HTML imports it."""
    env = {**os.environ, "BRIEFGEN_SOFFICE": str(werkmap / "geen-libreoffice")}  # the letter is rendered all the same
    imported = {}
    for formats in ("pdf", "html"):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "briefgen", "-C", str(werkmap), "build",
                               "--formaat", formats, "--opnieuw"], capture_output=True, text=True, timeout=120, env=env)
        imported[formats] = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
                             if line.startswith("import time:")}
    # (modules imported with importlib.import_module have no line of their own: these are imported by theirs)
    assert "docxtpl" in imported["pdf"]  # the letter was rendered
    assert "briefgen.builders.headerfields" not in imported["pdf"]  # the HTML builder's own
    assert "briefgen.builders.headerfields" in imported["html"]


def test_no_pydantic_plugin_of_the_environment_is_looked_for_or_run(werkmap, tmp_path):
    """A pydantic plugin installed beside briefgen (an entry point) is not loaded: no scan of every
    installed package's metadata at start-up, and no foreign code on every letter's validation."""
    site = tmp_path / "site"
    info = site / "vreemde_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: vreemde-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nvreemd = vreemde_plugin:plugin\n")
    marker = tmp_path / "plugin-geladen"
    (site / "vreemde_plugin.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "class Plugin:\n"
        "    def new_schema_validator(self, *args, **kwargs):\n"
        "        return None, None, None\n"
        "plugin = Plugin()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(werkmap), "build", "--formaat", "docx"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0 and done.stdout.endswith("1 gebouwd, 0 actueel, 0 met fouten.\n"), done.stdout + done.stderr
    assert not marker.exists()
