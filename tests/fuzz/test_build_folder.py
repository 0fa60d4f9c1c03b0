"""The manifest and build/ are untrusted: a hostile manifest, symlinks under build/ or a symlinked
build/ never make briefgen write or delete outside build/; a build/ that cannot be used gives a
Dutch message naming it. A canary file outside the werkmap must survive every case."""

from __future__ import annotations

import json
import subprocess

import pytest

from briefgen.fileio import OutsideFolder, confined
from briefgen.problems import Problem
from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import STYLE_2021, assert_dutch, new_werkmap, run_cli, write

LETTER = "klein/brief.yaml"
CANARY = b"kanarie: briefgen mag dit bestand niet aanraken\n"


@pytest.fixture
def werkmap(tmp_path):
    """A werkmap with one letter, built as DOCX (so build/ and the manifest exist)."""
    werkmap = new_werkmap(tmp_path / "werkmap", {LETTER: SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    assert build(werkmap).exit_code == 0
    return werkmap


def build(werkmap, *args):
    return run_cli(["-C", str(werkmap.root), "build", "--formaat", "docx", *args])


def canary(path):
    write(path, CANARY)
    return path


def hostile_manifest(werkmap, letters: dict) -> None:
    werkmap.manifest.write_text(json.dumps({"versie": 1, "brieven": letters}), encoding="utf-8")


def entry(outputs=("docx", "pdf")):
    return {"invoer": {}, "uitvoer": {fmt: "0" * 64 for fmt in outputs}}


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "waarschuwing: " in line]


def assert_dutch_warnings(stderr: str) -> None:
    lines = warnings_of(stderr)
    assert lines, stderr
    for line in lines:
        assert_dutch(Problem("x", message=line.split("waarschuwing: ", 1)[1]))


# --- A hostile manifest: its orphans are removed only inside build/ ----------------------------------


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink-folder-in-build", "symlink-file-in-build",
                                  "symlinked-build"])
def test_hostile_manifest_never_deletes_outside_build(werkmap, tmp_path, kind):
    outside = tmp_path / "buiten"
    target = canary(outside / "x.docx")
    if kind == "absolute":
        key = str(outside / "x.yaml")
    elif kind == "dotdot":
        key = "content/../../buiten/x.yaml"
    elif kind == "symlink-folder-in-build":
        (werkmap.build / "link").symlink_to(outside, target_is_directory=True)
        key = "content/link/x.yaml"
    elif kind == "symlink-file-in-build":
        (werkmap.build / "x.docx").symlink_to(target)
        key = "content/x.yaml"
    else:  # build/ is a symlink to a folder in the werkmap (one outside is refused); the key climbs out of it
        share = werkmap.root / "share"
        (share / "build").mkdir(parents=True)
        target = canary(share / "x.docx")
        for child in werkmap.build.iterdir():
            child.rename(share / "build" / child.name)
        werkmap.build.rmdir()
        werkmap.build.symlink_to(share / "build", target_is_directory=True)
        key = "content/../x.yaml"
    hostile_manifest(werkmap, {key: entry()})

    result = build(werkmap)
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == CANARY
    assert "verwijderd:" not in result.stdout
    if kind != "symlink-file-in-build":  # a valid entry; its symlink is refused when it is to be removed
        assert_dutch_warnings(result.stderr)
    assert build(werkmap).stdout.endswith("0 gebouwd, 1 actueel, 0 met fouten.\n")  # the bad entry is gone


def test_symlink_file_under_build_is_left_alone_with_a_warning(werkmap, tmp_path):
    target = canary(tmp_path / "buiten" / "x.docx")
    (werkmap.build / "x.docx").symlink_to(target)
    hostile_manifest(werkmap, {"content/x.yaml": entry()})
    result = build(werkmap)
    assert target.read_bytes() == CANARY
    assert (werkmap.build / "x.docx").is_symlink()
    assert warnings_of(result.stderr) == ["build/x.docx: waarschuwing: ligt buiten build/ (via een symbolische koppeling "
                                          "of een vreemd manifest); briefgen laat het met rust"]


@pytest.mark.parametrize(
    "brieven",
    [
        pytest.param({"content/x.yaml": 5}, id="entry-not-a-table"),
        pytest.param({"content/x.yaml": {"invoer": [1], "uitvoer": {}}}, id="inputs-a-list"),
        pytest.param({"content/x.yaml": {"invoer": {"/etc/passwd": None}, "uitvoer": {}}}, id="absolute-input"),
        pytest.param({"content/x.yaml": {"invoer": {}, "uitvoer": {"docx": 1}}}, id="key-a-number"),
        pytest.param({"content/x.yml": entry()}, id="not-a-letter"),
        pytest.param({"content\\..\\..\\x.yaml": entry()}, id="backslashes"),
        pytest.param([1, 2], id="letters-a-list"),
    ],
)
def test_manifest_with_odd_types_gives_a_warning_not_a_traceback(werkmap, brieven):
    hostile_manifest(werkmap, brieven)
    result = build(werkmap)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("0 gebouwd, 1 actueel, 0 met fouten.\n") or result.stdout.endswith(
        "1 gebouwd, 0 actueel, 0 met fouten.\n")
    assert_dutch_warnings(result.stderr)
    assert all(line.startswith("build/.briefgen-manifest.json: ") for line in warnings_of(result.stderr))


# --- Writes: outputs, the lock file, the manifest, leftovers -------------------------------------------


def test_symlinked_output_folder_is_not_written_through(werkmap, tmp_path):
    outside = tmp_path / "buiten"
    outside.mkdir()
    for child in (werkmap.build / "klein").iterdir():
        child.unlink()
    (werkmap.build / "klein").rmdir()
    (werkmap.build / "klein").symlink_to(outside, target_is_directory=True)
    result = build(werkmap)
    assert result.exit_code == 1
    assert list(outside.iterdir()) == []
    assert "content/klein/brief.yaml: kan brief.docx niet schrijven: " in result.stderr
    assert "ligt buiten build/" in result.stderr


def test_lock_file_linked_outside_is_not_truncated(werkmap, tmp_path):
    target = canary(tmp_path / "buiten" / "slot")
    (werkmap.build / ".briefgen.lock").unlink()
    (werkmap.build / ".briefgen.lock").symlink_to(target)
    result = build(werkmap)
    assert result.exit_code == 1
    assert target.read_bytes() == CANARY
    assert result.stderr == ("briefgen: build/.briefgen.lock wijst naar een plek buiten build/; "
                             "verwijder die koppeling en probeer het opnieuw\n")


def test_manifest_linked_outside_is_not_overwritten(werkmap, tmp_path):
    target = canary(tmp_path / "buiten" / "manifest.json")
    werkmap.manifest.unlink()
    werkmap.manifest.symlink_to(target)
    result = build(werkmap, "--opnieuw")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == CANARY
    assert "build/.briefgen-manifest.json: waarschuwing: ligt buiten build/" in result.stderr


@pytest.mark.parametrize("leftover", [".briefgen-tmp", ".briefgen-lo/batch-0-x", "klein/.brief.docx.x.tmp"])
def test_leftovers_linked_outside_are_not_removed(werkmap, tmp_path, leftover):
    outside = tmp_path / "buiten"
    target = canary(outside / ".x.tmp")
    link = werkmap.build / leftover
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target if leftover.endswith(".tmp") else outside)
    result = build(werkmap, "--opnieuw")
    assert target.read_bytes() == CANARY
    assert result.stdout.endswith("1 gebouwd, 0 actueel, 0 met fouten.\n")
    assert f"build/{leftover}: waarschuwing: ligt buiten build/" in result.stderr


def test_confined_checks_after_resolving(tmp_path):
    share = tmp_path / "share" / "build"
    share.mkdir(parents=True)
    build = tmp_path / "werkmap" / "build"
    build.parent.mkdir()
    build.symlink_to(share, target_is_directory=True)
    assert confined(build, build / "a" / "b.docx") == share / "a" / "b.docx"
    for escape in (build / ".." / "x.docx", build, build / "a" / ".." / "..", tmp_path / "x", build / "/etc/passwd"):
        with pytest.raises(OutsideFolder):
            confined(build, escape)
    (share / "lus").symlink_to(share / "lus")
    with pytest.raises(OutsideFolder):
        confined(build, build / "lus" / "x")


# --- build/ that cannot be used ------------------------------------------------------------------------


def test_build_that_is_a_file(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {LETTER: SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    werkmap.build.write_text("geen map\n", encoding="utf-8")
    result = build(werkmap)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("briefgen: build is een bestand, geen map; hernoem of verwijder het, "
                             "dan maakt briefgen de map build/ aan\n")


def test_build_that_is_a_dangling_symlink(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {LETTER: SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    share = tmp_path / "share" / "niet-aangekoppeld"
    werkmap.build.symlink_to(share, target_is_directory=True)
    result = build(werkmap)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"briefgen: build/ is een symbolische koppeling naar {share}, buiten de werkmap; ")
    assert not share.exists()


@pytest.mark.parametrize("target", ["..", "../gedeeld", ".", "content", "content/klein", "templates"])
def test_build_linked_outside_or_onto_inputs_is_refused_before_anything_is_removed(tmp_path, target):
    """build/ → .. made a build delete other people's .*.tmp files beside the werkmap (stop 25)."""
    werkmap = new_werkmap(tmp_path / "werkmap", {LETTER: SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    colleague = canary(tmp_path / "collega" / ".notulen.docx.tmp")
    shared = canary(tmp_path / "gedeeld" / ".verslag.docx.tmp")
    inside = canary(werkmap.root / target / ".x.docx.tmp")
    werkmap.build.symlink_to(target, target_is_directory=True)
    result = build(werkmap)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("briefgen: build/ is een symbolische koppeling naar "), result.stderr
    assert_dutch(Problem("x", message=result.stderr))
    for kept in (colleague, shared, inside):
        assert kept.read_bytes() == CANARY
    assert not (werkmap.root / target / ".briefgen.lock").exists()


def test_build_linked_to_a_folder_in_the_werkmap_is_used(tmp_path):
    werkmap = new_werkmap(tmp_path / "werkmap", {LETTER: SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    (werkmap.root / "uitvoer").mkdir()
    werkmap.build.symlink_to("uitvoer", target_is_directory=True)
    result = build(werkmap)
    assert result.exit_code == 0, result.output
    assert (werkmap.root / "uitvoer" / "klein" / "brief.docx").is_file()


def test_an_orphan_linked_to_an_output_in_build_removes_neither(werkmap):
    """A removal never follows a symlink, also not one that leads back into build/."""
    output = werkmap.build / "klein" / "brief.docx"
    (werkmap.build / "x.docx").symlink_to(output)
    hostile_manifest_keeping(werkmap, {"content/x.yaml": entry()})
    result = build(werkmap)
    assert result.stdout.endswith("0 gebouwd, 1 actueel, 0 met fouten.\n"), result.output
    assert output.is_file() and (werkmap.build / "x.docx").is_symlink()


def test_a_scratch_folder_linked_to_an_output_folder_is_not_emptied(werkmap):
    (werkmap.build / ".briefgen-tmp").symlink_to(werkmap.build / "klein", target_is_directory=True)
    result = build(werkmap)
    assert result.stdout.endswith("0 gebouwd, 1 actueel, 0 met fouten.\n"), result.output
    assert (werkmap.build / "klein" / "brief.docx").is_file()


def hostile_manifest_keeping(werkmap, letters: dict) -> None:
    """The manifest with ``letters`` added to what the build recorded."""
    data = json.loads(werkmap.manifest.read_text(encoding="utf-8"))
    data["brieven"].update(letters)
    werkmap.manifest.write_text(json.dumps(data), encoding="utf-8")


def test_build_that_is_read_only(tmp_path, tmpfs):
    werkmap = new_werkmap(tmp_path / "werkmap", {LETTER: SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    tmpfs(werkmap.build, "64k")
    subprocess.run(["mount", "-o", "remount,ro", str(werkmap.build)], check=True)
    result = build(werkmap)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "briefgen: kan niet schrijven in de map build/: de schijf is alleen-lezen\n"


def test_libreoffice_profile_linked_outside_is_not_used(werkmap, tmp_path):
    outside = tmp_path / "buiten"
    outside.mkdir()
    (werkmap.build / ".briefgen-lo").mkdir()
    (werkmap.build / ".briefgen-lo" / "profile-0").symlink_to(outside, target_is_directory=True)
    fake = write(tmp_path / "soffice", "#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    write(werkmap.root / "briefgen.toml", f'soffice = "{fake}"\ntaken = 1\n')
    result = run_cli(["-C", str(werkmap.root), "build", "--opnieuw"])
    assert (result.exit_code, result.stdout) == (1, "0 gebouwd, 0 actueel, 1 met fouten.\n")
    assert list(outside.iterdir()) == []
    assert ("briefgen: PDF's niet gemaakt: build/.briefgen-lo/profile-0 wijst naar een plek buiten build/; "
            "verwijder die koppeling; er is niets gebouwd") in result.stderr


@pytest.mark.parametrize("name", [".briefgen-manifest.json", ".briefgen.lock"])
def test_fifo_in_build_does_not_hang_the_build(werkmap, name):
    import os

    (werkmap.build / name).unlink()
    os.mkfifo(werkmap.build / name)
    result = build(werkmap)
    if name == ".briefgen.lock":
        assert (result.exit_code, result.stderr) == (
            1, "briefgen: build/.briefgen.lock is geen gewoon bestand; verwijder het en probeer het opnieuw\n")
    else:
        assert result.exit_code == 0 and result.stdout.endswith("1 gebouwd, 0 actueel, 0 met fouten.\n")
        assert (werkmap.build / name).is_file()  # replaced by a real manifest


@pytest.mark.parametrize("target", [".", ".."])
def test_build_linked_to_the_werkmap_itself_says_so(tmp_path, target):
    """``ln -s <werkmap> build`` was reported as a link to a place outside the werkmap (review, stop 25)."""
    werkmap = new_werkmap(tmp_path / "werkmap", {LETTER: SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    werkmap.build.symlink_to(werkmap.root if target == "." else werkmap.root.parent, target_is_directory=True)
    result = build(werkmap)
    assert (result.exit_code, result.stdout) == (1, "")
    assert "buiten de werkmap" not in result.stderr
    assert result.stderr.startswith(f"briefgen: build/ is een symbolische koppeling naar "
                                    f"{werkmap.root if target == '.' else werkmap.root.parent}, dat is de werkmap "
                                    "zelf of een map eromheen; "), result.stderr
