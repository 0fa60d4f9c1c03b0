"""What a house style shows of the letter, and what is wrong in it (stop 25): every signer and
contact where the style has a place for them, a warning where it has none, and core properties
written once, in their own namespace."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from tests.cli.helpers import invoke, unbroken
from tests.cli.test_templates import TEMPLATE, part, rezip
from tests.conftest import HEAD, REPO, VALID_LETTER, write

BUILT = "build/hilversum/2021/inkoop-wmo-jeugd.docx"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
EXPECTED_CORE = {
    f"{{{DC}}}title", f"{{{DC}}}subject", f"{{{DC}}}creator", f"{{{CORE}}}keywords", f"{{{DC}}}description",
    f"{{{CORE}}}lastModifiedBy", f"{{{CORE}}}revision", f"{{{DCTERMS}}}created", f"{{{DCTERMS}}}modified",
    f"{{{CORE}}}category", f"{{{DC}}}language",
}


def _core(data: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return list(etree.fromstring(archive.read("docProps/core.xml")))


def _assert_each_once_in_its_namespace(elements: list) -> None:
    tags = [e.tag for e in elements]
    assert len(tags) == len(set(tags)), tags
    namespaces = {tag.split("}")[0][1:] for tag in tags}
    assert namespaces <= {CORE, DC, DCTERMS}, tags
    assert EXPECTED_CORE <= set(tags), tags


def _build(root: Path) -> bytes:
    result = invoke(root, "build", "--formaat", "docx")
    assert result.exit_code == 0, result.output
    return (root / BUILT).read_bytes()


def test_core_properties_of_a_letter_are_written_once_in_the_core_namespace(werkmap):
    elements = _core(_build(werkmap))
    _assert_each_once_in_its_namespace(elements)
    text = {e.tag: e.text for e in elements}
    assert text[f"{{{CORE}}}category"] == "Raadsinformatiebrief"
    assert text[f"{{{CORE}}}lastModifiedBy"] == "Gemeente Hilversum"
    assert text[f"{{{CORE}}}lastPrinted"] == "2021-11-16T00:00:00Z"


def test_the_standard_templates_have_each_core_property_once():
    for path in sorted((REPO / "templates").glob("*.docx")):
        _assert_each_once_in_its_namespace(_core(path.read_bytes()))


def test_a_template_with_misplaced_core_properties_gives_a_clean_letter(werkmap):
    """A template written by an earlier briefgen has copies in the custom-properties namespace."""
    wrong = b'<cp:category xmlns:cp="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">x</cp:category>'
    path = werkmap / TEMPLATE
    path.write_bytes(rezip(path.read_bytes(), part("docProps/core.xml",
                                                   lambda b: b.replace(b"</cp:coreProperties>", wrong + b"</cp:coreProperties>"))))
    _assert_each_once_in_its_namespace(_core(_build(werkmap)))


THREE_SIGNERS = """\
ondertekening:
  - rol: gemeentesecretaris
    markering: l.s.
  - rol: burgemeester
  - rol: wethouder
    naam: C.D. Bakker
"""


def _with(root: Path, old: str, new: str, letter: str = VALID_LETTER) -> None:
    path = root / letter
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _signers_block(text: str) -> str:
    return "ondertekening:" + text.split("\nondertekening:", 1)[1]


def _texts(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]


def test_a_third_signer_is_shown_by_the_standard_house_style(werkmap):
    letter = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    _with(werkmap, _signers_block(letter), THREE_SIGNERS)
    texts = _texts(_build(werkmap))
    assert unbroken("C.D. Bakker") in texts and "de wethouder," in texts, texts
    assert unbroken("P.I. Broertjes") in texts


def test_every_contact_is_shown_by_a_house_style_with_a_place_for_them(werkmap):
    _with(werkmap, "organisatie: hilversum\n", "organisatie: hilversum\nhuisstijl: hilversum-rib-2016\n")
    texts = _texts(_build(werkmap))  # hilversum-rib-2016: 'Informatie bij' and 'Tel. nr.'
    assert unbroken("E. Seijsener") in texts and unbroken("A. Rijssenbeek") in texts, texts
    assert "0610205716" in [t.replace("\xa0", "").replace(" ", "") for t in texts], texts  # the second one's phone


def test_a_teams_name_as_contact_may_wrap_a_persons_name_never(werkmap):
    """'Team Wonen en Zorg' beside 'Informatie bij' wraps like any text; 'A. Rijssenbeek' stays whole."""
    _with(werkmap, "organisatie: hilversum\n", "organisatie: hilversum\nhuisstijl: hilversum-rib-2016\n")
    _with(werkmap, "naam: E. Seijsener", "naam: Team Wonen en Zorg")
    texts = _texts(_build(werkmap))
    assert "Team Wonen en Zorg" in texts and unbroken("A. Rijssenbeek") in texts, texts


def _line_of(root: Path, key: str, letter: str = VALID_LETTER) -> int:
    lines = (root / letter).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(key))


def test_a_key_the_house_style_does_not_show_is_a_warning_at_that_key(werkmap):
    """hilversum-rib-2021 has no addressee field: an ``aan:`` would silently not be in the letter."""
    _with(werkmap, "aanhef:", "aan: De leden van de commissie\naanhef:")
    line = _line_of(werkmap, "aan:")
    for command in (("check",), ("build", "--formaat", "docx")):
        result = invoke(werkmap, *command)
        assert result.exit_code == 0, result.output
        assert (f"{VALID_LETTER}:{line}:6: waarschuwing: de huisstijl 'hilversum-rib-2021' toont 'aan' niet: de template "
                "gebruikt het veld {{ aan }} nergens, dus deze waarde staat niet in de brief; voeg het veld toe aan de "
                "template of haal de sleutel weg") in result.stderr.splitlines(), result.stderr
    assert invoke(werkmap, "check", "--streng").exit_code == 1


@pytest.mark.parametrize(("tag", "shown"), [
    ("{% if aan %}Persoonlijk{% endif %}", False),
    ("{% if not aan or aan is not defined %}Aan allen{% endif %}", False),
    ("{% if aan | length > 3 %}Persoonlijk{% endif %}", False),
    ("{% if aan != 'De gemeenteraad' %}Persoonlijk{% endif %}", True),
    ("{% if 'commissie' in aan %}Persoonlijk{% endif %}", True),
    ("{% if true %}{% elif aan == 'x' %}x{% endif %}", True),
])
def test_a_key_an_if_only_tests_is_not_shown_but_one_it_compares_is_used(werkmap, tag, shown):
    """An ``{% if %}`` that only tests ``aan`` for truth, presence or length does not show it: the warning stays. One
    that compares its value makes the letter depend on it: the key is not 'left out' (check does not tell to remove it)."""
    _with(werkmap, "aanhef:", "aan: De leden van de commissie\naanhef:")
    _with_first_paragraph(werkmap, tag)
    result = invoke(werkmap, "check")
    assert result.exit_code == 0, result.output
    assert ("toont 'aan' niet" in result.stderr) != shown, result.stderr


def _with_first_paragraph(root: Path, text: str) -> None:
    """The werkmap's 2021 house style with a paragraph of ``text`` at the top of its body."""
    path = root / TEMPLATE
    added = f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'.encode()
    path.write_bytes(rezip(path.read_bytes(), part("word/document.xml", lambda b: b.replace(b"<w:body>", b"<w:body>" + added, 1))))


def test_a_signer_the_house_style_has_no_place_for_is_a_warning_at_that_signer(werkmap):
    letter = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    _with(werkmap, _signers_block(letter), THREE_SIGNERS)
    path = werkmap / TEMPLATE
    path.write_bytes(rezip(path.read_bytes(), part("word/document.xml", lambda b: b.replace(
        b"ondertekening.personen[2:]", b"[]"))))
    line = _line_of(werkmap, "  - rol: wethouder")
    result = invoke(werkmap, "check")
    assert (f"{VALID_LETTER}:{line}:5: waarschuwing: de huisstijl 'hilversum-rib-2021' toont 2 ondertekenaars: "
            "C.D. Bakker (de wethouder) staat niet in de DOCX en de PDF; gebruik in de template ondertekening.personen "
            "(alle ondertekenaars) of een huisstijl die ze allemaal toont") in result.stderr.splitlines(), result.stderr


def test_contacts_the_house_style_has_no_place_for_are_a_warning_unless_the_text_names_them(werkmap):
    assert "toont geen contactpersonen" not in invoke(werkmap, "check").stderr  # the text names them
    _with(werkmap, "{{ contactpersonen | contacten }}", "ons")
    line = _line_of(werkmap, "contactpersonen:")
    result = invoke(werkmap, "check")
    assert (f"{VALID_LETTER}:{line}:1: waarschuwing: de huisstijl 'hilversum-rib-2021' toont geen contactpersonen: "
            "E. Seijsener, A. Rijssenbeek staan niet in de brief; gebruik in de template contactpersonen (of "
            "informatie_bij), of noem ze in de tekst met {{ contactpersonen | contacten }}") in result.stderr.splitlines(), result.stderr



def _contact_shown(root: Path, *tags: str) -> list[str]:
    """``check``'s warnings about the contacts of the valid letter (whose text then names none of them) in the 2021 house
    style with a paragraph of ``tags`` at the top of its body."""
    _with(root, "{{ contactpersonen | contacten }}", "ons")
    _with_first_paragraph(root, f"Contact: {' '.join(tags)}")
    result = invoke(root, "check")
    assert result.exit_code == 0, result.output
    return [line.split("waarschuwing: ", 1)[1] for line in result.stderr.splitlines()
            if "waarschuwing: de huisstijl" in line and "contactperso" in line]


@pytest.mark.parametrize("name", ["{{ contactpersonen[1].naam }}", "{{ contactpersonen[1]['naam'] }}",
                                  "{% if contactpersonen %}{{ contactpersonen[1].naam }}{% endif %}"])
def test_a_contact_the_house_style_shows_by_index_is_that_one_only_and_without_its_phone(werkmap, name):
    """``{{ contactpersonen[1].naam }}`` shows the second contact, by name: not every contact (as a loop would), so the
    first one is left out, and the second one's phone number is not in the letter either (an ``{% if contactpersonen %}``
    around it only tests whether there are any)."""
    assert _contact_shown(werkmap, name) == [
        "de huisstijl 'hilversum-rib-2021' toont 1 contactpersoon: E. Seijsener staat niet in de brief; gebruik in de "
        "template contactpersonen (of informatie_bij), of noem ze in de tekst met {{ contactpersonen | contacten }}",
        "de huisstijl 'hilversum-rib-2021' toont het telefoonnummer van contactpersoon A. Rijssenbeek niet: 06\u00a010\u00a020\u00a057\u00a016 "
        "staat niet in de DOCX en de PDF; zet in de template naast de naam '{% if informatie_telefoon %}, telefoon "
        "{{ informatie_telefoon }}{% endif %}' of een label Telefoon met {{ informatie_telefoon }}, of noem het nummer in "
        "de tekst"]


def test_a_contact_the_house_style_shows_by_index_with_its_phone_needs_no_warning_about_it(werkmap):
    assert _contact_shown(werkmap, "{{ contactpersonen[0].naam }}", "{{ contactpersonen[0].telefoon }}",
                          "{{ contactpersonen[1].naam }}", "{{ contactpersonen[1]['telefoon'] }}") == []


FAILING_TAGS = {
    "{{ 1/0 }}": "expressie mislukt: delen door nul",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}": "expressie mislukt: een macro of lus roept zichzelf te vaak aan",
    "{% include 'x' %}": "expressie mislukt: {% include %}, {% import %} en {% extends %} kunnen niet in een brief",
    "{{ onderwerp | datum }}": "'Voorbeeld van een onderwerp' is geen datum (JJJJ-MM-DD)",
    "{{ ''.__class__ }}": "expressie niet toegestaan (alleen waarden en filters; geen toegang tot Python-onderdelen)",
    "{{ onderwerp * 100000000 }}": "deze expressie maakt meer dan 100.000 tekens",
    "{{ range(100000000) | list | length }}": "'range' zou met deze waarden meer dan 100.000 tekens of elementen maken",
    "{{ bijlagen[0].titel }}": "onbekende naam 'titel' in expressie",
}


def _replace_subject(root: Path, tag: str) -> None:
    escaped = tag.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;").encode()
    path = root / TEMPLATE
    path.write_bytes(rezip(path.read_bytes(), part("word/document.xml", lambda b: b.replace(b"{{ onderwerp }}", escaped, 1))))


@pytest.mark.parametrize("tag", sorted(FAILING_TAGS))
def test_a_tag_that_fails_when_filled_in_is_a_template_error_with_its_place(werkmap, tag):
    _replace_subject(werkmap, tag)
    expected = (f"{TEMPLATE}: de template faalt bij het invullen van een voorbeeldbrief: word/document.xml, alinea 16: "
                f"{FAILING_TAGS[tag]}")
    for command in (("templates", "check"), ("check",), ("build", "--formaat", "docx")):
        result = invoke(werkmap, *command)
        assert result.exit_code == 1, result.output
        assert expected in result.stderr.splitlines(), result.stderr
        assert "interne fout" not in result.output and "Traceback" not in result.output


def test_a_render_failure_while_building_names_the_template_and_paragraph(werkmap):
    """A failure only a real letter's values bring out (here: a date filter on the number) is still the template's."""
    _replace_subject(werkmap, "{% if organisatie.naam == 'Gemeente Hilversum' %}{{ nummer | datum }}{% endif %}")
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.exit_code == 1, result.output
    assert (f"{VALID_LETTER}: huisstijl hilversum-rib-2021.docx: word/document.xml, alinea 16: '2021/45' is geen datum "
            "(JJJJ-MM-DD)") in result.stderr.splitlines(), result.stderr
    assert "interne fout" not in result.output


@pytest.mark.parametrize(("times", "message"), [
    (0, "de template heeft geen alinea met {{p inhoud }}: de brieven zouden geen tekst hebben; zet {{p inhoud }} in "
        "een alinea van zichzelf"),
    (2, "de template heeft 2 alinea's met {{p inhoud }}: de tekst van de brief zou 2 keer in de brief staan; laat er één staan"),
])
def test_the_body_must_have_exactly_one_place(werkmap, times, message):
    path = werkmap / TEMPLATE

    def change(xml: bytes) -> bytes:
        start = max(xml.rfind(b"<w:p>", 0, xml.index(b"{{p inhoud }}")), xml.rfind(b"<w:p ", 0, xml.index(b"{{p inhoud }}")))
        end = xml.index(b"</w:p>", xml.index(b"{{p inhoud }}")) + len(b"</w:p>")
        return xml[:start] + xml[start:end] * times + xml[end:]

    path.write_bytes(rezip(path.read_bytes(), part("word/document.xml", change)))
    result = invoke(werkmap, "templates", "check")
    assert result.exit_code == 1, result.output
    assert f"{TEMPLATE}: {message}" in result.stderr.splitlines(), result.stderr


def test_the_standard_templates_pass_the_trial_render():
    from briefgen.templatecheck import lint

    for path in sorted((REPO / "templates").glob("*.docx")):
        assert [p.message for p in lint(path, path.name) if p.is_error] == [], path


def _font_not_installed(werkmap: Path) -> str:
    """The house style of the valid letter set in a font this machine does not have; the warning about it."""
    import shutil
    import subprocess

    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) ontbreekt")
    font = "Frutiger LT 45 Light"
    stand_in = subprocess.run(["fc-match", "-f", "%{family[0]}", font], capture_output=True, text=True, check=True).stdout
    path = werkmap / TEMPLATE
    path.write_bytes(rezip(path.read_bytes(), part("word/styles.xml", lambda b: b.replace(b'"Arial"', f'"{font}"'.encode()))))
    return (f"{TEMPLATE}: waarschuwing: het lettertype '{font}' van de huisstijl is niet geïnstalleerd: LibreOffice "
            f"zet de PDF in '{stand_in}', met andere regelafbrekingen; installeer het lettertype (fc-list toont wat er "
            "is) of kies in de template een lettertype dat er is")


def test_a_font_that_is_not_installed_is_a_warning_once_per_template_in_check_and_a_pdf_build(werkmap):
    """The fonts are the machine's, not the werkmap's: a build that makes PDFs says it too (once, however many
    letters), or the PDF comes out in another font without a word; a build of DOCX alone does not."""
    expected = _font_not_installed(werkmap)
    write(werkmap, "content/hilversum/2021/tweede.yaml", HEAD + "secties:\n  - tekst: Tweede brief.\n")
    for command, times in ((("templates", "check"), 1), (("check",), 1), (("build", "--formaat", "docx"), 0),
                           (("build", "--formaat", "pdf", "--opnieuw"), 1)):
        result = invoke(werkmap, *command)
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines().count(expected) == times, (command, result.stderr)
    assert (werkmap / "build/hilversum/2021/tweede.pdf").is_file()


def test_watch_says_a_font_that_is_not_installed_in_its_first_round_only(werkmap, capsys):
    """Every save of a letter in that house style makes its PDF again: the warning is not repeated each time."""
    from briefgen import pipeline
    from briefgen.cli.watch import _report
    from briefgen.settings import Settings
    from briefgen.watch import Round
    from briefgen.werkmap import Werkmap

    expected = _font_not_installed(werkmap)
    settings = Settings(jobs=1)
    report = pipeline.build(Werkmap(werkmap), settings, formats=("pdf",))
    assert report.ok, report.problems
    told: set = set()
    for changed in ([], [VALID_LETTER]):  # the first round, then one per save: the same letter built again
        _report(Round(changed, report), settings, told)
        assert capsys.readouterr().err.splitlines().count(expected) == (0 if changed else 1)


def test_a_font_with_a_stand_in_of_the_same_width_is_no_warning(werkmap):
    """The standard house styles use Arial; fontconfig's Liberation Sans has the same widths."""
    result = invoke(werkmap, "templates", "check")
    assert "lettertype" not in result.output, result.output
