"""A template Jinja cannot parse as a whole (a syntax error, a tag nested too deeply) is reported at the paragraph
of the tag that fails alone, without the "Jinja-fout in de template (XML-regel 1)" before it: that line is one of
docxtpl's internal XML and says nothing to a griffie. Only an error no paragraph shows alone keeps that message."""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke, run
from tests.conftest import HEAD
from tests.unit.test_render_cache import _replace_in_member

HUIZEN_LETTER = "content/huizen/2021/brief.yaml"

TEMPLATE = "templates/huizen.docx"
SYNTAX = "de expressie is onvolledig of bevat een onverwacht teken"
NESTED = ("de expressie is te diep genest (meer dan 30 haakjes in elkaar of een keten van meer dan 100 bewerkingen); "
          "schrijf haar eenvoudiger")


def _lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(TEMPLATE)]


@pytest.mark.parametrize(("member", "old", "tag", "place", "reason"), [
    ("word/document.xml", ">{{ aan }}<", "{{ aan + }}", "word/document.xml, alinea 2", SYNTAX),
    ("word/footer1.xml", ">2<", "{{ datum + }}", "word/footer1.xml, alinea 1", SYNTAX),
    ("word/footer1.xml", ">2<", "{{ " + "(" * 40 + "1" + ")" * 40 + " }}", "word/footer1.xml, alinea 1", NESTED),
])
def test_a_template_that_does_not_parse_is_reported_once_at_its_paragraph(werkmap, member, old, tag, place, reason):
    """Before: "Jinja-fout in de template (XML-regel 1): …" first, and the paragraph's message only when the
    paragraph had a second tag failing the same way."""
    (werkmap / HUIZEN_LETTER).parent.mkdir(parents=True)
    (werkmap / HUIZEN_LETTER).write_text(HEAD.replace("hilversum", "huizen"), encoding="utf-8")
    _replace_in_member(werkmap / TEMPLATE, member, old, ">" + tag + "<")
    shown = tag if len(tag) <= 60 else tag[:59] + "…"
    expected = [f"{TEMPLATE}: {place}: Jinja-fout in '{shown}': {reason}"]
    check = invoke(werkmap, "templates", "check")
    assert check.exit_code == 1
    assert _lines(check.stderr) == expected, check.stderr[-2000:]
    build = run("-C", str(werkmap), "build", "--formaat", "docx")
    assert "Traceback" not in build.stderr
    assert build.returncode == 1
    assert _lines(build.stderr) == expected, build.stderr[-2000:]
    assert "XML-regel" not in build.stderr


def test_an_error_no_paragraph_shows_alone_keeps_the_general_message(werkmap):
    """A {% … %} cannot be checked alone (its block spans paragraphs): the problem is still reported."""
    _replace_in_member(werkmap / TEMPLATE, "word/footer1.xml", ">2<", ">{% foo %}<")
    check = invoke(werkmap, "templates", "check")
    assert check.exit_code == 1
    assert _lines(check.stderr) == [
        f"{TEMPLATE}: Jinja-fout in de template (XML-regel 1): onbekende opdracht in {{% … %}}"], check.stderr[-2000:]

