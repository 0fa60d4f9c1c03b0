"""What a new griffie (Bunnik: ``init``, her own letterhead, old letters) and ``make`` on a fresh clone ran into
(stop 29): each through the CLI, in a werkmap under tmp_path."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

from tests.cli.helpers import invoke, unbroken
from tests.cli.test_templates import part, rezip
from tests.conftest import HEAD, REPO, VALID_LETTER, write
from tests.golden.extract import docx_text

NOT_FILLED = "is nog niet ingevuld: vul de echte naam"
NO_PAGE_NUMBER = "de huisstijl heeft geen paginanummer in kop- of voettekst"


def _examples(tmp_path: Path) -> Path:
    """The repository's example werkmap as cloned: its organisations with the office-holders not published."""
    root = tmp_path / "voorbeelden"
    for folder in ("templates", "content"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_the_examples_build_quietly_and_check_still_names_who_is_to_be_filled_in(tmp_path):
    root = _examples(tmp_path)
    built = invoke(root, "build", "--formaat", "docx")
    assert built.exit_code == 0, built.output
    assert built.stderr == ""
    checked = invoke(root, "check", "--geen-spelling")
    assert checked.exit_code == 0, checked.output
    assert sorted(line.split(":")[0] for line in checked.stderr.splitlines() if NOT_FILLED in line) == [
        "content/organisaties/hilversum.yaml", "content/organisaties/huizen.yaml", "content/organisaties/huizen.yaml"]


def test_a_fresh_werkmap_says_in_check_what_to_fill_in_and_a_letter_it_cannot_sign_does_not_build(tmp_path):
    root = tmp_path / "bunnik"
    assert invoke(None, "init", str(root), "--gemeente", "Bunnik").exit_code == 0
    checked = invoke(root, "check", "--geen-spelling")
    assert [line.split(": waarschuwing: ")[1].split(" is ")[0] for line in checked.stderr.splitlines()
            if NOT_FILLED in line] == ["de burgemeester", "de gemeentesecretaris"]
    made = invoke(root, "new", "raadsinformatiebrief", "--organisatie", "bunnik", "--onderwerp", "Eerste brief")
    assert made.exit_code == 0, made.output
    built = invoke(root, "build", "--formaat", "docx")
    assert built.exit_code == 1, built.output
    assert NOT_FILLED not in built.stderr  # said where it matters: at the letter it leaves unsigned
    assert "geen ondertekenaar: de burgemeester" in built.stderr or "geen ondertekenaar: de gemeentesecretaris" in built.stderr


def _without_page_numbers(template: Path) -> None:
    source = template.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, data.replace(b"PAGE", b"DATE") if name.startswith(("word/header", "word/footer")) else data)
    template.write_bytes(out.getvalue())


def test_a_house_style_warning_is_for_check_and_templates_check_not_for_every_build(werkmap):
    _without_page_numbers(werkmap / "templates/hilversum-rib-2021.docx")
    for command in (("templates", "check"), ("check", "--geen-spelling")):
        result = invoke(werkmap, *command)
        assert result.exit_code == 0, result.output
        assert [line for line in result.stderr.splitlines() if NO_PAGE_NUMBER in line] == [
            f"templates/hilversum-rib-2021.docx: waarschuwing: {NO_PAGE_NUMBER}: bij een brief van meer pagina's ziet "
            "de lezer niet of er een pagina ontbreekt; voeg in Word een veld 'Pagina X van Y' toe aan de voettekst"]
    letter = werkmap / VALID_LETTER
    for _ in range(2):  # a build, and one after the letter was saved again (as watch does)
        built = invoke(werkmap, "build", "--formaat", "docx")
        assert built.exit_code == 0, built.output
        assert built.stderr == ""
        write(werkmap, VALID_LETTER, letter.read_text(encoding="utf-8").replace("\n", "\n\n", 1))
    assert invoke(werkmap, "check", "--geen-spelling", "--streng").exit_code == 1  # ignored on purpose: check still says it


def _bunnik_with_college(tmp_path: Path) -> Path:
    root = tmp_path / "bunnik"
    made = invoke(None, "init", str(root), "--gemeente", "Bunnik")
    assert made.exit_code == 0, made.output
    assert "huisstijl: standaard (de naam van de gemeente als tekst, zonder logo)" in made.stdout
    organisation = root / "content/organisaties/bunnik.yaml"
    text = organisation.read_text(encoding="utf-8")
    text = text.replace('naam: "(in te vullen)"', "naam: A. Burg", 1).replace('naam: "(in te vullen)"', "naam: S. Ecretaris", 1)
    organisation.write_text(text, encoding="utf-8")
    return root


def test_a_fresh_werkmap_has_a_house_style_with_its_own_name_and_no_other_municipalitys_logo(tmp_path):
    root = _bunnik_with_college(tmp_path)
    assert "\nhuisstijl: standaard\n" in (root / "content/organisaties/bunnik.yaml").read_text(encoding="utf-8")
    assert "templates nieuw bunnik-rib --van eigen-brief.docx" in \
        (root / "content/organisaties/bunnik.yaml").read_text(encoding="utf-8")
    write(root, "content/bunnik/eerste.yaml",
          f"soort: raadsinformatiebrief\norganisatie: bunnik\ndatum: {dt.date.today().isoformat()}\nonderwerp: Eerste brief\n"
          "secties:\n  - tekst: Wij informeren u.\ncontactpersonen:\n  - naam: J. Jansen\n    telefoon: 030 659 4233\n"
          "    email: j.jansen@bunnik.nl\n  - naam: P. Pietersen\n    email: p.pietersen@bunnik.nl\n"
          "ondertekening: college\n")
    checked = invoke(root, "check", "--geen-spelling", "--streng")
    assert checked.exit_code == 0, checked.output  # no other organisation named, every contact shown
    built = invoke(root, "build", "--formaat", "docx")
    assert built.exit_code == 0, built.output
    with zipfile.ZipFile(root / "build/bunnik/eerste.docx") as docx:
        headers = "".join(docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header"))
        assert not [n for n in docx.namelist() if n.startswith("word/media/")]
        body = docx.read("word/document.xml").decode()
    assert "Gemeente Bunnik" in headers and "<w:drawing" not in headers
    assert "Hilversum" not in headers + body and unbroken("J. Jansen") in body
    # every contact with its phone and e-mail address (the e-mail was left out without a word)
    assert f"{unbroken('J. Jansen')}, telefoon 030\u00a0659\u00a04233, j.jansen@bunnik.nl" in docx_text(root / "build/bunnik/eerste.docx")
    assert f"{unbroken('P. Pietersen')}, p.pietersen@bunnik.nl" in docx_text(root / "build/bunnik/eerste.docx")


def test_an_email_address_the_house_style_shows_nowhere_is_a_warning_like_a_phone(werkmap):
    """Huizen's house style shows each contact's name and phone, not the e-mail: ``check --streng`` says so, at the
    address, unless the letter's text names the contacts itself."""
    write(werkmap, "content/huizen/mail.yaml", HEAD.replace("hilversum", "huizen") + "secties:\n  - tekst: Wij informeren u.\ncontactpersonen:\n"
          "  - naam: J. Jansen\n    email: j.jansen@huizen.nl\n  - naam: P. Pietersen\n    telefoon: 0356292911\n"
          "    email: p.pietersen@huizen.nl\n")
    result = invoke(werkmap, "check", "--geen-spelling", "--streng", str(werkmap / "content/huizen/mail.yaml"))
    assert result.exit_code == 1, result.output
    assert [line for line in result.stderr.splitlines() if "e-mailadres" in line] == [
        f"content/huizen/mail.yaml:{line}:12: waarschuwing: de huisstijl 'huizen' toont het e-mailadres "
        f"van contactpersoon {name} niet: {address} staat niet in de DOCX en de PDF; zet in de template naast de naam "
        "'{% if contact.email %}, {{ contact.email }}{% endif %}' (in de lus over contactpersonen) of "
        "{{ contactpersonen[0].email }} (de eerste), of noem het adres in de tekst"
        for line, name, address in ((9, "J. Jansen", "j.jansen@huizen.nl"), (12, "P. Pietersen", "p.pietersen@huizen.nl"))
    ], result.stderr
    write(werkmap, "content/huizen/mail.yaml", (werkmap / "content/huizen/mail.yaml").read_text(
        encoding="utf-8").replace("Wij informeren u.", "Vragen? {{ contactpersonen | contacten }}"))
    named = invoke(werkmap, "check", "--geen-spelling", "--streng", str(werkmap / "content/huizen/mail.yaml"))
    assert "e-mailadres" not in named.stderr, named.stderr


def test_a_number_in_quotes_in_a_table_row_is_text_and_the_message_says_to_remove_the_quotes(werkmap):
    letter = werkmap / VALID_LETTER
    text = letter.read_text(encoding="utf-8")
    write(werkmap, VALID_LETTER, text.replace('- ["PGB", 6]', "- [\"PGB\", '6']").replace('- ["Gestopt/afgerond", 5]',
                                                                                     '- ["Gestopt/afgerond", "8.000"]'))
    line = next(n for n, row in enumerate(letter.read_text(encoding="utf-8").splitlines(), 1) if "'6'" in row)
    result = invoke(werkmap, "check", "--geen-spelling")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (f"{VALID_LETTER}:{line}:17: '6' is tekst, geen getal: de aanhalingstekens eromheen maken er tekst van; "
            "haal ze weg (schrijf 6)") in lines, result.stderr
    assert f"{VALID_LETTER}:{line + 2}:30: '8.000' is geen getal; schrijf 8000 (zonder punt)" in lines, result.stderr


def _with_contacts(werkmap: Path, *addresses: str) -> Path:
    letter = werkmap / VALID_LETTER
    text = letter.read_text(encoding="utf-8")
    contacts = "".join(f"  - naam: C. Contact{i}\n    email: \"{a}\"\n" for i, a in enumerate(addresses))
    write(werkmap, VALID_LETTER, text.replace("contactpersonen:\n", "contactpersonen:\n" + contacts, 1))
    return letter


def test_an_email_address_without_a_domain_is_a_located_error_and_real_addresses_pass(werkmap):
    original = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    assert "contactpersonen:\n" in original
    letter = _with_contacts(werkmap, "j.jansen@", "jansen@bunnik", "griffie+raad@mail.bunnik.nl",
                            "info@gemeente-ĳsselstein.nl")
    rows = letter.read_text(encoding="utf-8").splitlines()
    line = {address: n for n, row in enumerate(rows, 1) for address in ("j.jansen@", "jansen@bunnik") if f'"{address}"' in row}
    result = invoke(werkmap, "check", "--geen-spelling")
    assert result.exit_code == 1
    assert [row for row in result.stderr.splitlines() if "e-mailadres" in row] == [
        f"{VALID_LETTER}:{line['j.jansen@']}:12: 'j.jansen@' is geen e-mailadres: na de @ ontbreekt het domein; schrijf het "
        "volledig, bijvoorbeeld j.jansen@gemeente.nl",
        f"{VALID_LETTER}:{line['jansen@bunnik']}:12: 'jansen@bunnik' is geen e-mailadres: het domein 'bunnik' heeft geen "
        "extensie zoals .nl (jansen@bunnik.nl?)",
    ], result.stderr
    write(werkmap, VALID_LETTER, original)
    _with_contacts(werkmap, "griffie+raad@mail.bunnik.nl", "info@gemeente-ĳsselstein.nl", "A.de.Vries@Bunnik.NL")
    fine = invoke(werkmap, "check", "--geen-spelling", "--streng")
    assert fine.exit_code == 0, fine.output


def test_an_email_address_with_an_invisible_character_or_mailto_names_what_to_remove(werkmap):
    """A no-break or zero-width space pasted from Word looks like nothing: the message names it (the zero-width one
    made visible), also in the name before the @, where it was accepted; a 'mailto:' copied from a link is named too."""
    letter = _with_contacts(werkmap, "j.jansen\u00a0@bunnik.nl", "j.jan\u200bsen@bunnik.nl", "mailto:j@bunnik.nl")
    rows = letter.read_text(encoding="utf-8").splitlines()
    line = [n for n, row in enumerate(rows, 1) if "bunnik.nl" in row]
    result = invoke(werkmap, "check", "--geen-spelling")
    assert result.exit_code == 1
    pasted = "vaak meegekopieerd uit Word; typ het adres opnieuw of verwijder het teken"
    assert [row for row in result.stderr.splitlines() if "e-mailadres" in row] == [
        f"{VALID_LETTER}:{line[0]}:12: 'j.jansen\u00a0@bunnik.nl' is geen e-mailadres: er staat een onzichtbaar teken in "
        f"(U+00A0, harde spatie), {pasted}",
        f"{VALID_LETTER}:{line[1]}:12: 'j.jan⟨U+200B⟩sen@bunnik.nl' is geen e-mailadres: er staat een onzichtbaar teken in "
        f"(U+200B, breedteloze spatie), {pasted}",
        f"{VALID_LETTER}:{line[2]}:12: 'mailto:j@bunnik.nl' is geen e-mailadres: laat 'mailto:' weg (j@bunnik.nl)",
    ], result.stderr


def test_dutch_phone_numbers_are_grouped_as_nen_1775_and_an_own_grouping_is_kept(werkmap):
    """Digits alone get NEN 1775's groups; a rest written in groups (as an old letter printed them) is kept, with
    spaces; a municipality's 14 number keeps its area code whole; an extension follows the grouped number. A house
    style that formats the (already formatted) organisation's phone again gets the same text."""
    phones = {"0618878359": "06 18 87 83 59", "0306594233": "030 659 42 33", "0346254411": "0346 25 44 11",
              "08001234567": "0800 123 45 67", "+31 30 659 4233": "030 659 42 33", "035-629 2798": "035 629 2798",
              "06 18878359": "06 18 87 83 59", "030-6594233": "030 659 42 33", "140318": "14 0318",
              "0306594233 x12": "030 659 42 33 toestel 12", "+32 2 511 12 12": "+32 2 511 12 12"}
    contacts = "".join(f'  - naam: C. Contact{i}\n    telefoon: "{phone}"\n' for i, phone in enumerate(phones))
    text = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    start, end = text.index("contactpersonen:\n"), text.index("slot:")
    write(werkmap, VALID_LETTER, text[:start] + "contactpersonen:\n" + contacts + "\n" + text[end:])
    organisation = werkmap / "content/organisaties/hilversum.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8").replace("adres:", 'telefoon: "035 6292911 ext. 4"\nadres:', 1),
                            encoding="utf-8")
    template = werkmap / "templates/hilversum-rib-2021.docx"
    template.write_bytes(rezip(template.read_bytes(), part("word/footer1.xml", lambda xml: xml.replace(
        b"{{ organisatie.telefoon }}", b"{{ organisatie.telefoon | telefoon }}"))))
    built = invoke(werkmap, "build", "--formaat", "docx")
    assert built.exit_code == 0, built.output
    body = docx_text(werkmap / "build/hilversum/2021/inkoop-wmo-jeugd.docx").replace("\u00a0", " ")
    assert ", ".join(f"C. Contact{i} ({shown})" for i, shown in enumerate(phones.values()) if i < len(phones) - 1) in body
    assert f"C. Contact{len(phones) - 1} (+32 2 511 12 12)" in body
    assert "Telefoon 035 629 29 11 toestel 4" in body  # the organisation's own, in the letterhead, formatted twice


def test_check_given_an_organisation_file_checks_that_organisation_and_says_so(tmp_path, monkeypatch):
    root = tmp_path / "bunnik"
    assert invoke(None, "init", str(root), "--gemeente", "Bunnik").exit_code == 0
    write(root, "content/organisaties/elders.yaml", "naam: Gemeente Elders\nplaatsnaam: Elders\nhuisstijl: ontbreekt\n")
    _without_page_numbers(root / "templates/standaard.docx")
    _without_page_numbers(root / "templates/huizen.docx")  # no house style of Bunnik: not its problem
    monkeypatch.chdir(root)
    result = invoke(None, "check", "--geen-spelling", "content/organisaties/bunnik.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "organisatie gecontroleerd: content/organisaties/bunnik.yaml (het bestand, het college en de huisstijlen; haar "
        "brieven controleert 'briefgen check' zonder pad)",
        "1 organisatie gecontroleerd: 0 fouten, 3 waarschuwingen.",
    ]
    assert [line.split(": waarschuwing: ")[0].split(":")[0] for line in result.stderr.splitlines()] == [
        "content/organisaties/bunnik.yaml", "content/organisaties/bunnik.yaml", "templates/standaard.docx"]
    other = invoke(None, "check", "--geen-spelling", "-f", "json", "content/organisaties/elders.yaml")
    assert other.exit_code == 1
    assert '"organisaties": [\n    "content/organisaties/elders.yaml"\n  ]' in other.stdout
    assert "huisstijl 'ontbreekt' heeft geen template" in other.stdout
