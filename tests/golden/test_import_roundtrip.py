"""Round trip: every built example letter, imported with ``briefgen import`` and built again, gives
the same text (headers, header block, body, tables, closing, signature, footers)."""

from __future__ import annotations

import difflib
import shutil

import pytest

from briefgen import importer, pipeline
from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.golden.build import outputs
from tests.golden.extract import docx_text
from tests.golden.test_golden import GOLDEN


@pytest.fixture(scope="module")
def round_trip(docx_build, tmp_path_factory):
    """The examples' DOCX imported as one folder into a copy of the werkmap (the originals stay, so a
    follow-up letter finds the letter it compares with), then built."""
    root = tmp_path_factory.mktemp("import-roundtrip")
    for folder in ("content", "templates"):
        shutil.copytree(docx_build.root / folder, root / folder)
    letters = root / "oude-brieven"
    built = outputs(docx_build, "docx")
    for name, path in built.items():
        target = letters / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    werkmap = Werkmap(root)
    session = Session(werkmap, Settings())
    results = importer.import_letters(session, [letters], again=True)  # the originals stay: the same letters
    said = (
        "zodat tekst en tabel gelijk blijven",  # '15 kinderen' became the table's total, as the original has it
        "geen ondertekening in de brief; 'ondertekening: []' ingevuld",  # the unsigned examples stay unsigned
    )
    assert [p.format() for r in results for p in r.problems if not any(phrase in p.message for phrase in said)] == []
    report = pipeline.build(werkmap, Settings(), [r.target for r in results], formats=("docx",))
    assert report.ok, [p.format() for p in report.problems]
    again = {r.source.relative_to(letters).as_posix(): werkmap.output(r.target, "docx") for r in results}
    return built, again


@pytest.mark.parametrize("name", GOLDEN)
def test_an_imported_example_builds_to_the_same_text(round_trip, name):
    built, again = round_trip
    before = docx_text(built[f"{name}.docx"]).splitlines()
    after = docx_text(again[f"{name}.docx"]).splitlines()
    assert before == after, "\n".join(difflib.unified_diff(before, after, lineterm="", n=1))
