"""``briefgen check`` against a corpus of broken letters, one mistake each (veel-fouten.yaml: many
at once, its whole report), with the exact messages.

The corpus sits in ``corpus/`` beside this file; ``expected.txt`` lists every message, located.
The repository's own example letters, checked the same way, give no errors.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen import checking
from briefgen.settings import Settings
from briefgen.spelling import SpellChecker
from briefgen.werkmap import Werkmap
from tests.conftest import REPO, VALID_LETTER

HERE = Path(__file__).parent
CORPUS = "content/fout"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not SpellChecker.available():
        pytest.fail("libenchant-2-2 met hunspell-nl is nodig voor deze test: sudo apt-get install libenchant-2-2 hunspell-nl")
    return checking.check(Werkmap(corpus_werkmap(tmp_path_factory.mktemp("corpus"))), Settings())


def corpus_werkmap(root: Path) -> Path:
    """``root`` as a werkmap with the repository's templates, organisations, word list, one valid
    letter and the corpus of broken letters."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content" / "organisaties", root / "content" / "organisaties")
    shutil.copy(REPO / "content" / "woordenlijst.txt", root / "content" / "woordenlijst.txt")
    (root / VALID_LETTER).parent.mkdir(parents=True)
    shutil.copy(REPO / VALID_LETTER, root / VALID_LETTER)
    shutil.copytree(HERE / "corpus", root / CORPUS)
    return root


def test_each_mistake_gives_exactly_its_located_message(report):
    found = sorted(p.format() for p in report.problems if p.path.startswith(CORPUS))
    expected = sorted(line for line in (HERE / "expected.txt").read_text(encoding="utf-8").splitlines() if line)
    assert found == expected


def test_every_corpus_file_has_a_message(report):
    named = {line.split(":")[0] for line in (HERE / "expected.txt").read_text(encoding="utf-8").splitlines() if line}
    assert named == {f"{CORPUS}/{p.name}" for p in (HERE / "corpus").glob("*.yaml")}


def test_the_valid_letter_stays_clean(report):
    assert [p.format() for p in report.problems if p.path == VALID_LETTER and p.is_error] == []


def test_example_content_has_no_errors():
    report = checking.check(Werkmap(REPO), Settings(), proofread=False)
    assert [p.format() for p in report.problems if p.is_error] == []
