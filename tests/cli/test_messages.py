"""True counts and messages that say how to fix a problem (f2): what a new griffie user ran into."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import invoke
from tests.conftest import write

BAARN = """\
naam: Gemeente Baarn
plaatsnaam: Baarn
huisstijl: rzou-informatienota  # no other organisation's name or logo in it
college:
  - naam: M. de Boer
    functie: burgemeester
    van: 2019-01-01
  - naam: P. Smit
    functie: gemeentesecretaris
    van: 2018-01-01
  - naam: K. de Wit
    functie: wethouder
    portefeuilles: [Financiën]
    van: 2019-01-01
    tot: 2024-12-31
  - naam: A. Jansen
    functie: wethouder
    portefeuilles: [Jeugd]
    van: 2022-01-01
  - naam: B. de Vries
    functie: wethouder
    portefeuilles: [Wonen]
    van: 2022-01-01
"""

LETTER = """\
soort: raadsinformatiebrief
organisatie: baarn
nummer: "{nummer}"
datum: {datum}
onderwerp: Begroting
tabellen:
  kosten:
    titel: Kosten
    soort: bedrag
    kolommen: [Post, Bedrag]
    rijen:
      - [Personeel, 500000]
      - [Materieel, 255000]
    totaal: {totaal}
secties:
  - kop: Kosten
    tekst: |
      De kosten zijn in totaal {{{{ tabellen.kosten.totaal | bedrag }}}} voor dit jaar.

      {{{{ tabel("kosten") }}}}
ondertekening: {ondertekening}
"""


def letter(nummer: str = "2023/1", datum: str = "2023-03-10", totaal: str = "755000", ondertekening: str = "college",
           extra: str = "") -> str:
    return LETTER.format(nummer=nummer, datum=datum, totaal=totaal, ondertekening=ondertekening) + extra


def baarn(tmp_path: Path, **letters: str) -> Path:
    """A werkmap with the repository's templates, the organisation Baarn and the given letters
    (name → text, under content/baarn/2023/)."""
    root = tmp_path / "baarn"
    import shutil

    from tests.conftest import REPO

    shutil.copytree(REPO / "templates", root / "templates")
    write(root, "content/organisaties/baarn.yaml", BAARN)
    for name, text in letters.items():
        write(root, f"content/baarn/2023/{name}.yaml", text)
    return root


def check(root: Path, *args: str):
    return invoke(root, "check", "--geen-spelling", *args)


def test_a_wrong_table_total_is_the_only_problem_not_every_use_of_the_table(tmp_path):
    root = baarn(tmp_path, begroting=letter(totaal="750000"))
    result = check(root)
    assert result.stderr.splitlines() == [
        "content/baarn/2023/begroting.yaml:14:13: het opgegeven totaal €\xa0750.000 klopt niet met de som van de rijen (€\xa0755.000)",
    ]
    assert result.stdout.splitlines()[-1] == "1 brief gecontroleerd: 1 fout, 0 waarschuwingen."
    assert result.exit_code == 1


BROKEN_BAARN = BAARN.replace("plaatsnaam: Baarn", "plaatsnam: Baarn").replace("van: 2018-01-01", "van: 2018-13-01")
BROKEN_LINES = [
    "content/organisaties/baarn.yaml:2:1: onbekende sleutel 'plaatsnam'; bedoelde u 'plaatsnaam'?",
    "content/organisaties/baarn.yaml:10:10: ongeldige datum '2018-13-01': maand 13 bestaat niet (1 tot en met 12)",
]


def test_errors_of_an_organisation_are_reported_and_counted_once_not_again_for_each_letter(tmp_path):
    root = baarn(tmp_path, a=letter("2023/1"), b=letter("2023/2"), c=letter("2023/3"))
    write(root, "content/organisaties/baarn.yaml", BROKEN_BAARN)
    result = check(root)
    assert result.stderr.splitlines() == BROKEN_LINES
    assert result.stdout.splitlines()[-1] == "3 brieven gecontroleerd: 2 fouten, 0 waarschuwingen."
    assert result.exit_code == 1
    built = invoke(root, "build", "--formaat", "docx")
    assert built.stderr.splitlines()[:2] == BROKEN_LINES
    assert "organisatie 'baarn' bevat fouten" not in built.stderr
    assert "0 gebouwd, 0 actueel, 3 met fouten." in built.stdout
    assert built.exit_code == 1


def test_with_paths_only_the_problems_of_the_checked_letters_and_the_files_they_use_count(tmp_path):
    root = baarn(tmp_path, begroting=letter())
    write(root, "content/organisaties/elders.yaml", BAARN.replace("naam: P. Smit", 'naam: "(in te vullen)"'))
    folder = check(root, "--streng", str(root / "content/baarn/2023"))
    assert folder.stderr == ""
    assert folder.stdout.splitlines()[-1] == "1 brief gecontroleerd: 0 fouten, 0 waarschuwingen."
    assert folder.exit_code == 0
    everything = check(root, "--streng")
    assert everything.stderr.splitlines() == [
        "content/organisaties/elders.yaml:8:11: waarschuwing: de gemeentesecretaris is nog niet ingevuld: "
        "vul de echte naam (en 'van'/'tot') in; tot dan ondertekent deze functie geen brief",
    ]
    assert everything.stdout.splitlines()[-1] == "1 brief gecontroleerd: 0 fouten, 1 waarschuwing."
    assert everything.exit_code == 1
    write(root, "content/organisaties/baarn.yaml", BROKEN_BAARN)
    used = check(root, str(root / "content/baarn/2023/begroting.yaml"))
    assert used.stderr.splitlines() == BROKEN_LINES
    assert used.stdout.splitlines()[-1] == "1 brief gecontroleerd: 2 fouten, 0 waarschuwingen."


def test_a_previous_letter_with_errors_is_told_apart_from_one_that_does_not_exist(tmp_path):
    root = baarn(tmp_path, a=letter("2023/1", "2023-01-10").replace("onderwerp:", "onderwep:"),
                 b=letter("2023/2", extra="vorige: baarn/2023/a\n"), c=letter("2023/3", extra="vorige: baarn/2023/x\n"))
    alone = check(root, str(root / "content/baarn/2023/b.yaml"))
    assert alone.stderr.splitlines() == [
        "content/baarn/2023/b.yaml:22:9: vorige brief 'baarn/2023/a' bevat fouten (zie content/baarn/2023/a.yaml)"]
    assert alone.stdout.splitlines()[-1] == "1 brief gecontroleerd: 1 fout, 0 waarschuwingen."
    everything = check(root)
    assert everything.stderr.splitlines() == [
        "content/baarn/2023/a.yaml:5:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?",
        "content/baarn/2023/c.yaml:22:9: vorige brief 'baarn/2023/x' bestaat niet; verwacht content/baarn/2023/x.yaml",
    ]
    assert everything.stdout.splitlines()[-1] == "3 brieven gecontroleerd: 2 fouten, 0 waarschuwingen."


def test_a_faulty_phone_number_is_reported_at_the_contact_not_again_where_the_text_uses_it(tmp_path):
    text = letter().replace("      {{ tabel", "      Bel {{ contactpersonen[0] | contact }} of {{ contactpersonen[0].telefoon | telefoon }}.\n\n      {{ tabel")
    root = baarn(tmp_path, a=text + 'contactpersonen:\n  - naam: J. Jansen\n    telefoon: "12"\n')
    result = check(root)
    assert result.stderr.splitlines() == [
        "content/baarn/2023/a.yaml:26:15: '12' is geen geldig telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)"]
    assert result.exit_code == 1


MESSAGES = letter(datum="2025-03-10").replace("{{ tabellen.kosten.totaal", "{{ tabellen.koste.totaal").replace(
    "ondertekening: college", "portefeuillehouder: K. de Wit\nondertekening:\n  - rol: wethouder\n    naam: K. de Wit\n"
    "bijlagen:\n  - titel: Planning\n    bestand: content/baarn/2023/planning.pdf\n")


def test_messages_say_how_to_fix_the_problem(tmp_path):
    numbers = letter("2023/2").replace("[Personeel, 500000]", '[Personeel, "8.000"]').replace("[Materieel, 255000]", '[Materieel, "8,5"]')
    root = baarn(tmp_path, a=MESSAGES, b=letter("2023/3", ondertekening="colege"), c=numbers.replace("raadsinformatiebrief", "raadsinformtiebrief"))
    result = check(root)
    assert result.stderr.splitlines() == [
        "content/baarn/2023/a.yaml:3:9: waarschuwing: nummer 2023/1 hoort bij 2023, de brief is van 10 maart 2025; "
        "klopt de datum, geef de brief dan een nummer van 2025 (briefgen new geeft nu 2025/1)",
        "content/baarn/2023/a.yaml:18:44: onbekende naam 'koste' in expressie; bedoelde u 'kosten'?",
        "content/baarn/2023/a.yaml:21:21: portefeuillehouder 'K. de Wit' is niet in functie op 10 maart 2025 bij Gemeente Baarn "
        "(wethouder tot 31 december 2024); in functie: A. Jansen, B. de Vries, M. de Boer",
        "content/baarn/2023/a.yaml:24:11: geen ondertekenaar: K. de Wit is op 10 maart 2025 geen wethouder van Gemeente Baarn "
        "(wethouder tot 31 december 2024); in functie: A. Jansen, B. de Vries",
        "content/baarn/2023/a.yaml:27:14: bijlage 'content/baarn/2023/planning.pdf' bestaat niet; zet het bestand daar, "
        "of haal 'bestand:' weg",
        "content/baarn/2023/b.yaml:21:16: onbekende ondertekening 'colege'; bedoelde u 'college'?",
        "content/baarn/2023/c.yaml:1:8: ongeldige waarde 'raadsinformtiebrief' voor 'soort'; bedoelde u 'raadsinformatiebrief'?",
        "content/baarn/2023/c.yaml:12:21: '8.000' is geen getal; schrijf 8000 (zonder punt)",
        "content/baarn/2023/c.yaml:13:21: '8,5' is geen getal; schrijf 8.5 (met een punt voor de decimalen, geen komma)",
    ]


def test_a_successor_added_without_ending_the_term_before_is_told_to_end_that_term(tmp_path):
    root = baarn(tmp_path, a=letter())
    write(root, "content/organisaties/baarn.yaml", BAARN + "  - naam: Q. Nieuw\n    functie: gemeentesecretaris\n    van: 2024-01-01\n")
    result = check(root)
    assert result.stderr.splitlines() == [
        "content/organisaties/baarn.yaml:8:5: P. Smit is nog gemeentesecretaris als Q. Nieuw op 1 januari 2024 begint; "
        "zet bij P. Smit 'tot: 2023-12-31' ('tot' is de laatste dag in functie)",
    ]
    assert result.stdout.splitlines()[-1] == "1 brief gecontroleerd: 1 fout, 0 waarschuwingen."


def test_usage_errors_suggest_what_was_meant(werkmap):
    kind = invoke(werkmap, "new", "raadsinformtiebrief", "--organisatie", "hilversum")
    assert kind.exit_code == 2
    assert kind.stderr.splitlines()[0] == ("briefgen: ongeldige waarde voor SOORT: 'raadsinformtiebrief' is geen van "
                                           "'raadsinformatiebrief' of 'informatienota'; bedoelde u 'raadsinformatiebrief'?")
    organisation = invoke(werkmap, "new", "raadsinformatiebrief", "--organisatie", "hilversun")
    assert organisation.stderr.splitlines() == ["briefgen: organisatie 'hilversun' bestaat niet; bedoelde u 'hilversum'?"]
    command = invoke(werkmap, "bouw")
    assert command.exit_code == 2
    assert command.stderr.splitlines()[0] == "briefgen: onbekend commando 'bouw'; bedoelde u 'build'?"


def test_list_says_a_letter_that_was_never_built_is_not_built_yet(werkmap):
    def status() -> str:
        result = invoke(werkmap, "list")
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[1].split("  ")[-1].strip()

    assert status() == "nog niet gebouwd"
    assert invoke(werkmap, "build", "--formaat", "docx").exit_code == 0
    assert status() == "nog niet gebouwd (html, pdf)"


def test_a_cited_letter_with_errors_is_one_problem_where_it_is_checked_too(tmp_path):
    citing = letter("2023/2").replace("voor dit jaar.", 'voor dit jaar (zie {{ brief("baarn/2023/a") }}).')
    root = baarn(tmp_path, a=letter("2023/1", "2023-01-10").replace("onderwerp:", "onderwep:"), b=citing)
    alone = check(root, str(root / "content/baarn/2023/b.yaml"))
    assert alone.stderr.splitlines() == [
        "content/baarn/2023/b.yaml:18:89: brief 'baarn/2023/a' bevat fouten (zie content/baarn/2023/a.yaml)"]  # at its {{
    everything = check(root)
    assert everything.stderr.splitlines() == ["content/baarn/2023/a.yaml:5:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?"]
    assert everything.stdout.splitlines()[-1] == "2 brieven gecontroleerd: 1 fout, 0 waarschuwingen."


def test_check_of_the_content_folder_still_reports_every_organisation(tmp_path):
    root = baarn(tmp_path, begroting=letter())
    write(root, "content/organisaties/elders.yaml", BAARN.replace("naam: P. Smit", 'naam: "(in te vullen)"'))
    result = check(root, "--streng", str(root / "content"))
    assert result.stdout.splitlines()[-1] == "1 brief gecontroleerd: 0 fouten, 1 waarschuwing."
    assert result.exit_code == 1
