"""Stop 24 (m2): a batch build refuses what check refuses, across letters too."""

from __future__ import annotations

import re
import zipfile

from tests.cli.helpers import invoke
from tests.conftest import HEAD, VALID_LETTER, write

BODY = "aanhef: Geachte leden,\nsecties:\n  - tekst: Tekst.\nondertekening: college\n"


def letter(number: str, date: str, subject: str, extra: str = "") -> str:
    return (f'soort: raadsinformatiebrief\norganisatie: hilversum\ndatum: {date}\nnummer: "{number}"\n'
            f"onderwerp: {subject}\n{extra}{BODY}")


def test_build_refuses_a_duplicate_number_made_by_editing_one_letter_and_list_marks_both(werkmap):
    """Only the older letter is edited, to the newer one's number: the newer one is reported though it did not
    change, and not delivered; the older one (sent with that number) is built, with a warning naming the other."""
    first = write(werkmap, "content/hilversum/opvang/opvang-1.yaml", letter("2021/04", "2021-03-10", "Opvang 1e rapportage"))
    second = write(werkmap, "content/hilversum/opvang/opvang-2.yaml",
                   letter("2021/05", "2021-04-10", "Opvang 2e rapportage", "vorige: hilversum/opvang/opvang-1\n"))
    assert invoke(werkmap, "build", "--formaat", "docx").exit_code == 0
    old = (werkmap / "build/hilversum/opvang/opvang-2.docx").read_bytes()
    first.write_text(first.read_text(encoding="utf-8").replace("2021/04", "2021/05"), encoding="utf-8")

    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.exit_code == 1, result.output
    assert "content/hilversum/opvang/opvang-1.yaml:4:9: waarschuwing: nummer 2021/05 komt ook voor in de nieuwere " \
           "brief content/hilversum/opvang/opvang-2.yaml: geef die brief een ander nummer, niet deze" in result.stderr
    assert "content/hilversum/opvang/opvang-2.yaml:4:9: nummer 2021/05 komt ook voor in de oudere brief " \
           "content/hilversum/opvang/opvang-1.yaml: geef deze brief een ander nummer" in result.stderr, result.stderr
    assert "1 gebouwd, 1 actueel, 1 met fouten" in result.stdout, result.stdout
    refused = result.stderr.split("Niet gebouwd")[1]
    assert "opvang-2.yaml" in refused and "opvang-1.yaml" not in refused, result.stderr
    assert (werkmap / "build/hilversum/opvang/opvang-2.docx").read_bytes() == old  # as for any letter with errors

    listed = invoke(werkmap, "list")
    rows = {line.split()[0]: line for line in listed.stdout.splitlines() if "opvang-" in line.split()[0]}
    assert [name for name, row in rows.items() if row.endswith("bevat fouten (briefgen check)")] == [
        "content/hilversum/opvang/opvang-2.yaml"], listed.stdout

    again = invoke(werkmap, "build", "--formaat", "docx", str(second))  # a build of one of them still sees the other
    assert again.exit_code == 1 and "nummer 2021/05 komt ook voor" in again.stderr, again.output

    first.write_text(first.read_text(encoding="utf-8").replace("2021/05", "2021/04"), encoding="utf-8")
    fixed = invoke(werkmap, "build", "--formaat", "docx")
    assert fixed.exit_code == 0 and "nummer" not in fixed.stderr, fixed.output


def test_build_warns_about_a_duplicate_kenmerk_as_check_does(werkmap):
    for name, number in (("een", "2021/60"), ("twee", "2021/61")):
        write(werkmap, f"content/hilversum/2021/{name}.yaml",
              letter(number, "2021-11-20", name.capitalize(), 'kenmerk: "HV/77"\n'))
    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.exit_code == 0, result.output
    assert "content/hilversum/2021/een.yaml:6:10: waarschuwing: kenmerk HV/77 komt ook voor in " \
           "content/hilversum/2021/twee.yaml" in result.stderr, result.stderr
    assert "3 gebouwd" in result.stdout, result.stdout


TASKS = """\
aanhef: Geachte leden,
tabellen:
  taakstelling:
{columns}    rijen:
      - [Eerste halfjaar, 48, 41]
      - [Tweede halfjaar, 52, 12]
secties:
  - tekst: |
      Wij huisvesten {text} mensen.

      {{{{ tabel("taakstelling") }}}}
ondertekening: college
"""


def test_the_total_of_a_table_with_two_number_columns_is_an_error_that_says_how_to_pick_one(werkmap):
    path = write(werkmap, "content/x/taak.yaml", HEAD + TASKS.format(
        columns="    kolommen: [Halfjaar, Taakstelling, Gerealiseerd]\n", text="{{ tabellen.taakstelling.totaal }}"))
    result = invoke(werkmap, "build", "--formaat", "docx", str(path))
    assert result.exit_code == 1, result.output
    assert ("content/x/taak.yaml:14:47: tabel 'taakstelling' heeft 2 kolommen met getallen (Taakstelling, Gerealiseerd): "
            "tabellen.taakstelling.totaal zegt niet welke; kies een kolom met "
            "{{ tabellen.taakstelling.totaal_per_kolom['Taakstelling'] }} of "
            "{{ tabellen.taakstelling.totaal_per_kolom['Gerealiseerd'] }}") in result.stderr, result.stderr
    assert not (werkmap / "build/x/taak.docx").exists()

    write(werkmap, "content/x/taak.yaml", HEAD + TASKS.format(
        columns="", text="{{ tabellen.taakstelling.totaal }}"))  # no headings: by position
    assert "kies een kolom met {{ tabellen.taakstelling.totalen[0] }} of {{ tabellen.taakstelling.totalen[1] }}" \
        in invoke(werkmap, "check", str(path)).stderr

    write(werkmap, "content/x/taak.yaml", HEAD + TASKS.format(
        columns="    kolommen: [Halfjaar, Taakstelling, Gerealiseerd]\n",
        text="{{ tabellen.taakstelling.totaal_per_kolom['Taakstelling'] }} van de "
             "{{ tabellen.taakstelling.totaal_per_kolom.Gerealiseerd }}"))
    built = invoke(werkmap, "build", "--formaat", "docx", str(path))
    assert built.exit_code == 0, built.output
    with zipfile.ZipFile(werkmap / "build/x/taak.docx") as docx:
        assert "Wij huisvesten 100 van de 53 mensen." in re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode())


def test_new_van_counts_up_the_ordinal_in_the_subject_and_check_warns_about_a_repeated_subject(werkmap):
    from tests.cli.test_new import new_letter, read_back

    previous = write(werkmap, "content/hilversum/opvang/opvang-6.yaml",
                     letter("2021/06", "2021-11-01", "Opvang ontheemden 6e rapportage"))
    data = read_back(werkmap, new_letter(werkmap, "--van", str(previous)))
    assert data["onderwerp"] == "Opvang ontheemden 7e rapportage"

    same = write(werkmap, "content/hilversum/opvang/opvang-7.yaml", letter(
        "2021/07", "2021-11-20", "Opvang ontheemden 6e  rapportage", "vorige: hilversum/opvang/opvang-6\n"))
    result = invoke(werkmap, "check", str(same))
    assert "content/hilversum/opvang/opvang-7.yaml:5:12: waarschuwing: het onderwerp is gelijk aan dat van de vorige " \
           "brief (hilversum/opvang/opvang-6): geef deze brief een eigen onderwerp (bijvoorbeeld het volgende " \
           "volgnummer)" in result.stderr, result.stderr


def test_the_next_subject_of_a_series():
    from briefgen.newletter import next_subject

    assert next_subject("Tweede rapportage opvang") == "Derde rapportage opvang"
    assert next_subject("Voortgang jeugdzorg (6)") == "Voortgang jeugdzorg (7)"
    assert next_subject("7de voortgangsrapportage") == "8ste voortgangsrapportage"
    assert next_subject("Stand van zaken") == "Stand van zaken"  # nothing to count: new says so, check warns


def test_a_previous_letter_moved_to_another_folder_is_suggested(werkmap):
    write(werkmap, "content/hilversum/opvang/opvang-3.yaml", letter("2021/03", "2021-03-01", "Opvang 3e rapportage"))
    path = write(werkmap, "content/hilversum/2021/opvang-4.yaml", letter(
        "2021/04", "2021-04-01", "Opvang 4e rapportage", "vorige: hilversum/2021/opvang-3\n",
    ).replace("Tekst.", "Zie {{ brief('hilversum/2021/opvang-3') }}."))
    result = invoke(werkmap, "check", str(path))
    assert "content/hilversum/2021/opvang-4.yaml:6:9: vorige brief 'hilversum/2021/opvang-3' bestaat niet; verwacht " \
           "content/hilversum/2021/opvang-3.yaml; bedoelde u 'hilversum/opvang/opvang-3'?" in result.stderr, result.stderr
    assert "brief 'hilversum/2021/opvang-3' bestaat niet; verwacht content/hilversum/2021/opvang-3.yaml; bedoelde u " \
           "'hilversum/opvang/opvang-3'?" in result.stderr, result.stderr

    write(werkmap, "content/hilversum/2020/opvang-3.yaml", letter("2020/03", "2020-03-01", "Opvang 3e rapportage"))
    two = invoke(werkmap, "check", str(path))  # two namesakes: no guess
    assert "vorige brief 'hilversum/2021/opvang-3' bestaat niet" in two.stderr, two.stderr
    assert "bedoelde u 'hilversum/" not in two.stderr, two.stderr


def test_build_removes_the_folders_a_moved_letter_leaves_empty_and_only_inside_build(werkmap, tmp_path):
    moved = write(werkmap, "content/hilversum/opvang/opvang-3.yaml", letter("2021/03", "2021-03-01", "Opvang"))
    write(werkmap, "content/hilversum/weg/weg.yaml", letter("2021/09", "2021-03-01", "Weg"))
    assert invoke(werkmap, "build", "--formaat", "docx").exit_code == 0
    build = werkmap / "build"
    assert (build / "hilversum/opvang/opvang-3.docx").is_file()
    moved.rename(werkmap / "content/hilversum/2021/opvang-3.yaml")
    (werkmap / "content/hilversum/weg/weg.yaml").unlink()
    outside = tmp_path / "buiten"
    outside.mkdir()
    for name in ("weg.docx", ".keep"):
        (build / "hilversum/weg" / name).unlink(missing_ok=True)
    (build / "hilversum/weg").rmdir()
    (build / "hilversum/weg").symlink_to(outside)  # an output folder that leads out of build/

    result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.exit_code == 0, result.output
    assert "verwijderd: build/hilversum/opvang/opvang-3.docx" in result.stdout, result.stdout
    assert not (build / "hilversum/opvang").exists()
    assert (build / "hilversum/2021/opvang-3.docx").is_file() and build.is_dir()
    assert outside.is_dir() and (build / "hilversum/weg").is_symlink()

    (werkmap / "content/hilversum/2021/opvang-3.yaml").rename(moved)  # moved back
    (werkmap / VALID_LETTER).unlink()
    assert invoke(werkmap, "build", "--formaat", "docx").exit_code == 0
    assert not (build / "hilversum/2021").exists() and (build / "hilversum/opvang/opvang-3.docx").is_file()


def test_check_and_list_do_not_wait_on_a_fifo_among_the_letters(werkmap):
    """The scan for duplicate numbers reads every letter file: a named pipe must not make it hang."""
    import os

    from tests.cli.helpers import run

    os.mkfifo(werkmap / "content/hilversum/2021/pijp.yaml")
    checked = run("-C", str(werkmap), "check")
    assert checked.returncode == 1 and "pijp.yaml:1:1: kan het bestand niet lezen" in checked.stderr, checked.stderr
    listed = run("-C", str(werkmap), "list")
    assert "pijp.yaml" in listed.stdout, listed.stdout + listed.stderr
