"""A letter's text or a house-style tag stopped at the time limit (1.0 of CPU time) ends close to
it: the renders that look for its place afterwards share a small budget (expressions.SEARCH_SECONDS), where each had
the whole limit again and the one that ran out of time used it up (review: stopped after 2.0 s, not 1)."""

from __future__ import annotations

import resource

import pytest

from briefgen import expressions
from tests.cli.helpers import run
from tests.conftest import HEAD
from tests.unit.test_render_cache import _replace_in_member

TEXT_LETTER = "content/hilversum/2021/traag.yaml"
TEMPLATE = "templates/huizen.docx"
PLACE = f"{TEMPLATE}: de template faalt bij het invullen van een voorbeeldbrief: word/footer1.xml, alinea 1: "

SLOW = [  # each takes 2 to 4 s without the limit
    "range(100000) | map('string') | sort | first",
    "(['é' * 100000] * 10000) | max",
    "(['é' * 100000] * 10000) | sort | first",
]
CHEAP = "1 / 0"  # fails at once, and is looked for in the same way


def _cpu_of(*args: str) -> tuple[float, str]:
    """CPU time of ``briefgen args…`` as a real process, and its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert "Traceback" not in result.stderr
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), result.stderr


def _check_letter(werkmap, expression: str, statement: bool = False) -> tuple[float, str]:
    """``check`` of a letter whose text has ``expression`` at line 8, column 11 (after ``{% if true %}`` when
    ``statement``: such a text is searched by rendering it whole again)."""
    tag = "{{ " + expression + " }} {{ onbekend }}"
    text = "Dan " + tag + " hier." if not statement else "{% if true %}" + tag + "{% endif %}."
    (werkmap / TEXT_LETTER).write_text(HEAD + "secties:\n  - tekst: |\n      Eerst.\n      " + text + "\n",
                                       encoding="utf-8")
    return _cpu_of("-C", str(werkmap), "check", "--geen-spelling", str(werkmap / TEXT_LETTER))


@pytest.mark.parametrize(("expression", "statement"), [(SLOW[0], False), (SLOW[1], False), (SLOW[1], True)])
def test_a_letter_text_stopped_at_the_time_limit_ends_close_to_it(werkmap, expression, statement):
    """The expression that ran out of time is reported once, at its tag; the search for further failures ends
    with the shared time (the unknown name after it is not reached), and blames no other expression for it."""
    baseline, stderr = _check_letter(werkmap, CHEAP, statement)
    assert f"{TEXT_LETTER}:8:" in stderr and "delen door nul" in stderr, stderr[-2000:]
    elapsed, stderr = _check_letter(werkmap, expression, statement)
    column = 11 if not statement else 20
    assert [line for line in stderr.splitlines() if "duurt te lang" in line] == [
        f"{TEXT_LETTER}:8:{column}: deze expressie duurt te lang (meer dan een seconde rekentijd); maak haar eenvoudiger"], stderr[-2000:]
    assert elapsed - baseline < 1.5 * expressions.MAX_SECONDS, (elapsed, baseline)


def _check_template(werkmap, expression: str) -> tuple[float, str]:
    _replace_in_member(werkmap / TEMPLATE, "word/footer1.xml", ">-<", ">{{ " + expression + " }}<")
    try:
        return _cpu_of("-C", str(werkmap), "templates", "check")
    finally:
        _replace_in_member(werkmap / TEMPLATE, "word/footer1.xml", ">{{ " + expression + " }}<", ">-<")


@pytest.mark.parametrize("expression", SLOW[1:])
def test_a_house_style_tag_stopped_at_the_time_limit_ends_close_to_it_and_is_still_located(werkmap, expression):
    """Rendered alone, the tag that never ends is the one paragraph that runs out of its own search time while the
    others together take next to none: it is named at its paragraph, and the search ends soon after the limit."""
    baseline, stderr = _check_template(werkmap, CHEAP)
    assert PLACE in stderr, stderr[-2000:]
    elapsed, stderr = _check_template(werkmap, expression)
    assert f"{PLACE}deze expressie duurt te lang" in stderr, stderr[-2000:]
    assert elapsed - baseline < 1.5 * expressions.MAX_SECONDS, (elapsed, baseline)


TAKES_LONG = "(['é' * 100000] * 1500) | max"  # about half a second: within the limit, beyond the search's shared time


def test_a_paragraph_that_merely_takes_long_is_not_named_for_a_tag_that_never_ends(werkmap):
    """A house style whose footer has an expression that runs out of time, and whose body (searched first) one that
    takes long but ends: both run out of their own search time alone, so neither is named (the place is unknown)."""
    _replace_in_member(werkmap / TEMPLATE, "word/document.xml", "{{ onderwerp }}", "{{ " + TAKES_LONG + " }}")
    _, stderr = _check_template(werkmap, SLOW[1])
    assert "duurt te lang" in stderr and ", alinea" not in stderr, stderr[-2000:]
