"""Every problem of a file at once: one kind of mistake does not hide the file's other mistakes.

Each test writes a file with mistakes of different kinds and expects the full list of located
messages, in order; the letter is not built, the other letters are.
"""

from __future__ import annotations

import re
import shutil

from tests.cli.helpers import invoke
from tests.conftest import HEAD, REPO, VALID_LETTER, write

NEXT = "content/hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd.yaml"  # its 'vorige' is VALID_LETTER
HUIZEN = "content/huizen/2021/transitieregelingen-dagbesteding.yaml"
TWICE = "staat er twee keer in (eerder op regel {}); de tweede zou de eerste stilzwijgend vervangen"
TAG = "de typeaanduiding '{}' is niet toegestaan; schrijf gewone tekst (zet een waarde die met '!' begint tussen aanhalingstekens)"
FOLLOWS = f"  {NEXT} (door de fouten in {VALID_LETTER})"  # in the list of letters not built


def _with_others(werkmap):
    write(werkmap, NEXT, (REPO / NEXT).read_bytes())
    shutil.copytree(REPO / "content/huizen", werkmap / "content/huizen")
    return werkmap


def _errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": waarschuwing: " not in line]


def _reported_by_check_and_build(werkmap, expected: list[str]):
    """``check`` and a DOCX build both fail with exactly ``expected`` (the build's lines about content/:
    it also lists the letters not built); the build's result, for what else it must say."""
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1
    assert _errors(check) == expected
    build = invoke(werkmap, "build", "--formaat", "docx")
    assert build.exit_code == 1
    assert [line for line in _errors(build) if line.startswith("content/")] == expected
    return build


def _edit(werkmap, rel: str, *changes: tuple[str, str]) -> None:
    path = werkmap / rel
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_a_duplicate_key_hides_no_other_problem_of_the_letter(werkmap):
    """The lead's case: a second 'onderwerp:', a date that does not exist and a wrong table total."""
    _with_others(werkmap)
    _edit(werkmap, VALID_LETTER, ("datum: 2021-11-16", "datum: 2021-13-16"), ("    totaal: 15\n", "    totaal: 16\n"),
          ("aanhef: Geachte raads- en commissieleden,\n", "aanhef: Geachte raads- en commissieleden,\nonderwerp: Nog een\n"))
    expected = [
        f"{VALID_LETTER}:5:8: ongeldige datum '2021-13-16': maand 13 bestaat niet (1 tot en met 12)",
        f"{VALID_LETTER}:8:1: de sleutel 'onderwerp' {TWICE.format(6)}",
        f"{VALID_LETTER}:21:13: het opgegeven totaal 16 klopt niet met de som van de rijen (15)",
    ]  # the letter whose 'vorige' it is follows from these: not another problem, but not built either (FOLLOWS)
    build = _reported_by_check_and_build(werkmap, expected)
    assert FOLLOWS in build.stderr.splitlines()
    assert (werkmap / "build/huizen/2021/transitieregelingen-dagbesteding.docx").is_file()
    assert not (werkmap / "build/hilversum").exists()


def test_a_letter_whose_only_mistake_is_a_duplicate_key_is_not_built_nor_used_by_another(werkmap):
    """Read on with the first value for its other problems, but neither built nor taken as 'vorige'."""
    _with_others(werkmap)
    _edit(werkmap, VALID_LETTER, ("aanhef: Geachte raads- en commissieleden,\n",
                                  "aanhef: Geachte raads- en commissieleden,\nonderwerp: Nog een\n"))
    expected = [f"{VALID_LETTER}:8:1: de sleutel 'onderwerp' {TWICE.format(6)}"]
    alone = invoke(werkmap, "check", "--geen-spelling", str(werkmap / NEXT))  # read by itself, the other one not checked
    assert alone.exit_code == 1
    assert [line for line in _errors(alone) if line.startswith("content/")] == [
        f"{NEXT}:9:9: vorige brief 'hilversum/2021/inkoop-wmo-jeugd' bevat fouten (zie {VALID_LETTER})"]
    build = _reported_by_check_and_build(werkmap, expected)
    assert FOLLOWS in build.stderr.splitlines()
    assert not (werkmap / "build/hilversum").exists()


def test_refused_tags_a_too_long_number_and_a_bad_date_are_reported_together(werkmap):
    write(werkmap, "content/x/brief.yaml", HEAD.replace("2021-11-16", "2021-02-30") + (
        "kenmerk: !!binary abc\n"
        "aan: !foo [De raad]\n"
        "secties:\n  - tekst: Tekst.\n"
        "tabellen:\n  t:\n    rijen:\n      - [a, " + "1" * 61 + "]\n"
    ))
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1
    assert _errors(check) == [
        "content/x/brief.yaml:3:8: ongeldige datum '2021-02-30': die dag bestaat niet",
        f"content/x/brief.yaml:5:10: {TAG.format('!!binary')}",
        f"content/x/brief.yaml:6:6: {TAG.format('!foo')}",
        "content/x/brief.yaml:12:13: het getal is te lang (61 cijfers; maximaal 60); zet het tussen aanhalingstekens als het tekst is",
    ]


def test_an_unknown_key_hides_neither_a_flawed_table_nor_a_bad_signer_nor_an_expression(werkmap):
    write(werkmap, "content/x/brief.yaml", HEAD + (
        "onbekend: x\n"
        "ondertekening:\n  - rol: wethouder\n    naam: Niemand\n"
        "tabellen:\n  t:\n    kolommen: [A, B]\n    rijen:\n      - [x, 1]\n    totaal: 5\n"
        "secties:\n  - tekst: Hallo {{ onbekend }}.\n  - tekst: Dag {{ 1 + }} daar.\n"
    ))
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1
    assert _errors(check) == [
        "content/x/brief.yaml:5:1: onbekende sleutel 'onbekend'; toegestaan zijn: aan, aanhef, bijlagen, contactpersonen, "
        "datum, geimporteerd_uit, huisstijl, kenmerk, nummer, ondertekening, onderwerp, organisatie, portefeuille, portefeuillehouder, "
        "secties, slot, soort, tabellen, toezeggingen, toezeggingen_tonen, van, vorige, zaaknummer",
        "content/x/brief.yaml:8:11: geen ondertekenaar: Niemand is op 16 november 2021 geen wethouder van Gemeente "
        "Hilversum (Niemand staat niet in het organisatiebestand); in functie: A.B. Jansen, C.D. Bakker, E.F. Visser, "
        "G.H. Smit",
        "content/x/brief.yaml:14:13: het opgegeven totaal 5 klopt niet met de som van de rijen (1)",
        "content/x/brief.yaml:16:21: onbekende naam 'onbekend' in expressie",
        "content/x/brief.yaml:17:16: fout in expressie: de expressie is onvolledig of bevat een onverwacht teken",
    ]


def test_a_misspelt_required_key_hides_no_other_problem_of_the_letter(werkmap):
    """Without 'onderwerp' the letter is still checked further: the unknown key says which key it meant."""
    write(werkmap, "content/x/brief.yaml", HEAD.replace("onderwerp:", "onderwep:") + "secties:\n  - tekst: '{{ 1 + }}'\n")
    check = invoke(werkmap, "check", "--geen-spelling")
    assert _errors(check) == ["content/x/brief.yaml:4:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?",
                              "content/x/brief.yaml:6:13: fout in expressie: de expressie is onvolledig of bevat een onverwacht teken"]


def test_every_problem_of_an_organisation_file_at_once_and_its_letters_are_not_built(werkmap):
    _with_others(werkmap)
    organisation = "content/organisaties/huizen.yaml"
    _edit(werkmap, organisation, ("plaatsnaam: Huizen\n", "plaatsnaam: Huizen\nplaatsnaam: Blaricum\n"),
          ("tooi: gm0406\n", "tooi: !!str gm0406\nnaam: Gemeente Blaricum\n"),
          ("    van: 2018-05-01\n", "    van: 2018-13-01\n"))
    expected = [
        f"{organisation}:4:1: de sleutel 'plaatsnaam' {TWICE.format(3)}",
        f"{organisation}:7:1: de sleutel 'naam' {TWICE.format(2)}",
        f"{organisation}:21:10: ongeldige datum '2018-13-01': maand 13 bestaat niet (1 tot en met 12)",
    ]
    build = _reported_by_check_and_build(werkmap, expected)
    assert f"  {HUIZEN} (door de fouten in {organisation})" in build.stderr.splitlines()
    assert not (werkmap / "build/huizen").exists()
    assert (werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.docx").is_file()


def test_every_setting_given_twice_and_the_other_settings_problems_at_once(werkmap):
    write(werkmap, "pyproject.toml", "[tool.briefgen]\ntaken = 2\ntaken = 3\npdf_timeout = -1\n[tool.briefgen]\nsofice = 'x'\n")
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "pyproject.toml:3:1: ongeldige TOML: de instelling 'taken' staat er twee keer in (eerder op regel 2); verwijder er één",
        "pyproject.toml:4:1: 'pdf_timeout' moet een aantal seconden van minstens 1 (en hoogstens een dag) zijn, niet -1",
        "pyproject.toml:5:1: ongeldige TOML: de tabel [tool.briefgen] staat er twee keer in; voeg de twee samen",
    ]
    assert not (werkmap / "build").exists()


def test_a_toml_syntax_error_after_a_setting_given_twice_ends_the_file_with_both(werkmap):
    """What follows a syntax error cannot be read; what came before it is still reported."""
    write(werkmap, "briefgen.toml", "taken = 2\ntaken = 3\nsoffice = /usr/bin/soffice\npdf_timeout = -1\n")
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.stderr.splitlines() == [
        "briefgen.toml:2:1: ongeldige TOML: de instelling 'taken' staat er twee keer in (eerder op regel 1); verwijder er één",
        "briefgen.toml:3:11: ongeldige TOML: ongeldige waarde",
    ]


def test_the_example_letters_still_read_without_problems(tmp_path):
    """Nothing of the above changes a file without mistakes (the goldens check the output)."""
    root = tmp_path / "w"
    for part in ("templates", "content"):
        shutil.copytree(REPO / part, root / part)
    check = invoke(root, "check", "--geen-spelling")
    assert check.exit_code == 0, check.stderr


def test_every_failing_expression_of_a_text_is_reported(werkmap):
    """Jinja stops a text at its first failing expression; each ``{{ … }}`` of it is checked alone too."""
    write(werkmap, "content/x/brief.yaml", HEAD + (
        "secties:\n"
        "  - tekst: |\n      Hallo {{ onbekend }} en {{ 1 + }}.\n"
        "  - kop: 'Kop {{ fout }}'\n    tekst: 'Dag {{ tabellen.y.totaal }} daar {{ ander }}'\n"
        "  - tekst: '{% if ja %}{{ niets }}{% endif %} {{ nergens }}'\n"
    ))
    check = invoke(werkmap, "check", "--geen-spelling")
    assert _errors(check) == [
        "content/x/brief.yaml:7:16: onbekende naam 'onbekend' in expressie",
        "content/x/brief.yaml:7:31: fout in expressie: de expressie is onvolledig of bevat een onverwacht teken",  # at its {{
        "content/x/brief.yaml:8:18: onbekende naam 'fout' in expressie",
        "content/x/brief.yaml:9:29: tabel 'y' bestaat niet; bekend: geen",
        "content/x/brief.yaml:9:49: onbekende naam 'ander' in expressie",
        # with a statement the blocks cannot be taken apart: the first failure only
        "content/x/brief.yaml:10:19: onbekende naam 'ja' in expressie",
    ]


def test_a_jinja_error_in_a_template_hides_neither_its_unknown_fields_nor_its_other_errors(werkmap):
    """Jinja stops the template at its first error; each ``{{ … }}`` is then checked alone."""
    from docx import Document

    document = Document(str(werkmap / "templates/huizen.docx"))
    for text in ("{% foo %}", "{{ onbekend1 }}", "{{ a + }}", "{{r onbekend2 }}", "{{ datum }}",
                 "{% for x in [datum] %}{{ x }}{{ loop.index }}{% endfor %}", "{% set y, z = aan, van %}{{ z }}",
                 "{% with w = aan %}{{ w }}{% endwith %}", "{% macro m(p) %}{{ p }}{% endmacro %}"):  # the template's own
        document.add_paragraph(text)
    document.save(str(werkmap / "templates/kapot.docx"))
    result = invoke(werkmap, "templates", "check")
    assert result.exit_code == 1
    fields = "maar geen brief levert die waarde; bekend: "
    lines = [re.sub(r"alinea \d+", "alinea N", line.split(fields)[0])
             for line in result.stderr.splitlines() if line.startswith("templates/kapot.docx")]
    assert lines == [
        "templates/kapot.docx: Jinja-fout in de template (XML-regel 1): onbekende opdracht in {% … %}",
        "templates/kapot.docx: word/document.xml, alinea N: de template gebruikt 'onbekend1', ",
        "templates/kapot.docx: word/document.xml, alinea N: Jinja-fout in '{{ a + }}': "
        "de expressie is onvolledig of bevat een onverwacht teken",
        "templates/kapot.docx: word/document.xml, alinea N: de template gebruikt 'onbekend2', ",
    ]


def test_a_number_longer_than_decimals_default_precision_is_written_not_a_traceback(werkmap):
    """Babel rounds with the decimal context: at its default 28 digits a 30-digit cell raised InvalidOperation."""
    big = "123456789012345678901234567890"
    write(werkmap, "content/x/groot.yaml", HEAD + (
        "secties:\n  - tekst: |\n      Zie de tabel.\n\n      {{ tabel(\"t\") }}\n"
        f"tabellen:\n  t:\n    kolommen: [Wat, Aantal]\n    rijen:\n      - [a, {big}]\n    totaal: {big}\n"
    ))
    check = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/x/groot.yaml"))
    assert check.exit_code == 0, check.output
    build = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/x/groot.yaml"))
    assert build.exit_code == 0, build.output
    assert "Traceback" not in build.output
    from docx import Document

    cells = [c.text for t in Document(str(werkmap / "build/x/groot.docx")).tables for row in t.rows for c in row.cells]
    assert "123.456.789.012.345.678.901.234.567.890" in cells


def test_two_tables_each_given_twice_are_each_reported_once(werkmap):
    """Each header given again is set aside under a name of its own: under one shared name they clashed."""
    write(werkmap, "pyproject.toml", "[project]\nname = 'x'\n[tool.briefgen]\ntaken = 2\n[project]\nversion = '1'\n"
          "[tool.briefgen]\ntaken = 3\n")
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "pyproject.toml:5:1: ongeldige TOML: de tabel [project] staat er twee keer in; voeg de twee samen",
        "pyproject.toml:7:1: ongeldige TOML: de tabel [tool.briefgen] staat er twee keer in; voeg de twee samen",
    ]


def test_a_plain_tag_on_the_wrong_kind_of_value_is_its_own_problem_and_the_file_is_read_on(werkmap):
    """``!!str`` on a list stopped the file with 'de opbouw van het bestand klopt hier niet'."""
    write(werkmap, "content/x/brief.yaml", HEAD.replace("2021-11-16", "2021-13-16") + (
        "nummer: !!str [1, 2]\nkenmerk: !!seq abc\naan: !!str {a: 1}\nsecties:\n  - tekst: Tekst.\n"))
    check = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/x/brief.yaml"))
    assert check.exit_code == 1
    assert _errors(check) == [
        "content/x/brief.yaml:3:8: ongeldige datum '2021-13-16': maand 13 bestaat niet (1 tot en met 12)",
        "content/x/brief.yaml:5:9: de typeaanduiding '!!str' past niet bij een lijst; laat haar weg",
        "content/x/brief.yaml:6:10: de typeaanduiding '!!seq' past niet bij tekst of een getal; laat haar weg",
        "content/x/brief.yaml:7:6: de typeaanduiding '!!str' past niet bij sleutels met waarden; laat haar weg",
    ]


def test_a_float_beyond_sixty_digits_and_a_tag_its_value_does_not_fit_are_problems_not_tracebacks(werkmap):
    """``1e250`` is a float of 251 digits (Babel's rounding failed on it); ``!!int abc`` made int() fail."""
    write(werkmap, "content/x/brief.yaml", HEAD + (
        "aan: !!int abc\nkenmerk: !!bool misschien\nsecties:\n  - tekst: |\n      Zie.\n\n      {{ tabel(\"t\") }}\n"
        "tabellen:\n  t:\n    kolommen: [Wat, Aantal]\n    rijen:\n      - [a, 1e250]\n"))
    check = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/x/brief.yaml"))
    assert check.exit_code == 1
    assert _errors(check) == [
        "content/x/brief.yaml:5:6: 'abc' past niet bij de typeaanduiding '!!int'; laat die weg of verbeter de waarde",
        "content/x/brief.yaml:6:10: 'misschien' past niet bij de typeaanduiding '!!bool'; laat die weg of verbeter de waarde",
        "content/x/brief.yaml:16:13: het getal is te groot (meer dan 60 cijfers); zet het tussen aanhalingstekens als het "
        "tekst is",
    ]


def test_an_amount_with_more_than_cents_is_a_problem_not_a_column_that_no_longer_adds_up(werkmap):
    """0.125 + 0.125 was shown as € 0,12 and € 0,12 with the total € 0,25."""
    write(werkmap, "content/x/brief.yaml", HEAD + (
        "secties:\n  - tekst: |\n      Zie.\n\n      {{ tabel(\"t\") }}\n"
        "tabellen:\n  t:\n    soort: bedrag\n    kolommen: [Wat, Bedrag]\n    rijen:\n      - [a, 0.125]\n"
        "      - [b, 1.50]\n    totaal: 1.625\n"))
    check = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/x/brief.yaml"))
    assert check.exit_code == 1
    assert _errors(check) == ["content/x/brief.yaml:15:13: een bedrag heeft hoogstens twee decimalen (centen), niet 0.125"]


def test_a_long_amount_with_cents_keeps_every_digit_and_its_column_adds_up(werkmap):
    """Read as a float it lost its last digits; summed at decimal's default precision the total was rounded."""
    big = "123456789012345678901234567890"
    write(werkmap, "content/x/geld.yaml", HEAD + (
        "secties:\n  - tekst: |\n      Zie.\n\n      {{ tabel(\"t\") }}\n"
        f"tabellen:\n  t:\n    soort: bedrag\n    kolommen: [Wat, Bedrag]\n    rijen:\n      - [a, {big}.12]\n"
        f"      - [b, 0.10]\n    totaal: {big}.22\n"))
    build = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/x/geld.yaml"))
    assert build.exit_code == 0, build.output
    from docx import Document

    cells = [c.text for t in Document(str(werkmap / "build/x/geld.docx")).tables for row in t.rows for c in row.cells]
    assert "€\u00a0123.456.789.012.345.678.901.234.567.890,12" in cells
    assert "€\u00a0123.456.789.012.345.678.901.234.567.890,22" in cells


def test_a_quoted_table_name_given_twice_is_written_as_toml_not_as_python(werkmap):
    write(werkmap, "briefgen.toml", '["a[b"]\nx = 1\n["a[b"]\ny = 2\n')
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == 'briefgen.toml:3:7: ongeldige TOML: de tabel ["a[b"] staat er twee keer in'


def test_a_build_of_named_letters_reports_only_the_organisation_files_they_use(werkmap):
    """As `check PAD`: the warnings of another organisation's file are not this build's."""
    _with_others(werkmap)
    for name in ("hilversum", "huizen"):  # an anchor defined twice: a warning in each organisation file
        path = werkmap / f"content/organisaties/{name}.yaml"  # (a placeholder signer's is for check only)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nnaam: ", "\nnaam: &n ", 1).replace("\nplaatsnaam: ", "\nplaatsnaam: &n ", 1),
                        encoding="utf-8")
    build = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / VALID_LETTER))
    assert build.exit_code == 0, build.output
    assert "content/organisaties/hilversum.yaml" in build.stderr  # the letter's own organisation: its warning stays
    assert "content/organisaties/huizen.yaml" not in build.stderr
    everything = invoke(werkmap, "build", "--formaat", "docx", "--opnieuw")
    assert "content/organisaties/huizen.yaml" in everything.stderr
