"""Problems that a broken value used to hide: each is reported, and nothing that only follows from the broken value."""

from __future__ import annotations

import re

import pytest

from tests.cli.helpers import invoke
from tests.conftest import HEAD, VALID_LETTER, write

LETTER = "content/x/brief.yaml"
UNKNOWN = "onbekende naam 'onbekend' in expressie"


def _errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": waarschuwing: " not in line and line.startswith("content/")]


def _check_and_build(werkmap, expected: list[str]) -> None:
    """``check`` and a DOCX build report exactly ``expected``; the broken letter is not built, the valid one is."""
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1
    assert _errors(check) == expected
    build = invoke(werkmap, "build", "--formaat", "docx")
    assert build.exit_code == 1
    assert _errors(build) == expected
    assert not (werkmap / "build/x").exists()
    assert (werkmap / "build" / VALID_LETTER.removeprefix("content/").replace(".yaml", ".docx")).is_file()


def test_a_wrong_date_hides_no_expression_but_the_signers_in_office_are_not_looked_up(werkmap):
    """The date is needed to find who was in office: that check is skipped, not reported as a follow-up."""
    write(werkmap, LETTER, HEAD.replace("2021-11-16", "2021-13-16") + (
        "secties:\n"
        "  - tekst: 'Op {{ datum | datum }} en {{ onbekend }}.'\n"
        "ondertekening:\n"
        "  - rol: burgemeester\n"
        "    naam: Niemand\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:3:8: ongeldige datum '2021-13-16': maand 13 bestaat niet (1 tot en met 12)",
        f"{LETTER}:6:42: {UNKNOWN}",
    ])


def test_a_missing_required_key_and_a_wrong_type_hide_no_later_problem(werkmap):
    write(werkmap, LETTER, HEAD.replace("onderwerp: Test\n", "") + (
        "nummer: [1, 2]\n"
        "secties:\n"
        "  - tekst: 'Nummer {{ nummer }}.'\n"
        "  - tekst: '{{ onbekend }}'\n"
        "contactpersonen:\n"
        "  - naam: A. Jansen\n"
        "    telefoon: '12'\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:1:1: verplichte sleutel 'onderwerp' ontbreekt",
        f"{LETTER}:4:9: 'nummer' moet tekst zijn, niet een lijst",
        f"{LETTER}:7:16: {UNKNOWN}",
        f"{LETTER}:10:15: '12' is geen geldig telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)",
    ])


def test_a_broken_table_or_section_hides_no_other_table_or_section(werkmap):
    """A text using the broken table gives no second problem ('bestaat niet'); the text of a section with a broken
    heading is still checked."""
    write(werkmap, LETTER, HEAD + (
        "tabellen:\n"
        "  kapot:\n"
        "    soort: stuks\n"
        "    rijen: [[a, 1]]\n"
        "  goed:\n"
        "    rijen: [[a, 1], [b, 2]]\n"
        "    totaal: 4\n"
        "secties:\n"
        "  - tekst: |\n"
        "      Samen {{ tabellen.kapot.totaal }}.\n"
        "\n"
        "      {{ tabel(\"kapot\") }}\n"
        "  - kop: [een, lijst]\n"
        "    tekst: '{{ onbekend }}'\n"
        "  - tekst: 'Nog {{ onbekend }}.'\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:7:12: ongeldige waarde 'stuks' voor 'soort'; kies uit: 'aantal', 'bedrag'",
        f"{LETTER}:11:13: het opgegeven totaal 4 klopt niet met de som van de rijen (3)",
        f"{LETTER}:17:10: 'kop' moet tekst zijn, niet een lijst",
        f"{LETTER}:18:16: {UNKNOWN}",
        f"{LETTER}:19:20: {UNKNOWN}",
    ])


def test_a_broken_organisation_key_hides_no_problem_of_the_text(werkmap):
    write(werkmap, LETTER, HEAD.replace("organisatie: hilversum", "organisatie: [hilversum]") + (
        "secties:\n"
        "  - tekst: '{{ organisatie.naam }} en {{ onbekend }}'\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:2:14: 'organisatie' moet tekst zijn, niet een lijst",
        f"{LETTER}:6:42: {UNKNOWN}",
    ])


def test_every_failing_expression_of_a_text_with_statements_is_reported(werkmap):
    """A text with {% … %} cannot be cut into lone expressions (a loop variable, a set): it is rendered again
    without each failing {{ … }} in turn; a name inside the loop that works is not reported."""
    write(werkmap, LETTER, HEAD + (
        "secties:\n"
        "  - tekst: |\n"
        "      {% if 1 %}Een {{ onbekend }}.{% endif %}\n"
        "      Twee {{ ook_onbekend }}.\n"
        "      {% for x in [1, 2] %}{{ x }}{{ x.foo }}{% endfor %}\n"
        "      {% set y = 3 %}{{ y | datum }}\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:7:24: {UNKNOWN}",
        f"{LETTER}:8:15: onbekende naam 'ook_onbekend' in expressie",
        f"{LETTER}:9:40: onbekende naam 'foo' in expressie",
        f"{LETTER}:10:22: '3' is geen datum",  # at its {{
    ])


@pytest.mark.parametrize("statement", ["", "{% if 1 %}ja{% endif %}\n      "])
def test_the_renders_that_find_other_failing_expressions_are_bounded(werkmap, statement, monkeypatch):
    """Each failing {{ }} made one more render of the whole text, each with the time limit of one text: a slow
    loop and many failing lines multiplied it (a reviewer's text took 11 s). At most MAX_RENDERS_AFTER_FAILURE.
    The renders' shared CPU time (expressions.SEARCH_SECONDS) is raised here: on a loaded machine 0.2 s ended
    the search before the count did, and this test is about the count."""
    from briefgen import expressions
    from briefgen.resolve import MAX_RENDERS_AFTER_FAILURE

    monkeypatch.setattr(expressions, "SEARCH_SECONDS", 10.0)

    lines = "".join(f"      Regel {{{{ onbekend{n} }}}}.\n" for n in range(MAX_RENDERS_AFTER_FAILURE + 20))
    write(werkmap, LETTER, HEAD + "secties:\n  - tekst: |\n      " + statement + lines.lstrip())
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / LETTER))
    reported = [line for line in result.stderr.splitlines() if "onbekende naam 'onbekend" in line]
    assert MAX_RENDERS_AFTER_FAILURE <= len(reported) <= MAX_RENDERS_AFTER_FAILURE + 1


def _template_lines(werkmap, *paragraphs: str) -> list[str]:
    """``templates check`` of the huizen template with ``paragraphs`` added after one with ``{{ begin }}``:
    its lines about unknown names, each paragraph numbered from that one (``alinea +1``: the first of ``paragraphs``)."""
    from docx import Document

    document = Document(str(werkmap / "templates/huizen.docx"))
    for text in ("{{ begin }}", *paragraphs):
        document.add_paragraph(text)
    document.save(str(werkmap / "templates/eigen.docx"))
    result = invoke(werkmap, "templates", "check")
    assert result.exit_code == 1
    lines = [line.split(", maar geen brief")[0] for line in result.stderr.splitlines() if line.startswith("templates/eigen.docx")]
    first = int(next(re.search(r"alinea (\d+): de template gebruikt 'begin'", line) for line in lines if "'begin'" in line).group(1))
    return [re.sub(r"alinea (\d+):", lambda m: f"alinea +{int(m.group(1)) - first}:", line) for line in lines if "'begin'" not in line]


SCOPED = ("{% for x in [datum] %}{{ x }}{{ loop.index }}{% endfor %}", "{{ x }}",
          "{% with w = aan %}{% set v = w %}{{ v }}{% endwith %}", "{{ v }} {{ w }}",
          "{% set y = aan %}{{ y }}", "{{ loop }}")


def test_templates_check_knows_a_loop_or_set_variable_only_in_its_scope(werkmap):
    """Jinja's own check: a name used outside the block that declares it is reported, at its paragraph."""
    assert _template_lines(werkmap, *SCOPED) == [
        "templates/eigen.docx: word/document.xml, alinea +6: de template gebruikt 'loop'",
        "templates/eigen.docx: word/document.xml, alinea +4: de template gebruikt 'v'",
        "templates/eigen.docx: word/document.xml, alinea +4: de template gebruikt 'w'",
        "templates/eigen.docx: word/document.xml, alinea +2: de template gebruikt 'x'",
    ]


def test_after_a_jinja_error_a_loop_or_set_variable_counts_only_in_its_scope(werkmap):
    """Each {{ … }} checked alone after Jinja stopped: the names declared around it, not those of the whole template."""
    assert _template_lines(werkmap, "{% foo %}", *SCOPED) == [
        "templates/eigen.docx: Jinja-fout in de template (XML-regel 1): onbekende opdracht in {% … %}",
        "templates/eigen.docx: word/document.xml, alinea +3: de template gebruikt 'x'",
        "templates/eigen.docx: word/document.xml, alinea +5: de template gebruikt 'v'",
        "templates/eigen.docx: word/document.xml, alinea +5: de template gebruikt 'w'",
        "templates/eigen.docx: word/document.xml, alinea +7: de template gebruikt 'loop'",
    ]


def test_the_largest_table_total_a_letter_can_hold_can_be_used_in_its_text(werkmap):
    """A table takes numbers of yamlio.MAX_DIGITS digits and adds them up; its total in the text is the one in
    the table (the expression limit is above every number a letter can hold), and beyond the limit a located message."""
    from docx import Document

    from briefgen import expressions, yamlio

    assert expressions.MAX_DIGITS >= yamlio.MAX_DIGITS + len(str(yamlio.MAX_NODES))  # a sum of every value a file can hold
    big = "9" * yamlio.MAX_DIGITS
    write(werkmap, LETTER, HEAD + (
        f"tabellen:\n  t:\n    kolommen: [Wat, Aantal]\n    rijen:\n      - [a, {big}]\n      - [b, {big}]\n"
        "secties:\n  - tekst: |\n      Samen {{ tabellen.t.totaal | getal }}.\n\n      {{ tabel(\"t\") }}\n"))
    build = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / LETTER))
    assert build.exit_code == 0, build.output
    document = Document(str(werkmap / "build/x/brief.docx"))
    total = f"{2 * int(big):,}".replace(",", ".")
    assert f"Samen {total}." in [p.text for p in document.paragraphs]
    assert total in [c.text for t in document.tables for row in t.rows for c in row.cells]
    write(werkmap, LETTER, HEAD + "secties:\n  - tekst: |\n      Een.\n      Te groot: {{ 10 ** 60 * 10 ** 60 }}.\n")
    check = invoke(werkmap, "check", "--geen-spelling", str(werkmap / LETTER))
    assert _errors(check) == [f"{LETTER}:8:17: een getal van meer dan {expressions.MAX_DIGITS} cijfers is niet toegestaan in een expressie"]


def test_a_number_as_table_name_and_a_list_total_with_text_get_one_dutch_message_each(werkmap):
    """pydantic's '[key]' and the other union member's "moet een getal zijn" at a list that may be one never reach the user."""
    write(werkmap, LETTER, HEAD + (
        "tabellen:\n"
        "  5:\n"
        "    rijen: [[a, 1]]\n"
        "  t:\n"
        "    rijen: [[a, 1]]\n"
        "    totaal: [1, x]\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:6:3: de sleutel 5 onder 'tabellen' moet tekst zijn; zet hem tussen aanhalingstekens: '5'",
        f"{LETTER}:10:17: 'een element van totaal' moet een getal zijn, niet de tekst 'x'",
    ])


def test_a_broken_value_in_an_organisation_file_hides_not_its_college_check(werkmap):
    organisation = werkmap / "content/organisaties/hilversum.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace('nummering: "', 'website: [x]\nnummering: "').replace(
        "    tot: 2023-09-01\n", "    tot: 2023-09-01\n  - naam: X. Tweede\n    functie: burgemeester\n    van: 2020-01-01\n", 1),
        encoding="utf-8")
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1
    lines = [line for line in check.stderr.splitlines() if line.startswith("content/organisaties/hilversum.yaml") and "waarschuwing" not in line]
    assert lines == [
        "content/organisaties/hilversum.yaml:10:10: 'website' moet tekst zijn, niet een lijst",
        "content/organisaties/hilversum.yaml:21:5: X. Tweede en P.I. Broertjes zijn op dezelfde dag(en) allebei burgemeester; "
        "'tot' is de laatste dag in functie, dus laat de opvolger een dag later beginnen",
    ]


def test_broken_tables_give_no_table_follow_up(werkmap):
    """'tabellen' of the wrong kind: tabel() and tabellen in the text are skipped; a number as a table's name
    (pydantic's key 2) does not trip the list of known tables."""
    write(werkmap, LETTER, HEAD + "tabellen: [1]\nsecties:\n  - tekst: |\n      {{ tabellen.t.totaal }}\n\n      {{ tabel(\"t\") }}\n")
    _check_and_build(werkmap, [f"{LETTER}:5:11: 'tabellen' moet sleutels met waarden bevatten, niet een lijst"])
    write(werkmap, LETTER, HEAD + "tabellen:\n  2:\n    rijen: [[a, 1]]\nsecties:\n  - tekst: |\n      {{ tabel(\"t\") }}\n")
    _check_and_build(werkmap, [f"{LETTER}:6:3: de sleutel 2 onder 'tabellen' moet tekst zijn; zet hem tussen aanhalingstekens: '2'",
                               f"{LETTER}:10:7: tabel 't' bestaat niet; bekend: 2"])
