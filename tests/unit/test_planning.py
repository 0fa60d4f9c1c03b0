"""Deciding what a build does: which files are letters, which outputs are current, and that a
build with nothing to do stays cheap (it imports no renderer and rewrites no manifest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefgen import manifest as manifest_module
from briefgen.manifest import Manifest
from briefgen.werkmap import Werkmap
from tests.cli.helpers import invoke
from tests.conftest import HEAD, VALID_LETTER, write

LETTER, ORG = "content/a.yaml", "content/organisaties/o.yaml"
MANIFEST = "build/.briefgen-manifest.json"


def _rglob_letters(werkmap: Werkmap, folder: Path) -> list[Path]:
    """The rule as it was written before the walk: every non-folder named like a letter, via rglob."""
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(werkmap.content).parts if path.is_relative_to(werkmap.content) else None
        if (path.suffix in (".yaml", ".yml") and not path.is_dir() and rel
                and rel[0] != "organisaties" and not any(part.startswith(".") for part in rel)):
            found.append(path)
    return sorted(found)


@pytest.fixture
def tree(tmp_path):
    """A content folder with every kind of thing that is, or only looks like, a letter."""
    root = tmp_path / "w"
    (root / "templates").mkdir(parents=True)
    for rel in ["a/x.yaml", "a-b/x.yaml", "a/b/c/diep.yml", "organisaties.yaml", "a/.verborgen.yaml",
                ".git/x.yaml", "a/.concept/x.yaml", "organisaties/o.yaml", "a/organisaties/geen-organisatie.yaml",
                "a/niet.txt", "a/b/yaml", "x.yaml.bak", "buiten/echt.yaml"]:
        write(root, f"content/{rel}", "onderwerp: x\n")
    (root / "content/map.yaml").mkdir()
    (root / "content/a/weg.yaml").symlink_to(root / "bestaat-niet.yaml")
    os.mkfifo(root / "content/a/fifo.yaml")
    (root / "content/link").symlink_to(root / "content/buiten", target_is_directory=True)
    (root / "content/map-link.yaml").symlink_to(root / "content/buiten", target_is_directory=True)
    return Werkmap(root)


def test_letters_are_found_as_rglob_found_them(tree):
    found = tree.letters()
    assert found == _rglob_letters(tree, tree.content)
    shown = [tree.shown(p) for p in found]
    assert "content/a/fifo.yaml" in shown and "content/a/weg.yaml" in shown  # read later: a located problem
    assert not any(s.startswith("content/link/") for s in shown)  # a symlinked folder is not entered
    assert shown.index("content/a-b/x.yaml") > shown.index("content/a/x.yaml")  # the order of Path, not of strings


def test_letters_of_a_selected_folder(tree):
    assert tree.letters([tree.content / "a"]) == _rglob_letters(tree, tree.content / "a")
    assert tree.letters([tree.content / "a" / ".concept"]) == []


def test_paths_of_a_letter(tree):
    letter = tree.content / "a" / "b" / "c" / "diep.yml"
    assert tree.shown(letter) == "content/a/b/c/diep.yml"
    assert tree.letter_id(letter) == "a/b/c/diep"
    assert tree.output(letter, "diwoo.xml") == tree.build / "a/b/c/diep.diwoo.xml"
    assert tree.output_stem(letter) == str(tree.build / "a/b/c/diep")
    assert tree.shown(tree.root) == "."
    with pytest.raises(ValueError):
        tree.output(tree.root / "templates" / "x.yaml", "docx")


# --- Outputs: one listing of each output folder per build ----------------------------------------------------


@pytest.fixture
def built(tmp_path):
    write(tmp_path, LETTER, "onderwerp: A\n")
    write(tmp_path, ORG, "naam: O\n")
    write(tmp_path, "build/a.docx", b"docx")
    manifest = Manifest(tmp_path / MANIFEST)
    manifest.record(tmp_path, LETTER, [LETTER, ORG], ["docx"])
    manifest.save()
    return tmp_path


def _current(root: Path, output: Path) -> bool:
    return Manifest.load(root / MANIFEST).is_current(root, LETTER, "docx", output)


def _symlink_to_a_file(output: Path, root: Path) -> None:
    output.symlink_to(write(root, "build/elders.docx", b"docx"))


@pytest.mark.parametrize(
    ("replace", "current"),
    [
        pytest.param(None, True, id="regular-file"),
        pytest.param(_symlink_to_a_file, True, id="symlink-to-a-file"),
        pytest.param(lambda out, root: out.symlink_to(root / "weg.docx"), False, id="dangling-symlink"),
        pytest.param(lambda out, root: out.mkdir(), False, id="folder"),
        pytest.param(lambda out, root: os.mkfifo(out), False, id="fifo"),
    ],
)
def test_an_output_counts_only_as_a_regular_file(built, replace, current):
    output = built / "build/a.docx"
    if replace is not None:
        output.unlink()
        replace(output, built)
    assert _current(built, output) is current


def test_an_output_in_a_folder_that_is_gone(built):
    assert Manifest.load(built / MANIFEST).is_current(built, LETTER, "docx", built / "build/weg/a.docx") is False


# --- Input hashes kept with what stat said -------------------------------------------------------------------


@pytest.fixture
def settled(monkeypatch):
    """Files written by the test count as settled (in real use: unchanged for 2 s before the build)."""
    monkeypatch.setattr(manifest_module, "SETTLED_NS", -60_000_000_000)


def _cache(root: Path) -> dict:
    return json.loads((root / MANIFEST).read_text(encoding="utf-8")).get("bestanden", {})


def _hash_once(root: Path, fmt: str = "html") -> Manifest:
    """A build that looks at the letter (hashing what it must) and then makes a new output: the
    kept hashes are saved with that record."""
    manifest = Manifest.load(root / MANIFEST)
    manifest.is_current(root, LETTER, "docx", root / "build/a.docx")
    manifest.record(root, LETTER, [LETTER, ORG], [fmt])
    manifest.save()
    return manifest


def test_hashes_are_kept_with_their_stat(built, settled):
    _hash_once(built)
    cache = _cache(built)
    assert sorted(cache) == [LETTER, ORG]
    info = (built / LETTER).stat()
    assert cache[LETTER][:5] == [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
    before = (built / MANIFEST).stat().st_mtime_ns
    _hash_once(built)  # the same record again: the manifest is not written again
    assert (built / MANIFEST).stat().st_mtime_ns == before


def test_a_build_that_makes_nothing_leaves_the_manifest_as_it_was(built, settled):
    before = (built / MANIFEST).read_bytes()
    manifest = Manifest.load(built / MANIFEST)
    assert manifest.is_current(built, LETTER, "docx", built / "build/a.docx")  # hashes kept in memory only
    manifest.save()
    assert (built / MANIFEST).read_bytes() == before


def test_a_kept_hash_is_used_only_while_stat_is_unchanged(built, settled):
    _hash_once(built)
    data = json.loads((built / MANIFEST).read_text(encoding="utf-8"))
    data["bestanden"][LETTER][5] = "f" * 64  # what the cache says instead of reading the file
    (built / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    assert _current(built, built / "build/a.docx") is False  # proof that the kept hash decided
    data["bestanden"][LETTER][1] += 1  # another mtime: the file is read again
    (built / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    assert _current(built, built / "build/a.docx") is True


def test_same_size_and_mtime_but_new_content_is_rebuilt(built, settled):
    _hash_once(built)
    path = built / LETTER
    info = path.stat()
    path.write_text("onderwerp: B\n", encoding="utf-8")  # as long as before
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # mtime put back; ctime cannot be
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    assert _current(built, built / "build/a.docx") is False


def test_a_file_changed_just_before_the_build_is_hashed_again_next_time(built):
    _hash_once(built)  # the files were written a moment ago: not settled
    assert _cache(built) == {}


@pytest.mark.parametrize("kept", [
    {LETTER: "x"}, {LETTER: [1, 2, 3]}, {LETTER: [1, 2, 3, 4, True, "f" * 64]}, {LETTER: [1, 2, 3, 4, 5, "F" * 64]},
    {"../a.yaml": [1, 2, 3, 4, 5, "f" * 64]}, {"/etc/passwd": [1, 2, 3, 4, 5, "f" * 64]}, [], "x", None,
])
def test_unusable_kept_hashes_are_ignored_and_cleaned_up(built, settled, kept):
    data = json.loads((built / MANIFEST).read_text(encoding="utf-8"))
    data["bestanden"] = kept
    (built / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    assert _current(built, built / "build/a.docx") is True
    _hash_once(built)  # the next record writes only usable ones
    assert sorted(_cache(built)) == [LETTER, ORG]


# --- A build with nothing to do ------------------------------------------------------------------------------


def test_their_template_changed_rebuilds_them(werkmap):
    write(werkmap, "content/test/b.yaml", HEAD + "secties:\n  - tekst: Hallo.\n")
    assert invoke(werkmap, "build", "--formaat", "docx").exit_code == 0
    templates = sorted((werkmap / "templates").glob("*.docx"))
    for template in templates:  # a ZIP comment: other bytes, the same rendering
        with zipfile.ZipFile(template, "a") as package:
            package.comment = b"gewijzigd"
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.stdout.endswith("2 gebouwd, 0 actueel, 0 met fouten.\n"), result.output


def test_nothing_to_do_imports_no_renderer_and_writes_no_manifest(werkmap):
    assert invoke(werkmap, "build", "--formaat", "docx").exit_code == 0
    # The PDF and its Woo metadata recorded as made: `--formaat alle` then has nothing to do.
    for suffix in ("html", "pdf", "diwoo.xml"):
        write(werkmap, f"build/hilversum/2021/inkoop-wmo-jeugd.{suffix}", b"x")
    manifest = Manifest.load(werkmap / MANIFEST)
    inputs = list(manifest.letters[VALID_LETTER]["invoer"])
    manifest.record(werkmap, VALID_LETTER, inputs, ["html", "pdf", "woo"])
    manifest.save()
    before = (werkmap / MANIFEST).stat()
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "briefgen", "-C", str(werkmap), "build"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.endswith("0 gebouwd, 1 actueel, 0 met fouten.\n"), done.stdout + done.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    heavy = {"lxml", "docx", "docxtpl", "jinja2", "pikepdf", "babel", "ruamel", "multiprocessing", "briefgen.session",
             "briefgen.woo", "briefgen.builders"}
    assert not heavy & imported
    after = (werkmap / MANIFEST).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
