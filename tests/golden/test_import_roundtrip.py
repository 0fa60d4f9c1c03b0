"""Round trip: every built example letter, imported with ``briefgen import`` and built again, gives
the same text (headers, header block, body, tables, closing, signature, footers)."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

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
    follow-up letter finds the letter it compares with), then each built without its original."""
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
    # The same letter twice has one nummer twice, which build refuses (crossing.py): each imported letter is
    # built in a werkmap of its own, with the other originals (the letter a follow-up compares with) and not its own.
    imported = [r.target.relative_to(root) for r in results]
    again = {}
    for i, r in enumerate(results):
        alone = tmp_path_factory.mktemp(f"import-roundtrip-{i}")
        for folder in ("content", "templates"):
            shutil.copytree(root / folder, alone / folder)
        own = r.source.relative_to(letters).with_suffix(".yaml")
        for rel in [*imported, Path("content") / own]:
            if rel != r.target.relative_to(root):
                (alone / rel).unlink()
        werkmap = Werkmap(alone)
        report = pipeline.build(werkmap, Settings(), [alone / r.target.relative_to(root)], formats=("docx",))
        assert report.ok, [p.format() for p in report.problems]
        again[r.source.relative_to(letters).as_posix()] = werkmap.output(alone / r.target.relative_to(root), "docx")
    return built, again


@pytest.mark.parametrize("name", GOLDEN)
def test_an_imported_example_builds_to_the_same_text(round_trip, name):
    built, again = round_trip
    before = docx_text(built[f"{name}.docx"]).splitlines()
    after = docx_text(again[f"{name}.docx"]).splitlines()
    assert before == after, "\n".join(difflib.unified_diff(before, after, lineterm="", n=1))
