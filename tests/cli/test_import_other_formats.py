"""``briefgen import``: Word's other formats (.docm, .dotx, .dot), WordPerfect and a macOS Pages letter, which is a
folder, are each named once with what to do; nothing inside a Pages folder (its preview PDF) is reported."""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke
from tests.cli.wordletters import python_docx_letter
from tests.conftest import blank_pdf

CONVERT = "zet het eerst om naar .docx met 'soffice --headless --convert-to docx --outdir {} {}' (of bewaar het in {} als .docx)"
NAMED = {
    "brief.docm": ("een Word-document met macro's (.docm)", "Word"),
    "sjabloon.dotx": ("een Word-sjabloon (.dotx)", "Word"),
    "sjabloon.dot": ("een Word 97-2003-sjabloon (.dot)", "Word"),
    "brief.wpd": ("een WordPerfect-bestand (.wpd)", "WordPerfect"),
}
PAGES = "een Pages-bestand (.pages) leest briefgen niet; exporteer het in Pages als Word-document (.docx)"


def _why(path) -> str:
    what, programs = NAMED[path.name]
    return f"{what} leest briefgen niet; " + CONVERT.format(path.parent, path, programs)


def _pages_bundle(path):
    """A Pages letter as macOS saves it: a folder with the document, a preview PDF and a thumbnail."""
    (path / "QuickLook").mkdir(parents=True)
    (path / "Index.zip").write_bytes(b"PK\x03\x04")
    (path / "QuickLook" / "Preview.pdf").write_bytes(blank_pdf())
    (path / "QuickLook" / "Thumbnail.jpg").write_bytes(b"\xff\xd8\xff")
    return path


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "oud"
    folder.mkdir()
    python_docx_letter(folder / "nieuw.docx")
    for name in NAMED:
        (folder / name).write_bytes(b"PK\x03\x04" if name.endswith(("x", "m")) else b"\xd0\xcf\x11\xe0")
    _pages_bundle(folder / "Brief aan de raad.pages")
    return folder


def test_other_formats_in_a_folder_are_each_named_once_with_what_to_do(werkmap, folder):
    result = invoke(werkmap, "import", str(folder), "--organisatie", "hilversum")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    for name in NAMED:
        assert lines.count(f"{folder / name}: waarschuwing: overgeslagen: {_why(folder / name)}") == 1, result.stderr
    assert lines.count(f"{folder / 'Brief aan de raad.pages'}: waarschuwing: overgeslagen: {PAGES}") == 1, result.stderr
    assert "Preview.pdf" not in result.output and "QuickLook" not in result.output
    assert "PDF" not in result.stdout
    assert result.stdout.splitlines()[-1].endswith("; 5 bestanden in een ander formaat overgeslagen.")


@pytest.mark.parametrize("name", [*NAMED, "Brief aan de raad.pages"])
def test_each_named_on_its_own_is_an_error_with_what_to_do(werkmap, folder, name):
    path = folder / name
    result = invoke(werkmap, "import", str(path), "--organisatie", "hilversum")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"{path}: {PAGES if name.endswith('.pages') else _why(path)}"]
    assert result.stdout.splitlines()[-1] == "0 brieven geïmporteerd; 1 brief niet geïmporteerd (zie de fouten hierboven)."
