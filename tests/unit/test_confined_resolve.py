"""``fileio.confined`` resolves only the part of a path below the folder itself: the outcome must be what
resolving the whole path gives, for every kind of path a hostile manifest or a symlink under build/ can make."""

from __future__ import annotations

import os

import pytest

from briefgen.fileio import OutsideFolder, confined

CASES = [
    "brief.pdf", "hilversum/2021/brief.pdf", "nieuw/map/brief.pdf", "bestand.txt/brief.pdf", "./hilversum/brief.pdf",
    "hilversum/../brief.pdf", "../buiten/brief.pdf", "naar-binnen/brief.pdf", "naar-buiten/brief.pdf",
    "naar-buiten", "lus/brief.pdf", "hilversum/naar-boven/brief.pdf", "hilversum/2021", "",
]


@pytest.fixture
def folder(tmp_path):
    outside = tmp_path / "buiten"
    outside.mkdir()
    build = tmp_path / "werk" / "build"
    (build / "hilversum" / "2021").mkdir(parents=True)
    (build / "bestand.txt").write_text("geen map")
    (build / "naar-binnen").symlink_to(build / "hilversum")
    (build / "naar-buiten").symlink_to(outside)
    (build / "lus").symlink_to(build / "lus")
    (build / "hilversum" / "naar-boven").symlink_to("..")
    link = tmp_path / "via-koppeling"  # the folder itself reached through a symlink
    link.symlink_to(build)
    return build, link


@pytest.mark.parametrize("through_link", [False, True], ids=["folder", "folder-via-symlink"])
@pytest.mark.parametrize("case", CASES)
def test_confined_gives_what_resolving_the_whole_path_gives(folder, case, through_link):
    build, link = folder
    base = link if through_link else build
    for path in (base / case, type(base)(case)):
        full = path if path.is_absolute() else base / path
        try:
            expected = full.resolve()
            inside = expected != build.resolve() and build.resolve() in expected.parents
        except RuntimeError:
            inside = False
        if inside:
            assert confined(base, path) == expected
        else:
            with pytest.raises(OutsideFolder):
                confined(base, path)


def test_the_parts_below_the_folder_are_looked_at_once(folder, monkeypatch):
    build, _ = folder
    target = build / "hilversum" / "2021" / "brief.pdf"
    expected = target.resolve()
    seen = []
    real = os.lstat
    monkeypatch.setattr(os, "lstat", lambda path, *a, **k: seen.append(str(path)) or real(path, *a, **k))
    assert confined(build, target) == expected
    assert seen.count(str(build)) == 1  # the folder's own parts are resolved once, not again for the path
