"""What a new griffie (Zeist: its own letter paper and old Word letters) ran into in its first hour with
``init --gemeente``, ``templates nieuw``, ``import`` and ``new``: each through the CLI, the files read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from ruamel.yaml import YAML

from tests.cli.helpers import invoke
from tests.cli.wordletters import plain_letter
from tests.conftest import blank_pdf

UNFILLED = ("briefgen: 'ondertekening: college': de gemeentesecretaris en de burgemeester op 2 maart 2026 zijn nog "
            "'(in te vullen)' in content/organisaties/zeist.yaml: vul de echte namen in; tot dan stopt briefgen check "
            "bij deze brief\n")
"""What ``new`` says of a letter of 2 March 2026 in a fresh ``init --gemeente Zeist`` werkmap."""


def _zeist(tmp_path: Path) -> Path:
    root = tmp_path / "griffie"
    made = invoke(None, "init", str(root), "--gemeente", "Zeist")
    assert made.exit_code == 0, made.output
    return root


def _data(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _letter(path: Path, header: tuple[str, ...], captions: tuple[str, ...] = ()) -> Path:
    """A Word letter: header block and aanhef, one section, a table under each caption, the closing formula."""
    doc = Document()
    for line in (*header, "Geachte leden van de raad,"):
        doc.add_paragraph(line)
    doc.add_heading("Aanleiding", level=1)
    doc.add_paragraph("Wij informeren u.")
    for caption in captions:
        doc.add_paragraph(caption, style="Caption")
        table = doc.add_table(rows=0, cols=2)
        for row in (("Categorie", "Aantal"), ("Sociaal", "10"), ("Middelduur", "20")):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = row
    doc.add_paragraph("Met vriendelijke groet,")
    doc.save(path)
    return path


def _own_letter(path: Path, addressee: str) -> Path:
    """A Zeist letter: a fixed addressee line above the header block."""
    return _letter(path, (addressee, "Datum: 12 maart 2024", "Ons kenmerk: Z/24/612345", "Onderwerp: Herinrichting Slotplein"))


def test_a_pdf_named_to_import_says_in_dutch_that_a_docx_or_the_text_is_needed(tmp_path):
    root = _zeist(tmp_path)
    for name in ("rib-2023-12.pdf", "vermomd.docx"):  # by its name, and a PDF saved as .docx
        pdf = tmp_path / name
        pdf.write_bytes(blank_pdf())
        result = invoke(root, "import", str(pdf), "--organisatie", "zeist")
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"{pdf}: dit is een PDF, en een PDF kan briefgen niet importeren: "), result.stderr
        assert "importeer de Word-versie van deze brief (.docx), of zet de tekst zelf in een nieuwe brief (briefgen new)" \
            in result.stderr
        assert "zip" not in result.output
        assert "1 brief niet geïmporteerd (zie de fouten hierboven)." in result.stdout
    assert not (root / "content" / "zeist").exists()


def test_templates_nieuw_from_a_pdf_asks_for_the_word_letter(tmp_path):
    root = _zeist(tmp_path)
    pdf = tmp_path / "eigen-brief.pdf"
    pdf.write_bytes(blank_pdf())
    result = invoke(root, "templates", "nieuw", "zeist-rib", "--van", str(pdf))
    assert result.exit_code == 1, result.output
    assert "dit is een PDF, en van een PDF kan briefgen geen huisstijl maken" in result.stderr
    assert "gebruik de Word-versie van de brief (.docx)" in result.stderr
    assert not (root / "templates" / "zeist-rib.docx").exists()


def test_pdfs_in_an_import_folder_are_each_reported_as_skipped(tmp_path):
    root = _zeist(tmp_path)
    folder = tmp_path / "oude-brieven"
    folder.mkdir()
    plain_letter(folder / "rib-1.docx", header=("Datum: 3 maart 2020", "Onderwerp: Eerste brief"))
    (folder / "rib-1.pdf").write_bytes(blank_pdf())  # the published version beside the Word letter
    (folder / "sub").mkdir()
    (folder / "sub" / "rib-0.pdf").write_bytes(blank_pdf())  # only the PDF is left of this one
    result = invoke(root, "import", str(folder), "--organisatie", "zeist")
    assert result.exit_code == 0, result.output  # a skipped PDF is a warning: the letters are imported
    skipped = [line for line in result.stderr.splitlines() if "PDF overgeslagen" in line]
    assert skipped == [
        f"{folder / 'rib-1.pdf'}: waarschuwing: PDF overgeslagen: briefgen importeert alleen Word-brieven (.docx); "
        "de Word-versie rib-1.docx wordt wel geïmporteerd",
        f"{folder / 'sub' / 'rib-0.pdf'}: waarschuwing: PDF overgeslagen: briefgen importeert alleen Word-brieven (.docx); "
        "zet de Word-versie van deze brief (.docx) in de map om haar te importeren",
    ]
    assert result.stdout.endswith("1 brief geïmporteerd: 1 met alleen waarschuwingen (1 waarschuwing); "
                                  "2 PDF's overgeslagen.\n1 PDF zonder Word-versie ernaast: importeer "
                                  "de Word-versies (.docx), of zet de tekst van zo'n brief in een nieuwe brief met "
                                  "'briefgen new'.\n")
    assert [p.name for p in (root / "content" / "zeist" / "2020").iterdir()] == ["eerste-brief.yaml"]


def test_a_skipped_pdf_says_what_became_of_its_word_version(tmp_path):
    """RIB.PDF beside RIB.DOCX is the same letter (names compared without case); imported again, the Word version
    is not imported, and the warning says so; with only PDFs, one line says what to do instead."""
    root = _zeist(tmp_path)
    folder = tmp_path / "oude-brieven"
    folder.mkdir()
    plain_letter(folder / "RIB-1.DOCX", header=("Datum: 3 maart 2020", "Onderwerp: Eerste brief"))
    (folder / "rib-1.pdf").write_bytes(blank_pdf())
    first = invoke(root, "import", str(folder), "--organisatie", "zeist")
    assert first.exit_code == 0, first.output
    assert f"{folder / 'rib-1.pdf'}: waarschuwing: PDF overgeslagen: briefgen importeert alleen Word-brieven (.docx); " \
        "de Word-versie RIB-1.DOCX wordt wel geïmporteerd" in first.stderr.splitlines()
    assert "zonder Word-versie" not in first.stdout
    again = invoke(root, "import", str(folder), "--organisatie", "zeist")
    assert again.exit_code == 0, again.output
    assert f"{folder / 'rib-1.pdf'}: waarschuwing: PDF overgeslagen: briefgen importeert alleen Word-brieven (.docx); " \
        "de Word-versie RIB-1.DOCX is al eerder geïmporteerd" in again.stderr.splitlines()
    only = tmp_path / "alleen-pdf"
    only.mkdir()
    for n in range(3):
        (only / f"rib-{n}.pdf").write_bytes(blank_pdf())
    pdfs = invoke(root, "import", str(only), "--organisatie", "zeist")
    assert pdfs.stdout.splitlines()[-1] == ("3 PDF's zonder Word-versie ernaast: importeer de Word-versies (.docx), of zet "
                                            "de tekst van zo'n brief in een nieuwe brief met 'briefgen new'."), pdfs.stdout


ORIGINALS = ("Aan de leden van de gemeenteraad van Zeist", "Aan de leden van de gemeenteraad",
             "Aan de raad van de gemeente Zeist", "Aan de leden van de commissie Samenleving")


def _imported_and_built(tmp_path: Path, style: str, addressee: str) -> tuple[dict, str]:
    """An old Zeist letter to ``addressee`` imported into a werkmap whose house style is ``style`` ('eigen': made
    from letter paper with the fixed line 'Aan de raad van de gemeente Zeist'), and built: the letter file and
    the built DOCX's text."""
    from tests.golden.extract import docx_text

    root = _zeist(tmp_path)
    _signable(root)
    if style == "eigen":
        paper = _own_letter(tmp_path / "eigen-brief.docx", "Aan de raad van de gemeente Zeist")
        made = invoke(root, "templates", "nieuw", "zeist-rib", "--van", str(paper))
        assert made.exit_code == 0, made.output
        style = "zeist-rib"
    _with_style(root, style)
    old = _own_letter(tmp_path / "oud.docx", addressee)
    imported = invoke(root, "import", str(old), "--organisatie", "zeist")
    assert imported.exit_code == 0, imported.output
    letter = root / "content/zeist/2024/herinrichting-slotplein.yaml"
    built = invoke(root, "build", "--formaat", "docx", str(letter))
    assert built.exit_code == 0, built.output
    return _data(letter), docx_text(root / "build/zeist/2024/herinrichting-slotplein.docx")


def _addressee_line(text: str) -> str:
    """The built letter's addressee: its line 'Aan …', or the cells 'Aan | …' of the header block, as one line."""
    found = [line.strip("| ") for line in text.splitlines() if line.strip("| ").casefold().startswith("aan ")]
    assert len(found) == 1, text
    return " ".join(found[0].replace("|", " ").split())


@pytest.mark.parametrize("addressee", ORIGINALS)
@pytest.mark.parametrize("style", ["huizen", "eigen"])
def test_an_imported_letter_builds_with_the_addressee_it_had(tmp_path, style, addressee):
    """Whatever the house style: with or without 'aan:', the rebuilt letter is addressed as the original was,
    and 'aan:' is left out only where the letter without it shows the same."""
    data, text = _imported_and_built(tmp_path, style, addressee)
    assert _addressee_line(text).casefold() == addressee.casefold(), text
    standard = {"huizen": "Aan de leden van de gemeenteraad", "eigen": "Aan de raad van de gemeente Zeist"}[style]
    assert ("aan" in data) == (addressee != standard), data


@pytest.mark.parametrize("addressee", ORIGINALS)
def test_an_imported_addressee_is_left_out_in_a_house_style_that_shows_none(tmp_path, addressee):
    data, text = _imported_and_built(tmp_path, "hilversum-rib-2021", addressee)
    assert "aan" not in data, data
    assert not [line for line in text.splitlines() if line.strip("| ").casefold().startswith("aan ")], text
    assert data["kenmerk"] == "Z/24/612345"


def test_an_imported_table_name_ends_at_a_whole_word_and_stays_a_valid_unique_name(tmp_path):
    root = _zeist(tmp_path)
    _letter(tmp_path / "rib.docx", ("Datum: 12 maart 2024", "Onderwerp: Woningbouw"),
            ("Aantal woningen per categorie in het Slotpleinkwartiergebied",
             "Aantal woningen per categorie in het Slotpleinkwartiergebied", "2024: woningen per wijk"))
    result = invoke(root, "import", str(tmp_path / "rib.docx"), "--organisatie", "zeist")
    assert result.exit_code == 0, result.output
    target = root / "content/zeist/2024/woningbouw.yaml"
    names = list(_data(target)["tabellen"])
    assert names == ["aantal_woningen_per_categorie", "aantal_woningen_per_categorie_2", "tabel_2024_woningen_per_wijk"]
    assert all(name.isidentifier() and len(name) <= 32 for name in names)
    assert '{{ tabel("aantal_woningen_per_categorie_2") }}' in target.read_text(encoding="utf-8")
    checked = invoke(root, "check", "--geen-spelling", str(target))
    assert not [line for line in checked.stderr.splitlines() if "tabel" in line], checked.stderr


def test_new_names_the_file_after_the_subject_in_whole_words_and_never_twice(tmp_path):
    root = _zeist(tmp_path)
    subject = "Stand van zaken van de voorbereiding van de herinrichting van het Slotpleinkwartier"
    paths = []
    for _ in range(2):
        made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", subject)
        assert made.exit_code == 0, made.output
        paths.append(made.stdout.strip())
    assert paths == ["content/zeist/2026/stand-van-zaken-van-de-voorbereiding-van-de-herinrichting.yaml",
                     "content/zeist/2026/stand-van-zaken-van-de-voorbereiding-van-de-herinrichting-2.yaml"]
    assert made.stderr == UNFILLED  # a subject given: nothing to rename
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02",
                  "--onderwerp", "Auto's & fietsen in 's-Hertogenbosch")
    assert made.exit_code == 0, made.output
    assert made.stdout.strip() == "content/zeist/2026/autos-en-fietsen-in-s-hertogenbosch.yaml"
    assert _data(root / made.stdout.strip())["onderwerp"] == "Auto's & fietsen in 's-Hertogenbosch"


def test_new_without_a_subject_says_how_to_rename_the_file(tmp_path, monkeypatch):
    root = _zeist(tmp_path)
    monkeypatch.chdir(root)
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02")
    assert made.exit_code == 0, made.output
    assert made.stdout == "content/zeist/2026/nieuw-onderwerp.yaml\n"
    assert made.stderr == UNFILLED + (
        "briefgen: geen onderwerp opgegeven: vul 'onderwerp:' in en geef het bestand een naam naar het onderwerp, zoals "
        "'mv content/zeist/2026/nieuw-onderwerp.yaml content/zeist/2026/onderwerp-van-de-brief.yaml'; met --onderwerp "
        "\"…\" krijgt een nieuwe brief die naam meteen\n")
    again = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02")
    assert again.stdout == "content/zeist/2026/nieuw-onderwerp-2.yaml\n"
    assert "'mv content/zeist/2026/nieuw-onderwerp-2.yaml " in again.stderr


@pytest.mark.parametrize("git", [False, True])
@pytest.mark.parametrize("where", [".", "griffie/content", "elders met spatie"])
def test_the_rename_hint_of_new_works_where_it_is_run(tmp_path, monkeypatch, where, git):
    """Run from outside the werkmap (-C) or from content/, in a git repository or not: the command it prints
    renames the file from there ('git mv' would refuse the file new just wrote: git does not track it yet)."""
    import shlex
    import subprocess

    root = _zeist(tmp_path)
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    here = tmp_path / where
    here.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(here)
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02")
    assert made.exit_code == 0, made.output
    command = made.stderr.split("zoals '", 1)[1].split("'; met", 1)[0]
    assert command.startswith("mv "), command
    moved = subprocess.run(shlex.split(command), cwd=here, capture_output=True, text=True, check=False)
    assert moved.returncode == 0, moved.stderr
    assert (root / "content/zeist/2026/onderwerp-van-de-brief.yaml").is_file()
    assert not (root / "content/zeist/2026/nieuw-onderwerp.yaml").exists()


def _with_style(root: Path, style: str, college: str = "") -> None:
    settings = root / "content/organisaties/zeist.yaml"
    text = settings.read_text(encoding="utf-8").replace("huisstijl: standaard", f"huisstijl: {style}")
    settings.write_text(text + college, encoding="utf-8")


WETHOUDER = "  - naam: M. Jansen\n    functie: wethouder\n    portefeuilles: [Ruimte]\n    van: 2020-01-01\n"


@pytest.mark.parametrize(("style", "holder", "contacts"), [("hilversum-rib-2021", False, False), ("huizen", True, True),
                                                           ("rzou-informatienota", False, False)])
def test_new_writes_only_the_keys_its_house_style_shows(tmp_path, style, holder, contacts):
    root = _zeist(tmp_path)
    _with_style(root, style, WETHOUDER)
    kind = "informatienota" if style == "rzou-informatienota" else "raadsinformatiebrief"
    made = invoke(root, "new", kind, "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", "Proef")
    assert made.exit_code == 0, made.output
    text = (root / made.stdout.strip()).read_text(encoding="utf-8")
    assert ("# portefeuillehouder: kies een van de collegeleden in functie op 2 maart 2026:\n"
            "#   M. Jansen (wethouder: Ruimte)\n" in text) == holder, text
    assert "(in te vullen)" not in text  # a member still to be filled in is no one to choose
    assert ("contactpersonen: []\n" in text) == contacts, text
    assert "ondertekening: college\n" in text


def test_new_in_the_own_house_style_shows_what_its_letter_paper_has(tmp_path):
    """The house style made from Zeist's letter paper has a Portefeuillehouder and no contact: the new letter
    gets the choice of portefeuillehouder and no 'contactpersonen: []'."""
    root = _zeist(tmp_path)
    paper = _own_letter(tmp_path / "eigen-brief.docx", "Aan de leden van de gemeenteraad van Zeist")
    doc = Document(str(paper))
    doc.paragraphs[3].insert_paragraph_before("Portefeuillehouder: wethouder Jansen")
    doc.save(str(paper))
    assert invoke(root, "templates", "nieuw", "zeist-rib", "--van", str(paper)).exit_code == 0
    _with_style(root, "zeist-rib", WETHOUDER)
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", "Proef")
    assert made.exit_code == 0, made.output
    text = (root / made.stdout.strip()).read_text(encoding="utf-8")
    assert "#   M. Jansen (wethouder: Ruimte)\n" in text
    assert "contactpersonen" not in text


def _numbering(root: Path, numbering: str) -> None:
    settings = root / "content/organisaties/zeist.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('nummering: "{jaar}/{volgnummer}"',
                                                                     f'nummering: "{numbering}"'), encoding="utf-8")


def test_a_numbering_with_leading_zeros_numbers_rib_007(tmp_path):
    root = _zeist(tmp_path)
    _numbering(root, "RIB-{volgnummer:03}")
    numbers = []
    for _ in range(2):
        made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", "Proef")
        assert made.exit_code == 0, made.output
        numbers.append(_data(root / made.stdout.strip())["nummer"])
    assert numbers == ["RIB-001", "RIB-002"]
    imported = root / "content/zeist/2026/oud.yaml"  # an imported kenmerk in that form counts, with its own zeros
    imported.write_text("soort: raadsinformatiebrief\norganisatie: zeist\ndatum: 2026-01-05\nkenmerk: RIB-0041\n"
                        "onderwerp: Oud\nsecties: []\nondertekening: college\n", encoding="utf-8")
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", "Proef")
    assert made.exit_code == 0, made.output
    assert _data(root / made.stdout.strip())["nummer"] == "RIB-0042"


@pytest.mark.parametrize(("numbering", "problem"), [
    ("RIB-{volgnummer:3}", "'{volgnummer:3}' kan niet; voorloopnullen schrijft u als {volgnummer:03}"),
    ("RIB-{volgnummer:00}", "'{volgnummer:00}' kan niet; voorloopnullen schrijft u als {volgnummer:02}"),
    ("RIB-{volgnummer:010}", "'{volgnummer:010}' kan niet; voorloopnullen schrijft u als {volgnummer:09}"),
    ("RIB-{volgnummer:03d}", "'{volgnummer:03d}' kan niet; voorloopnullen schrijft u als {volgnummer:03}"),
    ("RIB-{volgnummer:3d}", "'{volgnummer:3d}' kan niet; voorloopnullen schrijft u als {volgnummer:03}"),
    ("{jaar:03}/{volgnummer}", "'{jaar:03}' kan niet; gebruik alleen {jaar} en {volgnummer} (zonder opmaak, behalve "
                               "voorloopnullen als {volgnummer:03})"),
])
def test_a_wrong_zero_padding_is_an_error_on_its_line_that_shows_the_right_form(tmp_path, numbering, problem):
    root = _zeist(tmp_path)
    _numbering(root, numbering)
    checked = invoke(root, "check", "--geen-spelling")
    errors = [line for line in checked.stderr.splitlines() if "nummering" in line]
    assert errors == [f"content/organisaties/zeist.yaml:9:12: nummering '{numbering}': {problem}"
                      + errors[0].split(problem, 1)[1]], checked.stderr
    assert checked.exit_code == 1


@pytest.mark.parametrize("numbering", ["{jaar}/{volgnummer}", "RIB-{volgnummer:03}", "RIB {jaar}-{volgnummer:02}",
                                       "RIB-{volgnummer:3}", "RIB-{volgnummer:03d}", "{jaar}", "{volgnummer}{volgnummer}", "{jaar:03}/{volgnummer}",
                                       "{nr}", "{volgnummer:>30}", "a}{volgnummer}"])
def test_the_schema_pattern_of_the_numbering_accepts_what_check_accepts(numbering):
    import re

    from pydantic import ValidationError

    from briefgen import schema
    from briefgen.model import Organisation

    pattern = schema.schema("organisatie")["properties"]["nummering"]["pattern"]
    try:
        Organisation.model_validate({"naam": "Gemeente Zeist", "plaatsnaam": "Zeist", "huisstijl": "x", "nummering": numbering})
        valid = True
    except ValidationError:
        valid = False
    assert bool(re.fullmatch(pattern, numbering)) == valid


def _signable(root: Path) -> None:
    settings = root / "content/organisaties/zeist.yaml"
    text = settings.read_text(encoding="utf-8")
    for name in ("K. Burgemeester", "A. Secretaris"):
        text = text.replace('naam: "(in te vullen)"', f'naam: "{name}"', 1)
    settings.write_text(text, encoding="utf-8")


def _paper(tmp_path: Path, kenmerk: str, *extra: str) -> Path:
    doc = Document()
    for line in ("Datum: 1 februari 2024", *extra, f"Ons kenmerk: {kenmerk}", "Onderwerp: Voorbeeld", "Geachte leden van de raad,",
                 "Oude tekst."):
        doc.add_paragraph(line)
    doc.save(tmp_path / "eigen-brief.docx")
    return tmp_path / "eigen-brief.docx"


def _fill(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new).replace("    tekst: |\n\n", "    tekst: |\n      Tekst.\n"), encoding="utf-8")


def _in_own_style(tmp_path: Path, kenmerk: str, numbering: str, *extra: str):
    """A signable Zeist werkmap with ``numbering``, a house style made from letter paper with 'Ons kenmerk: ``kenmerk``',
    and a new letter in it: the werkmap, what templates nieuw said, and the letter."""
    root = _zeist(tmp_path)
    _signable(root)
    _numbering(root, numbering)
    made = invoke(root, "templates", "nieuw", "zeist-rib", "--van", str(_paper(tmp_path, kenmerk, *extra)))
    assert made.exit_code == 0, made.output
    _with_style(root, "zeist-rib")
    new = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", "Proef")
    assert new.exit_code == 0, new.output
    return root, made, root / new.stdout.strip()


def _built(root: Path, letter: Path) -> str:
    from tests.golden.extract import docx_text

    built = invoke(root, "build", "--formaat", "docx", str(letter))
    assert built.exit_code == 0, built.output
    return docx_text(root / "build/zeist/2026/proef.docx")


def test_templates_nieuw_keeps_a_zaak_kenmerk_form_instead_of_printing_the_number(tmp_path):
    """Zeist's letter paper has 'Ons kenmerk: Z/24/612345' (its zaak system's kenmerk): the house style shows the
    letter's own kenmerk there, never briefgen's number ('RIB 2026-1' with a RIB numbering); new sets 'kenmerk:' ready."""
    root, made, letter = _in_own_style(tmp_path, "Z/24/612345", "RIB {jaar}-{volgnummer}")
    assert "  Ons kenmerk → {{ kenmerk }}" in made.stdout.splitlines()
    assert ("Het kenmerk op de brief (Z/24/612345) heeft een eigen vorm (zoals uit het zaaksysteem): de huisstijl toont het "
            "kenmerk van elke brief; vul het in bij 'kenmerk:' (briefgen new zet die regel klaar).") in made.stdout
    assert 'nummer: "RIB 2026-1"\nkenmerk:  # vul het kenmerk in (de huisstijl toont het, niet het nummer)\n' \
        in letter.read_text(encoding="utf-8")
    _fill(letter, "onderwerp: Proef", "onderwerp: Proef")  # the sections written
    checked = invoke(root, "check", "--geen-spelling", str(letter))
    assert [line for line in checked.stderr.splitlines() if "kenmerk" in line] == [
        "content/zeist/2026/proef.yaml:6:9: waarschuwing: de huisstijl 'zeist-rib' toont het kenmerk van de brief (niet haar "
        "nummer), en deze brief heeft geen kenmerk: naast het label blijft het leeg; vul 'kenmerk:' in"], checked.stderr
    _fill(letter, "kenmerk:  #", "kenmerk: Z/26/700001  #")
    text = _built(root, letter)
    assert "Ons kenmerk: Z/26/700001" in text and "RIB" not in text, text


def test_templates_nieuw_gives_the_numbering_of_a_kenmerk_that_is_a_letter_number(tmp_path):
    root, made, letter = _in_own_style(tmp_path, "RIB 2024-034", "RIB {jaar}-{volgnummer:03}")
    assert "  Ons kenmerk → {{ kenmerk or nummer }}" in made.stdout.splitlines()
    assert ("Het kenmerk op de brief (RIB 2024-034) is een briefnummer: met 'nummering: \"RIB {jaar}-{volgnummer:03}\"' in "
            "content/organisaties/zeist.yaml krijgt een nieuwe brief haar nummer in die vorm.") in made.stdout
    assert "Kies hem met 'huisstijl: zeist-rib' in content/organisaties/zeist.yaml of in een brief." in made.stdout
    assert "kenmerk" not in letter.read_text(encoding="utf-8")  # the number is printed beside 'Ons kenmerk'
    _fill(letter, "onderwerp: Proef", "onderwerp: Proef")
    assert "Ons kenmerk: RIB 2026-001" in _built(root, letter)


def test_the_next_letter_of_a_series_in_an_own_kenmerk_style_gets_a_kenmerk_to_fill_in(tmp_path):
    root, _, letter = _in_own_style(tmp_path, "Z/24/612345", "{jaar}/{volgnummer}")
    _fill(letter, "kenmerk:  #", "kenmerk: Z/26/700001  #")
    follow = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-04-02", "--van", str(letter))
    assert follow.exit_code == 0, follow.output
    text = (root / follow.stdout.strip()).read_text(encoding="utf-8")
    assert 'nummer: "2026/2"\nkenmerk:  # vul het kenmerk in (de huisstijl toont het, niet het nummer)\n' in text, text
    assert "Z/26/700001" not in text  # the kenmerk of the previous letter is not this one's


@pytest.mark.parametrize("kenmerk", ["RIB 2024-034", "Z/24/612345"])
def test_templates_nieuw_says_nothing_of_the_kenmerk_when_the_letter_paper_has_a_place_for_the_number(tmp_path, kenmerk):
    """Letter paper with 'Nummer: 2024/34' beside 'Ons kenmerk': the number has its own place, the kenmerk stays the
    letter's kenmerk, and templates nieuw claims no form for it; new sets no 'kenmerk:' ready (the style shows nummer)."""
    root, made, letter = _in_own_style(tmp_path, kenmerk, "{jaar}/{volgnummer}", "Nummer: 2024/34")
    assert "  Nummer → {{ nummer }}" in made.stdout.splitlines()
    assert "  Ons kenmerk → {{ kenmerk }}" in made.stdout.splitlines()
    assert "Het kenmerk op de brief" not in made.stdout, made.stdout
    assert "kenmerk" not in letter.read_text(encoding="utf-8")


def test_the_next_letter_of_an_imported_one_has_its_number_and_kenmerk_under_the_date(tmp_path):
    """An imported letter has a kenmerk and no nummer: the next one (new --van) gets 'nummer:' and the empty
    'kenmerk:' right under 'datum:', where a fresh letter has them, not below 'ondertekening:'."""
    root, _, _ = _in_own_style(tmp_path, "Z/24/612345", "{jaar}/{volgnummer}")
    old = _own_letter(tmp_path / "oud.docx", "Aan de leden van de gemeenteraad")
    imported = invoke(root, "import", str(old), "--organisatie", "zeist")
    assert imported.exit_code == 0, imported.output
    previous = root / "content/zeist/2024/herinrichting-slotplein.yaml"
    assert "nummer" not in _data(previous)
    follow = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-04-02", "--van", str(previous))
    assert follow.exit_code == 0, follow.output
    text = (root / follow.stdout.strip()).read_text(encoding="utf-8")
    keys = [line.split(":", 1)[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys[keys.index("datum"):keys.index("datum") + 3] == ["datum", "nummer", "kenmerk"], text
    assert 'nummer: "2026/2"\nkenmerk:  # vul het kenmerk in (de huisstijl toont het, niet het nummer)\n' in text, text
    assert "Z/24/612345" not in text


def test_templates_check_names_a_pdf_saved_as_docx_as_a_pdf(tmp_path):
    root = _zeist(tmp_path)
    (root / "templates" / "vermomd.docx").write_bytes(blank_pdf())
    checked = invoke(root, "templates", "check")
    assert checked.exit_code == 1, checked.output
    assert "templates/vermomd.docx: geen Word-bestand maar een PDF; briefgen leest alleen Word-bestanden (.docx)" \
        in checked.stderr.splitlines()
    assert "zip" not in checked.stderr


@pytest.mark.parametrize(("drop", "line"), [("kenmerk", "5:9"), ("kenmerk+nummer", "5:12")])
def test_the_missing_kenmerk_warning_points_at_a_line_of_the_letter(tmp_path, drop, line):
    """Without a 'kenmerk:' key the warning stands at 'nummer:' (or 'onderwerp:'), never at the file's 1:1."""
    root, _, letter = _in_own_style(tmp_path, "Z/24/612345", "{jaar}/{volgnummer}")
    text = letter.read_text(encoding="utf-8")
    for key in drop.split("+"):
        text = "".join(row for row in text.splitlines(keepends=True) if not row.startswith(f"{key}:"))
    letter.write_text(text, encoding="utf-8")
    _fill(letter, "onderwerp: Proef", "onderwerp: Proef")
    checked = invoke(root, "check", "--geen-spelling", str(letter))
    found = [row for row in checked.stderr.splitlines() if "geen kenmerk" in row]
    assert len(found) == 1 and found[0].startswith(f"content/zeist/2026/proef.yaml:{line}: waarschuwing: "), checked.stderr


@pytest.mark.parametrize(("subject", "name"), [
    ("Voortgang van de herinrichting van het Slotpleinkwartier en de omgeving van het Stationsplein en de Bergweg",
     "voortgang-van-de-herinrichting-van-het-slotpleinkwartier"),
    ("Herinrichting Slotplein en Stationsplein en de omliggende straten van de binnenstad",
     "herinrichting-slotplein-en-stationsplein-en-de-omliggende"),
    ("Bezoek aan de raad", "bezoek-aan-de-raad"),  # not cut off: the subject's own words
])
def test_a_cut_off_file_name_does_not_end_on_a_filler_word(tmp_path, subject, name):
    root = _zeist(tmp_path)
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-02", "--onderwerp", subject)
    assert made.exit_code == 0, made.output
    assert made.stdout == f"content/zeist/2026/{name}.yaml\n"


@pytest.mark.parametrize(("signable", "note"), [
    (False, "#   (niemand in functie op deze datum: vul eerst het college in het organisatiebestand in)\n"),
    (True, "#   (niemand in functie op deze datum)\n"),
])
def test_new_asks_to_fill_in_the_college_only_while_it_is_still_to_be_filled_in(tmp_path, signable, note):
    """A college filled in, and a date before everyone's 'van:': nobody to choose, but nothing to fill in either."""
    root = _zeist(tmp_path)
    if signable:
        _signable(root)
    _with_style(root, "huizen", WETHOUDER)
    made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2019-03-02", "--onderwerp", "Proef")
    assert made.exit_code == 0, made.output
    assert note in (root / made.stdout.strip()).read_text(encoding="utf-8")


@pytest.mark.parametrize(("style", "kept"), [("hilversum-rib-2021", False), ("hilversum-rib-2016", True)])
def test_an_imported_sender_is_kept_only_where_the_house_style_shows_it(tmp_path, style, kept):
    """'van:' follows the rule of 'aan:': in a house style without a sender it would stand in no letter (check warns)."""
    from tests.golden.extract import docx_text

    root = _zeist(tmp_path)
    _signable(root)
    _with_style(root, style)
    sender = "Het college van burgemeester en wethouders van Zeist"
    old = _letter(tmp_path / "oud.docx", (f"Van: {sender}", "Datum: 12 maart 2024", "Onderwerp: Herinrichting Slotplein"))
    imported = invoke(root, "import", str(old), "--organisatie", "zeist")
    assert imported.exit_code == 0, imported.output
    letter = root / "content/zeist/2024/herinrichting-slotplein.yaml"
    assert ("van" in _data(letter)) == kept, _data(letter)
    checked = invoke(root, "check", "--geen-spelling", str(letter))
    assert "toont 'van' niet" not in checked.stderr, checked.stderr
    built = invoke(root, "build", "--formaat", "docx", str(letter))
    assert built.exit_code == 0, built.output
    assert (sender in docx_text(root / "build/zeist/2024/herinrichting-slotplein.docx")) == kept


KENMERK_NOTE = ("briefgen: de huisstijl toont het kenmerk van de brief, niet haar nummer: vul 'kenmerk:' in (bijvoorbeeld "
                "uit het zaaksysteem)\n")


@pytest.mark.parametrize("kenmerk", ["Z/24/612345", "RIB 2024-034"])
def test_new_says_to_fill_in_the_kenmerk_in_a_style_that_shows_it(tmp_path, kenmerk):
    root, _, letter = _in_own_style(tmp_path, kenmerk, "{jaar}/{volgnummer}")
    own = kenmerk.startswith("Z")
    fresh = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-03-03", "--onderwerp", "Nog een")
    assert fresh.exit_code == 0, fresh.output
    assert (fresh.stderr == KENMERK_NOTE) == own and (fresh.stderr == "") == (not own), fresh.stderr
    follow = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", "2026-04-02", "--van", str(letter))
    assert follow.exit_code == 0, follow.output
    assert (KENMERK_NOTE in follow.stderr) == own, follow.stderr


def test_a_numbering_without_a_year_counts_on_across_years(tmp_path):
    """As docs/eigen-word-brieven.md says: without {jaar}, January goes on from December."""
    root = _zeist(tmp_path)
    _numbering(root, "RIB-{volgnummer:03}")
    numbers = []
    for day in ("2025-12-15", "2026-01-05"):
        made = invoke(root, "new", "raadsinformatiebrief", "-o", "zeist", "--datum", day, "--onderwerp", "Proef")
        assert made.exit_code == 0, made.output
        numbers.append(_data(root / made.stdout.strip())["nummer"])
    assert numbers == ["RIB-001", "RIB-002"]
