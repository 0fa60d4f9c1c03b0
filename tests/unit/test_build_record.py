"""What a build records must match what it built: inputs saved during the build, an interrupted build,
a letter deleted while it was built (docs/gevaren.md, "Wat een build vastlegt")."""

from __future__ import annotations

import os
import time
import zipfile

import pytest

from briefgen import pipeline
from briefgen.manifest import Manifest
from briefgen.settings import Settings
from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import STYLE_2021, new_werkmap

LETTERS = {f"klein/brief-{n}.yaml": SMALL_LETTER.format(n=n) for n in range(3)}
DOCX = ("docx",)


def _werkmap(tmp_path):
    return new_werkmap(tmp_path / "w", LETTERS, templates=STYLE_2021)


def _edit_letter(werkmap):
    path = werkmap.content / "klein" / "brief-1.yaml"
    path.write_text(path.read_text().replace("Korte brief 1", "Andere brief 1"))


def _edit_organisation(werkmap):
    path = werkmap.content / "organisaties" / "hilversum.yaml"
    path.write_text(path.read_text().replace("Dudokpark 1", "Dudokpark 2"))


def _edit_template(werkmap):
    with zipfile.ZipFile(werkmap.templates / f"{STYLE_2021[0]}.docx", "a") as docx:
        docx.writestr("customXml/extra.xml", "<extra/>")


def _editing_after(werkmap, edit, shown="content/klein/brief-1.yaml", event="docx"):
    """A progress callback that makes ``edit`` once ``shown`` was read and rendered (its ``event``)."""
    done = []

    def progress(name, letter):
        if name == event and letter == shown and not done:
            done.append(True)
            edit(werkmap)
    return progress, done


@pytest.mark.parametrize("edit", [_edit_letter, _edit_organisation, _edit_template])
@pytest.mark.parametrize("force", [True, False])
def test_an_input_saved_after_it_was_read_leaves_the_letter_stale(tmp_path, edit, force):
    werkmap = _werkmap(tmp_path)
    settings = Settings(jobs=1)
    if not force:
        pipeline.build(werkmap, settings, formats=DOCX)
        (werkmap.content / "klein" / "brief-1.yaml").write_text(SMALL_LETTER.format(n=1) + "\n")  # stale again
    progress, done = _editing_after(werkmap, edit)

    pipeline.build(werkmap, settings, formats=DOCX, force=force, progress=progress)
    assert done
    again = pipeline.build(werkmap, settings, formats=DOCX)

    assert "content/klein/brief-1.yaml" in {o.shown for o in again.built}
    assert not again.problems


def test_an_unchanged_build_after_it_stays_current(tmp_path):
    werkmap = _werkmap(tmp_path)
    pipeline.build(werkmap, Settings(jobs=1), formats=DOCX, force=True)
    again = pipeline.build(werkmap, Settings(jobs=1), formats=DOCX)
    assert (len(again.built), len(again.current)) == (0, 3)


def test_an_interrupted_build_records_the_letters_it_delivered(tmp_path):
    werkmap = _werkmap(tmp_path)

    def progress(name, letter):
        if name == "docx" and letter.endswith("brief-2.yaml"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pipeline.build(werkmap, Settings(jobs=1), formats=DOCX, progress=progress)
    assert set(Manifest.load(werkmap.manifest).letters) == {"content/klein/brief-0.yaml", "content/klein/brief-1.yaml"}

    again = pipeline.build(werkmap, Settings(jobs=1), formats=DOCX)
    assert [o.shown for o in again.built] == ["content/klein/brief-2.yaml"]
    assert len(again.current) == 2


def test_the_manifest_is_saved_while_the_build_runs(tmp_path, monkeypatch):
    """A killed build (kill -9) keeps the record of what it delivered up to the last checkpoint."""
    werkmap = _werkmap(tmp_path)
    monkeypatch.setattr(pipeline, "CHECKPOINT_SECONDS", 0.0)
    seen = []

    def progress(name, letter):
        if name == "docx" and letter.endswith("brief-2.yaml"):
            seen.append(set(Manifest.load(werkmap.manifest).letters))

    pipeline.build(werkmap, Settings(jobs=1), formats=DOCX, progress=progress)
    assert seen == [{"content/klein/brief-0.yaml", "content/klein/brief-1.yaml"}]


@pytest.mark.parametrize("selected", [False, True])
def test_a_letter_deleted_while_it_was_built_is_not_counted_as_built(tmp_path, selected):
    werkmap = _werkmap(tmp_path)
    deleted = werkmap.content / "klein" / "brief-1.yaml"
    progress, done = _editing_after(werkmap, lambda w: deleted.unlink())

    report = pipeline.build(werkmap, Settings(jobs=1), [werkmap.content / "klein"] if selected else None,
                            formats=DOCX, progress=progress)

    assert done
    assert sorted(o.shown for o in report.built) == ["content/klein/brief-0.yaml", "content/klein/brief-2.yaml"]
    assert "content/klein/brief-1.yaml" not in {o.shown for o in report.letters}
    assert report.removed == ("build/klein/brief-1.docx",)
    assert not (werkmap.build / "klein" / "brief-1.docx").exists()
    assert "content/klein/brief-1.yaml" not in Manifest.load(werkmap.manifest).letters


def test_the_manifest_keeps_no_hash_of_a_file_changed_after_the_build_began(tmp_path):
    werkmap = _werkmap(tmp_path)
    manifest = Manifest.load(werkmap.manifest)
    _edit_letter(werkmap)
    assert manifest.hash_of(werkmap.root, "content/klein/brief-1.yaml") == "gewijzigd-tijdens-de-build"
    assert Manifest.load(werkmap.manifest).hash_of(werkmap.root, "content/klein/brief-1.yaml") != "gewijzigd-tijdens-de-build"


def test_a_letter_with_a_modification_time_in_the_future_stays_current(tmp_path):
    """Only ctime tells a change during the build: an mtime in the future (touch -d, a copy from a machine
    whose clock is ahead) must not make a letter stale at every build."""
    werkmap = _werkmap(tmp_path)
    pipeline.build(werkmap, Settings(jobs=1), formats=DOCX)
    future = time.time() + 3600
    os.utime(werkmap.content / "klein" / "brief-1.yaml", (future, future))

    assert len(pipeline.build(werkmap, Settings(jobs=1), formats=DOCX).built) == 0
    assert len(pipeline.build(werkmap, Settings(jobs=1), formats=DOCX).built) == 0
