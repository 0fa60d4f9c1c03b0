"""One broken element of a list (a signer, a contact, an attachment, a section's heading, a college member)
hides no problem of the other elements: all problems of a file at once, and none that only follows from it."""

from __future__ import annotations

import zipfile

from tests.cli.helpers import invoke, unbroken
from tests.cli.test_hidden_problems import LETTER, UNKNOWN, _check_and_build
from tests.conftest import HEAD, write

ORGANISATION = "content/organisaties/hilversum.yaml"


def _builds_after(werkmap, broken: str, fixed: str) -> str:
    """The letter with ``broken`` replaced by ``fixed`` is checked clean and built; its DOCX text."""
    path = werkmap / LETTER
    path.write_text(path.read_text(encoding="utf-8").replace(broken, fixed), encoding="utf-8")
    build = invoke(werkmap, "build", "--formaat", "docx", str(path))
    assert build.exit_code == 0, build.stderr
    with zipfile.ZipFile(werkmap / "build/x/brief.docx") as docx:
        return docx.read("word/document.xml").decode("utf-8")


def _organisation_errors(werkmap, *edits: tuple[str, str]) -> list[str]:
    """``check`` after each (old, new) edit of the organisation file: its errors (it fails), warnings left out."""
    organisation = werkmap / ORGANISATION
    text = organisation.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    organisation.write_text(text, encoding="utf-8")
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1
    return [line for line in check.stderr.splitlines() if line.startswith(ORGANISATION) and "waarschuwing" not in line]


def test_a_broken_signer_hides_not_the_role_of_the_next_nobody_holds(werkmap):
    """Signer 1 is not looked up (without its broken name it would be someone else), signer 2 is."""
    write(werkmap, LETTER, HEAD + (
        "ondertekening:\n"
        "  - rol: burgemeester\n"
        "    naam: [P.I. Broertjes]\n"
        "  - rol: griffier\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:7:11: 'naam' moet tekst zijn, niet een lijst",
        f"{LETTER}:8:5: geen ondertekenaar: er is geen griffier in functie op 16 november 2021 bij Gemeente Hilversum",
    ])
    xml = _builds_after(werkmap, "    naam: [P.I. Broertjes]\n  - rol: griffier\n", "    naam: P.I. Broertjes\n")
    assert unbroken("P.I. Broertjes") in xml


def test_a_signer_that_is_no_mapping_keeps_the_places_of_the_others(werkmap):
    write(werkmap, LETTER, HEAD + (
        "ondertekening:\n"
        "  - 5\n"
        "  - rol: burgemeester\n"
        "    naam: Niemand\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:6:5: 'een element van ondertekening' moet sleutels met waarden bevatten, niet het getal 5",
        f"{LETTER}:8:11: geen ondertekenaar: Niemand is op 16 november 2021 geen burgemeester van Gemeente Hilversum "
        "(Niemand staat niet in het organisatiebestand); in functie: P.I. Broertjes",
    ])


def test_a_broken_contact_hides_not_the_phone_number_of_the_next(werkmap):
    """Contact 1's e-mail is broken: no "heeft geen telefoon en geen e-mail" for it, and a text that prints
    it says nothing more; contact 2's phone number is still checked."""
    write(werkmap, LETTER, HEAD + (
        "contactpersonen:\n"
        "  - naam: A. Jansen\n"
        "    email: [a.jansen@hilversum.nl]\n"
        "  - naam: B. de Vries\n"
        "    telefoon: '12'\n"
        "secties:\n"
        "  - tekst: 'Mail {{ contactpersonen[0].email }} of {{ onbekend }}.'\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:7:12: 'email' moet tekst zijn, niet een lijst",
        f"{LETTER}:9:15: '12' is geen geldig telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)",
        f"{LETTER}:11:55: {UNKNOWN}",
    ])


def test_broken_attachments_hide_not_the_files_of_the_others(werkmap):
    """Bijlage 1 has no title (the file it names is still looked for), bijlage 2's file lies outside the
    werkmap, bijlage 3's does not exist."""
    write(werkmap, LETTER, HEAD + (
        "bijlagen:\n"
        "  - titel: [Plan]\n"
        "  - titel: Kaart\n"
        "    bestand: ../kaart.pdf\n"
        "  - titel: Rapport\n"
        "    bestand: bijlagen/rapport.pdf\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:6:12: 'titel' moet tekst zijn, niet een lijst",
        f"{LETTER}:8:14: bijlage '../kaart.pdf' ligt buiten de werkmap; gebruik een pad binnen werkmap/",
        f"{LETTER}:10:14: bijlage 'bijlagen/rapport.pdf' bestaat niet (het pad bij 'bestand:' gaat uit van de werkmap, "
        "niet van de map van de brief); zet het bestand daar, of haal 'bestand:' weg",
    ])


def test_a_broken_heading_hides_not_the_expressions_of_its_text(werkmap):
    write(werkmap, LETTER, HEAD + (
        "secties:\n"
        "  - kop: [een, lijst]\n"
        "    tekst: 'Eerst {{ onbekend }}.'\n"
        "  - tekst: ''\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:6:10: 'kop' moet tekst zijn, niet een lijst",
        f"{LETTER}:7:22: {UNKNOWN}",
        f"{LETTER}:8:12: lege sectie: schrijf de tekst of laat de sectie weg",
    ])
    xml = _builds_after(werkmap, "  - kop: [een, lijst]\n    tekst: 'Eerst {{ onbekend }}.'\n  - tekst: ''\n",
                        "  - kop: Een lijst\n    tekst: 'Eerst dit.'\n")
    assert "Een lijst" in xml and "Eerst dit." in xml


def test_a_broken_member_hides_not_the_overlap_of_two_others(werkmap):
    """College member 1's date is broken: the member is left out of the overlap check (without its date it
    would overlap everyone), the two burgemeesters after it are still found."""
    lines = _organisation_errors(werkmap, ("    van: 2013-09-01\n", "    van: 2013-13-01\n"), (
        "    tot: 2023-09-01\n", "    tot: 2023-09-01\n  - naam: X. Tweede\n    functie: burgemeester\n    van: 2020-01-01\n"
                             "  - naam: Y. Derde\n    functie: burgemeester\n    van: 2020-01-01\n"))
    assert lines == [
        f"{ORGANISATION}:16:10: ongeldige datum '2013-13-01': maand 13 bestaat niet (1 tot en met 12)",
        f"{ORGANISATION}:23:5: Y. Derde en X. Tweede zijn op dezelfde dag(en) allebei burgemeester; "
        "'tot' is de laatste dag in functie, dus laat de opvolger een dag later beginnen",
    ]


def test_a_broken_value_a_member_needs_not_for_its_term_leaves_it_in_the_overlap_check(werkmap):
    """A broken 'titel' says nothing about when the member is in office: the overlap is still found."""
    lines = _organisation_errors(werkmap, (
        "    tot: 2023-09-01\n", "    tot: 2023-09-01\n  - naam: X. Tweede\n    functie: burgemeester\n    titel: [x]\n"
                             "    van: 2020-01-01\n"))
    assert lines == [
        f"{ORGANISATION}:20:12: 'titel' moet tekst zijn, niet een lijst",
        f"{ORGANISATION}:21:5: X. Tweede en P.I. Broertjes zijn op dezelfde dag(en) allebei burgemeester; "
        "'tot' is de laatste dag in functie, dus laat de opvolger een dag later beginnen",
    ]


def test_a_misspelt_key_of_a_signer_gives_no_follow_up_about_the_value_it_should_have_given(werkmap):
    """``nam:`` for ``naam:``: the unknown key is the problem; the signer is not looked up without its name
    (which would say that more than one wethouder is in office and ask for the name that is there)."""
    write(werkmap, LETTER, HEAD + (
        "ondertekening:\n"
        "  - rol: wethouder\n"
        "    nam: Niemand\n"
        "  - rol: griffier\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:7:5: onbekende sleutel 'nam'; bedoelde u 'naam'?",
        f"{LETTER}:8:5: geen ondertekenaar: er is geen griffier in functie op 16 november 2021 bij Gemeente Hilversum",
    ])


def test_a_misspelt_key_of_a_section_or_contact_gives_no_follow_up_either(werkmap):
    """``tekts:`` is no "lege sectie", ``telefon:`` no contact without telephone and e-mail; an element's
    other values are still checked (contact 1's invalid number)."""
    write(werkmap, LETTER, HEAD + (
        "secties:\n"
        "  - kop: Aanleiding\n"
        "    tekts: Iets.\n"
        "contactpersonen:\n"
        "  - naam: A. Jansen\n"
        "    email: a.jansen@hilversum.nl\n"
        "    telefoon: '12'\n"
        "  - naam: B. de Vries\n"
        "    telefon: 035 629 2626\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:7:5: onbekende sleutel 'tekts'; bedoelde u 'tekst'?",
        f"{LETTER}:11:15: '12' is geen geldig telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)",
        f"{LETTER}:13:5: onbekende sleutel 'telefon'; bedoelde u 'telefoon'?",
    ])


def test_a_misspelt_key_beside_the_field_it_resembles_hides_not_that_fields_own_problem(werkmap):
    """The contact has ``telefoon`` and a stray ``telefon``: ``telefoon`` is known, so its check runs."""
    write(werkmap, LETTER, HEAD + (
        "contactpersonen:\n"
        "  - naam: A. Jansen\n"
        "    telefoon: '12'\n"
        "    telefon: 035 629 2626\n"))
    _check_and_build(werkmap, [
        f"{LETTER}:7:15: '12' is geen geldig telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)",
        f"{LETTER}:8:5: onbekende sleutel 'telefon'; bedoelde u 'telefoon'?",
    ])
