"""Prose hazards: text built to make the prose extractor or the spell checker slow, or crash it."""

from __future__ import annotations

import time

import pytest

from briefgen import prose, readability
from briefgen.spelling import SpellChecker


@pytest.fixture(scope="module")
def checker():
    if not SpellChecker.available():
        pytest.fail("libenchant-2-2 met hunspell-nl is nodig voor deze test: sudo apt-get install libenchant-2-2 hunspell-nl")
    with SpellChecker(["Inovum"]) as c:
        yield c


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x" * 20_000, id="one-long-word"),
        pytest.param("a-" * 10_000, id="hyphens"),
        pytest.param("a." * 10_000, id="full-stops"),
        pytest.param("a@" * 10_000, id="at-signs"),
        pytest.param("zorg- en " + "x" * 20_000, id="suspended-compound-with-a-long-end"),
        pytest.param("a- " * 10_000 + "en b", id="endless-first-parts"),
    ],
)
def test_long_runs_cost_linear_time(checker, text):
    """The e-mail and domain patterns once started at every character of a run: 25 s for 20,000."""
    started = time.monotonic()
    masked = prose.masked(text)
    checker.check(text)
    readability.measure(text)
    assert time.monotonic() - started < 5
    assert len(masked) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("een a\ud800b fiets", id="lone-surrogate"),
        pytest.param("fietz" * 40, id="longer-than-hunspell-takes"),
        pytest.param("gezins\ud800- en opvoedcoach", id="surrogate-in-a-first-part"),
    ],
)
def test_words_the_library_refuses_are_reported_not_asked(checker, text):
    for finding in checker.check(text):
        assert finding.message.startswith("onbekend woord")
