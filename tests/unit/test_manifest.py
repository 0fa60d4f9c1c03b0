"""Manifest decisions: content hashes, never mtimes, decide whether an output is current."""

from __future__ import annotations

import json
import os

import pytest

from briefgen.manifest import Manifest
from tests.conftest import write

LETTER, ORG = "content/a.yaml", "content/organisaties/o.yaml"


@pytest.fixture
def built(tmp_path):
    """A letter and its organisation, a DOCX output, and a saved manifest that records them."""
    write(tmp_path, LETTER, "onderwerp: A\n")
    write(tmp_path, ORG, "naam: O\n")
    output = write(tmp_path, "build/a.docx", b"docx")
    manifest = Manifest(tmp_path / "build" / "manifest.json")
    manifest.record(tmp_path, LETTER, [LETTER, ORG], ["docx"])
    manifest.save()
    return tmp_path, output


def is_current(root, output, fmt="docx") -> bool:
    """Decide as a new build would: a fresh manifest read from disk (hashes are cached per instance)."""
    return Manifest.load(root / "build" / "manifest.json").is_current(root, LETTER, fmt, output)


def _touch(root, output):
    path = root / LETTER
    stat = path.stat()
    os.utime(path, (stat.st_atime + 3600, stat.st_mtime + 3600))


@pytest.mark.parametrize(
    ("change", "current"),
    [
        pytest.param(lambda root, output: None, True, id="unchanged"),
        pytest.param(_touch, True, id="touched-but-identical"),
        pytest.param(lambda root, output: write(root, LETTER, "onderwerp: B\n"), False, id="letter-changed"),
        pytest.param(lambda root, output: write(root, ORG, "naam: P\n"), False, id="dependency-changed"),
        pytest.param(lambda root, output: (root / ORG).unlink(), False, id="dependency-deleted"),
        pytest.param(lambda root, output: output.unlink(), False, id="output-missing"),
        pytest.param(
            lambda root, output: (root / "build" / "manifest.json").write_text("{kapot", encoding="utf-8"), False,
            id="manifest-damaged",
        ),
    ],
)
def test_is_current(built, change, current):
    root, output = built
    change(root, output)
    assert is_current(root, output) is current


def test_touched_file_really_has_a_new_mtime(built):
    root, _ = built
    before = (root / LETTER).stat().st_mtime
    _touch(root, None)
    assert (root / LETTER).stat().st_mtime == before + 3600


def test_a_format_not_recorded_is_not_current(built):
    root, output = built
    pdf = write(root, "build/a.pdf", b"pdf")
    assert is_current(root, pdf, "pdf") is False
    assert is_current(root, output, "docx") is True


def test_recording_a_second_format_keeps_the_first(built):
    root, output = built
    manifest = Manifest.load(root / "build" / "manifest.json")
    manifest.record(root, LETTER, [LETTER, ORG], ["pdf"])
    manifest.save()
    pdf = write(root, "build/a.pdf", b"pdf")
    assert is_current(root, output, "docx") and is_current(root, pdf, "pdf")


def test_recording_after_a_change_drops_formats_built_from_old_inputs(built):
    root, output = built
    write(root, LETTER, "onderwerp: B\n")
    manifest = Manifest.load(root / "build" / "manifest.json")
    manifest.record(root, LETTER, [LETTER, ORG], ["pdf"])
    manifest.save()
    pdf = write(root, "build/a.pdf", b"pdf")
    assert is_current(root, pdf, "pdf") is True
    assert is_current(root, output, "docx") is False  # that DOCX was made from the old letter


def test_unknown_letter_and_forget(built):
    root, output = built
    manifest = Manifest.load(root / "build" / "manifest.json")
    assert manifest.is_current(root, "content/b.yaml", "docx", output) is False
    manifest.forget(LETTER)
    manifest.save()
    assert is_current(root, output) is False


def test_manifest_of_another_version_is_ignored(built):
    root, output = built
    path = root / "build" / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"versie": 1', '"versie": 99'), encoding="utf-8")
    assert Manifest.load(path).letters == {}
    assert is_current(root, output) is False


def test_one_file_one_record_switching_the_variant_makes_it_stale(built):
    root, _ = built
    pdf = write(root, "build/a.pdf", b"pdf")
    manifest = Manifest.load(root / "build" / "manifest.json")
    manifest.record(root, LETTER, [LETTER, ORG], ["pdf"])
    manifest.record(root, LETTER, [LETTER, ORG], ["pdf"], attachments=True)  # the same file, now with bijlagen
    manifest.save()
    loaded = Manifest.load(root / "build" / "manifest.json")
    assert sorted(loaded.letters[LETTER]["uitvoer"]) == ["docx", "pdf"]
    assert loaded.is_current(root, LETTER, "pdf", pdf, attachments=True) is True
    assert loaded.is_current(root, LETTER, "pdf", pdf, attachments=False) is False
    assert loaded.is_current(root, LETTER, "docx", root / "build/a.docx", attachments=True) is True  # a DOCX has no bijlagen


def test_records_of_an_older_briefgen_per_variant_are_dropped_on_load(built):
    root, _ = built
    path = root / "build" / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"docx":', '"pdf+bijlagen": "0", "docx":'), encoding="utf-8")
    loaded = Manifest.load(path)
    assert sorted(loaded.letters[LETTER]["uitvoer"]) == ["docx"] and loaded.ignored == []


def test_many_unusable_entries_are_named_five_at_a_time(tmp_path):
    path = write(tmp_path, "build/manifest.json", json.dumps({"versie": 1, "brieven": {f"../{i}.yaml": {} for i in range(8)}}))
    manifest = Manifest.load(path)
    assert manifest.letters == {}
    assert manifest.ignored[0] == 'vermelding "../0.yaml" genegeerd (geen briefbestand in content/)'
    assert manifest.ignored[5:] == ["en nog 3 vermeldingen genegeerd"]
