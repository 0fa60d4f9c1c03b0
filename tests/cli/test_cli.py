"""Global behaviour of the command line: version, help, usage errors, finding the werkmap, settings."""

from __future__ import annotations

import fcntl

import pytest

from briefgen import __version__
from tests.cli.helpers import invoke, run
from tests.conftest import HEAD, VALID_LETTER, write


def test_version():
    result = invoke(None, "--version")
    assert (result.exit_code, result.stdout) == (0, f"briefgen {__version__}\n")


@pytest.mark.parametrize(
    ("args", "texts"),
    [
        (["--help"], ["Maakt officiële brieven", "Werk in deze map", "Toon de versie en stop.", "build", "check"]),
        (["-h"], ["Maakt officiële brieven"]),
        (["build", "--help"], ["Bouw brieven naar build/ (DOCX en PDF).", "Welke uitvoer: docx, pdf of alle", "Bouw alles opnieuw"]),
        (["check", "--help"], ["Controleer brieven, organisaties en templates zonder iets te bouwen."]),
        (["list", "--help"], ["Toon alle brieven met nummer, datum, onderwerp"]),
        (["init", "--help"], ["Maak een nieuwe werkmap", "De nieuwe werkmap."]),
    ],
)
def test_help_of_every_command_is_dutch(args, texts):
    result = invoke(None, *args)
    assert result.exit_code == 0, result.output
    for text in texts:
        assert text in result.stdout
    assert "Show this message and exit" not in result.stdout


@pytest.mark.parametrize("args", [["bouw"], ["build", "--formaat", "xml"], ["check", "--onbekend"]])
def test_usage_error_exits_2(args):
    result = invoke(None, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("briefgen: ")
    assert "Traceback" not in result.output


def test_unknown_command_names_it(werkmap):
    result = invoke(werkmap, "bouw")
    assert "'bouw'" in result.stderr and result.exit_code == 2


@pytest.mark.parametrize("command", ["check", "build", "list"])
def test_folder_without_werkmap_gives_dutch_message_without_traceback(tmp_path, command):
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = run("-C", str(empty), command)
    assert result.stderr == (
        f"briefgen: geen werkmap gevonden in {empty} of een map daarboven (een werkmap heeft de mappen content/ en "
        "templates/); maak er een met 'briefgen init MAP'\n"
    )
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.returncode == 1


def test_werkmap_that_does_not_exist_is_a_usage_error(tmp_path):
    result = run("-C", str(tmp_path / "weg"), "check")
    assert result.stderr == f"briefgen: map bestaat niet: {tmp_path / 'weg'}\n"
    assert result.returncode == 2


def test_running_from_a_subfolder_finds_the_werkmap(werkmap):
    result = run("check", cwd=werkmap / "content" / "hilversum" / "2021")
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 brieven gecontroleerd, 0 fouten.\n", "")
    result = run("build", "--formaat", "docx", cwd=werkmap / "templates")
    assert result.returncode == 0, result.stderr
    assert (werkmap / "build" / "hilversum" / "2021" / "inkoop-wmo-jeugd.docx").is_file()


def test_check_of_a_path_that_does_not_exist(werkmap):
    result = invoke(werkmap, "check", str(werkmap / "content" / "weg.yaml"))
    assert result.stderr == f"briefgen: bestaat niet: {werkmap / 'content' / 'weg.yaml'}\n"
    assert result.exit_code == 2


@pytest.mark.parametrize("where", ["outside", "organisation"])
def test_check_of_a_file_that_is_not_a_letter_says_so(werkmap, tmp_path, where):
    path = write(tmp_path, "elders.yaml", HEAD) if where == "outside" else werkmap / "content/organisaties/hilversum.yaml"
    result = invoke(werkmap, "check", str(path))
    assert result.stderr == (
        f"briefgen: {path} is geen brief: brieven zijn .yaml-bestanden in content/ (buiten organisaties/)\n"
    )
    assert (result.exit_code, result.stdout) == (1, "")


def test_check_of_one_letter_checks_only_that_one(werkmap):
    broken = write(werkmap, "content/fout/a.yaml", HEAD.replace("onderwerp:", "onderwep:"))
    write(werkmap, "content/fout/b.yaml", HEAD.replace("2021-11-16", "2021-02-30"))
    result = invoke(werkmap, "check", str(broken))
    assert result.stdout == "1 brieven gecontroleerd, 1 fouten.\n"
    assert result.stderr == "content/fout/a.yaml:4:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?\n"


def test_list_shows_letters_and_broken_ones(werkmap):
    write(werkmap, "content/fout/a.yaml", HEAD.replace("onderwerp:", "onderwep:"))
    result = invoke(werkmap, "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "content/fout/a.yaml  -  -  bevat fouten  fout"
    assert lines[1].startswith(f"{VALID_LETTER}  2021/45  16 november 2021  Stand van zaken inkoop Wmo en Jeugd  verouderd")
    assert len(lines) == 2


def test_second_build_at_the_same_time_is_refused(werkmap):
    (werkmap / "build").mkdir()
    with open(werkmap / "build" / ".briefgen.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.stderr == (
        "briefgen: er loopt al een 'briefgen build' in deze werkmap; wacht tot die klaar is en probeer het opnieuw\n"
    )
    assert not (werkmap / "build" / "hilversum").exists()
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("tken = 2", "onbekende sleutel 'tken'; bedoelde u 'taken'?"),
        ("taken = 0", "'taken' moet minstens 1 zijn, niet 0"),
    ],
)
def test_wrong_setting_is_a_dutch_problem(werkmap, setting, message):
    write(werkmap, "briefgen.toml", setting + "\n")
    result = invoke(werkmap, "check")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"briefgen.toml: {message}\n")
