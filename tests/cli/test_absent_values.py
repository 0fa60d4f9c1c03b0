"""An optional value the letter lacks, printed through Jinja's own filters or a text method: the same
located Dutch error as ``{{ kenmerk }}``; testing, ``default``, ``length``/``count`` and loops still work."""

from __future__ import annotations

import docx
import pytest

from tests.cli.helpers import invoke
from tests.conftest import HEAD, VALID_LETTER, signed, write

LETTER = "content/test/brief.yaml"
VALID_DOCX = "build/hilversum/2021/inkoop-wmo-jeugd.docx"
CONTACTS = ("{{ contactpersonen }} is leeg: deze brief heeft geen 'contactpersonen:'; voeg 'contactpersonen:' toe "
            "(naam met telefoon of e-mail), of haal {{ contactpersonen }} weg")
KENMERK = "{{ kenmerk }} is leeg: deze brief heeft geen 'kenmerk:'; voeg 'kenmerk:' toe, of haal {{ kenmerk }} weg"
EMAIL = ("contactpersoon E. Seijsener heeft geen 'email:'; voeg 'email:' toe bij die contactpersoon, "
         "of haal de expressie weg")
WITH_CONTACT = "contactpersonen:\n  - naam: E. Seijsener\n    telefoon: \"0618878359\"\n"


def letter(expression: str, extra: str = "") -> str:
    """A letter whose section's second line (line 8 of the file, from column 7) holds ``expression``."""
    return signed(HEAD + extra + f"secties:\n  - tekst: |\n      Eerste regel.\n      {expression}\n")


def build(root):
    return invoke(root, "build", "--formaat", "docx")


@pytest.mark.parametrize(
    ("expression", "name"),
    [
        ('Bijlagen: {{ contactpersonen | join(", ") }}.', "contactpersonen"),
        ('Bel {{ contactpersonen | map(attribute="naam") | join(", ") }}.', "contactpersonen"),
        ('Bel {{ contactpersonen | selectattr("naam") | map(attribute="naam") | join }}.', "contactpersonen"),
        ("Bel {{ contactpersonen | first }}.", "contactpersonen"),
        ("Bel {{ (contactpersonen | last).naam }}.", "contactpersonen"),
        ("Bel {{ contactpersonen | list }}.", "contactpersonen"),
        ("Bel {{ contactpersonen | sort | join }}.", "contactpersonen"),
        ("Bel {{ contactpersonen | tojson }}.", "contactpersonen"),
        ("Bel {{ contactpersonen | sum }}.", "contactpersonen"),
        ('Bel {{ "Contact: " ~ (contactpersonen | join(", ")) }}.', "contactpersonen"),
        ('Bel {{ ", ".join(contactpersonen) }}.', "contactpersonen"),
        ("Kenmerk {{ kenmerk | int }}.", "kenmerk"),
        ("Kenmerk {{ kenmerk | float }}.", "kenmerk"),
        ("Kenmerk {{ kenmerk | string | upper }}.", "kenmerk"),
        ('Kenmerk {{ "%s" | format(kenmerk) }}.', "kenmerk"),
        ('Kenmerk {{ kenmerk | replace("a", "b") }}.', "kenmerk"),
        ('Kenmerk {{ "nr. " ~ kenmerk }}.', "kenmerk"),
        ('Kenmerk {{ "nr. x" | replace("x", kenmerk) }}.', "kenmerk"),
    ],
)
def test_an_absent_value_printed_through_a_filter_is_the_located_error(werkmap, expression, name):
    """Before, ``join``, ``map``, ``list``, ``sum``, ``int`` … printed "", "[]", "0" or a vague message."""
    write(werkmap, LETTER, letter(expression))
    result = build(werkmap)
    column = 7 + expression.index(name)
    message = CONTACTS if name == "contactpersonen" else KENMERK
    assert result.stderr.startswith(f"{LETTER}:8:{column}: {message}\n"), result.stderr
    assert result.stderr.count(f"{LETTER}:") == 1
    assert result.stdout == f"docx  {VALID_LETTER}\n1 gebouwd, 0 actueel, 1 met fouten.\n"
    assert (werkmap / VALID_DOCX).is_file()
    assert not (werkmap / "build/test/brief.docx").exists()
    assert result.exit_code == 1


def test_an_absent_contact_key_through_a_filter_is_the_located_error(werkmap):
    expression = 'Mail {{ contactpersonen | map(attribute="email") | join(", ") }}.'
    write(werkmap, LETTER, letter(expression, WITH_CONTACT))
    result = build(werkmap)
    assert result.stderr.startswith(f"{LETTER}:11:"), result.stderr
    assert EMAIL in result.stderr
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{% for c in contactpersonen %}Bel {{ c.naam }}.{% else %}Geen contact.{% endfor %}", "Geen contact."),
        ('{% for n in contactpersonen | map(attribute="naam") %}{{ n }}{% else %}Geen.{% endfor %}', "Geen."),
        ("{{ contactpersonen | length }} en {{ contactpersonen | count }}", "0 en 0"),
        ('{{ contactpersonen | map(attribute="naam") | list | length }}', "0"),
        ('{{ contactpersonen | join(", ") | default("geen") }}', "geen"),
        ('{{ contactpersonen | default(["niemand"]) | join(", ") }}', "niemand"),
        ('{{ contactpersonen | first | default("geen") }}', "geen"),
        ('{% if contactpersonen | first %}ja{% else %}nee{% endif %}', "nee"),
        ('{% if contactpersonen | select %}ja{% else %}nee{% endif %}', "nee"),
        ('{{ contactpersonen | join(", ") if contactpersonen else "niemand" }}', "niemand"),
        ('{% if kenmerk is defined %}ja{% else %}nee{% endif %}', "nee"),
        ('{{ kenmerk | upper | default("geen") }}', "geen"),
        ('{% set k = kenmerk | trim %}{{ k or "geen" }}', "geen"),
        ('{% macro lijst(xs) %}{{ xs | join(", ") if xs else "niemand" }}{% endmacro %}{{ lijst(contactpersonen) }}',
         "niemand"),
    ],
)
def test_a_text_may_still_test_count_and_loop_over_an_absent_value(werkmap, expression, expected):
    write(werkmap, LETTER, letter(expression))
    result = build(werkmap)
    assert result.exit_code == 0, result.stderr
    paragraphs = [p.text for p in docx.Document(werkmap / "build/test/brief.docx").paragraphs]
    assert f"Eerste regel. {expected}" in paragraphs


def test_present_values_through_the_same_filters_are_unchanged(werkmap):
    expression = ('{{ contactpersonen | map(attribute="naam") | join(", ") }}, {{ (contactpersonen | first).naam }}, '
                  "{{ contactpersonen | length }}")
    write(werkmap, LETTER, letter(expression, WITH_CONTACT))
    result = build(werkmap)
    assert result.exit_code == 0, result.stderr
    paragraphs = [p.text for p in docx.Document(werkmap / "build/test/brief.docx").paragraphs]
    assert "Eerste regel. E. Seijsener, E. Seijsener, 1" in paragraphs


def test_an_unknown_name_beside_an_absent_value_is_still_named(werkmap):
    """The absent value does not hide a typo in the same call."""
    write(werkmap, LETTER, letter("Bel {{ contactpersonen | join(scheidingsteken) }}."))
    result = build(werkmap)
    assert result.stderr.startswith(f"{LETTER}:8:37: onbekende naam 'scheidingsteken' in expressie"), result.stderr
    assert result.exit_code == 1
