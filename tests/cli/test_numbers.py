"""Stop 29: letter numbers that cannot collide or drift: a nummer against the kenmerken of imported letters,
numbers written with other leading zeros, case or spaces, and a nummer against its datum and the nummering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import invoke
from tests.conftest import REPO, VALID_LETTER, write

BODY = "aanhef: Geachte leden,\nsecties:\n  - tekst: Tekst.\nondertekening: college\n"


def letter(date: str, subject: str, number: str | None = None, kenmerk: str | None = None,
           imported: str | None = None) -> str:
    """A letter whose nummer (else kenmerk) is on line 5, its kenmerk after a nummer on line 6; ``imported``: the
    Word file ``briefgen import`` made it from, written as import writes it."""
    return (f"soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: {date}\nonderwerp: {subject}\n"
            + (f'nummer: "{number}"\n' if number is not None else "")
            + (f'kenmerk: "{kenmerk}"\n' if kenmerk is not None else "") + BODY
            + (f"geimporteerd_uit: {imported}\n" if imported is not None else ""))


def numbering(werkmap: Path, form: str) -> None:
    organisation = werkmap / "content/organisaties/hilversum.yaml"
    text = organisation.read_text(encoding="utf-8")
    assert 'nummering: "{jaar}/{volgnummer}"' in text
    organisation.write_text(text.replace('nummering: "{jaar}/{volgnummer}"', f'nummering: "{form}"'), encoding="utf-8")


def lines_about(output: str, word: str) -> list[str]:
    return [line for line in output.splitlines() if word in line]


APART = "; twee brieven met één nummer kan de raad niet uit elkaar houden"


def test_a_nummer_that_is_the_kenmerk_of_an_imported_letter_is_not_built_and_the_imported_one_is(werkmap):
    """An imported letter keeps its old number as kenmerk: a newer letter with that number (written with other
    leading zeros, dated in the next year) is an error, the imported one gets a warning and is built."""
    write(werkmap, "content/hilversum/2021/oud.yaml", letter("2021-03-01", "Oud", kenmerk="2021/07"))
    write(werkmap, "content/hilversum/2022/later.yaml", letter("2022-01-10", "Later", number="2021/007"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "uit elkaar") == [
        "content/hilversum/2021/oud.yaml:5:10: waarschuwing: kenmerk 2021/07 is het nummer van de nieuwere brief "
        f"content/hilversum/2022/later.yaml (als 2021/007){APART}: geef die brief een ander nummer, niet deze een "
        "ander kenmerk",
        "content/hilversum/2022/later.yaml:5:9: nummer 2021/007 is het kenmerk van de oudere brief "
        f"content/hilversum/2021/oud.yaml (als 2021/07){APART}: geef deze brief een ander nummer (briefgen new "
        "telt kenmerken mee)",
    ], result.stderr
    assert result.exit_code == 1, result.output

    built = invoke(werkmap, "build", "--formaat", "docx")
    assert "2 gebouwd, 0 actueel, 1 met fouten" in built.stdout, built.output  # all but later
    assert (werkmap / "build/hilversum/2021/oud.docx").is_file()
    assert not (werkmap / "build/hilversum/2022/later.docx").exists()


@pytest.mark.parametrize("imported", [None, "RIB nr. 46.docx"])
def test_one_nummer_in_letters_dated_either_side_of_new_year_is_a_duplicate(werkmap, imported):
    """The year a number carries is its year, not that of the letter's datum: "2021/46" on a letter of
    5 January 2022 is the same number as on one of 20 December 2021. The older letter (imported or not) was sent
    with it: the newer one is the error and says so, the older one a warning naming the letter to change."""
    write(werkmap, "content/hilversum/2021/a.yaml", letter("2021-12-20", "A", number="2021/46", imported=imported))
    write(werkmap, "content/hilversum/2022/b.yaml", letter("2022-01-05", "B", number="2021/46"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "komt ook voor") == [
        "content/hilversum/2021/a.yaml:5:9: waarschuwing: nummer 2021/46 komt ook voor in de nieuwere brief "
        "content/hilversum/2022/b.yaml: geef die brief een ander nummer, niet deze",
        "content/hilversum/2022/b.yaml:5:9: nummer 2021/46 komt ook voor in de oudere brief "
        "content/hilversum/2021/a.yaml: geef deze brief een ander nummer",
    ], result.stderr
    built = invoke(werkmap, "build", "--formaat", "docx")
    assert "2 gebouwd, 0 actueel, 1 met fouten" in built.stdout, built.output
    assert (werkmap / "build/hilversum/2021/a.docx").is_file()
    assert not (werkmap / "build/hilversum/2022/b.docx").exists()


def test_a_letter_whose_datum_is_no_date_is_neither_older_nor_newer(werkmap):
    """A datum that is no date is the letter's own error; for a number it shares, it counts as the same day."""
    write(werkmap, "content/hilversum/2022/x.yaml", letter("morgen", "X", number="2022/5"))
    write(werkmap, "content/hilversum/2022/y.yaml", letter("2022-04-01", "Y", kenmerk="2022/5"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "uit elkaar") == [
        f"content/hilversum/2022/x.yaml:5:9: nummer 2022/5 is het kenmerk van de brief content/hilversum/2022/y.yaml{APART}"
        ": geef deze brief een ander nummer (briefgen new telt kenmerken mee)",
        "content/hilversum/2022/y.yaml:5:10: waarschuwing: kenmerk 2022/5 is het nummer van de brief "
        f"content/hilversum/2022/x.yaml{APART}: geef die brief een ander nummer, niet deze een ander kenmerk",
    ], result.stderr

    write(werkmap, "content/hilversum/2022/y.yaml", letter("2022-04-01", "Y", number="2022/5"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "komt ook voor") == [
        "content/hilversum/2022/x.yaml:5:9: nummer 2022/5 komt ook voor in content/hilversum/2022/y.yaml",
        "content/hilversum/2022/y.yaml:5:9: nummer 2022/5 komt ook voor in content/hilversum/2022/x.yaml",
    ], result.stderr


def test_a_number_without_a_year_is_one_per_year_of_the_datum(werkmap):
    """Before a numbering with the year, a griffie counted from 1 each year without writing the year: "46" of
    2021 and "46" of 2022 are two numbers, a nummer and a kenmerk alike; within one year they are one."""
    write(werkmap, "content/hilversum/2021/een.yaml", letter("2021-12-01", "Een", number="46"))
    write(werkmap, "content/hilversum/2022/twee.yaml", letter("2022-02-01", "Twee", number="46"))
    write(werkmap, "content/hilversum/2022/drie.yaml", letter("2022-03-01", "Drie", kenmerk="46/B"))
    write(werkmap, "content/hilversum/2023/vier.yaml", letter("2023-03-01", "Vier", number="46/b"))
    result = invoke(werkmap, "check")
    assert not lines_about(result.stderr, "komt ook voor"), result.stderr
    assert not lines_about(result.stderr, "uit elkaar"), result.stderr
    write(werkmap, "content/hilversum/2022/vijf.yaml", letter("2022-06-01", "Vijf", number="046"))
    result = invoke(werkmap, "check")
    assert [line.split(": nummer")[0] for line in lines_about(result.stderr, "komt ook voor")] == [
        "content/hilversum/2022/twee.yaml:5:9: waarschuwing", "content/hilversum/2022/vijf.yaml:5:9"], result.stderr


@pytest.mark.parametrize(("date", "number", "line"), [("2021-04-01", "2021/11", "6:10"), ("2023-02-01", None, "5:10")])
def test_a_kenmerk_that_is_an_older_letters_nummer_is_the_one_to_change(werkmap, date, number, line):
    """The older letter was sent with its nummer: the newer letter whose kenmerk is that number (also in a later
    year) is told to change it, but in a warning (a zaak number is often the kenmerk, it never blocks a build)."""
    write(werkmap, "content/hilversum/2021/a.yaml", letter("2021-03-01", "A", number="2021/10"))
    write(werkmap, "content/hilversum/b.yaml", letter(date, "B", number=number, kenmerk="2021/10"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "uit elkaar") == [
        "content/hilversum/2021/a.yaml:5:9: waarschuwing: nummer 2021/10 is het kenmerk van de nieuwere brief "
        f"content/hilversum/b.yaml{APART}: geef die brief een ander kenmerk, niet deze een ander nummer",
        f"content/hilversum/b.yaml:{line}: waarschuwing: kenmerk 2021/10 is het nummer van de oudere brief "
        f"content/hilversum/2021/a.yaml{APART}: geef deze brief een ander kenmerk",
    ], result.stderr
    assert result.exit_code == 0, result.output
    built = invoke(werkmap, "build", "--formaat", "docx")
    assert "3 gebouwd, 0 actueel, 0 met fouten" in built.stdout, built.output
    assert (werkmap / "build/hilversum/2021/a.docx").is_file()
    assert (werkmap / "build/hilversum/b.docx").is_file()


def test_on_one_date_the_letter_not_imported_is_the_one_to_change(werkmap):
    """An imported letter was sent with its nummer: a letter of the same day that has it as kenmerk is told to
    change it (a warning), one that has it as nummer too (an error)."""
    write(werkmap, "content/hilversum/2022/oud.yaml",
          letter("2022-03-01", "Oud", number="2022/5", imported="RIB nr. 5 Oud.docx"))
    write(werkmap, "content/hilversum/2022/nieuw.yaml", letter("2022-03-01", "Nieuw", kenmerk="2022/5"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "uit elkaar") == [
        "content/hilversum/2022/nieuw.yaml:5:10: waarschuwing: kenmerk 2022/5 is het nummer van de geïmporteerde brief "
        f"content/hilversum/2022/oud.yaml{APART}: geef deze brief een ander kenmerk",
        "content/hilversum/2022/oud.yaml:5:9: waarschuwing: nummer 2022/5 is het kenmerk van de niet geïmporteerde "
        f"brief content/hilversum/2022/nieuw.yaml{APART}: geef die brief een ander kenmerk, niet deze een ander "
        "nummer",
    ], result.stderr

    write(werkmap, "content/hilversum/2022/nieuw.yaml", letter("2022-03-01", "Nieuw", number="2022/05"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "komt ook voor") == [
        "content/hilversum/2022/nieuw.yaml:5:9: nummer 2022/05 komt ook voor in de geïmporteerde brief "
        "content/hilversum/2022/oud.yaml (als 2022/5): geef deze brief een ander nummer",
        "content/hilversum/2022/oud.yaml:5:9: waarschuwing: nummer 2022/5 komt ook voor in de niet geïmporteerde "
        "brief content/hilversum/2022/nieuw.yaml (als 2022/05): geef die brief een ander nummer, niet deze",
    ], result.stderr


@pytest.mark.parametrize(("form", "first", "second"), [
    ("{jaar}/{volgnummer}", "2021/07", "2021/7"),
    ("{jaar}/{volgnummer}", "2021/7", " 2021 / 0007"),
    ("RIB {jaar}-{volgnummer:02}", "RIB 2021-01", "rib 2021-1"),
    ("RIB {jaar}-{volgnummer:02}", "RIB 2021-01", "RIB2021-01"),
])
def test_numbers_that_differ_in_leading_zeros_case_or_spaces_are_one_number(werkmap, form, first, second):
    numbering(werkmap, form)
    write(werkmap, "content/hilversum/2021/een.yaml", letter("2021-03-01", "Een", number=first))
    write(werkmap, "content/hilversum/2021/twee.yaml", letter("2021-03-01", "Twee", number=second))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "komt ook voor") == [
        f"content/hilversum/2021/een.yaml:5:9: nummer {first} komt ook voor in content/hilversum/2021/twee.yaml "
        f"(als {second.strip()})",
        f"content/hilversum/2021/twee.yaml:5:9: nummer {second.strip()} komt ook voor in content/hilversum/2021/een.yaml "
        f"(als {first})",
    ], result.stderr
    built = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/hilversum/2021/een.yaml"))
    assert built.exit_code == 1 and "komt ook voor" in built.stderr, built.output  # build's text scan finds it too


def test_numbers_that_only_look_alike_are_no_duplicates(werkmap):
    for name, number in (("een", "2021/7"), ("twee", "2021-7"), ("drie", "2021/70"), ("vier", "2021/1 7")):
        write(werkmap, f"content/hilversum/2021/{name}.yaml", letter("2021-03-01", name.capitalize(), number=number))
    result = invoke(werkmap, "check")
    assert not lines_about(result.stderr, "komt ook voor"), result.stderr


def test_kenmerken_with_other_leading_zeros_or_case_are_one_kenmerk(werkmap):
    write(werkmap, "content/hilversum/2021/een.yaml", letter("2021-03-01", "Een", kenmerk="HV/077"))
    write(werkmap, "content/hilversum/2022/twee.yaml", letter("2022-03-01", "Twee", kenmerk="hv/77"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "kenmerk") == [
        "content/hilversum/2021/een.yaml:5:10: waarschuwing: kenmerk HV/077 komt ook voor in "
        "content/hilversum/2022/twee.yaml (als hv/77); dat klopt alleen als deze brieven bij één zaak horen",
        "content/hilversum/2022/twee.yaml:5:10: waarschuwing: kenmerk hv/77 komt ook voor in "
        "content/hilversum/2021/een.yaml (als HV/077); dat klopt alleen als deze brieven bij één zaak horen",
    ], result.stderr


def test_a_nummer_of_another_year_than_the_datum_is_a_located_warning(werkmap):
    write(werkmap, "content/hilversum/2022/januari.yaml", letter("2022-01-12", "Januari", number="2021/46"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "hoort bij") == [
        "content/hilversum/2022/januari.yaml:5:9: waarschuwing: nummer 2021/46 hoort bij 2021, de brief is van "
        "12 januari 2022; klopt de datum, geef de brief dan een nummer van 2022 (briefgen new geeft nu 2022/1)",
    ], result.stderr
    assert result.exit_code == 0, result.output


def test_a_nummer_outside_the_nummering_is_a_warning_for_letters_since_the_first_in_that_nummering(werkmap):
    """The 2021 letters were numbered before the griffie took up "RIB {jaar}-{volgnummer:02}": only letters
    from its first RIB letter on are held to it; an imported letter (a kenmerk only) never is."""
    numbering(werkmap, "RIB {jaar}-{volgnummer:02}")
    write(werkmap, "content/hilversum/2021/oud.yaml", letter("2021-12-01", "Oud", number="2021/46"))
    write(werkmap, "content/hilversum/2022/import.yaml", letter("2022-03-01", "Import", kenmerk="Z/2022/123"))
    write(werkmap, "content/hilversum/2022/eerste.yaml", letter("2022-02-01", "Eerste", number="RIB 2022-01"))
    write(werkmap, "content/hilversum/2022/getypt.yaml", letter("2022-03-15", "Getypt", number="2022/2"))
    result = invoke(werkmap, "check")
    assert lines_about(result.stderr, "nummering") == [
        "content/hilversum/2022/getypt.yaml:5:9: waarschuwing: nummer 2022/2 past niet in de nummering van hilversum: "
        "\"RIB {jaar}-{volgnummer:02}\", bijvoorbeeld RIB 2022-12 (briefgen new geeft nu RIB 2022-02); klopt de nummering niet, pas dan "
        "'nummering:' aan in content/organisaties/hilversum.yaml",
    ], result.stderr
    one = invoke(werkmap, "check", str(werkmap / "content/hilversum/2022/getypt.yaml"))  # the others count all the same
    assert lines_about(one.stderr, "nummering") == lines_about(result.stderr, "nummering"), one.stderr


def test_a_nummering_no_letter_follows_is_said_at_the_newest_letter_only(werkmap):
    numbering(werkmap, "RIB {jaar}-{volgnummer:02}")
    write(werkmap, "content/hilversum/2021/ander.yaml", letter("2021-12-01", "Ander", number="2021/46"))
    result = invoke(werkmap, "check")
    assert [line.split(": waarschuwing")[0] for line in lines_about(result.stderr, "past niet")] == [
        "content/hilversum/2021/ander.yaml:5:9"], result.stderr


def test_the_example_letters_fit_their_nummering(tmp_path):
    """No new warnings on the repository's letters: the 2016 letter's "2016 - 34" is older than the first
    letter in the nummering."""
    for folder in ("content", "templates"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    result = invoke(tmp_path, "check")
    assert result.exit_code == 0 and not lines_about(result.stderr, "nummer"), result.output


@pytest.mark.parametrize("written", ["rib 2021-46", "RIB2021-46", "RIB 2021 - 46", "RIB 02021-46"])
def test_new_never_gives_a_number_taken_in_another_way_of_writing(werkmap, written):
    numbering(werkmap, "RIB {jaar}-{volgnummer:02}")
    (werkmap / VALID_LETTER).unlink()
    write(werkmap, "content/hilversum/2021/een.yaml", letter("2021-03-01", "Een", number="RIB 2021-45"))
    write(werkmap, "content/hilversum/2021/twee.yaml", letter("2021-04-01", "Twee", number=written))
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", "2021-12-01")
    assert result.exit_code == 0, result.output
    made = (werkmap / result.stdout.strip()).read_text(encoding="utf-8")
    assert 'nummer: "RIB 2021-47"' in made, made


def test_an_imported_letter_is_not_held_to_the_nummering_or_its_datum(werkmap):
    """Import writes the number the letter was sent with ("RIB nr. 14"): advice to change it or the nummering is
    wrong for a letter already sent, and such a letter does not set from when the nummering holds."""
    numbering(werkmap, "RIB {jaar}-{volgnummer:02}")
    write(werkmap, "content/hilversum/2021/rib.yaml",
          letter("2021-06-01", "Rib", number="RIB 2021-03", imported="RIB 2021-03 Rib.docx"))
    write(werkmap, "content/hilversum/2021/oud.yaml", letter("2021-12-01", "Oud", number="2021/46"))
    write(werkmap, "content/hilversum/2022/anders.yaml",
          letter("2022-03-01", "Anders", number="14", imported="RIB nr. 14.docx"))
    write(werkmap, "content/hilversum/2022/laat.yaml",
          letter("2022-01-05", "Laat", number="RIB 2021-46", imported="laat.docx"))
    write(werkmap, "content/hilversum/2022/eerste.yaml", letter("2022-02-01", "Eerste", number="RIB 2022-01"))
    result = invoke(werkmap, "check")
    assert not lines_about(result.stderr, "nummering"), result.stderr
    assert not lines_about(result.stderr, "hoort bij"), result.stderr
    assert result.exit_code == 0, result.output


def test_geimporteerd_uit_that_names_no_word_file_is_no_import_for_the_numbers(werkmap):
    """``geimporteerd_uit: ja`` by hand is an error on its line, and the letter is held to the nummering as any other."""
    numbering(werkmap, "RIB {jaar}-{volgnummer:02}")
    write(werkmap, "content/hilversum/2022/eerste.yaml", letter("2022-02-01", "Eerste", number="RIB 2022-01"))
    write(werkmap, "content/hilversum/2022/anders.yaml", letter("2022-03-01", "Anders", number="14", imported="ja"))
    result = invoke(werkmap, "check")
    assert [line.split(": ")[0] for line in lines_about(result.stderr, "nummering")] == [
        "content/hilversum/2022/anders.yaml:5:9"], result.stderr
    assert "content/hilversum/2022/anders.yaml:10:19: 'ja' is geen naam van een Word-bestand" in result.stderr, result.stderr
