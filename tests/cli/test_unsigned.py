"""A letter built with a closing formula and nobody under it is said (stop 30): its own ``slot:`` or its kind's
default ("Hoogachtend,"), unless ``ondertekening`` is given (``[]`` when it is meant to go unsigned) or there is no
closing formula at all (an informatienota, ``slot: ""``, a house style without one)."""

from __future__ import annotations

import re
import zipfile

import pytest

from tests.cli.helpers import invoke
from tests.cli.test_templates import TEMPLATE, part, rezip
from tests.conftest import HEAD, write

LETTER = "content/test/brief.yaml"
UNSIGNED = ("waarschuwing: niemand ondertekent deze brief: hij wordt gebouwd met alleen de slotformule; vul "
            "'ondertekening:' in (bijvoorbeeld 'ondertekening: college'), of 'ondertekening: []' als dat zo bedoeld is")
BODY = "secties:\n  - tekst: Tekst.\n"


def _check(werkmap, text: str):
    write(werkmap, LETTER, text)
    return invoke(werkmap, "check", "--streng", str(werkmap / LETTER))


def test_the_default_closing_with_nobody_under_it_is_said_at_line_1(werkmap):
    result = _check(werkmap, HEAD + BODY)
    assert f"{LETTER}:1:1: {UNSIGNED}\n" in result.stderr, result.stderr
    assert result.exit_code == 1  # --streng: a warning fails the check


def test_an_own_closing_is_said_at_its_value(werkmap):
    result = _check(werkmap, HEAD + BODY + "slot: Met vriendelijke groet,\n")
    assert f"{LETTER}:7:7: {UNSIGNED}\n" in result.stderr, result.stderr


@pytest.mark.parametrize("extra", [
    "ondertekening: []\n",
    "ondertekening:\n  - rol: burgemeester\n",
    'slot: ""\n',
])
def test_signers_an_explicit_empty_list_or_no_closing_is_not_said(werkmap, extra):
    result = _check(werkmap, HEAD + BODY + extra)
    assert "niemand ondertekent" not in result.stderr, result.stderr
    assert result.exit_code == 0, result.output


def test_an_informatienota_has_no_default_closing(werkmap):
    text = HEAD.replace("raadsinformatiebrief", "informatienota") + BODY
    result = _check(werkmap, text)
    assert "niemand ondertekent" not in result.stderr, result.stderr


def test_a_house_style_without_a_closing_formula_is_not_said(werkmap):
    template = werkmap / TEMPLATE
    template.write_bytes(rezip(template.read_bytes(), part("word/document.xml", lambda b: b.replace(
        b"{%p if slot %}", b"{%p if false %}").replace(b"{{ slot }}", b""))))
    result = _check(werkmap, HEAD + BODY)
    assert "niemand ondertekent" not in result.stderr, result.stderr
    assert "slot" not in result.stderr, result.stderr


def fixed_signature(document: bytes) -> bytes:
    """``standaard.docx``'s document with the signature typed in as fixed text: no ``ondertekening`` field left."""
    document = re.sub(rb"\{%p if ondertekening[^%]*%\}", b"{%p if true %}", document)
    document = re.sub(rb"\{%tr for persoon in ondertekening[^%]*%\}", b"{%tr for persoon in [] %}", document)
    document = re.sub(rb"\{\{ ondertekening\.[^}]*\}\}", b"J. Vast", document)
    assert b"ondertekening" not in document
    return document


def test_a_house_style_with_the_signature_as_fixed_text_is_not_said(werkmap):
    template = werkmap / "templates" / "standaard.docx"
    template.write_bytes(rezip(template.read_bytes(), part("word/document.xml", fixed_signature)))
    result = _check(werkmap, HEAD + "huisstijl: standaard\n" + BODY)
    assert "niemand ondertekent" not in result.stderr, result.stderr
    assert result.exit_code == 0, result.output
    built = invoke(werkmap, "build", "-f", "docx", str(werkmap / LETTER))
    assert built.exit_code == 0, built.output
    with zipfile.ZipFile(werkmap / "build" / "test" / "brief.docx") as docx:
        assert "J. Vast" in docx.read("word/document.xml").decode()


def test_the_unchanged_standaard_house_style_still_says_it(werkmap):
    result = _check(werkmap, HEAD + "huisstijl: standaard\n" + BODY)
    assert f"{LETTER}:1:1: {UNSIGNED}\n" in result.stderr, result.stderr
