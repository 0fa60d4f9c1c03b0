"""``briefgen new`` writes YAML that reads back exactly, whatever text the shell passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from briefgen import yamlio
from tests.cli.helpers import invoke
from tests.conftest import VALID_LETTER, new_werkmap, write
from tests.fuzz.helpers import fuzz

# Everything a shell can pass in one argument: any character but NUL; lone surrogates are the bytes
# of another encoding (Python's surrogateescape) and are tested on their own.
SHELL_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=80)


def new_letter(werkmap: Path, *args: str):
    return invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", "2021-12-01", *args)


def read_back(werkmap: Path, result) -> dict:
    assert result.exit_code == 0, result.output
    path = werkmap / result.stdout.strip()
    loaded, problems = yamlio.load(path, result.stdout.strip())
    assert loaded is not None, [p.format() for p in problems]
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    return loaded.data


@pytest.fixture(scope="module")
def shared_werkmap(tmp_path_factory):
    """One werkmap for all examples (each example removes the letter it made)."""
    return new_werkmap(tmp_path_factory.mktemp("new") / "werkmap")


@fuzz(ci=100, lang=3000)
@given(subject=SHELL_TEXT)
@example(subject="Kosten\\qua jeugd")
@example(subject='Kosten "qua" \'jeugd\': 2021 # niet')
@example(subject="- lijst")
@example(subject="* ster")
@example(subject="& anker")
@example(subject="! tag")
@example(subject="{{ tabellen.x.totaal }}")
@example(subject="regel één\nregel twee\n")
@example(subject="   ")
@example(subject="yes")
@example(subject="2021-12-01")
@example(subject="0x1F")
@example(subject="~")
@example(subject="%YAML 1.2")
@example(subject="---")
@example(subject="… é ß 中文 😀 \u200b \u2028 \x85")
@example(subject="\t\ttab\r\n")
def test_any_subject_reads_back_exactly(shared_werkmap, subject):
    result = new_letter(shared_werkmap, "--onderwerp", subject)
    try:
        data = read_back(shared_werkmap, result)
        assert data["onderwerp"] == (subject or "Nieuw onderwerp")
        assert (data["soort"], data["organisatie"], data["nummer"]) == ("raadsinformatiebrief", "hilversum", "2021/46")
        assert [s.get("kop") for s in data["secties"]] == [None, "Tot slot"]
    finally:
        if result.exit_code == 0:
            (shared_werkmap / result.stdout.strip()).unlink()


def test_new_letter_keeps_the_comments_and_the_schema_line(werkmap):
    (werkmap / "schema").mkdir()
    (werkmap / "schema" / "brief.schema.json").write_text("{}", encoding="utf-8")
    org = werkmap / "content/organisaties/hilversum.yaml"  # a house style that shows the portefeuillehouder
    org.write_text(org.read_text(encoding="utf-8").replace("huisstijl: hilversum-rib-2021", "huisstijl: hilversum-rib-2016"),
                   encoding="utf-8")
    result = new_letter(werkmap, "--onderwerp", "Kosten\\qua jeugd")
    text = (werkmap / result.stdout.strip()).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/brief.schema.json\nsoort: raadsinformatiebrief\n")
    assert "onderwerp: Kosten\\qua jeugd\n# portefeuillehouder: kies een van de collegeleden in functie op 1 december 2021:\n" in text
    assert "#   A.B. Jansen (wethouder: Sociaal domein, Jeugd en Wmo)\n" in text
    assert 'nummer: "2021/46"\n' in text and "datum: 2021-12-01\n" in text
    assert "  - kop: KERNBOODSCHAP\n    tekst: |\n" in text
    assert ("contactpersonen:\n  - naam: E. Seijsener\n    telefoon: \"0618878359\"\n    domein: Wmo\n"
            "  - naam: A. Rijssenbeek\n") in text  # the contacts of the organisation's latest letter


def test_next_letter_of_a_series_with_a_difficult_subject_reads_back(werkmap):
    subject = "Vervolg: 'jeugd' \\ \"wmo\" # 2\n- nieuw"
    result = new_letter(werkmap, "--van", str(werkmap / VALID_LETTER), "--datum", "2022-03-01", "--onderwerp", subject)
    data = read_back(werkmap, result)
    assert (data["onderwerp"], data["vorige"], data["datum"]) == (subject, "hilversum/2021/inkoop-wmo-jeugd", "2022-03-01")


def test_subject_in_another_encoding_is_refused_in_dutch(werkmap):
    """Bytes that are not UTF-8 reach Python as lone surrogates; such a file could not be written."""
    result = new_letter(werkmap, "--onderwerp", "Kosten \udce9")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("briefgen: het onderwerp bevat tekens die geen UTF-8 zijn")
    assert not (werkmap / "content" / "hilversum" / "2021" / "kosten.yaml").exists()


def test_a_follow_up_letter_does_not_copy_the_kenmerk_of_the_previous_one(werkmap):
    previous = werkmap / VALID_LETTER
    previous.write_text(previous.read_text(encoding="utf-8").replace('nummer: "2021/45"\n', 'nummer: "2021/45"\nkenmerk: HV/2021/77\n'),
                        encoding="utf-8")
    data = read_back(werkmap, new_letter(werkmap, "--van", str(previous), "--datum", "2022-03-01"))
    assert "kenmerk" not in data
    assert data["nummer"] == "2022/1"


def test_a_follow_up_letter_whose_text_uses_the_kenmerk_gets_an_empty_kenmerk_to_fill_in(werkmap):
    """The kenmerk is not copied; when the copied text prints {{ kenmerk }}, new says so and writes an empty
    'kenmerk:' with a comment, so the user sees where to fill it in (check stops at it until then)."""
    previous = werkmap / VALID_LETTER
    text = previous.read_text(encoding="utf-8").replace('nummer: "2021/45"\n', 'nummer: "2021/45"\nkenmerk: HV/2021/77\n')
    text = text.replace("secties:\n  - tekst: |\n", "secties:\n  - tekst: |\n      Ons kenmerk is {{ kenmerk }}.\n\n", 1)
    assert "{{ kenmerk }}" in text
    previous.write_text(text, encoding="utf-8")
    result = new_letter(werkmap, "--van", str(previous), "--datum", "2022-03-01")
    data = read_back(werkmap, result)
    assert "de tekst gebruikt {{ kenmerk }}: vul 'kenmerk:' in voor deze brief" in result.stderr, result.stderr
    assert data["kenmerk"] is None
    written = (werkmap / result.stdout.strip()).read_text(encoding="utf-8")
    line = next(line for line in written.splitlines() if line.startswith("kenmerk:"))
    assert line.split("#")[0].strip() == "kenmerk:" and "vul" in line, line
    path = werkmap / result.stdout.strip()
    assert "{{ kenmerk }} is leeg" in invoke(werkmap, "check", str(path)).stderr
    path.write_text(written.replace(line, "kenmerk: HV/2022/3"), encoding="utf-8")
    checked = invoke(werkmap, "check", str(path))
    assert "kenmerk" not in checked.stderr, checked.stderr


def test_a_follow_up_letter_whose_text_does_not_use_the_kenmerk_says_nothing_about_it(werkmap):
    result = new_letter(werkmap, "--van", str(werkmap / VALID_LETTER), "--datum", "2022-03-01")
    assert "kenmerk" not in read_back(werkmap, result) and "kenmerk" not in result.stderr, result.stderr


def test_check_warns_about_letters_of_one_organisation_with_the_same_kenmerk(werkmap):
    """A kenmerk shared by letters of one organisation is a warning (a zaak number is often the kenmerk of every
    letter of the zaak), compared as YAML reads it: quotes and a trailing comment aside."""
    body = 'aanhef: Geachte leden,\nsecties:\n  - tekst: Tekst.\nondertekening: college\n'
    head = "soort: raadsinformatiebrief\norganisatie: {org}\ndatum: {date}\nonderwerp: {subject}\nkenmerk: {kenmerk}\n"
    for path, org, date, subject, kenmerk in (
            ("hilversum/2021/een.yaml", "hilversum", "2021-11-20", "Een", '"HV/77"   # zaak'),
            ("hilversum/2021/drie.yaml", "hilversum", "2021-11-21", "Drie", '"HV/77"   # zaak'),
            ("hilversum/2022/twee.yaml", "hilversum", "2022-01-20", "Twee", "HV/77"),
            ("huizen/2022/ander.yaml", "huizen", "2022-01-20", "Ander", "HV/77")):  # another organisation may use it
        write(werkmap, f"content/{path}", head.format(org=org, date=date, subject=subject, kenmerk=kenmerk) + body)
    result = invoke(werkmap, "check")
    lines = [line for line in result.stderr.splitlines() if "kenmerk" in line]
    zaak = "; dat klopt alleen als deze brieven bij één zaak horen"
    assert lines == [
        "content/hilversum/2021/drie.yaml:5:10: waarschuwing: kenmerk HV/77 komt ook voor in "
        "content/hilversum/2021/een.yaml, content/hilversum/2022/twee.yaml" + zaak,
        "content/hilversum/2021/een.yaml:5:10: waarschuwing: kenmerk HV/77 komt ook voor in "
        "content/hilversum/2021/drie.yaml, content/hilversum/2022/twee.yaml" + zaak,
        "content/hilversum/2022/twee.yaml:5:10: waarschuwing: kenmerk HV/77 komt ook voor in "
        "content/hilversum/2021/drie.yaml, content/hilversum/2021/een.yaml" + zaak,
    ], result.stderr
    assert result.exit_code == 0, result.output  # as build, which builds these letters
    one = invoke(werkmap, "check", str(werkmap / "content/hilversum/2022/twee.yaml"))  # the others found all the same
    assert "twee.yaml:5:10: waarschuwing: kenmerk HV/77 komt ook voor in content/hilversum/2021/drie.yaml, " \
        "content/hilversum/2021/een.yaml" + zaak in one.stderr, one.stderr


def test_the_next_number_counts_kenmerken_in_the_numbering_format(werkmap):
    """An imported letter keeps "Ons kenmerk: 2021/07" as its kenmerk: the next number is 2021/08, not 2021/1."""
    (werkmap / VALID_LETTER).unlink()
    write(werkmap, "content/hilversum/2021/oud.yaml",
          "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-03-01\nonderwerp: Oud\nkenmerk: 2021/07\n"
          "secties: []\nondertekening: college\n")
    data = read_back(werkmap, new_letter(werkmap))
    assert data["nummer"] == "2021/08"


def test_a_zaak_number_as_kenmerk_in_the_numbering_format_does_not_make_the_number_jump(werkmap):
    """A kenmerk counts only when its sequence number is plausible: at most 1000 above the highest number
    (or counted kenmerk) below it; a zaak number such as 2021/123456 is no number of a letter."""
    write(werkmap, "content/hilversum/2021/zaak.yaml",
          "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-03-01\nonderwerp: Zaak\nkenmerk: 2021/123456\n"
          "secties: []\nondertekening: college\n")
    data = read_back(werkmap, new_letter(werkmap))
    assert data["nummer"] == "2021/46"  # after nummer 2021/45 of the valid letter


def test_imported_kenmerken_count_in_steps_of_at_most_a_thousand(werkmap):
    (werkmap / VALID_LETTER).unlink()
    for name, kenmerk in (("a", "2021/0900"), ("b", "2021/1800"), ("c", "2021/9999")):
        write(werkmap, f"content/hilversum/2021/{name}.yaml",
              f"soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-03-01\nonderwerp: Oud {name}\n"
              f"kenmerk: {kenmerk}\nsecties: []\nondertekening: college\n")
    data = read_back(werkmap, new_letter(werkmap))
    assert data["nummer"] == "2021/1801"


def test_a_kenmerk_line_of_deeply_nested_brackets_is_a_problem_not_a_traceback(werkmap):
    for name in ("a", "b"):
        write(werkmap, f"content/hilversum/2021/{name}.yaml",
              "soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: 2021-03-01\nonderwerp: Oud\n"
              f"kenmerk: {'[' * 5000}\nsecties: []\nondertekening: college\n")
    result = invoke(werkmap, "check", "--geen-spelling")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output


def test_a_new_letter_has_an_empty_key_for_each_field_its_house_style_shows(werkmap):
    """The rzou informatienota shows the zaaknummer, the addressee and the sender; new wrote none of those keys,
    so the griffie did not know the letter could give them. Each is now written empty, with a comment."""
    result = invoke(werkmap, "new", "informatienota", "-o", "rzou", "--datum", "2021-12-01", "--onderwerp", "Inkoop 2022")
    data = read_back(werkmap, result)
    assert {key: data[key] for key in ("zaaknummer", "aan", "van")} == {"zaaknummer": None, "aan": None, "van": None}
    path = werkmap / result.stdout.strip()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[lines.index('nummer: "2021/1"') + 1].startswith("zaaknummer:  # vul het zaaknummer in"), lines
    assert any(line.startswith("aan:") and "leeg: 'De leden van de gemeenteraad'" in line for line in lines), lines
    assert any(line.startswith("van:") and "leeg: 'College van B&W'" in line for line in lines), lines
    text = path.read_text(encoding="utf-8").replace("    tekst: |\n", "    tekst: |\n      Tekst.\n")
    path.write_text(text.replace("zaaknummer:", "zaaknummer: Z/21/123456", 1), encoding="utf-8")
    checked = invoke(werkmap, "check", str(path))  # rzou's example has nobody to sign: the only problems
    assert all("geen ondertekenaar" in line for line in checked.stderr.splitlines()), checked.output
    assert "0 waarschuwingen" in checked.stdout, checked.output
    hilversum = read_back(werkmap, new_letter(werkmap))  # hilversum-rib-2021 shows none of the three
    assert not {"zaaknummer", "aan", "van"} & set(hilversum), hilversum
