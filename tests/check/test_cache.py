"""The check cache (build/.briefgen-check.json): the same output as a cold check, recomputed when
what it depends on changes, and untrusted: a corrupt or hostile file is ignored, never written outside build/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.spelling import SpellChecker
from tests.check.test_corpus import CORPUS, corpus_werkmap
from tests.cli.helpers import invoke
from tests.conftest import VALID_LETTER

CACHE = "build/.briefgen-check.json"
SPELLING = f"{CORPUS}/spelling.yaml"
MISSPELT = "onbekend woord 'aanvaarbare'"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    if not SpellChecker.available():
        pytest.fail("libenchant-2-2 met hunspell-nl is nodig voor deze test: sudo apt-get install libenchant-2-2 hunspell-nl")
    return corpus_werkmap(tmp_path / "werkmap")


def check(root: Path, *args: str) -> str:
    result = invoke(root, "check", *args)
    assert result.exit_code == 1, result.output  # the corpus has errors
    assert "Traceback" not in result.output
    return result.stdout + result.stderr


def cold(root: Path, *args: str) -> str:
    (root / CACHE).unlink(missing_ok=True)
    return check(root, *args)


def tamper(root: Path, letter: str, message: str) -> None:
    """Rewrite one cached problem's message: a later check that shows it has used the cache."""
    data = json.loads((root / CACHE).read_text(encoding="utf-8"))
    data["brieven"][letter]["problemen"][0][3] = message
    (root / CACHE).write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["tekst", "json"])
def test_a_warm_check_gives_the_output_of_a_cold_one(root, fmt):
    first = cold(root, "--formaat", fmt)
    assert (root / CACHE).is_file()
    assert check(root, "--formaat", fmt) == first
    assert MISSPELT in first and "leesbaarheid" in first


def test_an_unchanged_letter_is_taken_from_the_cache(root):
    cold(root)
    tamper(root, SPELLING, "uit de cache")
    assert "uit de cache" in check(root)


def test_a_changed_letter_is_checked_again(root):
    cold(root)
    tamper(root, SPELLING, "uit de cache")
    path = root / SPELLING
    path.write_text(path.read_text(encoding="utf-8") + "      Nog een zin.\n", encoding="utf-8")
    out = check(root)
    assert "uit de cache" not in out and MISSPELT in out


def test_a_changed_word_list_invalidates_the_cache(root):
    assert MISSPELT in cold(root)
    with (root / "content" / "woordenlijst.txt").open("a", encoding="utf-8") as handle:
        handle.write("aanvaarbare\n")
    assert MISSPELT not in check(root)


def test_a_check_of_some_letters_keeps_the_others_cached(root):
    cold(root)
    tamper(root, SPELLING, "uit de cache")
    assert invoke(root, "check", str(root / VALID_LETTER)).exit_code == 0
    assert "uit de cache" in check(root)


def _entry(**changes: object) -> dict:
    entry: dict = {"hash": "0" * 64, "problemen": [[SPELLING, 7, 36, "x", "waarschuwing"]],
                   "leesbaarheid": [1, 1, 1.0, 0.0, 50.0, "B2"]}
    entry.update(changes)
    return entry


HOSTILE = {
    "not JSON": b"\xff\xfe{{{",
    "empty": b"",
    "a list": b"[]",
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "wrong version": json.dumps({"versie": 99, "brieven": {}}).encode(),
}
HOSTILE_ENTRIES = {
    "entry not a table": 5,
    "line as text": _entry(problemen=[[SPELLING, "7", 36, "x", "waarschuwing"]]),
    "line a boolean": _entry(problemen=[[SPELLING, True, 36, "x", "waarschuwing"]]),
    "unknown severity": _entry(problemen=[[SPELLING, 7, 36, "x", "paniek"]]),
    "short problem": _entry(problemen=[[SPELLING, 7]]),
    "readability too short": _entry(leesbaarheid=[1, 2]),
    "readability of text": _entry(leesbaarheid=["a", 1, 1.0, 0.0, 50.0, "B2"]),
    "hash a number": _entry(hash=5),
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_corrupt_cache_is_ignored(root, content):
    expected = cold(root)
    (root / CACHE).write_bytes(content)
    assert check(root) == expected
    assert check(root) == expected  # and it was replaced by a good one


@pytest.mark.parametrize("entry", HOSTILE_ENTRIES.values(), ids=HOSTILE_ENTRIES.keys())
def test_a_hostile_entry_is_recomputed(root, entry):
    expected = cold(root)
    data = json.loads((root / CACHE).read_text(encoding="utf-8"))
    if isinstance(entry, dict):
        entry["hash"] = data["brieven"][SPELLING]["hash"] if entry["hash"] == "0" * 64 else entry["hash"]
    data["brieven"][SPELLING] = entry
    (root / CACHE).write_text(json.dumps(data), encoding="utf-8")
    assert check(root) == expected


def test_the_cache_is_never_written_outside_build(root, tmp_path):
    outside = tmp_path / "elders.json"
    outside.write_text("niet overschrijven", encoding="utf-8")
    expected = cold(root)
    (root / CACHE).unlink()
    (root / CACHE).symlink_to(outside)
    assert check(root) == expected
    assert outside.read_text(encoding="utf-8") == "niet overschrijven"


def test_a_build_folder_linked_outside_the_werkmap_gets_no_cache(root, tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (root / "build").symlink_to(elsewhere)
    check(root)
    assert list(elsewhere.iterdir()) == []
