"""Task s30f: ``list`` decides whether a letter's outputs are current as ``build`` does (currency.py): after an
organisation edit that no letter shows, both say "actueel"; after one that changes a letter's signer, both
say that letter must be made again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from briefgen import currency
from briefgen.buildlock import build_lock
from briefgen.manifest import Manifest, file_hash
from briefgen.werkmap import Werkmap
from tests.cli.helpers import invoke
from tests.cli.test_organisation_edits import ORGANISATION, edit
from tests.conftest import REPO, VALID_LETTER, require_soffice, write

OLDER = "content/hilversum/2016/inkoop-sociaal-domein-2017.yaml"


def statuses(root) -> dict[str, str]:
    """Each letter's ``uitvoer`` column of ``briefgen list --csv``."""
    result = invoke(root, "list", "--csv")
    assert result.exit_code == 0, result.output
    rows = [line.split(";") for line in result.stdout.lstrip("\ufeff").splitlines()[1:]]
    return {row[0]: row[-1] for row in rows}


def recorded(root) -> dict[str, str | None]:
    """Per letter, the hash of the organisation file its outputs are recorded as made from."""
    letters = json.loads((root / "build/.briefgen-manifest.json").read_text(encoding="utf-8"))["brieven"]
    return {letter: entry["invoer"].get(ORGANISATION) for letter, entry in letters.items()}


def test_list_says_current_when_build_finds_the_letters_current(werkmap):
    require_soffice()
    write(werkmap, OLDER, (REPO / OLDER).read_bytes())
    assert invoke(werkmap, "build").stdout.endswith("2 gebouwd, 0 actueel, 0 met fouten.\n")

    # a burgemeester from long after both letters: neither shows it
    edit(werkmap, ORGANISATION, "college:\n", "college:\n  - naam: Z. Later\n    functie: burgemeester\n    van: 2030-01-01\n")
    before = recorded(werkmap)
    assert statuses(werkmap) == {VALID_LETTER: "actueel", OLDER: "actueel"}
    # list recorded what it found, as build does: the next list need not render them again
    after = recorded(werkmap)
    assert after.keys() == before.keys() and all(after[letter] != before[letter] for letter in after)
    assert invoke(werkmap, "build").stdout == "0 gebouwd, 2 actueel, 0 met fouten.\n"
    assert recorded(werkmap) == after
    assert statuses(werkmap) == {VALID_LETTER: "actueel", OLDER: "actueel"}

    # the 2021 letter gets another signer; the 2016 one does not
    edit(werkmap, ORGANISATION, "    tot: 2023-09-01\n",
         "    tot: 2021-09-01\n  - naam: Y. Tussen\n    functie: burgemeester\n    van: 2021-09-02\n    tot: 2029-12-31\n")
    assert statuses(werkmap) == {VALID_LETTER: "verouderd (docx, html, pdf)", OLDER: "actueel"}
    result = invoke(werkmap, "build")
    assert result.stdout.endswith("1 gebouwd, 1 actueel, 0 met fouten.\n"), result.output
    assert statuses(werkmap) == {VALID_LETTER: "actueel", OLDER: "actueel"}


def test_list_during_a_build_decides_the_same_and_leaves_the_manifest_to_the_build(werkmap):
    require_soffice()
    assert invoke(werkmap, "build").exit_code == 0
    manifest = (werkmap / "build/.briefgen-manifest.json").read_bytes()
    edit(werkmap, ORGANISATION, "college:\n", "college:\n  - naam: Z. Later\n    functie: burgemeester\n    van: 2030-01-01\n")
    with build_lock(Werkmap(werkmap)):  # as a build that runs meanwhile
        assert statuses(werkmap) == {VALID_LETTER: "actueel"}
    assert (werkmap / "build/.briefgen-manifest.json").read_bytes() == manifest


class BuildMeanwhile(Manifest):
    """The manifest ``list`` records letters in, with a ``briefgen build`` started while it does."""

    root: Path

    def save(self) -> None:
        self.meanwhile = invoke(self.root, "build", "--formaat", "docx")
        super().save()


def test_a_build_while_list_records_says_a_list_runs(werkmap):
    """Review x30b: a build started while ``list`` held the lock to record letters said a build ran."""
    assert invoke(werkmap, "build", "--formaat", "docx").exit_code == 0
    path = werkmap / "build/.briefgen-manifest.json"
    manifest = BuildMeanwhile.load(path)
    manifest.root = werkmap
    inputs = tuple(manifest.letters[VALID_LETTER]["invoer"])
    currency.record_unchanged(Werkmap(werkmap), manifest, file_hash(path), [(VALID_LETTER, inputs, ["docx"], False, {})])
    assert manifest.meanwhile.stderr == ("briefgen: er loopt al een 'briefgen list' in deze werkmap; wacht tot die klaar "
                                         "is en probeer het opnieuw\n")
    assert manifest.meanwhile.exit_code != 0
    # released, the lock says nothing; a build that holds it is named as one
    assert (werkmap / "build/.briefgen.lock").read_bytes() == b""
    with build_lock(Werkmap(werkmap)):
        result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.stderr.startswith("briefgen: er loopt al een 'briefgen build' in deze werkmap;"), result.stderr


def test_build_of_html_alone_decides_as_list_after_an_edit_no_letter_shows(werkmap):
    """Review x30b: ``list`` compared the render (its formats include PDF), ``build --formaat html`` rebuilt: one said
    "actueel", the other "1 gebouwd". Now every set of formats is decided alike (currency.maybe_unchanged)."""
    require_soffice()
    assert invoke(werkmap, "build").exit_code == 0
    html = Werkmap(werkmap).output(werkmap / VALID_LETTER, "html")
    page = html.read_bytes()
    edit(werkmap, ORGANISATION, "college:\n", "college:\n  - naam: Z. Later\n    functie: burgemeester\n    van: 2030-01-01\n")
    result = invoke(werkmap, "build", "--formaat", "html")
    assert result.stdout == "0 gebouwd, 1 actueel, 0 met fouten.\n", result.output
    assert html.read_bytes() == page
    # only the HTML was rendered again: the DOCX and PDF are left to a build that makes them, as list says
    assert statuses(werkmap) == {VALID_LETTER: "verouderd (docx, pdf)"}
    assert invoke(werkmap, "build", "--formaat", "html").stdout == "0 gebouwd, 1 actueel, 0 met fouten.\n"

    # an edit the letter shows: both make it again
    edit(werkmap, ORGANISATION, "    tot: 2023-09-01\n",
         "    tot: 2021-09-01\n  - naam: Y. Tussen\n    functie: burgemeester\n    van: 2021-09-02\n    tot: 2029-12-31\n")
    assert statuses(werkmap) == {VALID_LETTER: "verouderd (docx, html, pdf)"}
    result = invoke(werkmap, "build", "--formaat", "html")
    assert result.stdout == f"html  {VALID_LETTER}\n1 gebouwd, 0 actueel, 0 met fouten.\n", result.output
    assert html.read_bytes() != page


def test_the_lock_writes_who_holds_it_only_into_a_file_of_its_own(werkmap):
    """Review r5: the holder was written through a lock file linked to a built DOCX (or the manifest), which was
    emptied and then reported as current. Linked (symbolic or hard), the lock still locks, but nothing is written."""
    first = invoke(werkmap, "build", "--formaat", "docx")
    assert first.exit_code == 0, first.output
    docx = werkmap / "build" / VALID_LETTER.removeprefix("content/").replace(".yaml", ".docx")
    manifest = werkmap / "build" / ".briefgen-manifest.json"
    lock = werkmap / "build" / ".briefgen.lock"
    for link in (lambda: lock.symlink_to(docx), lambda: os.link(manifest, lock)):
        before = docx.read_bytes(), manifest.read_bytes()
        lock.unlink()
        link()
        again = invoke(werkmap, "build", "--formaat", "docx")
        assert again.exit_code == 0 and "0 gebouwd" in again.stdout, again.output
        assert (docx.read_bytes(), manifest.read_bytes()) == before
