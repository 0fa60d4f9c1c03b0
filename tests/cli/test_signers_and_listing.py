"""Stop 24: the portefeuillehouder signs as `rol: wethouder`; `list` by path, sorted by date and number;
readability lines only on request; `--help` never cuts a command's description short."""

from __future__ import annotations

import zipfile

import pytest
import typer

from tests.cli.helpers import invoke, unbroken
from tests.conftest import HEAD, write

WETHOUDER = HEAD + """\
portefeuillehouder: C.D. Bakker
ondertekening:
  - rol: wethouder
"""


def _document_xml(path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def test_the_portefeuillehouder_signs_when_more_than_one_wethouder_is_in_office(werkmap):
    write(werkmap, "content/w/a.yaml", WETHOUDER)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 0, result.output
    xml = _document_xml(werkmap / "build" / "w" / "a.docx")
    assert unbroken("C.D. Bakker") in xml and unbroken("A.B. Jansen") not in xml


def test_without_a_portefeuillehouder_more_than_one_wethouder_still_asks_for_a_name(werkmap):
    write(werkmap, "content/w/a.yaml", WETHOUDER.replace("portefeuillehouder: C.D. Bakker\n", ""))
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 1
    assert "content/w/a.yaml:6:5: meer dan één wethouder in functie op 16 november 2021 (A.B. Jansen, C.D. Bakker, " in result.stderr
    assert "kies met 'naam'" in result.stderr


def test_a_portefeuillehouder_who_is_the_burgemeester_does_not_pick_a_wethouder(werkmap):
    write(werkmap, "content/w/a.yaml", WETHOUDER.replace("C.D. Bakker", "P.I. Broertjes"))
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 1
    assert "meer dan één wethouder in functie op 16 november 2021" in result.stderr


def test_a_named_wethouder_signs_even_beside_another_portefeuillehouder(werkmap):
    write(werkmap, "content/w/a.yaml", WETHOUDER + "    naam: E.F. Visser\n")
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 0, result.output
    xml = _document_xml(werkmap / "build" / "w" / "a.docx")
    assert unbroken("E.F. Visser") in xml


TWO_WETHOUDERS = HEAD + """\
portefeuillehouder: C.D. Bakker
ondertekening:
  - rol: wethouder
  - rol: wethouder
"""


def test_the_portefeuillehouder_does_not_sign_for_two_unnamed_wethouders(werkmap):
    write(werkmap, "content/w/a.yaml", TWO_WETHOUDERS)
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 1, result.output
    ambiguous = "meer dan één wethouder in functie op 16 november 2021 (A.B. Jansen, C.D. Bakker, "
    assert f"content/w/a.yaml:7:5: {ambiguous}" in result.stderr
    assert f"content/w/a.yaml:8:5: {ambiguous}" in result.stderr


def test_the_portefeuillehouder_does_not_sign_again_beside_themselves_by_name(werkmap):
    named = TWO_WETHOUDERS.replace("  - rol: wethouder\n  - rol", "  - rol: wethouder\n    naam: C.D. Bakker\n  - rol", 1)
    write(werkmap, "content/w/a.yaml", named)
    result = invoke(werkmap, "check", "--geen-spelling", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 1, result.output
    assert "content/w/a.yaml:9:5: meer dan één wethouder in functie op 16 november 2021" in result.stderr
    assert ":7:5:" not in result.stderr


def test_the_portefeuillehouder_signs_for_the_one_unnamed_wethouder_beside_a_named_other(werkmap):
    named = TWO_WETHOUDERS.replace("  - rol: wethouder\n  - rol", "  - rol: wethouder\n    naam: A.B. Jansen\n  - rol", 1)
    write(werkmap, "content/w/a.yaml", named)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/w/a.yaml"))
    assert result.exit_code == 0, result.output
    xml = _document_xml(werkmap / "build" / "w" / "a.docx")
    assert unbroken("A.B. Jansen") in xml and unbroken("C.D. Bakker") in xml


def _letter(root, rel: str, organisation: str, date: str, number: str | None, extra: str = "") -> None:
    text = HEAD.replace("hilversum", organisation).replace("2021-11-16", date)
    write(root, rel, text + (f'nummer: "{number}"\n' if number else "") + extra)


def _rows(result) -> list[str]:
    return [line.split()[0] for line in result.stdout.splitlines()[1:]]


def test_list_sorts_per_organisation_by_date_then_number(werkmap):
    """Before, rows were sorted by path: an informatienota folder before the RIBs, 2021/10 before 2021/9."""
    _letter(werkmap, "content/a/tien.yaml", "hilversum", "2021-12-01", "2021/10")
    _letter(werkmap, "content/a/negen.yaml", "hilversum", "2021-12-01", "2021/9")
    _letter(werkmap, "content/b/vroeg.yaml", "hilversum", "2021-01-05", "2021/1")
    _letter(werkmap, "content/0/huizen.yaml", "huizen", "2020-01-01", None)
    result = invoke(werkmap, "list")
    assert result.exit_code == 0, result.output
    assert _rows(result) == ["content/b/vroeg.yaml", "content/hilversum/2021/inkoop-wmo-jeugd.yaml",
                             "content/a/negen.yaml", "content/a/tien.yaml", "content/0/huizen.yaml"]


def test_list_takes_paths_as_build_does(werkmap):
    _letter(werkmap, "content/a/een.yaml", "hilversum", "2021-12-01", "2021/50", "vorige: hilversum/2021/inkoop-wmo-jeugd\n")
    _letter(werkmap, "content/b/twee.yaml", "hilversum", "2021-12-02", "2021/51")
    result = invoke(werkmap, "list", str(werkmap / "content/hilversum"), str(werkmap / "content/b/twee.yaml"))
    assert result.exit_code == 0, result.output
    assert _rows(result) == ["content/hilversum/2021/inkoop-wmo-jeugd.yaml", "content/b/twee.yaml"]
    # the series still names the next letter, which is not listed
    assert "• → a/een" in result.stdout.splitlines()[1]


def test_list_of_a_folder_from_the_command_line(werkmap):
    """The reported case: ``briefgen list content/stichtsevecht`` gave 'onverwacht argument', exit 2."""
    from tests.cli.helpers import run

    _letter(werkmap, "content/b/twee.yaml", "hilversum", "2021-12-02", "2021/51")
    result = run("list", "content/b", cwd=werkmap)
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["content/b/twee.yaml"]
    missing = run("list", "content/geen", cwd=werkmap)
    assert (missing.returncode, missing.stderr) == (2, "briefgen: bestaat niet: content/geen\n")


def test_list_toezeggingen_takes_paths_too(werkmap):
    commitment = "toezeggingen:\n  - nummer: T1\n    omschrijving: Iets.\n"
    _letter(werkmap, "content/a/een.yaml", "hilversum", "2021-12-01", "2021/50", commitment)
    _letter(werkmap, "content/b/twee.yaml", "hilversum", "2021-12-02", "2021/51", commitment.replace("T1", "T2"))
    result = invoke(werkmap, "list", "--toezeggingen", str(werkmap / "content/b"))
    assert result.exit_code == 0, result.output
    assert _rows(result) == ["T2"]


def test_list_help_says_how_rows_are_sorted(werkmap):
    result = invoke(None, "list", "--help")
    assert "per organisatie op datum en nummer" in " ".join(result.stdout.split())


EASY = HEAD + """\
secties:
  - tekst: Wij bouwen een school. De school is klaar in mei. Kinderen leren daar lezen.
"""


def test_check_shows_readability_per_letter_only_when_asked(werkmap):
    """Before, every check printed a 'leesbaarheid …' line per letter, which buried the errors."""
    write(werkmap, "content/x/makkelijk.yaml", EASY)
    write(werkmap, "content/x/fout.yaml", HEAD.replace("onderwerp:", "onderwep:"))
    plain = invoke(werkmap, "check")
    assert plain.exit_code == 1
    assert "content/x/fout.yaml:4:1: onbekende sleutel 'onderwep'" in plain.stderr
    lines = plain.stdout.splitlines()
    assert not any(line.startswith("leesbaarheid ") for line in lines), plain.stdout
    assert lines[-2] == "leesbaarheid: 1 van 2 brieven moeilijker dan B1 (per brief: briefgen check --leesbaarheid)."
    assert lines[-1].startswith("3 brieven gecontroleerd: 1 fout, ")
    asked = invoke(werkmap, "check", "--leesbaarheid")
    shown = [line for line in asked.stdout.splitlines() if line.startswith("leesbaarheid ")]
    assert [line.split(":")[0] for line in shown] == ["leesbaarheid content/hilversum/2021/inkoop-wmo-jeugd.yaml",
                                                       "leesbaarheid content/x/makkelijk.yaml"]
    assert "C1, moeilijk" in shown[0] and "B1, makkelijk" in shown[1]
    assert asked.stdout.splitlines()[-1] == lines[-1]


def test_readability_without_proofreading_is_a_usage_error(werkmap):
    result = invoke(werkmap, "check", "--geen-spelling", "--leesbaarheid")
    assert result.exit_code == 2
    assert result.stderr == ("briefgen: --leesbaarheid gaat niet samen met --geen-spelling, dat ook de leesbaarheid "
                             "overslaat\nZie 'briefgen check --help'.\n")


def _command_rows(stdout: str) -> list[str]:
    """The lines of the "Commando's" section of a help page."""
    section = stdout.split("Commando's:\n", 1)[1]
    return [line for line in section.splitlines() if line.strip()]


@pytest.mark.parametrize("columns", ["80", "50"])
@pytest.mark.parametrize("group", [[], ["templates"]], ids=["briefgen", "templates"])
def test_help_never_cuts_a_command_description_short(group, columns):
    """Before, ``briefgen --help`` showed 'Controleer brieven, organisaties en templates zonder iets te...'."""
    from typer.testing import CliRunner

    from briefgen.cli import app

    result = CliRunner().invoke(app, [*group, "--help"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    command = typer.main.get_command(app)
    for name in group:
        command = command.commands[name]
    rows = _command_rows(result.stdout)
    assert not any(row.rstrip().endswith("...") for row in rows), result.stdout
    text = " ".join(" ".join(rows).split())
    for name, sub in command.commands.items():
        assert sub.short_help and sub.short_help.endswith("."), name
        assert f"{name} {sub.short_help}" in text, (name, sub.short_help)
        assert len(sub.short_help) <= 60, name  # one line beside the names at 80 columns


def test_list_as_csv_for_a_spreadsheet(werkmap):
    import csv

    _letter(werkmap, "content/a/een.yaml", "hilversum", "2021-12-01", "2021/50")
    path = werkmap / "content/a/een.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("onderwerp: Test", """onderwerp: 'Jeugd; zorg en "wonen"'"""), encoding="utf-8")
    result = invoke(werkmap, "list", "--csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeffbrief;nummer;datum;onderwerp;")
    rows = list(csv.reader(result.stdout.removeprefix("\ufeff").splitlines(), delimiter=";"))
    assert rows[0] == ["brief", "nummer", "datum", "onderwerp", "huisstijl", "reeks", "uitvoer"]
    assert rows[2][:4] == ["content/a/een.yaml", "2021/50", "1 december 2021", 'Jeugd; zorg en "wonen"']
    assert rows[2][6] == "nog niet gebouwd"
    toezeggingen = invoke(werkmap, "list", "--toezeggingen", "--csv")
    assert toezeggingen.stdout.splitlines() == ["\ufefftoezegging;status;omschrijving;brief;datum"]
