"""Stop 25 (s4): the organisation's numbering, website and phone, the word list, keys and settings messages."""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke, run

ORGANISATION = "content/organisaties/hilversum.yaml"


def _organisation_errors(werkmap, old: str, new: str) -> list[str]:
    """``check`` after one edit of the organisation file: its errors (it fails), warnings left out."""
    organisation = werkmap / ORGANISATION
    text = organisation.read_text(encoding="utf-8")
    assert old in text
    organisation.write_text(text.replace(old, new, 1), encoding="utf-8")
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1, check.stderr
    return [line for line in check.stderr.splitlines() if line.startswith(ORGANISATION) and "waarschuwing" not in line]


@pytest.mark.parametrize(("numbering", "problem"), [
    ("{jaar}/{nr}", "'{nr}' kan niet"),
    ("{0}", "'{0}' kan niet"),
    ("{}", "'{}' kan niet"),
    ("{jaar", "een accolade staat alleen om {jaar} of {volgnummer}"),
    ("{jaar[0]}/{volgnummer}", "'{jaar[0]}' kan niet"),
    ("{volgnummer:>3000000}", "'{volgnummer:>3000000}' kan niet"),
    ("{jaar.__class__}/{volgnummer}", "'{jaar.__class__}' kan niet"),
    ("{jaar}", "{volgnummer} moet er precies één keer in staan"),
])
def test_a_numbering_with_more_than_jaar_and_volgnummer_is_an_error_on_its_line(werkmap, numbering, problem):
    lines = _organisation_errors(werkmap, 'nummering: "{jaar}/{volgnummer}"', f"nummering: '{numbering}'")
    assert len(lines) == 1 and lines[0].startswith(f"{ORGANISATION}:10:12: nummering '{numbering}': {problem}"), lines
    before = sorted((werkmap / "content").rglob("*"))
    new = run("-C", str(werkmap), "new", "raadsinformatiebrief", "--organisatie", "hilversum", "--datum", "2021-11-20")
    assert (new.returncode, new.stderr.splitlines()) == (1, lines)  # the organisation's own error, in its file
    assert sorted((werkmap / "content").rglob("*")) == before


def test_a_numbering_with_text_around_the_fields_still_numbers_letters(werkmap):
    organisation = werkmap / ORGANISATION
    organisation.write_text(organisation.read_text(encoding="utf-8").replace(
        'nummering: "{jaar}/{volgnummer}"', 'nummering: "RIB {jaar}-{volgnummer}"'), encoding="utf-8")
    new = invoke(werkmap, "new", "raadsinformatiebrief", "--organisatie", "hilversum", "--datum", "2021-11-20")
    assert new.exit_code == 0, new.stderr
    written = [p for p in (werkmap / "content").rglob("*.yaml") if "organisaties" not in p.parts and "inkoop" not in p.name]
    assert "RIB 2021-1" in written[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(("line", "problem"), [
    ('website: "javascript:alert(1)"', "'javascript:alert(1)' is geen webadres"),
    ("website: www hilversum", "'www hilversum' is geen webadres"),
    ('telefoon: "<b>1</b>"', "'<b>1</b>' is geen telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)"),
])
def test_the_organisations_website_and_phone_are_checked_as_in_letters(werkmap, line, problem):
    lines = _organisation_errors(werkmap, "nummering:", f"{line}\nnummering:")
    assert lines == [f"{ORGANISATION}:10:{line.index(':') + 3}: {problem}" + lines[0].split(problem, 1)[1]]


def test_a_website_as_a_letterhead_shows_it_is_accepted(werkmap):
    organisation = werkmap / ORGANISATION
    text = organisation.read_text(encoding="utf-8")
    for website in ("www.hilversum.nl", "https://www.hilversum.nl/raad"):
        organisation.write_text(text.replace("nummering:", f"website: {website}\nnummering:"), encoding="utf-8")
        check = invoke(werkmap, "check", "--geen-spelling")
        assert check.exit_code == 0, check.stderr


@pytest.mark.parametrize(("content", "problem"), [
    ("Hilversum\nDudokpark\n".encode("cp1252") + "Zoë\n".encode("cp1252"),
     "content/woordenlijst.txt:3:3: het bestand is geen geldige UTF-8 (waarschijnlijk Latin-1/Windows-1252); sla het op als UTF-8"),
    ("Hilversum\nZoë\n".encode("utf-16"),
     "content/woordenlijst.txt:1:1: het bestand is in UTF-16 opgeslagen; sla het op als UTF-8"),
])
def test_a_word_list_that_is_no_utf8_is_a_located_error(werkmap, content, problem):
    (werkmap / "content" / "woordenlijst.txt").write_bytes(content)
    check = run("-C", str(werkmap), "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr, check.stderr
    assert problem in check.stderr.splitlines()


def test_a_word_longer_than_the_spell_checker_takes_is_skipped_with_a_warning(werkmap):
    (werkmap / "content" / "woordenlijst.txt").write_text("Dudokpark\n   " + "a" * 1000 + "\n", encoding="utf-8")
    check = run("-C", str(werkmap), "check")
    assert check.returncode == 0 and "Traceback" not in check.stderr, check.stderr
    assert ("content/woordenlijst.txt:2:4: waarschuwing: woord van 1000 tekens overgeslagen: de spellingcontrole "
            "kent woorden tot 90 bytes") in check.stderr.splitlines()


def test_keys_that_yaml_reads_as_no_text_are_reported_at_the_key_as_written(werkmap):
    from tests.conftest import HEAD, write

    write(werkmap, "content/t/sleutels.yaml", HEAD + "null: 1\n~: 2\n1.5: 3\ntrue: 4\nsecties:\n  - tekst: x\n    null: 5\n")
    check = invoke(werkmap, "check", "--geen-spelling")
    assert check.exit_code == 1
    hint = "zet het tussen aanhalingstekens of kies een bekende sleutel"
    assert [line for line in check.stderr.splitlines() if line.startswith("content/t/")] == [
        f"content/t/sleutels.yaml:5:1: 'null' kan geen sleutel zijn (YAML leest het als leeg); {hint}",
        "content/t/sleutels.yaml:6:1: de sleutel '~' staat er twee keer in (eerder op regel 5); "
        "de tweede zou de eerste stilzwijgend vervangen",
        f"content/t/sleutels.yaml:7:1: '1.5' kan geen sleutel zijn (YAML leest het als het getal 1.5); {hint}",
        f"content/t/sleutels.yaml:8:1: 'true' kan geen sleutel zijn (YAML leest het als ja/nee); {hint}",
        f"content/t/sleutels.yaml:11:5: 'null' kan geen sleutel zijn (YAML leest het als leeg); {hint}",
    ]


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("briefgen.toml", "\ufefftaken = 1\npdf_timeout = 0.5\n",
     ["briefgen.toml:2:1: 'pdf_timeout' moet een aantal seconden van minstens 1 (en hoogstens een dag) zijn, niet 0.5"]),
    ("briefgen.toml", "taken = 1979-05-27\npdf_timeout = true\nsoffice = {}\n", [
        "briefgen.toml:1:1: 'taken' moet een geheel getal van minstens 1 zijn, niet 1979-05-27",
        "briefgen.toml:2:1: 'pdf_timeout' moet een aantal seconden van minstens 1 (en hoogstens een dag) zijn, niet true",
        "briefgen.toml:3:1: 'soffice' moet het pad naar LibreOffice (tekst) zijn, niet {}"]),
    ("briefgen.toml", "# instellingen\n[tool.briefgen]\ntaken = 2\n", [
        "briefgen.toml:2:1: onbekende instelling 'tool'; in briefgen.toml staan de instellingen zonder tabelkop: "
        "verwijder de regel [tool.briefgen]"]),
    ("briefgen.toml", "pdf_timeout = 1e-300\n",
     ["briefgen.toml:1:1: 'pdf_timeout' moet een aantal seconden van minstens 1 (en hoogstens een dag) zijn, niet 1e-300"]),
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool]\n  briefgen.taken = 0\n',
     ["pyproject.toml:5:3: 'taken' moet een geheel getal van minstens 1 zijn, niet 0"]),
    ("pyproject.toml", '# werkmap\ntool.briefgen.taken = 0\n[project]\nname = "x"\n',
     ["pyproject.toml:2:1: 'taken' moet een geheel getal van minstens 1 zijn, niet 0"]),
    ("pyproject.toml", "[tool.briefgen]\ntaken = 2\n[tool.briefgen.extra]\nx = 1\n",
     ["pyproject.toml:3:1: onbekende instelling 'extra'; toegestaan zijn: taken, pdf_timeout, soffice"]),
])
def test_settings_messages_are_located_and_show_values_as_toml(werkmap, name, content, expected):
    (werkmap / name).write_text(content, encoding="utf-8")
    result = invoke(werkmap, "check", "--geen-spelling")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if ".toml" in line] == expected


@pytest.mark.parametrize(("previous", "following"), [
    ("Rapportage vierde kwartaal 2023", "Rapportage eerste kwartaal 2024"),
    ("Rapportage derde kwartaal 2023", "Rapportage vierde kwartaal 2023"),
    ("Monitor Q4 2023", "Monitor Q1 2024"),
    ("4e kwartaal 2023", "1e kwartaal 2024"),
    ("Tweede halfjaar 2022", "Eerste halfjaar 2023"),
    ("Stand december 2023", "Stand januari 2024"),
    ("6e rapportage Q4 2023", "7e rapportage Q1 2024"),
    ("Rapportage vijfde kwartaal 2023", "Rapportage vijfde kwartaal 2023"),  # no quarter: left alone, new says so
    ("Mei-circulaire", "Mei-circulaire"),  # a month without a year is no period of a series
])
def test_the_next_subject_counts_a_part_of_the_year_on_into_the_next_year(previous, following):
    from briefgen.newletter import next_subject

    assert next_subject(previous) == following


@pytest.mark.parametrize(("previous", "following"), [
    # a month after a day number is a date, not a period: left alone (new says so), never 31 februari
    ("Stand per 31 januari 2024", "Stand per 31 januari 2024"),
    ("Raad van 12 mei 2024", "Raad van 12 mei 2024"),
    ("3e rapportage, raad van 1 juli", "3e rapportage, raad van 1 juli"),
    # a year before the quarter or half year counts on with it, never backwards
    ("Begroting 2024 Q4", "Begroting 2025 Q1"),
    ("Begroting 2024 Q3", "Begroting 2024 Q4"),
    ("Rapportage 2023-Q4", "Rapportage 2024-Q1"),
    ("Monitor 2023 tweede halfjaar", "Monitor 2024 eerste halfjaar"),
    # two periods: which one the series counts is not clear
    ("Q4 2023 en Q1 2024", "Q4 2023 en Q1 2024"),
])
def test_the_next_subject_leaves_a_date_alone_and_counts_a_year_before_the_period(previous, following):
    from briefgen.newletter import next_subject

    assert next_subject(previous) == following


def test_the_same_person_twice_in_a_function_is_an_error_at_the_second_entry(werkmap):
    lines = _organisation_errors(werkmap, "  # Wethouders", "  - naam: W. Groot\n    functie: loco-secretaris\n"
                                 "    van: 2020-01-01\n\n  # Wethouders")
    second = (werkmap / ORGANISATION).read_text(encoding="utf-8").split("\n").index("  - naam: W. Groot", 30) + 1
    assert len(lines) == 1 and lines[0].startswith(
        f"{ORGANISATION}:{second}:5: ") and "W. Groot staat al eerder als loco-secretaris in het college, in dezelfde periode" in lines[0]


def test_settings_in_both_files_say_which_one_is_used(werkmap):
    (werkmap / "briefgen.toml").write_text("taken = 2\n", encoding="utf-8")
    (werkmap / "pyproject.toml").write_text("[tool.briefgen]\ntaken = 4\n", encoding="utf-8")
    result = invoke(werkmap, "check", "--geen-spelling")
    assert result.exit_code == 0
    assert ("briefgen.toml:1:1: waarschuwing: ook pyproject.toml heeft [tool.briefgen], met andere instellingen; "
            "briefgen gebruikt alleen briefgen.toml: zet alles in één van de twee") in result.stderr.splitlines()
    (werkmap / "pyproject.toml").write_text("[tool.briefgen]\ntaken = 2\n", encoding="utf-8")
    assert "pyproject.toml" not in invoke(werkmap, "check", "--geen-spelling").stderr


def test_a_key_yaml_reads_as_no_text_in_a_mapping_of_names_is_named_as_written(werkmap):
    lines = _organisation_errors(werkmap, "nummering:", "extern:\n  null:\n    datum: 2021-01-01\n"
                                 "  1.5:\n    datum: 2021-01-01\nnummering:")
    assert lines == [
        f"{ORGANISATION}:11:3: de sleutel null onder 'extern' moet tekst zijn; zet hem tussen aanhalingstekens: 'null'",
        f"{ORGANISATION}:13:3: de sleutel 1.5 onder 'extern' moet tekst zijn; zet hem tussen aanhalingstekens: '1.5'",
    ]
