"""A tag, a letter's text or a YAML file nested too deeply for Jinja's or the YAML reader's recursion: a located
Dutch problem ("te diep genest"), never a traceback, and the other letters are still built."""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke, run
from tests.conftest import HEAD, VALID_LETTER, signed
from tests.unit.test_render_cache import _replace_in_member

HUIZEN_LETTER = "content/huizen/2021/brief.yaml"
TEXT_LETTER = "content/hilversum/2021/diep.yaml"
TEMPLATE = "templates/huizen.docx"

DEEP_TAGS = {
    "haakjes": "(" * 3000 + "1" + ")" * 3000,
    "optellingen": " + ".join(["1"] * 3000),
    "not": "not " * 3000 + "1",
}


def _huizen_letter(werkmap):
    (werkmap / HUIZEN_LETTER).parent.mkdir(parents=True)
    (werkmap / HUIZEN_LETTER).write_text(HEAD.replace("hilversum", "huizen"), encoding="utf-8")


def _built(werkmap, letter: str) -> bool:
    return (werkmap / "build" / letter.removeprefix("content/")).with_suffix(".docx").is_file()


@pytest.mark.parametrize(("kind", "jobs"), [("haakjes", "1"), ("haakjes", "2"), ("optellingen", "1"), ("not", "1")])
def test_a_house_style_tag_nested_too_deeply_is_located_at_its_paragraph(werkmap, kind, jobs):
    """Before: the template check raised RecursionError and build, check and templates check ended in a traceback."""
    _huizen_letter(werkmap)
    _replace_in_member(werkmap / TEMPLATE, "word/footer1.xml", ">-<", ">{{ " + DEEP_TAGS[kind] + " }}<")
    located = f"{TEMPLATE}: word/footer1.xml, alinea 1: Jinja-fout in '{{{{ "
    build = run("-C", str(werkmap), "build", "--formaat", "docx", "--jobs", jobs)
    assert "Traceback" not in build.stderr
    assert build.returncode == 1, build.stderr[-2000:]
    [line] = [line for line in build.stderr.splitlines() if line.startswith(located)]
    assert line.endswith("…': de expressie is te diep genest (meer dan 30 haakjes in elkaar of een keten van meer dan "
                         "100 bewerkingen); schrijf haar eenvoudiger"), line
    assert f"{HUIZEN_LETTER}:2:14: de huisstijl 'huizen' (van organisatie 'huizen') is onbruikbaar" in build.stderr
    assert _built(werkmap, VALID_LETTER) and not _built(werkmap, HUIZEN_LETTER)
    for command in (("templates", "check"), ("check", "--geen-spelling")):
        result = run("-C", str(werkmap), *command)
        assert "Traceback" not in result.stderr
        assert result.returncode == 1
        assert line in result.stderr.splitlines(), result.stderr[-2000:]


@pytest.mark.parametrize("kind", sorted(DEEP_TAGS))
def test_a_letter_text_nested_too_deeply_is_located_in_the_letter(werkmap, kind):
    """Before: 'expressie mislukt: een macro of lus roept zichzelf te vaak aan', and for brackets twice."""
    (werkmap / TEXT_LETTER).write_text(signed(HEAD + "secties:\n  - tekst: |\n      Eerst.\n      Dan {{ " + DEEP_TAGS[kind]
                                              + " }} hier.\n"), encoding="utf-8")
    expected = (f"{TEXT_LETTER}:8:11: fout in expressie: de expressie is te diep genest (meer dan 30 haakjes in elkaar "
                "of een keten van meer dan 100 bewerkingen); schrijf haar eenvoudiger")
    check = invoke(werkmap, "check", "--geen-spelling", str(werkmap / TEXT_LETTER))
    assert check.exit_code == 1
    assert [line for line in check.stderr.splitlines() if TEXT_LETTER in line] == [expected]
    build = run("-C", str(werkmap), "build", "--formaat", "docx", "--jobs", "1")
    assert "Traceback" not in build.stderr
    assert expected in build.stderr.splitlines()
    assert _built(werkmap, VALID_LETTER) and not _built(werkmap, TEXT_LETTER)


def test_an_organisation_file_nested_too_deeply_is_located_and_the_other_organisations_letters_are_built(werkmap):
    _huizen_letter(werkmap)
    organisation = werkmap / "content/organisaties/huizen.yaml"
    lines = organisation.read_text(encoding="utf-8").count("\n")
    with organisation.open("a", encoding="utf-8") as file:
        file.write("extra: " + "[" * 10_000 + "]" * 10_000 + "\n")
    build = run("-C", str(werkmap), "build", "--formaat", "docx", "--jobs", "1")
    assert "Traceback" not in build.stderr
    assert build.returncode == 1
    [line] = [line for line in build.stderr.splitlines() if line.startswith("content/organisaties/huizen.yaml:")]
    assert line.startswith(f"content/organisaties/huizen.yaml:{lines + 1}:") and "de YAML is te diep genest" in line, line
    assert _built(werkmap, VALID_LETTER) and not _built(werkmap, HUIZEN_LETTER)
