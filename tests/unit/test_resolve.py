"""Resolve, through Session.read: totals, signers, organisations, expressions in text, attachments."""

from __future__ import annotations

import os

import pytest

from briefgen import richtext
from briefgen.formatting import NBSP
from briefgen.session import Session
from briefgen.settings import Settings
from briefgen.werkmap import Werkmap
from tests.conftest import HEAD, VALID_LETTER, blank_pdf, signed, write

LETTER = "content/test/brief.yaml"
SANDBOX = "expressie niet toegestaan (alleen waarden en filters; geen toegang tot Python-onderdelen)"


def read(root, text: str, rel: str = LETTER):
    write(root, rel, signed(text))
    return Session(Werkmap(root), Settings()).read(root / rel)


def problems(root, text: str) -> list[str]:
    result = read(root, text)
    assert result.document is None
    return [p.format() for p in result.problems]


def text_of(section) -> str:
    return "\n".join(block.text for block in section.blocks if isinstance(block, richtext.Paragraph))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            HEAD + "tabellen:\n  t:\n    rijen:\n      - [a, 10]\n      - [b, 5]\n    totaal: 16\n",
            ":10:13: het opgegeven totaal 16 klopt niet met de som van de rijen (15)",
            id="declared-total-wrong",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    soort: bedrag\n    rijen:\n      - [a, 19000000]\n      - [b, 50000]\n"
            "    totaal: 19050001\n",
            ":11:13: het opgegeven totaal €\u00a019.050.001 klopt niet met de som van de rijen (€\u00a019.050.000)",
            id="declared-amount-total-wrong",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    rijen:\n      - [a, 1, 2]\n    totaal: 3\n",
            ":9:13: geef 2 totaal/totalen op, één per kolom",
            id="declared-total-count-wrong",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    rijen:\n      - [a, veel]\n",
            ":8:13: 'veel' is geen getal",
            id="text-where-number-expected-in-row",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    rijen:\n      - [a, 1.5]\n",
            ":8:13: een aantal is een geheel getal, niet 1.5; decimalen in een kolom: geef de kolommen een soort, "
            "bijvoorbeeld soorten: [tekst, aantal, procent]",
            id="fraction-in-aantal-table",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    kolommen: [A, B, C]\n    rijen:\n      - [a, 1]\n",
            ":7:15: er zijn 3 kolomkoppen voor 2 kolommen",
            id="column-headers-count",
        ),
        pytest.param(
            HEAD.replace("2021-11-16", "2024-01-01") + "ondertekening:\n  - rol: burgemeester\n",
            ":6:5: geen ondertekenaar: er is geen burgemeester in functie op 1 januari 2024 bij Gemeente Hilversum",
            id="nobody-in-office",
        ),
        pytest.param(
            HEAD + "ondertekening:\n  - rol: gemeentesecretaris\n  - rol: wethouder\n",
            ":7:5: meer dan één wethouder in functie op 16 november 2021 (A.B. Jansen, C.D. Bakker, E.F. Visser, "
            "G.H. Smit); kies met 'naam'",
            id="several-in-office",
        ),
        pytest.param(
            HEAD + "ondertekening: kapitein\n",
            ":5:16: geen ondertekenaar: er is geen kapitein in functie op 16 november 2021 bij Gemeente Hilversum",
            id="unknown-role-shorthand",
        ),
        pytest.param(
            HEAD + "portefeuillehouder: E.G.J. van der Want\n",
            ":5:21: portefeuillehouder 'E.G.J. van der Want' is niet in functie op 16 november 2021 bij Gemeente Hilversum "
            "(wethouder tot 1 mei 2018); in functie: A.B. Jansen, C.D. Bakker, E.F. Visser, G.H. Smit, P.I. Broertjes",
            id="portefeuillehouder-out-of-office",
        ),
        pytest.param(
            HEAD.replace("organisatie: hilversum", "organisatie: bussum"),
            ":2:14: organisatie 'bussum' bestaat niet (geen content/organisaties/bussum.yaml); bekend: hilversum, huizen, rzou",
            id="missing-organisation",
        ),
        pytest.param(
            HEAD + "huisstijl: nergens\n",
            ":5:12: huisstijl 'nergens' bestaat niet (verwacht templates/nergens.docx)",
            id="missing-house-style",
        ),
        pytest.param(
            HEAD + "contactpersonen:\n  - naam: A\n    telefoon: '12'\n",
            ":7:15: '12' is geen geldig telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)",
            id="invalid-phone",
        ),
        pytest.param(
            HEAD + "secties:\n  - kop: A\n    tekst: |\n      Eerste regel.\n\n      Er zijn {{ aantal }} kinderen.\n",
            ":10:18: onbekende naam 'aantal' in expressie",
            id="unknown-name-in-literal-block",
        ),
        pytest.param(
            HEAD + "secties:\n  - tekst: |\n      Eerste regel.\n      Er zijn {{ tabellen.x.totaal }} kinderen.\n",
            ":8:27: tabel 'x' bestaat niet; bekend: geen",  # stop 30: as tabel("x") says it
            id="unknown-table-attribute",
        ),
        pytest.param(
            HEAD + "secties:\n  - tekst: 'Er zijn {{ onbekend }} kinderen.'\n",
            ":6:24: onbekende naam 'onbekend' in expressie",
            id="unknown-name-in-quoted-text",
        ),
        pytest.param(
            HEAD + "secties:\n  - kop: '{{ onbekend }}'\n    tekst: x\n",
            ":6:14: onbekende naam 'onbekend' in expressie",
            id="unknown-name-in-heading",
        ),
        pytest.param(
            HEAD + "secties:\n  - tekst: |\n      Hallo.\n      {{ ''.__class__.__mro__ }}\n",
            f":8:13: {SANDBOX}",  # at the first name that is refused
            id="sandbox-escape-in-block",
        ),
        pytest.param(
            HEAD + "secties:\n  - tekst: \"{{ datum.__class__.__mro__[1].__subclasses__() }}\"\n",
            f":6:22: {SANDBOX}",
            id="sandbox-escape-in-quoted-text",
        ),
        pytest.param(
            HEAD + "tabellen:\n  t:\n    rijen:\n      - [a, 1]\nsecties:\n  - tekst: |\n      Zie:\n\n"
            "      {{ tabel(\"nope\") }}\n",
            ":13:7: tabel 'nope' bestaat niet; bekend: t",
            id="unknown-table-function",
        ),
        pytest.param(
            HEAD + "bijlagen:\n  - titel: X\n    bestand: ../x.pdf\n",
            ":7:14: bijlage '../x.pdf' ligt buiten de werkmap; gebruik een pad binnen werkmap/",
            id="attachment-outside-relative",
        ),
        pytest.param(
            HEAD + "bijlagen:\n  - titel: X\n    bestand: /etc/passwd\n",
            ":7:14: bijlage '/etc/passwd' ligt buiten de werkmap; gebruik een pad binnen werkmap/",
            id="attachment-absolute",
        ),
        pytest.param(
            HEAD + "bijlagen:\n  - titel: X\n    bestand: bijlagen/x.pdf\n",
            ":7:14: bijlage 'bijlagen/x.pdf' bestaat niet (het pad bij 'bestand:' gaat uit van de werkmap, niet van de map "
            "van de brief); zet het bestand daar, of haal 'bestand:' weg",
            id="attachment-missing",
        ),
    ],
)
def test_resolve_problem_is_located_and_dutch(werkmap, text, expected):
    assert problems(werkmap, text) == [LETTER + expected]


def test_unknown_name_in_folded_block_is_on_its_own_line(werkmap):
    """A folded block (>) turns each blank line into one newline: the text's line 2 is the file's line 9."""
    text = HEAD + "secties:\n  - tekst: >\n      Eerste regel.\n\n      {{ onbekend }}\n"
    assert [p.split(": ")[0] for p in problems(werkmap, text)] == [f"{LETTER}:9:10"]


MISSING_ATTACHMENT = "bijlage '{given}' bestaat niet (het pad bij 'bestand:' gaat uit van de werkmap, niet van de map van de brief); {then}"


@pytest.mark.parametrize(("given", "where"), [
    ("bijlage.pdf", "content/test/bijlage.pdf"),  # next to the letter
    ("bijlagen/b.pdf", "content/test/bijlagen/b.pdf"),  # the same path from the letter's folder
    ("b.pdf", "content/test/bijlagen/b.pdf"),  # the only file of that name under content/
    ("stukken/b.pdf", "content/ander/2021/b.pdf"),
])
def test_a_missing_attachment_says_paths_start_at_the_werkmap_and_suggests_the_file_it_finds(werkmap, given, where):
    write(werkmap, where, blank_pdf())
    assert problems(werkmap, HEAD + f"bijlagen:\n  - titel: X\n    bestand: {given}\n") == [
        f"{LETTER}:7:14: " + MISSING_ATTACHMENT.format(given=given, then=f"bedoelde u 'bestand: {where}'?")
    ]


def test_a_missing_attachment_from_content_says_no_more_than_that_and_a_letter_is_never_suggested(werkmap):
    write(werkmap, "content/test/brief-b.yaml", HEAD)
    assert problems(werkmap, HEAD + "bijlagen:\n  - titel: X\n    bestand: content/test/rapprt.pdf\n") == [
        f"{LETTER}:7:14: bijlage 'content/test/rapprt.pdf' bestaat niet; zet het bestand daar, of haal 'bestand:' weg"]
    for given in ("brief.yaml", "brief-b.yaml", "test/brief.yaml"):  # the letter itself, another letter
        assert problems(werkmap, HEAD + f"bijlagen:\n  - titel: X\n    bestand: {given}\n") == [
            f"{LETTER}:7:14: " + MISSING_ATTACHMENT.format(given=given, then="zet het bestand daar, of haal 'bestand:' weg")]


@pytest.mark.parametrize("elsewhere", [
    {"content/a/b.pdf": "pdf", "content/c/b.pdf": "pdf"},  # two of that name: no guess
    {"build/test/b.pdf": "pdf", "content/test/b.pdf": "../../build/test/b.pdf"},  # briefgen's own output is no bijlage
    {"content/test/b.pdf": "../../../geheim.pdf"},  # a link out of the werkmap
    {"content/test/b.pdf/x": "pdf"},  # a folder
])
def test_a_missing_attachment_suggests_nothing_it_cannot_be_sure_of(werkmap, elsewhere):
    write(werkmap.parent, "geheim.pdf", blank_pdf())
    for path, what in elsewhere.items():
        if what == "pdf":
            write(werkmap, path, blank_pdf())
        else:
            (werkmap / path).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(what, werkmap / path)
    assert problems(werkmap, HEAD + "bijlagen:\n  - titel: X\n    bestand: b.pdf\n") == [
        f"{LETTER}:7:14: " + MISSING_ATTACHMENT.format(given="b.pdf", then="zet het bestand daar, of haal 'bestand:' weg")
    ]


def test_attachment_symlink_out_of_the_werkmap_is_refused(werkmap, tmp_path):
    outside = write(tmp_path, "geheim.pdf", b"%PDF-1.4\n")
    (werkmap / "bijlagen").mkdir()
    os.symlink(outside, werkmap / "bijlagen" / "link.pdf")
    assert problems(werkmap, HEAD + "bijlagen:\n  - titel: X\n    bestand: bijlagen/link.pdf\n") == [
        f"{LETTER}:7:14: bijlage 'bijlagen/link.pdf' ligt buiten de werkmap; gebruik een pad binnen werkmap/"
    ]


def test_attachment_inside_the_werkmap_is_accepted(werkmap):
    write(werkmap, "bijlagen/x.pdf", blank_pdf())
    result = read(werkmap, HEAD + "bijlagen:\n  - titel: Bijlage X\n    bestand: bijlagen/x.pdf\n")
    assert result.problems == ()
    assert result.document.attachments == ("Bijlage X",)


def test_all_problems_of_a_letter_are_reported_together(werkmap):
    text = (
        HEAD.replace("2021-11-16", "2024-01-01")
        + "tabellen:\n  t:\n    rijen:\n      - [a, 1]\n    totaal: 2\nondertekening: burgemeester\n"
    )
    assert [p.split(": ")[0] for p in problems(werkmap, text)] == [f"{LETTER}:9:13", f"{LETTER}:10:16"]


def test_computed_totals_and_filters_appear_in_the_text(werkmap):
    text = HEAD + (
        "tabellen:\n"
        "  t:\n    kolommen: [Situatie, Aantal]\n    rijen:\n      - [a, 1250]\n      - [b, 5]\n"
        "  g:\n    soort: bedrag\n    rijen:\n      - [a, 19000000]\n      - [b, 50000.00]\n      - [c, 38.13]\n"
        "contactpersonen:\n  - naam: E. Seijsener\n    domein: Wmo\n    telefoon: '0618878359'\n"
        "secties:\n  - kop: 'Stand {{ datum | datum }}'\n    tekst: |\n"
        "      Totaal {{ tabellen.t.totaal | getal }} ({{ tabellen.t.rijen | length | woorden }} rijen), "
        "{{ tabellen.g.totaal | bedrag }}.\n\n"
        "      Vragen: {{ contactpersonen | contacten }}.\n\n"
        "      {{ tabel('t') }}\n"
    )
    result = read(werkmap, text)
    assert result.problems == ()
    [section] = result.document.sections
    assert section.heading == "Stand 16 november 2021"
    assert text_of(section) == (
        f"Totaal 1.255 (twee rijen), €\u00a019.050.038,13.\nVragen: E. Seijsener voor Wmo (06{NBSP}18{NBSP}87{NBSP}83{NBSP}59)."
    )
    assert section.blocks[-1] == richtext.TableRef("t")
    assert result.document.tables["t"].rows == (("a", "1.250"), ("b", "5"))
    assert result.document.tables["t"].total == ("Totaal", "1.255")
    # one amount with cents gives the whole column cents
    assert result.document.tables["g"].rows == (("a", "€\u00a019.000.000,00"), ("b", "€\u00a050.000,00"), ("c", "€\u00a038,13"))
    assert result.document.tables["g"].total == ("Totaal", "€\u00a019.050.038,13")


def test_example_letter_uses_its_computed_totals(werkmap):
    result = Session(Werkmap(werkmap), Settings()).read(werkmap / VALID_LETTER)
    assert result.problems == ()
    body = "\n".join(text_of(s) for s in result.document.sections)
    assert "hebben wij in Hilversum 15 kinderen zitten" in body
    assert "voor wat betreft 30 Hilversumse kinderen" in body
    assert f"E. Seijsener voor Wmo (06{NBSP}18{NBSP}87{NBSP}83{NBSP}59) en A. Rijssenbeek voor Jeugd (06{NBSP}10{NBSP}20{NBSP}57{NBSP}16)" in body
    assert result.document.tables["jeugdhulp"].total == ("Totaal", "30")
    fields = result.document.fields
    assert fields["datum"] == "16 november 2021"
    assert fields["ondertekening"]["links"] == {"titel": "de gemeentesecretaris,", "naam": "W. Groot, l.s."}
    assert fields["ondertekening"]["rechts"] == {"titel": "de burgemeester,", "naam": "P.I. Broertjes"}
    assert fields["informatie_telefoon"] == f"06{NBSP}18{NBSP}87{NBSP}83{NBSP}59"


@pytest.mark.parametrize(
    ("prose", "expression", "expected"),
    [
        ("Het aantal aanbieders is gedaald.", "Er zijn {{ aantal }} kinderen.", ":8:18: onbekende naam 'aantal' in expressie"),
        ("Eerste regel.", "Er zijn {{ tabellen.t.totaal }} kinderen.", ":8:27: tabel 't' bestaat niet; bekend: geen"),
    ],
)
def test_unknown_name_is_found_in_the_expression_not_in_the_prose(werkmap, prose, expression, expected):
    text = HEAD + f"secties:\n  - tekst: |\n      {prose}\n      {expression}\n"
    assert problems(werkmap, text) == [LETTER + expected]


@pytest.mark.parametrize(
    ("expression", "english"),
    [("{{ 5 | bedrg }}", "No filter named"), ("{{ 1 + }}", "unexpected"), ("{{ 1 / 0 }}", "division by zero")],
)
def test_expression_errors_are_dutch(werkmap, expression, english):
    [problem] = problems(werkmap, HEAD + f"secties:\n  - tekst: |\n      Eerste regel.\n      Er zijn {expression} euro.\n")
    assert problem.startswith(f"{LETTER}:8:")
    assert english not in problem


def test_misspelt_filter_gets_a_suggestion(werkmap):
    text = HEAD + "secties:\n  - tekst: |\n      Eerste regel.\n      Er zijn {{ 5 | bedrg }} euro.\n"
    assert problems(werkmap, text) == [f"{LETTER}:8:22: fout in expressie: onbekend filter 'bedrg'; bedoelde u 'bedrag'?"]


@pytest.mark.parametrize(
    ("expression", "key", "how"),
    [
        ("({{ vorige }})", "vorige", " met de vorige brief van de reeks (pad onder content/ zonder .yaml, bijvoorbeeld "
                                     "hilversum/2021/inkoop-wmo-jeugd)"),
        ("brief {{ nummer }} van", "nummer", ' (bijvoorbeeld nummer: "2021/45")'),
        ("kenmerk {{ kenmerk }}.", "kenmerk", ""),
        ("zaak {{ zaaknummer }}.", "zaaknummer", ""),
        ("bel {{ contactpersonen | contacten }}.", "contactpersonen", " (naam met telefoon of e-mail)"),
    ],
)
def test_an_optional_value_the_letter_lacks_is_an_error_where_the_text_uses_it(werkmap, expression, key, how):
    """Before, each printed nothing: "… (). Met deze brief" in the PDF, with no problem at all."""
    text = HEAD + f"secties:\n  - tekst: |\n      Eerste regel.\n      Zie {expression}\n"
    column = 11 + expression.index("{{") + expression[expression.index("{{"):].index(key)
    assert problems(werkmap, text) == [
        f"{LETTER}:8:{column}: {{{{ {key} }}}} is leeg: deze brief heeft geen '{key}:'; voeg '{key}:' toe{how}, "
        f"of haal {{{{ {key} }}}} weg"]


def test_a_key_a_contact_lacks_is_an_error_where_the_text_prints_it(werkmap):
    """Before: 'deze expressie geeft geen tekst maar niets (None)', once for both expressions on the line."""
    text = HEAD + ("contactpersonen:\n  - naam: E. Seijsener\n    telefoon: '0618878359'\nsecties:\n  - tekst: |\n"
                   "      Mail {{ contactpersonen[0].email }}, {{ contactpersonen[0].domein }}; {{ contactpersonen | contacten }}\n")
    assert problems(werkmap, text) == [
        f"{LETTER}:10:34: contactpersoon E. Seijsener heeft geen 'email:'; voeg 'email:' toe bij die contactpersoon, "
        "of haal de expressie weg",
        f"{LETTER}:10:66: contactpersoon E. Seijsener heeft geen 'domein:'; voeg 'domein:' toe bij die contactpersoon, "
        "of haal de expressie weg"]


def test_an_absent_previous_letter_in_a_heading_is_an_error_too(werkmap):
    [problem] = problems(werkmap, HEAD + "secties:\n  - kop: 'Vervolg op {{ vorige }}'\n    tekst: Tekst.\n")
    assert problem.startswith(f"{LETTER}:6:25: {{{{ vorige }}}} is leeg")


def test_a_text_may_allow_for_an_absent_value(werkmap):
    text = HEAD + ("secties:\n  - tekst: |\n      A{% if vorige %}, vervolg op {{ vorige }}{% endif %}; "
                   "{{ kenmerk | default('zonder kenmerk') }}.\n")
    result = read(werkmap, text)
    assert result.problems == ()
    assert text_of(result.document.sections[0]) == "A; zonder kenmerk."


def test_a_role_nobody_holds_yet_says_from_when_and_suggests_only_roles_in_office(werkmap):
    """Before: "geen gemeentesecretaris in functie op 15 december 2021 …; bedoelde u 'loco-secretaris'?", while the
    loco-secretaris only starts in 2022 too."""
    write(werkmap, "content/organisaties/proef.yaml",
          "naam: Gemeente Proef\nplaatsnaam: Proef\nhuisstijl: hilversum-rib-2021\ncollege:\n"
          "  - naam: A. Burg\n    functie: burgemeester\n    van: 2020-01-01\n"
          "  - naam: M.A. de Kruijf\n    functie: gemeentesecretaris\n    van: 2022-03-01\n"
          "  - naam: J.P. Verhoeven\n    functie: loco-secretaris\n    van: 2022-03-01\n")
    text = HEAD.replace("hilversum", "proef").replace("2021-11-16", "2021-12-15") + "ondertekening: college\n"
    assert problems(werkmap, text) == [
        f"{LETTER}:5:16: geen ondertekenaar: er is geen gemeentesecretaris in functie op 15 december 2021 bij Gemeente "
        "Proef (M.A. de Kruijf is gemeentesecretaris vanaf 1 maart 2022)"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{% for c in contactpersonen %}Bel {{ c.naam }}.{% else %}Geen contact.{% endfor %}", "Geen contact."),
        ("{{ contactpersonen | length }}", "0"),
        ("{{ contactpersonen | count }}", "0"),
    ],
)
def test_a_text_may_allow_for_absent_contacts(werkmap, expression, expected):
    """An absent list is empty to a loop and to length; only printing it or a filter of it is an error."""
    result = read(werkmap, HEAD + f"secties:\n  - tekst: |\n      {expression}\n")
    assert result.problems == ()
    assert text_of(result.document.sections[0]) == expected


@pytest.mark.parametrize(
    "expression", ["{{ contactpersonen }}", "{{ contactpersonen | contacten }}", "{{ contactpersonen[0].naam }}",
                   "{{ contactpersonen | opsomming }}"])
def test_printing_absent_contacts_is_still_the_located_error(werkmap, expression):
    text = HEAD + f"secties:\n  - tekst: |\n      Eerste regel.\n      Zie {expression}\n"
    column = 11 + 3 + expression[3:].index("contactpersonen")
    assert problems(werkmap, text) == [
        f"{LETTER}:8:{column}: {{{{ contactpersonen }}}} is leeg: deze brief heeft geen 'contactpersonen:'; voeg "
        "'contactpersonen:' toe (naam met telefoon of e-mail), of haal {{ contactpersonen }} weg"]


ABSOLUTE = "bijlage '{given}' is een pad vanaf de schijf; het pad bij 'bestand:' gaat uit van de werkmap; bedoelde u 'bestand: {where}'?"


@pytest.mark.parametrize(("where", "written"), [
    ("content/test/bijlagen/x.pdf", "content/test/bijlagen/x.pdf"),  # the file there
    ("content/test/bijlagen/x.pdf", "content/test/x.pdf"),  # not there: the only file of that name
    ("content/test/bijlagen/x.pdf", "content/test/../test/bijlagen/x.pdf"),
])
def test_an_absolute_path_inside_the_werkmap_is_given_as_the_path_from_the_werkmap(werkmap, where, written):
    write(werkmap, where, blank_pdf())
    given = f"{werkmap}/{written}"
    assert problems(werkmap, HEAD + f"bijlagen:\n  - titel: X\n    bestand: {given}\n") == [
        f"{LETTER}:7:14: " + ABSOLUTE.format(given=given, where=where)]


def test_an_absolute_path_to_no_usable_file_suggests_none_and_one_into_build_is_said_so(werkmap):
    """Review r5: a missing file, a folder or a letter was suggested as it stood; a path into build/ was 'outside'."""
    for given in (f"{werkmap}/content/test/bijlagen/weg.pdf", f"{werkmap}/content", f"{werkmap}/{LETTER}"):
        inside = given.removeprefix(f"{werkmap}/")
        assert problems(werkmap, HEAD + f"bijlagen:\n  - titel: X\n    bestand: {given}\n") == [
            f"{LETTER}:7:14: bijlage '{given}' is een pad vanaf de schijf; het pad bij 'bestand:' gaat uit van de "
            f"werkmap; maar '{inside}' is geen bruikbare bijlage: zet daar de PDF"]
    write(werkmap, "build/test/x.pdf", blank_pdf())
    [problem] = problems(werkmap, HEAD + f"bijlagen:\n  - titel: X\n    bestand: {werkmap}/build/test/x.pdf\n")
    assert "waar briefgen zijn uitvoer maakt" in problem


def test_an_absolute_path_out_of_the_werkmap_is_still_outside(werkmap):
    write(werkmap.parent, "elders/x.pdf", blank_pdf())
    given = f"{werkmap}/../elders/x.pdf"
    assert problems(werkmap, HEAD + f"bijlagen:\n  - titel: X\n    bestand: {given}\n") == [
        f"{LETTER}:7:14: bijlage '{given}' ligt buiten de werkmap; gebruik een pad binnen werkmap/"]


@pytest.mark.parametrize("given", [
    "content/test/bijlagen/Notitie.PDF", "content/test/bijlagen/notitie", "content/test/bijlagen/notitie.pdf.pdf",
    "content\\\\test\\\\bijlagen\\\\notitie.pdf",
])
def test_a_name_that_differs_only_in_case_slashes_or_pdf_is_suggested(werkmap, given):
    write(werkmap, "content/test/bijlagen/notitie.pdf", blank_pdf())
    said = "bijlage '{given}' bestaat niet; bedoelde u 'bestand: content/test/bijlagen/notitie.pdf'?"
    assert problems(werkmap, HEAD + f"bijlagen:\n  - titel: X\n    bestand: \"{given}\"\n") == [
        f"{LETTER}:7:14: " + said.format(given=given.replace("\\\\", "\\"))]


def test_a_name_alike_two_files_suggests_neither(werkmap):
    write(werkmap, "content/a/notitie.pdf", blank_pdf())
    write(werkmap, "content/b/Notitie.pdf", blank_pdf())
    assert problems(werkmap, HEAD + "bijlagen:\n  - titel: X\n    bestand: content/c/NOTITIE.PDF\n") == [
        f"{LETTER}:7:14: bijlage 'content/c/NOTITIE.PDF' bestaat niet; zet het bestand daar, of haal 'bestand:' weg"]
    write(werkmap, "content/c/notitie.pdf.pdf", blank_pdf())  # one in the folder the path names: that one
    assert problems(werkmap, HEAD + "bijlagen:\n  - titel: X\n    bestand: content/c/NOTITIE.PDF\n") == [
        f"{LETTER}:7:14: bijlage 'content/c/NOTITIE.PDF' bestaat niet; bedoelde u 'bestand: content/c/notitie.pdf.pdf'?"]
