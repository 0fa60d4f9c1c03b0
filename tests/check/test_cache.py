"""The check cache (build/.briefgen-check.json): the same output as a cold check, recomputed when
what it depends on changes, and untrusted: a corrupt or hostile file is ignored, never written outside build/."""

from __future__ import annotations

import json
import re
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


@pytest.mark.parametrize("args", [("--formaat", "tekst"), ("--formaat", "tekst", "--leesbaarheid"), ("--formaat", "json")])
def test_a_warm_check_gives_the_output_of_a_cold_one(root, args):
    first = cold(root, *args)
    assert (root / CACHE).is_file()
    assert check(root, *args) == first
    assert MISSPELT in first and "leesbaarheid" in first
    if args == ("--formaat", "tekst"):  # the default: only the summary lines, which the cache must give too
        assert re.search(r"^\d+ brieven gecontroleerd: \d+ fouten, \d+ waarschuwingen\.$", first, re.MULTILINE), first


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


READ_HOSTILE = {
    "read part not a table": [],
    "inputs a list": {"invoer": [], "problemen": [], "nummer": None},
    "input outside the werkmap": {"invoer": {"/etc/passwd": None}, "problemen": [], "nummer": None},
    "number too short": {"invoer": {}, "problemen": [], "nummer": ["hilversum", 2021]},
    "year as text": {"invoer": {}, "problemen": [], "nummer": ["hilversum", "2021", "1"]},
}


@pytest.mark.parametrize("part", READ_HOSTILE.values(), ids=READ_HOSTILE.keys())
def test_a_hostile_read_part_is_recomputed(root, part):
    expected = cold(root)
    data = json.loads((root / CACHE).read_text(encoding="utf-8"))
    data["brieven"][SPELLING]["gelezen"] = part
    (root / CACHE).write_text(json.dumps(data), encoding="utf-8")
    assert check(root) == expected


def tamper_read(root: Path, letter: str, message: str) -> None:
    """Put a problem into one letter's cached read result: a check that shows it did not read the letter."""
    data = json.loads((root / CACHE).read_text(encoding="utf-8"))
    data["brieven"][letter]["gelezen"]["problemen"].append([letter, 1, 1, message, "waarschuwing"])
    (root / CACHE).write_text(json.dumps(data), encoding="utf-8")


def test_an_unchanged_letter_is_not_read_again(root):
    cold(root)
    tamper_read(root, VALID_LETTER, "niet opnieuw gelezen")
    assert f"{VALID_LETTER}:1:1: waarschuwing: niet opnieuw gelezen" in check(root)


def lines_of(out: str, letter: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(f"{letter}:")]


def test_a_changed_organisation_file_invalidates_the_letters_using_it(root):
    before = lines_of(cold(root), VALID_LETTER)
    tamper_read(root, VALID_LETTER, "niet opnieuw gelezen")
    organisation = root / "content" / "organisaties" / "hilversum.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8").replace("tot: 2023-09-01", "tot: 2020-09-01"), encoding="utf-8")
    out = check(root)
    assert "niet opnieuw gelezen" not in out
    assert out == cold(root)
    assert len(lines_of(out, VALID_LETTER)) > len(before)  # no burgemeester in office on the letter's date any more


def test_a_changed_cited_letter_invalidates_the_letter_citing_it(root):
    follow_up = "content/hilversum/2021/vervolg.yaml"
    text = (root / VALID_LETTER).read_text(encoding="utf-8")
    (root / follow_up).write_text(
        text.replace('nummer: "2021/45"', 'nummer: "2021/46"').replace("datum: 2021-11-16", "datum: 2021-12-01")
        .replace("organisatie: hilversum\n", "organisatie: hilversum\nvorige: hilversum/2021/inkoop-wmo-jeugd\n"),
        encoding="utf-8")
    assert not any("niet ouder dan" in line for line in lines_of(cold(root), follow_up))
    (root / VALID_LETTER).write_text(text.replace("datum: 2021-11-16", "datum: 2021-12-24"), encoding="utf-8")
    out = check(root)
    assert any("niet ouder dan deze brief" in line for line in lines_of(out, follow_up))
    assert out == cold(root)


def test_a_letter_dated_in_the_future_is_read_again(root):
    """Its warning goes away by itself once the date has come."""
    cold(root)
    data = json.loads((root / CACHE).read_text(encoding="utf-8"))
    assert "gelezen" not in data["brieven"][f"{CORPUS}/toekomst.yaml"]
    assert "gelezen" in data["brieven"][VALID_LETTER]


def test_two_workers_give_the_output_of_one(root):
    letters = list((root / "content").rglob("*.yaml"))
    assert len([p for p in letters if "organisaties" not in p.parts]) >= 8  # enough for worker processes
    outputs = {}
    for jobs in (1, 2):
        (root / "briefgen.toml").write_text(f"taken = {jobs}\n", encoding="utf-8")
        outputs[jobs] = (cold(root), check(root), cold(root, "--formaat", "json"), check(root, "--geen-spelling"))
    assert outputs[2] == outputs[1]
    assert len({line.split(":")[0] for line in outputs[1][0].splitlines() if line.startswith(CORPUS)}) >= 5


def test_list_with_two_workers_gives_the_output_of_one(root):
    outputs = {}
    for jobs in (1, 2):
        (root / "briefgen.toml").write_text(f"taken = {jobs}\n", encoding="utf-8")
        result = invoke(root, "list")
        assert result.exit_code == 0, result.output
        outputs[jobs] = result.stdout
    assert outputs[2] == outputs[1]
    assert "bevat fouten" in outputs[1] and "→" in outputs[1]


def test_a_number_taken_by_a_changed_letter_is_reported_on_the_unchanged_one_too(root):
    """Duplicate numbers cross letters: computed every run, also for a letter taken from the cache."""
    cold(root)
    tamper_read(root, VALID_LETTER, "niet opnieuw gelezen")  # the valid letter (2021/45) stays cached
    taker = root / CORPUS / "dubbel-b.yaml"
    taker.write_text(taker.read_text(encoding="utf-8").replace('"2021/99"', '"2021/45"'), encoding="utf-8")
    out = check(root)
    assert "niet opnieuw gelezen" in out
    assert f"{VALID_LETTER}:4:9: nummer 2021/45 komt ook voor in {CORPUS}/dubbel-b.yaml" in out
    assert f"{CORPUS}/dubbel-b.yaml:4:9: nummer 2021/45 komt ook voor in {VALID_LETTER}" in out


def test_list_of_built_letters_reads_their_header_only_and_shows_what_a_full_read_does(root):
    """A letter whose output the manifest calls current was built without errors from these inputs."""
    from briefgen import listing
    from briefgen.settings import Settings
    from briefgen.werkmap import Werkmap

    before = listing.letters(Werkmap(root), Settings(jobs=1))
    assert invoke(root, "build", "--formaat", "docx").exit_code == 1  # the corpus has errors; the rest is built
    after = listing.letters(Werkmap(root), Settings(jobs=1))
    assert [row[:-1] for row in after] == [row[:-1] for row in before]
    assert [row[-1] for row in after].count("nog niet gebouwd (html, pdf)") >= 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_problem_in_an_organisation_file_is_reported_once_from_workers_and_cache(root, jobs):
    (root / "briefgen.toml").write_text(f"taken = {jobs}\n", encoding="utf-8")
    organisation = root / "content" / "organisaties" / "hilversum.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8") + "plaatsnam: Hilversum\n", encoding="utf-8")
    for out in (cold(root), check(root)):
        assert len([line for line in out.splitlines() if "'plaatsnam'" in line]) == 1
