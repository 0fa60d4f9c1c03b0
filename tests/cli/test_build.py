"""check and build over a werkmap: located messages, partial builds, literal text, incremental rebuilds."""

from __future__ import annotations

import os
import zipfile

import docx
import pytest

from tests.cli.helpers import invoke, run
from tests.conftest import HEAD, VALID_LETTER, signed, write

VALID_DOCX = "build/hilversum/2021/inkoop-wmo-jeugd.docx"

BROKEN = {
    "content/fout/datum.yaml": (
        HEAD.replace("2021-11-16", "2021-02-30"),
        "3:8: ongeldige datum '2021-02-30': die dag bestaat niet",
    ),
    "content/fout/sleutel.yaml": (
        HEAD.replace("onderwerp:", "onderwep:"),
        "4:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?",
    ),
    "content/fout/totaal.yaml": (
        HEAD + "tabellen:\n  t:\n    rijen:\n      - [a, 10]\n      - [b, 5]\n    totaal: 16\n",
        "10:13: het opgegeven totaal 16 klopt niet met de som van de rijen (15)",
    ),
    "content/fout/yaml.yaml": (
        HEAD.replace("onderwerp: Test", "onderwerp: Inkoop: stand van zaken"),
        "4:18: ongeldige YAML: hier mag geen ':' staan; zet de tekst tussen aanhalingstekens of begin een nieuwe regel",
    ),
}
EXPECTED_PROBLEMS = "".join(f"{path}:{message}\n" for path, (_, message) in sorted(BROKEN.items()))
SPECIAL = "Zorg & welzijn <2022> \"nu\" 'ok'"
SIMPLE = signed(HEAD + "secties:\n  - tekst: Hallo.\n")


@pytest.fixture
def broken(werkmap):
    for path, (text, _) in BROKEN.items():
        write(werkmap, path, signed(text))
    return werkmap


def build(root, *args):
    return invoke(root, "build", "--formaat", "docx", *args)


def test_check_reports_each_broken_letter_once_located(broken):
    result = invoke(broken, "check", "--geen-spelling")
    assert result.stderr == EXPECTED_PROBLEMS
    assert result.stdout == "5 brieven gecontroleerd: 4 fouten, 0 waarschuwingen.\n"
    assert not (broken / "build").exists()
    assert result.exit_code == 1


def test_build_makes_the_valid_letter_and_lists_the_failures(broken):
    result = build(broken)
    assert result.stdout == f"docx  {VALID_LETTER}\n1 gebouwd, 0 actueel, 4 met fouten.\n"
    assert result.stderr == (
        EXPECTED_PROBLEMS
        + "Niet gebouwd (eerdere uitvoer, als die er is, blijft ongewijzigd):\n"
        + "".join(f"  {path}\n" for path in sorted(BROKEN))
    )
    assert (broken / VALID_DOCX).is_file()
    assert sorted(p.name for p in (broken / "build").rglob("*.docx")) == ["inkoop-wmo-jeugd.docx"]
    assert result.exit_code == 1


def test_output_of_a_letter_that_breaks_stays_byte_identical(werkmap):
    assert build(werkmap).exit_code == 0
    output = werkmap / VALID_DOCX
    before, stamp = output.read_bytes(), output.stat().st_mtime_ns
    letter = werkmap / VALID_LETTER
    original = letter.read_text(encoding="utf-8")
    letter.write_text(original.replace("onderwerp:", "onderwep:"), encoding="utf-8")

    result = build(werkmap)
    assert result.stdout == "0 gebouwd, 0 actueel, 1 met fouten.\n"
    assert "onbekende sleutel 'onderwep'" in result.stderr
    assert (output.read_bytes(), output.stat().st_mtime_ns) == (before, stamp)

    letter.write_text(original, encoding="utf-8")  # repaired as it was: the old output is current again
    assert build(werkmap).stdout == "0 gebouwd, 1 actueel, 0 met fouten.\n"
    assert result.exit_code == 1


def test_special_characters_appear_literally_in_the_docx(werkmap):
    write(
        werkmap,
        "content/test/tekens.yaml",
        HEAD.replace("onderwerp: Test", """onderwerp: 'Zorg & welzijn <2022> "nu" ''ok'''""")
        + "tabellen:\n  t:\n    kolommen: ['A & B', '<n>']\n    rijen:\n      - ['R&D <x> \"q\"', 3]\n"
        + "secties:\n  - kop: 'Kop & <kop>'\n    tekst: |\n"
        + "      Tekst met & en <b>geen html</b> en \"dubbele\" en 'enkele' aanhalingstekens.\n\n"
        + "      {{ tabel('t') }}\n",
    )
    result = build(werkmap, str(werkmap / "content/test/tekens.yaml"))
    assert result.exit_code == 0, result.output
    path = werkmap / "build/test/tekens.docx"
    document = docx.Document(path)
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Kop & <kop>" in paragraphs
    assert "Tekst met & en <b>geen html</b> en \"dubbele\" en 'enkele' aanhalingstekens." in paragraphs
    assert SPECIAL in cells  # Betreft
    assert {"A & B", "<n>", 'R&D <x> "q"'} <= set(cells)
    assert document.core_properties.title == SPECIAL
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "Zorg &amp; welzijn &lt;2022&gt;" in xml and "Zorg & welzijn" not in xml
    assert "Kop &amp; &lt;kop&gt;" in xml
    assert "&amp;amp;" not in xml  # escaped once, not twice
    assert "<b>" not in xml


@pytest.fixture
def built(werkmap):
    """The valid letter and a second one, both built as DOCX."""
    write(werkmap, "content/test/b.yaml", SIMPLE)
    first = build(werkmap)
    assert first.stdout == f"docx  {VALID_LETTER}\ndocx  content/test/b.yaml\n2 gebouwd, 0 actueel, 0 met fouten.\n"
    return werkmap


def _edit(root):
    write(root, "content/test/b.yaml", SIMPLE.replace("Hallo.", "Dag."))


def _touch(root):
    path = root / "content/test/b.yaml"
    os.utime(path, (path.stat().st_atime + 60, path.stat().st_mtime + 60))


def _edit_organisation(root):
    path = root / "content/organisaties/hilversum.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tot: 2023-09-01", "tot: 2023-09-02"), encoding="utf-8")


def _edit_other_organisation(root):
    path = root / "content/organisaties/huizen.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# gewijzigd\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "args", "stdout"),
    [
        pytest.param(None, (), "0 gebouwd, 2 actueel, 0 met fouten.\n", id="nothing-changed"),
        pytest.param(_touch, (), "0 gebouwd, 2 actueel, 0 met fouten.\n", id="touched-only"),
        pytest.param(
            None, ("--opnieuw",),
            f"docx  {VALID_LETTER}\ndocx  content/test/b.yaml\n2 gebouwd, 0 actueel, 0 met fouten.\n", id="opnieuw",
        ),
        pytest.param(_edit, (), "docx  content/test/b.yaml\n1 gebouwd, 1 actueel, 0 met fouten.\n", id="one-letter-edited"),
        # a date neither letter shows: rendered again and compared, they stand (an edit they show: test_organisation_edits)
        pytest.param(_edit_organisation, (), "0 gebouwd, 2 actueel, 0 met fouten.\n", id="their-organisation-edited"),
        pytest.param(_edit_other_organisation, (), "0 gebouwd, 2 actueel, 0 met fouten.\n", id="other-organisation-edited"),
    ],
)
def test_second_build(built, change, args, stdout):
    before = (built / VALID_DOCX).read_bytes()
    if change:
        change(built)
    result = build(built, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, stdout, "")
    assert (built / VALID_DOCX).read_bytes() == before  # rebuilt or not, the same input gives the same bytes


def test_deleting_a_letter_removes_its_output(built):
    (built / "content/test/b.yaml").unlink()
    result = build(built)
    assert (result.exit_code, result.stdout) == (
        0,
        "verwijderd: build/test/b.docx (de brief bestaat niet meer)\n0 gebouwd, 1 actueel, 0 met fouten.\n",
    )
    assert not (built / "build/test/b.docx").exists()
    assert (built / VALID_DOCX).is_file()
    assert build(built).stdout == "0 gebouwd, 1 actueel, 0 met fouten.\n"  # said once, not again


def test_deleted_output_is_rebuilt(built):
    (built / "build/test/b.docx").unlink()
    assert build(built).stdout == "docx  content/test/b.yaml\n1 gebouwd, 1 actueel, 0 met fouten.\n"
    assert (built / "build/test/b.docx").is_file()


def test_very_long_subject_does_not_stop_the_build(werkmap):
    subject = "Stand van zaken " * 17  # 272 characters
    write(werkmap, "content/test/lang.yaml", HEAD.replace("onderwerp: Test", f"onderwerp: {subject}"))
    result = run("-C", str(werkmap), "build", "--formaat", "docx")
    assert "Traceback" not in result.stderr
    assert (werkmap / VALID_DOCX).is_file()
    long_docx = werkmap / "build/test/lang.docx"
    # either built (the document title cut to Word's 255-character limit) or refused with a located problem
    assert long_docx.is_file() or "content/test/lang.yaml:4:12: " in result.stderr


def test_the_progress_bar_starts_no_thread_of_its_own(monkeypatch):
    """The build forks its render processes after the bar starts; a fork beside a running thread may
    copy a lock that thread held (rich's bar redraws from a thread unless told not to)."""
    import sys
    import threading

    from briefgen.cli.build import Progress

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    before = set(threading.enumerate())
    with Progress(last="pdf") as progress:
        assert progress.bar is not None
        progress("totaal", "2")
        progress("pdf", "content/a.yaml")
        assert set(threading.enumerate()) == before


def test_the_progress_bar_counts_a_letter_once_when_delivered_and_reported(monkeypatch):
    import sys

    from briefgen.cli.build import Progress

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with Progress(last="pdf") as progress:
        assert progress.bar is not None
        progress("totaal", "2")
        progress("geleverd", "content/a.yaml")  # during the PDF stage
        assert progress.bar.tasks[0].completed == 1
        progress("pdf", "content/a.yaml")  # the same letter reported after it
        assert progress.bar.tasks[0].completed == 1
        progress("pdf", "content/b.yaml")
        assert progress.bar.tasks[0].completed == 2
