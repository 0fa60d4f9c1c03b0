"""Stop 30: a Jinja tag written wrong in a letter's text is said once, precisely, at the tag itself.

Every letter here has a table ``status`` and its text from line 13, column 7 of its file (see :func:`letter`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import jinjatags
from tests.cli.helpers import invoke
from tests.conftest import HEAD, signed, write

NAME = "content/t/brief.yaml"
TABLE = "tabellen:\n  status:\n    kolommen: [Situatie, Aantal]\n    rijen:\n      - [Open, 2]\n      - [Dicht, 3]\n"


def letter(text: str) -> str:
    """A letter with table ``status`` and one section; its text starts on line 13, column 7."""
    body = "\n".join(f"      {line}" if line else "" for line in text.split("\n"))
    return signed(f"{HEAD}{TABLE}secties:\n  - tekst: |\n{body}\n")


def check(werkmap: Path, text: str, *options: str) -> list[str]:
    """The problems ``check`` prints for a letter with ``text``, without the summary."""
    write(werkmap, NAME, letter(text))
    result = invoke(werkmap, "check", *options, str(werkmap / NAME))
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if line.startswith(NAME)]


# The tester's text: an {% if %} without {% endif %} was reported twice, at an earlier {{ and at tabel()
UNENDED_IF = """\
Er zijn nu {{ tabellen.status.totaal }} aanmeldingen.
{% if tabellen.status.totaal > 3 %}Veel.

{{ tabel("status") }}

Einde."""


@pytest.mark.parametrize(("text", "expected"), [
    (UNENDED_IF, "14:7: {% if … %} zonder {% endif %}: zet {% endif %} waar dit stuk ophoudt"),
    ("Er zijn {% for r in tabellen.status.rijen %}{{ r[0] }}, {{ r[1] }}.\n\n{{ tabel('status') }}",
     "13:15: {% for … %} zonder {% endfor %}: zet {% endfor %} waar dit stuk ophoudt"),
    ("{% if 1 %}a {% for r in [1] %}b{% endif %}",
     "13:19: {% for … %} zonder {% endfor %}: zet {% endfor %} vóór {% endif %} waar dit stuk ophoudt"),
    ("Eerst {{ 1 }}.\nDan {% endif %} nog.", "14:11: {% endif %} zonder {% if … %} ervoor"),
    ("Er {{ 1 }} zijn {{ tabellen.status.totaal aanmeldingen.\n\nNog {{ 2 }}.", "13:23: {{ zonder }}: sluit de expressie af met }}"),
    ("Er zijn {% if tabellen.status.totaal > 3 veel.\n{% endif %}", "13:15: {% zonder %}: sluit de opdracht af met %}"),
])
def test_a_tag_written_wrong_is_one_error_at_that_tag(werkmap, text, expected):
    assert check(werkmap, text) == [f"{NAME}:{expected}"]


STRAY = ("losse {c} zonder {o} ervoor: zo komt '{c}' letterlijk in de brief; haal hem weg, zet {o} waar de expressie "
         "begint, of zet de tekst tussen {{% raw %}} en {{% endraw %}} als hij zo bedoeld is")


def test_a_stray_closer_is_a_warning_at_it_and_the_other_problems_of_the_text_are_reported_too(werkmap):
    """A warning, not an error: the text prints as written, and a closer may end ordinary braces (review r4)."""
    text = "Er zijn {{ tabellen.status.totaal }} aanmeldingen }} en {{ onbekend }}.\nDat is 50%} meer."
    assert check(werkmap, text) == [
        f"{NAME}:13:57: waarschuwing: " + STRAY.format(c="}}", o="{{"),
        f"{NAME}:13:66: onbekende naam 'onbekend' in expressie",
        f"{NAME}:14:16: waarschuwing: " + STRAY.format(c="%}", o="{%"),
    ]


@pytest.mark.parametrize("text", [
    'Zie het voorbeeld {"a": {"b": 1}} in de bijlage.', "De set {a, {b}} is leeg.", "| {x} | {y}} |",
])
def test_a_closer_that_ends_ordinary_braces_is_no_stray_one(werkmap, text):
    assert check(werkmap, text) == []


def test_a_text_full_of_stray_closers_is_said_by_its_first_ones(werkmap):
    """Review r4: each was located through the whole file: 100 000 of them took minutes."""
    found = check(werkmap, "a }} b\n" * 5000)
    assert len(found) == jinjatags.MAX_FLAWS and found[0].startswith(f"{NAME}:13:9: waarschuwing: losse }}}}")


def test_a_known_name_between_single_braces_is_a_warning_and_no_spelling_warning(werkmap):
    text = "Er zijn { tabellen.status.totaal } aanmeldingen, {datum} en { zie bijlage } of {x.y}."
    assert check(werkmap, text) == [
        f"{NAME}:13:15: waarschuwing: bedoelt u {{{{ tabellen.status.totaal }}}}? Tussen enkele accolades komt "
        "'{ tabellen.status.totaal }' letterlijk in de brief",
        f"{NAME}:13:56: waarschuwing: bedoelt u {{{{ datum }}}}? Tussen enkele accolades komt '{{datum}}' letterlijk in de brief",
    ]


def test_an_unknown_table_under_tabellen_is_said_as_tabel_says_it(werkmap):
    text = "Er zijn {{ tabellen.statsu.totaal }} en {{ tabellen['x'] }}.\n\n{{ tabel('stat') }}"
    assert check(werkmap, text) == [
        f"{NAME}:13:27: tabel 'statsu' bestaat niet; bekend: status; bedoelde u 'status'?",
        f"{NAME}:13:60: tabel 'x' bestaat niet; bekend: status",
        f"{NAME}:15:7: tabel 'stat' bestaat niet; bekend: status; bedoelde u 'status'?",
    ]


def test_an_unknown_table_is_still_not_defined_to_a_test(werkmap):
    assert check(werkmap, "{% if tabellen.x is defined %}Ja{% else %}Nee{% endif %}.", "--geen-spelling") == []


def test_a_tag_in_a_single_line_text_is_placed_after_an_earlier_equal_one(werkmap):
    write(werkmap, NAME, f"{HEAD}secties:\n  - tekst: \"{{{{ 1 }}}} en {{{{ 2 }}}} }}}} klaar.\"\n")
    result = invoke(werkmap, "check", str(werkmap / NAME))
    assert f"{NAME}:6:32: waarschuwing: losse }}}} zonder" in result.output


@pytest.mark.parametrize("text", [
    "{{ '}}' }} en {{ {'a': {'b': 1}}['a']['b'] }}",
    "{% raw %}{{ }} }}{% endraw %} en {# }} #}",
    "{% set x %}a{% endset %}{% set y = 1 %}{% for r in [1] %}{% if r %}{% else %}{% endif %}{% endfor %}",
    "Zo'n {{ 'x' }} en {{ \"it's\" }}",
    "{ zie bijlage } en {hallo}",
])
def test_sound_texts_have_no_tag_flaws(text):
    assert jinjatags.misplaced(text) is None
    assert jinjatags.stray(text, {"tabellen", "datum"}) == []


def test_a_syntax_error_the_tags_do_not_explain_is_said_once(werkmap):
    # before stop 30: once at every {{ on its line, each blanked in turn to look for further failures
    assert check(werkmap, "Er {{ 1 }} en {{ 2 }} {% if %}x{% endif %}.", "--geen-spelling") == [
        f"{NAME}:13:10: fout in expressie: de expressie {{{{ … }}}} of opdracht {{% … %}} is onvolledig of onjuist geschreven"]
