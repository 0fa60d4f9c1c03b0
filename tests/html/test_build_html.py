"""``briefgen build --formaat html``: built, recorded in the manifest, removed with its letter, faults in Dutch."""

from __future__ import annotations

import json

from tests.cli.helpers import invoke
from tests.conftest import HEAD, VALID_LETTER, write

HTML = "build/hilversum/2021/inkoop-wmo-jeugd.html"


def test_html_only_build_is_recorded_and_then_current(werkmap):
    first = invoke(werkmap, "build", "--formaat", "html")
    assert (first.exit_code, first.stdout) == (0, f"html  {VALID_LETTER}\n1 gebouwd, 0 actueel, 0 met fouten.\n")
    assert (werkmap / HTML).is_file()
    assert not list((werkmap / "build").rglob("*.docx"))  # no DOCX is made for an HTML-only build
    manifest = json.loads((werkmap / "build/.briefgen-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["brieven"][VALID_LETTER]["uitvoer"]) == {"html"}
    assert invoke(werkmap, "build", "--formaat", "html").stdout == "0 gebouwd, 1 actueel, 0 met fouten.\n"
    (werkmap / HTML).unlink()
    assert invoke(werkmap, "build", "--formaat", "html").stdout.startswith(f"html  {VALID_LETTER}\n")


def test_deleting_a_letter_removes_its_html_and_woo_metadata(werkmap):
    write(werkmap, "content/test/b.yaml", HEAD + "secties:\n  - tekst: Hallo.\n")
    assert invoke(werkmap, "build", "--formaat", "html").exit_code == 0
    (werkmap / "build/test/b.diwoo.xml").write_text("<x/>", encoding="utf-8")  # as a PDF build leaves it
    (werkmap / "content/test/b.yaml").unlink()
    result = invoke(werkmap, "build", "--formaat", "html")
    assert "verwijderd: build/test/b.html (de brief bestaat niet meer)" in result.stdout
    assert "verwijderd: build/test/b.diwoo.xml (de brief bestaat niet meer)" in result.stdout
    assert not (werkmap / "build/test").exists()  # nothing left in it: the empty folder goes too


def test_html_that_cannot_be_written_is_a_dutch_problem_and_other_letters_build(werkmap):
    write(werkmap, "content/test/b.yaml", HEAD + "secties:\n  - tekst: Hallo.\n")
    (werkmap / HTML).mkdir(parents=True)
    result = invoke(werkmap, "build", "--formaat", "html")
    assert result.exit_code == 1
    assert "build/hilversum/2021/inkoop-wmo-jeugd.html is een map, geen bestand: de brief wordt niet gebouwd" in result.output
    assert "Traceback" not in result.output
    assert (werkmap / "build/test/b.html").is_file()


def test_formaat_help_names_html(werkmap):
    result = invoke(werkmap, "build", "--help")
    assert "docx|html|pdf|alle" in result.stdout


def test_html_in_worker_processes(werkmap):
    """A batch large enough for the process pool builds the HTML there too."""
    for i in range(8):
        write(werkmap, f"content/test/b{i}.yaml", HEAD + f"secties:\n  - tekst: Brief {i}.\n")
    result = invoke(werkmap, "build", "--formaat", "html", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("9 gebouwd, 0 actueel, 0 met fouten.\n")
    for i in range(8):
        assert f"<p>Brief {i}.</p>" in (werkmap / f"build/test/b{i}.html").read_text(encoding="utf-8")
