"""watch.Watcher in-process, DOCX only (no LibreOffice): each change rebuilds exactly the letters it made stale."""

from __future__ import annotations

import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from briefgen.settings import Settings
from briefgen.watch import Watcher
from briefgen.werkmap import Werkmap
from tests.conftest import REPO, VALID_LETTER

RZOU_LETTER = "content/rzou/2021/inkoop-jeugdhulp-wmo-begeleiding.yaml"


@pytest.fixture
def rounds(werkmap: Path):
    """The Watcher's rounds on a werkmap with a hilversum and an rzou letter; stopped after the test (or 120 s)."""
    (werkmap / RZOU_LETTER).parent.mkdir(parents=True)
    shutil.copyfile(REPO / RZOU_LETTER, werkmap / RZOU_LETTER)
    stop = threading.Event()
    timer = threading.Timer(120, stop.set)
    timer.start()
    watcher = Watcher(Werkmap(werkmap), Settings(jobs=1), formats=("docx",))
    generator = watcher.rounds(stop)
    first = next(generator)
    assert sorted(r.shown for r in first.report.letters if r.built) == sorted([RZOU_LETTER, VALID_LETTER]), first
    yield generator
    stop.set()
    timer.cancel()
    watcher.close()


def _built(round_) -> list[str]:
    assert round_.error is None, round_.error
    return sorted(r.shown for r in round_.report.letters if r.built)


def test_organisation_change_rebuilds_only_its_letters(werkmap: Path, rounds):
    organisation = werkmap / "content/organisaties/rzou.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8").replace("Zuid Oost", "Zuidoost"), encoding="utf-8")
    round_ = next(rounds)
    assert round_.changed == ["content/organisaties/rzou.yaml"]
    assert _built(round_) == [RZOU_LETTER]


def test_template_change_rebuilds_only_its_letters(werkmap: Path, rounds):
    with zipfile.ZipFile(werkmap / "templates/rzou-informatienota.docx", "a") as docx:
        docx.comment = b"gewijzigd"  # another hash, the same rendering
    round_ = next(rounds)
    assert _built(round_) == [RZOU_LETTER]


def test_letter_saved_unchanged_builds_nothing_and_a_broken_letter_is_retried_after_its_organisation(
        werkmap: Path, rounds):
    letter = werkmap / VALID_LETTER
    letter.write_bytes(letter.read_bytes())
    round_ = next(rounds)
    assert _built(round_) == [] and [r.shown for r in round_.report.letters if r.current] == [VALID_LETTER]

    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("organisatie: hilversum", "organisatie: gooise-meren"), encoding="utf-8")
    round_ = next(rounds)
    assert [p.format() for p in round_.report.problems if p.is_error], round_
    shutil.copyfile(werkmap / "content/organisaties/hilversum.yaml", werkmap / "content/organisaties/gooise-meren.yaml")
    round_ = next(rounds)
    assert _built(round_) == [VALID_LETTER]  # the letter that missed the organisation, not the rzou letter


def test_broken_settings_are_reported_and_the_letters_still_built(werkmap: Path, rounds):
    (werkmap / "briefgen.toml").write_text("pdf_timout = 3\n", encoding="utf-8")
    round_ = next(rounds)  # noticed by the settings check about once a second
    assert "onbekende instelling 'pdf_timout'; bedoelde u 'pdf_timeout'?" in str(round_.error)
    letter = werkmap / VALID_LETTER
    letter.write_text(letter.read_text(encoding="utf-8").replace("onderwerp: ", "onderwerp: Nieuw ", 1),
                      encoding="utf-8")
    round_ = next(rounds)
    assert _built(round_) == [VALID_LETTER], round_


def test_open_shows_the_pdf_with_xdg_open_and_is_harmless_without_it(tmp_path: Path, monkeypatch):
    import time

    from briefgen.watch import open_in_viewer

    pdf = tmp_path / "brief.pdf"
    monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    assert open_in_viewer(pdf) is False  # no desktop: nothing happens, no error

    bin_ = tmp_path / "bin"
    bin_.mkdir()
    opener = bin_ / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {tmp_path / "half"} && mv {tmp_path / "half"} {tmp_path / "geopend"}\n',
                      encoding="utf-8")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_}:/usr/bin:/bin")
    assert open_in_viewer(pdf) is True
    deadline = time.monotonic() + 30
    while not (tmp_path / "geopend").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "geopend").read_text(encoding="utf-8") == str(pdf)


def test_watch_refuses_a_build_folder_linked_outside_before_libreoffice_gets_a_profile_there(werkmap: Path, tmp_path):
    """LibreOffice's profile goes to build/.briefgen-lo and is removed when half-written (stop 25)."""
    from briefgen.problems import BriefgenError

    shared = tmp_path / "gedeeld"
    shared.mkdir()
    (werkmap / "build").symlink_to(shared, target_is_directory=True)
    watcher = Watcher(Werkmap(werkmap), Settings(jobs=1))
    with pytest.raises(BriefgenError, match="buiten de werkmap"):
        watcher.start()
    watcher.close()
    assert list(shared.iterdir()) == []
