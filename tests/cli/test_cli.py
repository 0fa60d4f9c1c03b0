"""Global behaviour of the command line: version, help, usage errors, finding the werkmap, settings."""

from __future__ import annotations

import fcntl

import pytest
import typer.main

from briefgen import __version__
from briefgen.cli import app
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
        (["list", "--help"], ["Toon alle brieven"]),
        (["init", "--help"], ["Maak een nieuwe werkmap", "De nieuwe werkmap."]),
    ],
)
def test_help_of_every_command_is_dutch(args, texts):
    result = invoke(None, *args)
    assert result.exit_code == 0, result.output
    for text in texts:
        assert text in result.stdout
    assert "Show this message and exit" not in result.stdout


def _commands(group, path=()):
    """Every command and subcommand the app has, so a new one cannot miss its Dutch help."""
    for name, command in sorted(group.commands.items()):
        yield [*path, name]
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


@pytest.mark.parametrize("args", list(_commands(typer.main.get_command(app))), ids=" ".join)
def test_every_command_has_dutch_help(args):
    result = invoke(None, *args, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Gebruik: briefgen {' '.join(args)} ")
    assert "Toon deze hulp en stop." in result.stdout
    for english in ("Usage:", "Options:", "Arguments:", "Commands:", "Show this message"):
        assert english not in result.stdout


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["bouw"], "briefgen: onbekend commando 'bouw'\nZie 'briefgen --help'.\n"),
        (
            ["build", "--formaat", "xml"],
            "briefgen: ongeldige waarde voor --formaat: 'xml' is niet een van 'alle', 'docx', 'pdf'\n"
            "Zie 'briefgen build --help'.\n",
        ),
        (["check", "--onbekend"], "briefgen: onbekende optie --onbekend\nZie 'briefgen check --help'.\n"),
    ],
)
def test_usage_error_is_dutch_and_exits_2(args, stderr):
    result = invoke(None, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


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
    result = run("check", "--geen-spelling", cwd=werkmap / "content" / "hilversum" / "2021")
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 brief gecontroleerd: 0 fouten, 0 waarschuwingen.\n", "")
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
    result = invoke(werkmap, "check", "--geen-spelling", str(broken))
    assert result.stdout == "1 brief gecontroleerd: 1 fout, 0 waarschuwingen.\n"
    assert result.stderr == "content/fout/a.yaml:4:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?\n"


def test_list_shows_letters_and_broken_ones(werkmap):
    write(werkmap, "content/fout/a.yaml", HEAD.replace("onderwerp:", "onderwep:"))
    result = invoke(werkmap, "list")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("content/")}
    assert sorted(rows) == ["content/fout/a.yaml", VALID_LETTER]
    assert "fout" in rows["content/fout/a.yaml"].split()[1:]
    for text in ("2021/45", "16 november 2021", "Stand van zaken inkoop Wmo en Jeugd", "verouderd"):
        assert text in rows[VALID_LETTER]


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
        ("tken = 2", "onbekende instelling 'tken'; bedoelde u 'taken'?"),
        ("taken = 0", "'taken' moet een geheel getal van minstens 1 zijn, niet 0"),
    ],
)
def test_wrong_setting_is_a_dutch_problem(werkmap, setting, message):
    write(werkmap, "briefgen.toml", setting + "\n")
    result = invoke(werkmap, "check")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"briefgen.toml:1:1: {message}\n")
